#include "dossier/http/Server.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Thread.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>

#include "Metrics.h"
#include "Problem.h"
#include "Router.h"
#include "Routes.h"
#include "dossier/core/ErrorCodes.h"
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

class Dispatcher final : public Poco::Net::HTTPRequestHandler {
  public:
    Dispatcher(const Router& router, Metrics& metrics, const IdGenerator& ids,
               filing::AuthService& auth, std::atomic<int>& inFlight, bool tooLarge,
               std::uint64_t uploadLimit)
        : router_(router),
          metrics_(metrics),
          ids_(ids),
          auth_(auth),
          inFlight_(inFlight),
          tooLarge_(tooLarge),
          uploadLimit_(uploadLimit) {
        ++inFlight_;
    }
    ~Dispatcher() override { --inFlight_; }

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        auto start = std::chrono::steady_clock::now();
        std::string requestId = request.get("X-Request-Id", "");
        if (!isAcceptableRequestId(requestId)) requestId = ids_.next();
        response.set("X-Request-Id", requestId);
        response.set("X-Content-Type-Options", "nosniff");
        Exchange ex{request, response, Poco::URI(), {}, requestId, "unmatched", std::nullopt, {}};
        std::optional<ErrorCode> errorCode;
        try {
            try {
                ex.uri = Poco::URI(request.getURI());
            } catch (const Poco::Exception& e) {
                throw Error(codes::kRequestMalformed, "The request URI is not valid.",
                            e.displayText());
            }
            // Route on the raw path so an encoded '/' (%2F) stays inside its segment.
            const std::string& target = request.getURI();
            auto match = router_.match(request.getMethod(), target.substr(0, target.find('?')));
            if (match.route) ex.route = match.route->pattern;
            if (match.kind == Router::MatchKind::NotFound) {
                throw Error(codes::kRouteNotFound, "There is no such resource.");
            }
            if (match.kind == Router::MatchKind::MethodNotAllowed) {
                response.set("Allow", match.allow);
                throw Error(codes::kMethodNotAllowed,
                            "This resource does not support " + request.getMethod() + ".");
            }
            if (match.route->access == Access::Authenticated) {
                ex.token = bearerToken(request);
                try {
                    ex.caller = auth_.authenticate(ex.token);
                } catch (const Error& e) {
                    if (e.code() == codes::kAuthRequired) {
                        response.set("WWW-Authenticate", "Bearer realm=\"dossier\"");
                    }
                    throw;
                }
            }
            if (tooLarge_) {
                response.setKeepAlive(false);
                throw Error(codes::kUploadTooLarge, "The request body is larger than the " +
                                                        std::to_string(uploadLimit_ >> 20) +
                                                        " MB any upload may take.");
            }
            ex.params = std::move(match.params);
            match.route->handler(ex);
        } catch (const Error& e) {
            errorCode = e.code();
            fail(ex, e);
        } catch (const Poco::Exception& e) {
            errorCode = codes::kInternal;
            fail(ex, Error(codes::kInternal, "Internal server error.", e.displayText()));
        } catch (const std::exception& e) {
            errorCode = codes::kInternal;
            fail(ex, Error(codes::kInternal, "Internal server error.", e.what()));
        }
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        int status = static_cast<int>(response.getStatus());
        metrics_.recordRequest(ex.route, request.getMethod(), status, seconds);
        auto& log = Poco::Logger::get("dossier.http");
        if (log.information()) {
            char ms[32];
            std::snprintf(ms, sizeof ms, "%.2f", seconds * 1000);
            std::string line = "request_id=" + requestId + " method=" + request.getMethod() +
                               " route=" + ex.route + " status=" + std::to_string(status) +
                               " duration_ms=" + ms;
            if (errorCode) line += " code=" + *errorCode;
            log.information(line);
        }
    }

  private:
    void fail(Exchange& ex, const Error& e) {
        int status = statusOf(e.code());
        if (status >= 500) {
            Poco::Logger::get("dossier.http")
                .error("request_id=" + ex.requestId + " code=" + e.code() +
                       " detail=" + e.detail());
        }
        if (ex.response.sent()) {
            // Headers are out (e.g. the client went away mid-download): nothing to send.
            return;
        }
        if (tooLarge_) {
            ex.response.setKeepAlive(false);  // the body was never asked for
        } else {
            settleRequestBody(ex);
        }
        try {
            sendProblem(ex, e);
        } catch (...) {
            // Client gone.
        }
    }

    const Router& router_;
    Metrics& metrics_;
    const IdGenerator& ids_;
    filing::AuthService& auth_;
    std::atomic<int>& inFlight_;
    bool tooLarge_;
    std::uint64_t uploadLimit_;
};

