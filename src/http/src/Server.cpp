#include "dossier/http/Server.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <utility>

#include "AddressThrottle.h"
#include "BrowserSession.h"
#include "ConsoleFiles.h"
#include "IncomingRequest.h"
#include "Listener.h"
#include "Metrics.h"
#include "OutgoingResponse.h"
#include "Problem.h"
#include "Router.h"
#include "Routes.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/LogValue.h"
#include "dossier/filing/AuthService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

constexpr std::streamsize kDrainLimit = 4 << 20;

/// Reads what is left of the request body, up to 4 MiB, so the client (which may still be
/// sending) gets to read the error instead of a reset, and the connection can serve the next
/// request; if more is left, the connection is closed after this response instead.
void settleRequestBody(Exchange& ex) {
    bool drained = false;
    try {
        auto& in = ex.request.stream();
        in.ignore(kDrainLimit);
        drained = in.eof() || in.peek() == std::char_traits<char>::eof();
    } catch (...) {
    }
    if (!drained) ex.response.setKeepAlive(false);
}

/// "Bearer <token>" (scheme case-insensitive) → the token; empty when absent or another scheme.
std::string bearerToken(const Poco::Net::HTTPServerRequest& request) {
    std::string value = request.get("Authorization", "");
    if (value.size() < 7) return {};
    std::string scheme = value.substr(0, 7);
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return {};
    auto start = value.find_first_not_of(' ', 7);
    if (start == std::string::npos) return {};
    auto end = value.find_last_not_of(' ');
    return value.substr(start, end - start + 1);
}

/// Every X-Forwarded-For field of the request, in order, joined with commas (RFC 7230 §3.2.2:
/// repeated fields are one comma-separated list).
std::string forwardedFor(const Poco::Net::HTTPServerRequest& request) {
    std::string out;
    for (const auto& [name, value] : request) {
        if (Poco::icompare(name, "X-Forwarded-For") != 0) continue;
        if (!out.empty()) out += ",";
        out += value;
    }
    return out;
}

}  // namespace

std::string VerificationThrottle::clientOf(const Exchange& ex) const {
    return proxies.clientOf(ex.request.clientAddress().host(), forwardedFor(ex.request));
}

namespace {

/// What the per-address throttle needs of the server.
struct ThrottleContext {
    AddressThrottle& throttle;
    const TrustedProxies& proxies;
};

class Dispatcher final : public Poco::Net::HTTPRequestHandler {
  public:
    /// `refusedBody`: the route's limit that the declared Content-Length exceeds (decided
    /// before a 100 Continue, so the body is never asked for). `client`: the connection's
    /// socket, which says whether the client was too slow.
    Dispatcher(const Router& router, Metrics& metrics, const IdGenerator& ids,
               filing::AuthService& auth, ThrottleContext throttle,
               std::optional<BodyLimit> refusedBody, const ClientSocketImpl& client,
               const ConsoleFiles* console)
        : router_(router),
          metrics_(metrics),
          ids_(ids),
          auth_(auth),
          throttle_(throttle),
          tooLarge_(refusedBody.has_value()),
          refusedBody_(refusedBody),
          client_(client),
          console_(console) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        auto start = std::chrono::steady_clock::now();
        std::string requestId = request.get("X-Request-Id", "");
        if (!isAcceptableRequestId(requestId)) requestId = ids_.next();
        response.set("X-Request-Id", requestId);
        response.set("X-Content-Type-Options", "nosniff");
        Exchange ex{request,      response, Poco::URI(), {},    requestId, "unmatched",
                    std::nullopt, {},       false,       false, {}};
        std::optional<ErrorCode> errorCode;
        try {
            try {
                ex.uri = Poco::URI(request.getURI());
                // Poco decodes the query only when asked; a bad escape (`?q=%ZZ`) must be this
                // request's 400, not a handler's exception.
                (void)ex.uri.getQueryParameters();
            } catch (const Poco::Exception& e) {
                throw Error(codes::kRequestMalformed, "The request URI is not valid.",
                            e.displayText());
            }
            // Route on the raw path so an encoded '/' (%2F) stays inside its segment.
            const std::string& target = request.getURI();
            auto match = router_.match(request.getMethod(), target.substr(0, target.find('?')));
            if (match.route) ex.route = match.route->pattern;
            if (match.kind == Router::MatchKind::NotFound) {
                if (console_ && console_->answer(ex)) {
                    ex.route = "console";
                } else {
                    throw Error(codes::kRouteNotFound, "There is no such resource.");
                }
            } else {
                dispatch(ex, match);
            }
        } catch (const Error& e) {
            errorCode = fail(ex, e);
        } catch (const Poco::Exception& e) {
            errorCode =
                fail(ex, Error(codes::kInternal, "Internal server error.", e.displayText()));
        } catch (const std::exception& e) {
            errorCode = fail(ex, Error(codes::kInternal, "Internal server error.", e.what()));
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        int status = static_cast<int>(response.getStatus());
        metrics_.recordRequest(ex.route, request.getMethod(), status, seconds);
        auto& log = Poco::Logger::get("dossier.http");
        if (log.information()) {
            char ms[32];
            std::snprintf(ms, sizeof ms, "%.2f", seconds * 1000);
            std::string line = "request_id=" + logValue(requestId) +
                               logField("method", request.getMethod()) +
                               logField("route", ex.route) + " status=" + std::to_string(status) +
                               " duration_ms=" + ms;
            if (errorCode) line += " code=" + *errorCode;
            log.information(line);
        }
    }

