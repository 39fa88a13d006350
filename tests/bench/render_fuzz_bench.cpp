// The render routes' fuzz test (tests/integration/render_fuzz_test.cpp) run for longer: random
// JSON values of every type in every field of every render sample, against an in-process
// server on SQLite. Reports the cases run, the statuses and the rate; exits 1 on any 5xx or
// any refusal that is not problem+json with a registered code.
//
//   render_fuzz_bench [--seconds 120] [--seed N] [--cases N]
//   render_fuzz_bench --smoke          (300 cases at most, seconds; the test command runs this)
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "RenderFuzz.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"

using namespace dossier;
using namespace dossier::test;

int main(int argc, char** argv) {
    int seconds = 120, cases = 1000000;
    std::uint64_t seed = static_cast<std::uint64_t>(std::time(nullptr));
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            seconds = 20;
            cases = 300;
            seed = 20261129;
        } else if (a == "--seconds" && i + 1 < argc) {
            seconds = std::atoi(argv[++i]);
        } else if (a == "--seed" && i + 1 < argc) {
            seed = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--cases" && i + 1 < argc) {
            cases = std::atoi(argv[++i]);
        } else {
            std::cerr
                << "usage: render_fuzz_bench [--smoke] [--seconds N] [--seed N] [--cases N]\n";
            return 2;
        }
    }
    TempDir dir;
    TestDatabase db("sqlite", dir.path());
    app::Config config;
    config.dataDir = dir.path() + "/data";
    config.database = db.url();
    config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
    config.auth.passwordIterations = 1000;
    auto services = app::Services::open(config);
    auto server = startInProcessServer(*services);
    HttpTestClient client(server->port());
    client.signUp("jingke01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31");

    auto start = std::chrono::steady_clock::now();
    auto report = fuzzRenderRoutes(server->port(), client.bearer(), seed, cases,
                                   std::chrono::seconds(seconds));
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server->stop();
    services->checkRunner().stop();

    std::cout << "seed " << seed << ": " << report.cases << " cases in " << elapsed << " s ("
              << static_cast<int>(report.cases / elapsed) << "/s)\n  statuses:";
    for (const auto& [status, n] : report.statuses) std::cout << " " << status << "×" << n;
    std::cout << "\n  codes:";
    for (const auto& [code, n] : report.codes) std::cout << " " << code << "×" << n;
    std::cout << "\n";
    for (const auto& f : report.failures) std::cout << "FAIL " << f << "\n";
    return report.failures.empty() && report.cases > 0 ? 0 : 1;
}