class DispatcherFactory final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    DispatcherFactory(const Router& router, Metrics& metrics, const IdGenerator& ids,
                      filing::AuthService& auth, std::atomic<int>& inFlight,
                      std::uint64_t uploadLimit)
        : router_(router),
          metrics_(metrics),
          ids_(ids),
          auth_(auth),
          inFlight_(inFlight),
          uploadLimit_(uploadLimit) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override {
        // Decide on an oversized upload before Poco answers "Expect: 100-continue": a non-200
        // status here makes it skip the 100, so the client never sends the body.
        bool tooLarge = request.getMethod() == "POST" && request.hasContentLength() &&
                        static_cast<std::uint64_t>(request.getContentLength64()) > uploadLimit_;
        if (tooLarge) {
            request.response().setStatusAndReason(
                Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
        }
        return new Dispatcher(router_, metrics_, ids_, auth_, inFlight_, tooLarge, uploadLimit_);
    }

  private:
    const Router& router_;
    Metrics& metrics_;
    const IdGenerator& ids_;
    filing::AuthService& auth_;
    std::atomic<int>& inFlight_;
    std::uint64_t uploadLimit_;
};

Router buildRouter(ServerContext& context, Metrics& metrics) {
    Router router;
    addAccountRoutes(router, context);
    addDocumentRoutes(router, context, metrics);
    addSystemRoutes(router, context, metrics);
    return router;
}

}  // namespace

struct Server::Impl {
    ServerContext context;
    ServerOptions options;
    Metrics metrics;
    Router router;
    Poco::ThreadPool pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::uint16_t port = 0;
    std::atomic<int> inFlight{0};

    Impl(ServerContext c, ServerOptions o)
        : context(c),
          options(std::move(o)),
          router(buildRouter(context, metrics)),
          pool(2, options.maxThreads, 60) {}
};

Server::Server(ServerContext context, ServerOptions options)
    : impl_(std::make_unique<Impl>(context, std::move(options))) {}

Server::~Server() { stop(); }

void Server::start() {
    auto& o = impl_->options;
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR so a restart binds despite TIME_WAIT; never SO_REUSEPORT (Poco's two-
    // argument bind sets both), with which a second server on the same port silently took
    // half of the connections instead of being refused.
    socket.bind(Poco::Net::SocketAddress(o.host, o.port), true, false);
    socket.listen(128);
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(o.maxThreads);
    params->setMaxQueued(o.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(o.keepAliveSeconds, 0));
    params->setMaxKeepAliveRequests(o.keepAliveRequests);
    params->setTimeout(Poco::Timespan(o.receiveTimeoutSeconds, 0));
    params->setServerName("dossier");
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new DispatcherFactory(impl_->router, impl_->metrics, impl_->context.ids,
                              impl_->context.auth, impl_->inFlight,
                              uploadBodyLimit(impl_->context)),
        impl_->pool, socket, params);
    impl_->server->start();
}

void Server::stop() {
    if (!impl_ || !impl_->server) return;
    // Stop accepting; let requests in progress finish (up to 10 s), then close the idle
    // keep-alive connections, which would otherwise wait out their keep-alive timeout.
    impl_->server->stopAll(false);
    for (int i = 0; i < 200 && impl_->inFlight > 0; ++i) Poco::Thread::sleep(50);
    impl_->server->stopAll(true);
    for (int i = 0; i < 40 && impl_->server->currentConnections() > 0; ++i) {
        Poco::Thread::sleep(50);
    }
    impl_->server.reset();
}

std::uint16_t Server::port() const { return impl_->port; }

std::vector<RouteInfo> Server::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : impl_->router.routes()) {
        out.push_back({r.method, r.pattern, r.access == Access::Public});
    }
    return out;
}

}  // namespace dossier::http