  private:
    /// Runs the route `match` found: method, throttle, session, body size, then its handler.
    void dispatch(Exchange& ex, Router::Match& match) {
        if (match.kind == Router::MatchKind::MethodNotAllowed) {
            ex.response.set("Allow", match.allow);
            throw Error(codes::kMethodNotAllowed,
                        "This resource does not support " + ex.request.getMethod() + ".");
        }
        if (match.route->throttled) {
            // Before anything is read or hashed: a refused attempt costs nothing.
            std::string client = throttle_.proxies.clientOf(ex.request.clientAddress().host(),
                                                            forwardedFor(ex.request));
            if (int wait = throttle_.throttle.take(client)) {
                ex.response.set("Retry-After", std::to_string(wait));
                throw Error(codes::kClientRateLimited,
                            "Too many sign-ins, registrations or lookups from this address: "
                            "retry in " +
                                std::to_string(wait) + " s.");
            }
        }
        // Public routes get the token too: some answer a signed-in caller more (注册查询).
        takeSessionToken(ex, *match.route);
        if (match.route->access == Access::Authenticated) {
            try {
                ex.caller = auth_.authenticate(ex.token);
            } catch (const Error& e) {
                if (e.code() == codes::kAuthRequired) {
                    ex.response.set("WWW-Authenticate", "Bearer realm=\"dossier\"");
                }
                throw;
            }
        }
        if (tooLarge_) {
            ex.response.setKeepAlive(false);
            throw Error(refusedBody_->code, refusedBody_->code == codes::kUploadTooLarge
                                                ? "The request body is larger than the " +
                                                      std::to_string(refusedBody_->bytes >> 20) +
                                                      " MB any upload may take."
                                                : "The request body is larger than the " +
                                                      std::to_string(refusedBody_->bytes >> 10) +
                                                      " KB this resource accepts.");
        }
        ex.params = std::move(match.params);
        match.route->handler(ex);
    }

    /// The session token of the request: the bearer token, else the browser's session cookie
    /// (BrowserSession). A cookie on a request that changes something counts only with a
    /// same-origin Origin and the session's CSRF token; a public route that changes something
    /// never gets the cookie's token (it would not check them).
    void takeSessionToken(Exchange& ex, const Router::Route& route) {
        ex.https = BrowserSession::viaHttps(ex.request, throttle_.proxies);
        ex.origin = BrowserSession::ownOrigin(ex.request, ex.https, throttle_.proxies);
        ex.token = bearerToken(ex.request);
        if (!ex.token.empty()) return;
        std::string cookie = BrowserSession::cookie(ex.request, BrowserSession::kSessionCookie);
        if (cookie.empty()) return;
        if (BrowserSession::changesState(ex.request.getMethod())) {
            if (route.access != Access::Authenticated) return;
            BrowserSession::requireSameOrigin(ex.request, ex.origin);
            BrowserSession::requireCsrfToken(ex.request, cookie);
        }
        ex.token = std::move(cookie);
        ex.tokenFromCookie = true;
    }

