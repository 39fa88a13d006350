#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dossier/core/IdGenerator.h"

namespace dossier::filing {
class DocumentService;
class DerivativeService;
class RenderService;
class HealthProbe;
class AuthService;
class AuditLog;
class OrganizationService;
class FilingService;
class ProjectService;
class ActivityService;
class ApplicationService;
class ReviewService;
class ApplicationDownloads;
class QcService;
class CertificateService;
}  // namespace dossier::filing

namespace dossier::http {

/// How the server meets its clients. Every timeout and limit here is documented in the
/// README ("HTTP timeouts and limits"); `dossier serve` reads the http.* settings into it.
struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 = any free port (tests)
    /// Worker threads. A thread is held only while a request is served: connections waiting
    /// for their next request, or still sending its head, wait in the listener's poll set.
    int maxThreads = 64;
    /// Complete requests waiting for a worker; beyond it a request is refused at once with
    /// 503 server.busy (and Retry-After) instead of waiting unboundedly.
    int maxQueued = 256;
    /// Open connections in all; beyond it a new connection gets 503 server.busy and is closed.
    int maxConnections = 768;
    /// Open connections from one client address; beyond it 429 client.too_many_connections.
    /// 0 = no cap. Behind a proxy every client has the proxy's address: raise it to fit.
    int maxConnectionsPerAddress = 256;
    /// Requests of one client address served at once (threads it may hold); more wait in the
    /// queue, so one address sending bodies slowly cannot hold every worker. 0 = no cap.
    int maxRequestsPerAddress = 16;
    /// Requests one connection may send before the server closes it (clients reconnect).
    int keepAliveRequests = 100;
    /// How long a connection may wait for its next request (and a new one for its first byte)
    /// before it is closed without an answer.
    int idleTimeoutMillis = 5'000;
    /// From the first byte of a request, how long its whole head (request line and fields)
    /// may take; then 408 request.timeout and the connection is closed.
    int headerTimeoutMillis = 10'000;
    /// While a request is served, the client may keep the server waiting (for body bytes, or
    /// to take response bytes) for this long, plus one second per `minBytesPerSecond` bytes
    /// moved; then 408 request.timeout (or, mid-response, the connection is closed).
    int bodyGraceMillis = 20'000;
    std::uint64_t minBytesPerSecond = 1024;
    /// Request-head limits (414 request.uri_too_long, 431 request.header_too_large).
    std::size_t maxRequestLineBytes = 8192;
    std::size_t maxHeaderFieldBytes = 8192;
    std::size_t maxHeaderFields = 100;
    std::size_t maxHeaderBytes = 32768;
    /// Sign-in, registration, the registration query and objections to leader candidates,
    /// per client address (a token bucket, README "Throttling"): `throttleBurst` at once, then
    /// `throttlePerMinute` a minute (0 = off); beyond it 429 client.rate_limited with
    /// Retry-After in seconds. Verifications of unknown certificate numbers draw on a second
    /// bucket of the same size.
    int throttleBurst = 20;
    int throttlePerMinute = 20;
    /// Proxies whose X-Forwarded-For names the client for the throttle: addresses or CIDR
    /// blocks, comma-separated ("127.0.0.1, 10.0.0.0/8"). Empty: the socket's peer is the
    /// client. Invalid: the Server constructor throws config.invalid.
    std::string trustedProxies;
    /// The web console's build output (web/dist), served at `/` with the single-page app's
    /// fallback (README, "The web console"). Empty: no console, every path outside the routes
    /// is route.not_found. Read once by the constructor, which throws config.invalid when it
    /// holds no index.html.
    std::string consoleDir;
};

/// What the routes work with. References must outlive the server.
struct ServerContext {
    filing::DocumentService& documents;
    filing::DerivativeService& derivatives;
    filing::RenderService& renders;
    filing::HealthProbe& health;
    filing::AuthService& auth;
    const IdGenerator& ids;
    filing::OrganizationService& organizations;
    filing::FilingService& filings;
    filing::ProjectService& projects;
    filing::ActivityService& activities;
    filing::ApplicationService& applications;
    filing::ReviewService& reviews;
    filing::ApplicationDownloads& downloads;
    filing::QcService& qc;
    filing::CertificateService& certificates;
};

/// One entry of the route table; the OpenAPI test checks the document against these.
struct RouteInfo {
    std::string method;
    std::string pattern;    // e.g. "/api/v1/documents/{id}"
    bool isPublic = false;  // answers without a bearer token
};

/// The OpenAPI 3 document served at /api/v1/openapi.json.
const std::string& openApiDocument();

/// The HTTP front end (Poco Net). start() binds and returns; stop() waits for in-flight
/// requests up to a grace period. Not copyable.
class Server {
  public:
    Server(ServerContext context, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    void stop();
    /// The bound port (useful with port 0).
    std::uint16_t port() const;
    /// The routes this server answers (GET routes also answer HEAD).
    std::vector<RouteInfo> routes() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::http
