#pragma once

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
}  // namespace dossier::filing

namespace dossier::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 = any free port (tests)
    int maxThreads = 64;        // each keep-alive connection holds one thread
    int maxQueued = 256;
    int keepAliveSeconds = 15;
    /// Requests one connection may send before the server closes it. Poco serves a
    /// connection on one thread until it closes, so with more clients than threads the
    /// queued ones would wait for as long as the served ones keep sending; closing after a
    /// bounded number hands the thread to the next queued connection (clients reconnect).
    int keepAliveRequests = 100;
    int receiveTimeoutSeconds = 30;
};

/// What the routes work with. References must outlive the server.
struct ServerContext {
    filing::DocumentService& documents;
    filing::DerivativeService& derivatives;
    filing::RenderService& renders;
    filing::HealthProbe& health;
    filing::AuthService& auth;
    const IdGenerator& ids;
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