    /// Answers `error` (or request.timeout, see below) unless the response is under way;
    /// returns the code of the answer.
    ErrorCode fail(Exchange& ex, const Error& error) {
        // A body cut off for coming too slowly surfaces in the handler as whatever a short
        // body means to it (truncated upload, bad JSON); the answer is the timeout instead.
        std::optional<Error> timeout;
        if (client_.deadlineMissed()) {
            timeout.emplace(codes::kRequestTimeout,
                            "The request body came slower than the server's minimum rate.",
                            error.detail());
        }
        const Error& e = timeout ? *timeout : error;
        int status = statusOf(e.code());
        if (status >= 500) {
            Poco::Logger::get("dossier.http")
                .error("request_id=" + logValue(ex.requestId) + " code=" + e.code() +
                       logField("detail", e.detail()));
        }
        if (ex.response.sent()) {
            // Headers are out (e.g. the client went away mid-download): nothing to send.
            return e.code();
        }
        if (tooLarge_ || client_.deadlineMissed()) {
            ex.response.setKeepAlive(false);  // the body was never asked for, or is cut off
        } else if (ex.response.getKeepAlive()) {
            // A connection closing anyway is not drained here: the listener reads and drops
            // what the client still sends while the answer reaches it.
            settleRequestBody(ex);
        }
        try {
            sendProblem(ex, e);
        } catch (...) {
            // Client gone.
        }
        return e.code();
    }

    const Router& router_;
    Metrics& metrics_;
    const IdGenerator& ids_;
    filing::AuthService& auth_;
    ThrottleContext throttle_;
    bool tooLarge_;
    std::optional<BodyLimit> refusedBody_;
    const ClientSocketImpl& client_;
    const ConsoleFiles* console_;
};

/// The routes counted by the per-address throttle: each costs the server a password hash or
/// answers a question someone might ask a million times (which organizations are registered).
constexpr std::pair<const char*, const char*> kThrottledRoutes[] = {
    {"POST", "/api/v1/sessions"},
    {"POST", "/api/v1/accounts"},
    {"GET", "/api/v1/organizations/lookup"},
    {"POST", "/api/v1/leader-candidates/{id}/objections"},
};

Router buildRouter(ServerContext& context, Metrics& metrics, VerificationThrottle verification) {
    Router router;
    addAccountRoutes(router, context);
    addOrganizationRoutes(router, context);
    addFilingRoutes(router, context);
    addProjectRoutes(router, context);
    addActivityRoutes(router, context);
    addApplicationRoutes(router, context);
    addApplicationOutputRoutes(router, context);
    addReviewRoutes(router, context);
    addQcRoutes(router, context);
    addCertificateRoutes(router, context, verification);
    addDocumentRoutes(router, context, metrics);
    addReferenceRoutes(router, context);
    addSystemRoutes(router, context, metrics);
    for (auto [method, pattern] : kThrottledRoutes) {
        // A renamed route must not silently lose its throttle.
        if (!router.throttle(method, pattern)) {
            throw std::logic_error(std::string("no route ") + method + " " + pattern +
                                   " to throttle");
        }
    }
    return router;
}

TrustedProxies trustedProxiesOf(const ServerOptions& options) {
    try {
        return TrustedProxies::parse(options.trustedProxies);
    } catch (const std::invalid_argument& e) {
        throw Error(codes::kConfigInvalid, std::string("trusted_proxies: ") + e.what() + ".");
    }
}

/// After the handler: reads what is left of the body (up to 64 KiB) so the connection can
/// carry the next request; false when more is left, or the client cannot be read.
bool bodyConsumed(IncomingRequest& request) {
    if (!request.hasBody()) return true;
    try {
        auto& in = request.stream();
        in.ignore(64 << 10);
        return in.eof() || in.peek() == std::char_traits<char>::eof();
    } catch (...) {
        return false;
    }
}

/// The raw response refusing a request the listener could not hand to a route: its head
/// broke a limit or the rules, came too slowly, or the server is full.
std::string refusal(const Error& error, const std::string& requestId) {
    int status = statusOf(error.code());
    std::string reason = Poco::Net::HTTPResponse::getReasonForStatus(
        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    std::string body = problemJson(error, reason, {}, requestId);
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    out += "Date: " +
           Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT) +
           "\r\n";
    out += "Server: dossier\r\n";
    out += "Content-Type: application/problem+json\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "X-Request-Id: " + requestId + "\r\n";
    if (status == 503 || status == 429) out += "Retry-After: 1\r\n";
    out += "Connection: close\r\n\r\n";
    return out + body;
}

}  // namespace

