#include "InProcessServer.h"

namespace dossier::test {

std::unique_ptr<http::Server> startInProcessServer(app::Services& services) {
    http::ServerOptions options;
    options.throttlePerMinute = 0;
    return startInProcessServer(services, options);
}

std::unique_ptr<http::Server> startInProcessServer(app::Services& services,
                                                   http::ServerOptions options) {
    options.port = 0;
    auto server = std::make_unique<http::Server>(
        http::ServerContext{services.documents(), services.derivatives(), services.renders(),
                            services.health(), services.auth(), services.ids(),
                            services.organizations(), services.filings(), services.projects(),
                            services.activities(), services.applications(), services.reviews(),
                            services.downloads()},
        options);
    server->start();
    return server;
}

}  // namespace dossier::test
