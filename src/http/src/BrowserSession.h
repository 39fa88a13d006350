#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

#include "AddressThrottle.h"

namespace dossier::http {

/// The web console's session: the bearer token kept by the browser in an HttpOnly cookie,
/// out of reach of script, plus a CSRF token (double submit) that script can read and must
/// echo in the X-CSRF-Token header of every request that changes something. API clients keep
/// sending `Authorization: Bearer`; a bearer token wins over the cookie and needs neither the
/// CSRF token nor an Origin (a browser cannot attach that header to a cross-site request
/// without a CORS preflight, which Dossier never grants). README, "Browser sessions".
struct BrowserSession {
    static constexpr const char* kSessionCookie = "dossier_session";
    static constexpr const char* kCsrfCookie = "dossier_csrf";
    static constexpr const char* kCsrfHeader = "X-CSRF-Token";

    /// The value of cookie `name` in the request's Cookie fields; empty when absent.
    static std::string cookie(const Poco::Net::HTTPServerRequest& request, const std::string& name);
    /// The CSRF token of a session: HMAC-SHA256 keyed by the session token (64 hex digits).
    /// Tied to the session, so a token from another session (an attacker's own) is refused,
    /// and nothing needs storing; it reveals nothing of the session token.
    static std::string csrfTokenFor(const std::string& sessionToken);

    /// True when the request reached Dossier over https: the server itself speaks plain HTTP,
    /// so only through a trusted proxy (`trusted_proxies`) that says so in X-Forwarded-Proto.
    static bool viaHttps(const Poco::Net::HTTPServerRequest& request,
                         const TrustedProxies& proxies);
    /// scheme://host[:port] of this server as the client addressed it (Host, or a trusted
    /// proxy's X-Forwarded-Host), lower case, default port left out as browsers do in Origin;
    /// empty when the request names no host.
    static std::string ownOrigin(const Poco::Net::HTTPServerRequest& request, bool https,
                                 const TrustedProxies& proxies);

    /// True for the methods that may change something (all but GET, HEAD, OPTIONS, TRACE).
    static bool changesState(const std::string& method);
    /// Throws auth.origin_mismatch unless the request's Origin (or, without one, its Referer)
    /// names `ownOrigin`. A request naming neither is refused too: browsers send Origin with
    /// every POST, PUT, PATCH and DELETE.
    static void requireSameOrigin(const Poco::Net::HTTPServerRequest& request,
                                  const std::string& ownOrigin);
    /// Throws auth.csrf_failed unless X-CSRF-Token equals the dossier_csrf cookie and the
    /// token of `sessionToken` (compared in constant time).
    static void requireCsrfToken(const Poco::Net::HTTPServerRequest& request,
                                 const std::string& sessionToken);

    /// Sets both cookies (Path=/, SameSite=Strict, Max-Age; the session's HttpOnly; Secure
    /// when `https`).
    static void setCookies(Poco::Net::HTTPServerResponse& response, const std::string& token,
                           long maxAgeSeconds, bool https);
    /// Expires both cookies (sign-out).
    static void clearCookies(Poco::Net::HTTPServerResponse& response, bool https);
};

}  // namespace dossier::http