struct Server::Impl {
    ServerContext context;
    ServerOptions options;
    Metrics metrics;
    // Before the router, whose certificate routes hold references to them.
    TrustedProxies proxies;
    AddressThrottle verifyMisses;
    Router router;
    AddressThrottle throttle;
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params{new Poco::Net::HTTPServerParams};
    std::unique_ptr<Listener> listener;
    std::unique_ptr<ConsoleFiles> console;

    Impl(ServerContext c, ServerOptions o)
        : context(c),
          options(std::move(o)),
          proxies(trustedProxiesOf(options)),
          verifyMisses({options.throttleBurst, options.throttlePerMinute}),
          router(buildRouter(context, metrics, {verifyMisses, proxies})),
          throttle({options.throttleBurst, options.throttlePerMinute}) {
        if (!options.consoleDir.empty()) {
            console = std::make_unique<ConsoleFiles>(options.consoleDir);
        }
        params->setServerName("dossier");
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(options.keepAliveRequests);
    }

    bool serve(ClientConnection& connection, const RequestHead& head) {
        OutgoingResponse response(*connection.session, head.method == "HEAD");
        IncomingRequest request(head, *connection.session, response, connection.peer,
                                connection.local, *params);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(head.keepAlive && connection.served + 1 < options.keepAliveRequests);
        response.set("Server", "dossier");
        // Decide on an oversized body before answering "Expect: 100-continue", so the client
        // never sends it.
        std::optional<BodyLimit> refused;
        const std::string& target = head.target;
        Router::Match match;
        try {
            match = router.match(head.method, target.substr(0, target.find('?')));
        } catch (const Error&) {
            // A malformed path: the dispatcher matches again and answers 400.
        }
        if (match.route && head.contentLength &&
            static_cast<std::uint64_t>(*head.contentLength) > match.route->bodyLimit.bytes) {
            refused = match.route->bodyLimit;
        }
        if (!refused && request.hasBody() && request.getExpectContinue()) {
            response.sendContinue();
        }
        Dispatcher(router, metrics, context.ids, context.auth, {throttle, proxies}, refused,
                   *connection.impl, console.get())
            .handleRequest(request, response);
        bool keep = response.getKeepAlive() && !connection.impl->deadlineMissed();
        if (keep && !refused) keep = bodyConsumed(request);
        return response.finish() && keep;
    }

    std::string refuse(const Error& error, const std::string& method,
                       const ClientConnection& connection) {
        std::string requestId = context.ids.next();
        int status = statusOf(error.code());
        metrics.recordRequest("unmatched", method.empty() ? "-" : method, status, 0);
        auto& log = Poco::Logger::get("dossier.http");
        if (log.information()) {
            log.information(
                "request_id=" + logValue(requestId) + logField("client", connection.address) +
                " route=unread status=" + std::to_string(status) + " code=" + error.code());
        }
        return refusal(error, requestId);
    }
};

Server::Server(ServerContext context, ServerOptions options)
    : impl_(std::make_unique<Impl>(context, std::move(options))) {}

Server::~Server() { stop(); }

void Server::start() {
    auto* impl = impl_.get();
    impl_->listener = std::make_unique<Listener>(
        impl_->options,
        [impl](ClientConnection& c, const RequestHead& head) { return impl->serve(c, head); },
        [impl](const Error& e, const std::string& method, const ClientConnection& c) {
            return impl->refuse(e, method, c);
        });
    impl_->listener->start();
}

void Server::stop() {
    if (!impl_ || !impl_->listener) return;
    // Stop accepting; let requests in progress finish (up to 10 s); close the rest.
    impl_->listener->stop(std::chrono::seconds(10));
    impl_->listener.reset();
}

std::uint16_t Server::port() const { return impl_->listener ? impl_->listener->port() : 0; }

std::vector<RouteInfo> Server::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : impl_->router.routes()) {
        out.push_back({r.method, r.pattern, r.access == Access::Public});
    }
    return out;
}

}  // namespace dossier::http
