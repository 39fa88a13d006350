#include "BrowserSession.h"

#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {
namespace {

/// HMAC-SHA256 (RFC 2104) by OpenSSL, which the storage module links already for SHA-256.
std::string hmacSha256Hex(const std::string& key, const std::string& message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
             &length) == nullptr) {
        throw Error(codes::kInternal, "HMAC-SHA256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

/// Equal in time that depends on the lengths only, not on where the first difference is.
bool constantTimeEquals(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// "scheme://authority" lower-cased without a default port, or empty when `url` is not an
/// absolute http(s) URL.
std::string originOf(const std::string& url) {
    auto sep = url.find("://");
    if (sep == std::string::npos) return {};
    std::string scheme = lower(url.substr(0, sep));
    if (scheme != "http" && scheme != "https") return {};
    auto end = url.find_first_of("/?#", sep + 3);
    std::string authority =
        lower(url.substr(sep + 3, end == std::string::npos ? end : end - sep - 3));
    if (authority.empty() || authority.find('@') != std::string::npos) return {};
    std::string defaultPort = scheme == "https" ? ":443" : ":80";
    if (authority.size() > defaultPort.size() &&
        authority.compare(authority.size() - defaultPort.size(), defaultPort.size(), defaultPort) ==
            0) {
        authority.resize(authority.size() - defaultPort.size());
    }
    return scheme + "://" + authority;
}

bool fromTrustedProxy(const Poco::Net::HTTPServerRequest& request, const TrustedProxies& proxies) {
    return !proxies.empty() && proxies.contains(request.clientAddress().host());
}

/// The first entry of a proxy-written list ("https, http" → "https"), trimmed.
std::string firstListEntry(const std::string& value) {
    std::string first = value.substr(0, value.find(','));
    return Poco::trim(first);
}

std::string cookieLine(const std::string& name, const std::string& value, long maxAge,
                       bool httpOnly, bool https) {
    std::string line =
        name + "=" + value + "; Path=/; Max-Age=" + std::to_string(maxAge) + "; SameSite=Strict";
    if (httpOnly) line += "; HttpOnly";
    if (https) line += "; Secure";
    return line;
}

}  // namespace

std::string BrowserSession::cookie(const Poco::Net::HTTPServerRequest& request,
                                   const std::string& name) {
    Poco::Net::NameValueCollection cookies;
    try {
        request.getCookies(cookies);
    } catch (const Poco::Exception&) {
        return {};
    }
    return cookies.get(name, "");
}

std::string BrowserSession::csrfTokenFor(const std::string& sessionToken) {
    return hmacSha256Hex(sessionToken, "dossier-csrf-v1");
}

bool BrowserSession::viaHttps(const Poco::Net::HTTPServerRequest& request,
                              const TrustedProxies& proxies) {
    if (!fromTrustedProxy(request, proxies)) return false;
    return lower(firstListEntry(request.get("X-Forwarded-Proto", ""))) == "https";
}

std::string BrowserSession::ownOrigin(const Poco::Net::HTTPServerRequest& request, bool https,
                                      const TrustedProxies& proxies) {
    std::string host = request.get("Host", "");
    if (fromTrustedProxy(request, proxies) && request.has("X-Forwarded-Host")) {
        host = firstListEntry(request.get("X-Forwarded-Host"));
    }
    host = Poco::trim(host);
    if (host.empty() || host.find_first_of("/?#@ ") != std::string::npos) return {};
    return originOf((https ? "https://" : "http://") + host);
}

bool BrowserSession::changesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

void BrowserSession::requireSameOrigin(const Poco::Net::HTTPServerRequest& request,
                                       const std::string& ownOrigin) {
    std::string claimed;
    if (request.has("Origin")) {
        // "null" (a sandboxed frame, a redirect across origins) names no origin: refused.
        claimed = originOf(Poco::trim(request.get("Origin")));
    } else if (request.has("Referer")) {
        claimed = originOf(Poco::trim(request.get("Referer")));
    }
    if (ownOrigin.empty() || claimed.empty() || claimed != ownOrigin) {
        throw Error(codes::kAuthOriginMismatch,
                    "This request uses the browser's session cookie but does not come from "
                    "this site's own pages (Origin or Referer); sign in again from the console, "
                    "or send a bearer token.");
    }
}

void BrowserSession::requireCsrfToken(const Poco::Net::HTTPServerRequest& request,
                                      const std::string& sessionToken) {
    std::string header = Poco::trim(request.get(kCsrfHeader, ""));
    std::string cookieToken = cookie(request, kCsrfCookie);
    std::string expected = csrfTokenFor(sessionToken);
    // Both comparisons always run: the time taken says nothing about which one failed.
    bool matchesCookie = constantTimeEquals(header, cookieToken);
    bool matchesSession = constantTimeEquals(header, expected);
    if (header.empty() || !matchesCookie || !matchesSession) {
        throw Error(codes::kAuthCsrfFailed,
                    "This request uses the browser's session cookie and must carry the "
                    "X-CSRF-Token header equal to the dossier_csrf cookie of this session.");
    }
}

void BrowserSession::setCookies(Poco::Net::HTTPServerResponse& response, const std::string& token,
                                long maxAgeSeconds, bool https) {
    response.add("Set-Cookie", cookieLine(kSessionCookie, token, maxAgeSeconds, true, https));
    // Readable by the console's script (not HttpOnly): that is the double submit.
    response.add("Set-Cookie",
                 cookieLine(kCsrfCookie, csrfTokenFor(token), maxAgeSeconds, false, https));
}

void BrowserSession::clearCookies(Poco::Net::HTTPServerResponse& response, bool https) {
    response.add("Set-Cookie", cookieLine(kSessionCookie, "", 0, true, https));
    response.add("Set-Cookie", cookieLine(kCsrfCookie, "", 0, false, https));
}

}  // namespace dossier::http
