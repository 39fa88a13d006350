#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/http/Server.h"

namespace dossier::test {

/// A real server on port 0 over the test database, with the repository's templates and one
/// signed-in organization admin (`client`, `token`): for the render route tests.
class RenderServerFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
        config.auth.passwordIterations = 1000;  // the production cost is 600,000
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        client = std::make_unique<HttpTestClient>(server->port());
        client->signUp("jingke01", "13800000001", "广州精科医学检验所有限公司",
                       "91440116MA59B21T31", "李明");
        token = client->bearer();
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> client;
    std::string token;
};

}  // namespace dossier::test
