#include "InProcessServer.h"

#include "TestDatabase.h"

namespace dossier::test {

app::Config testConfig(const std::string& dir, const TestDatabase& db) {
    app::Config config;
    config.dataDir = dir + "/data";
    config.database = db.url();
    config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
    config.auth.passwordIterations = 1000;
    return config;
}

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
                            services.downloads(), services.qc(), services.certificates()},
        options);
    server->start();
    return server;
}

}  // namespace dossier::test
