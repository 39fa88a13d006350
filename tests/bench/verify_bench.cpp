// Public certificate verification through the real server (issue 14's target: >= 5,000
// requests/s with 32 keep-alive connections on this machine). What a verification costs: the
// per-address budget check, one row read by primary key, the JSON answer, the log line.
//
//   build/test/tests/bench/verify_bench [--seconds S] [--connections N]
//   DOSSIER_TEST_BACKEND=postgres verify_bench ...   (the PG test cluster's DOSSIER_TEST_PG_*)
//   verify_bench --smoke      (one second, 4 connections; the test command runs this)
//
// The server is the real one (Services + http::Server on a loopback port, its default options),
// the certificate issued through the API on an injected clock. The clients are threads of the
// same process, each one keep-alive connection sending GET …/verify back to back (the server
// closes a connection after http keep-alive's 100 requests; the client reconnects, as browsers
// do). Prints requests/s and latency percentiles; exits 1 when an answer is not 200 valid.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kApproval = 1772326800LL * kSecond;      // 2026-03-01 09:00 Beijing
constexpr std::int64_t kFifteenthDay = 1773504000LL * kSecond;  // 2026-03-15 00:00 Beijing

/// CPU seconds (user + system) of the whole process: the server and the clients.
double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error(what);
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 10;
    int connections = 32;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            seconds = 1;
            connections = 4;
        } else if (a == "--seconds" && i + 1 < argc) {
            seconds = std::max(0.5, std::atof(argv[++i]));
        } else if (a == "--connections" && i + 1 < argc) {
            connections = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: verify_bench [--seconds S] [--connections N] [--smoke]\n";
            return 2;
        }
    }
    try {
        TempDir dir;
        TestDatabase db{TestDatabase::backendFromEnvironment(), dir.path()};
        app::Config config;
        config.dataDir = dir.path() + "/data";
        config.database = db.url();
        config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
        config.checkWorkers = 0;
        config.auth.passwordIterations = 1000;
        config.auth.sessionHours = 24 * 365;
        auto clock = std::make_shared<FixedClock>(kApproval);
        auto services = app::Services::open(config, nullptr, clock);
        auto server = startInProcessServer(*services);
        TestWorld world(*services, server->port());
        std::string orgId;
        auto admin = world.admin("bench001", "13800000001", "广州精科电器有限公司",
                                 "91440116MA59B21T31", nullptr, &orgId, "李明");
        auto evaluator = world.staff(Role::Evaluator, "evaluate01", "13900000001", "评估员");
        auto declared = admin->postJson(
            "/api/v1/leader-candidates",
            R"({"product":"miniature-circuit-breaker","product_name":"小型断路器",)"
            R"("standard_number":"Q/GZJK 001-2025","standard_name":"小型断路器企业标准",)"
            R"("models":["DZ47-63 C16"],"values":{"mechanical_life":20000,)"
            R"("electrical_life":8000,"terminal_temperature_rise":50,"breaking_capacity":10}})");
        require(declared.status == 201, "declare: " + declared.body);
        std::string id = TestWorld::idOf(declared);
        auto approved = evaluator->postJson("/api/v1/leader-candidates/" + id + "/decision",
                                            R"({"decision":"approve"})");
        require(approved.status == 200, "approve: " + approved.body);
        clock->set(kFifteenthDay);
        auto pdf = admin->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
        require(pdf.status == 200, "certificate: " + pdf.body);
        std::string path =
            "/api/v1/certificates/" + pdf.header("Dossier-Certificate-Number") + "/verify";

        // The request and verification log lines are built (information is on) but go to no
        // channel here: what writing them costs depends on where `dossier serve` sends them.
        std::atomic<bool> stop{false};
        std::atomic<long> failures{0};
        std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
        std::vector<std::thread> threads;
        auto start = Steady::now();
        double cpuStart = cpuSeconds();
        for (int c = 0; c < connections; ++c) {
            threads.emplace_back([&, c] {
                HttpTestClient client(server->port());
                auto& mine = latencies[static_cast<std::size_t>(c)];
                while (!stop) {
                    auto t0 = Steady::now();
                    auto r = client.get(path);
                    mine.push_back(
                        std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
                    if (r.status != 200 ||
                        r.body.find("\"status\":\"valid\"") == std::string::npos) {
                        ++failures;
                    }
                }
            });
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        stop = true;
        for (auto& t : threads) t.join();
        double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
        double cpu = cpuSeconds() - cpuStart;
        std::vector<double> all;
        for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
        require(!all.empty(), "no verification completed");
        std::sort(all.begin(), all.end());
        auto pct = [&](double p) {
            return all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
        };
        std::printf(
            "verify (%s, %d keep-alive connections, %.1f s): %zu requests, %.0f requests/s; "
            "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %ld failed\n",
            TestDatabase::backendFromEnvironment().c_str(), connections, elapsed, all.size(),
            static_cast<double>(all.size()) / elapsed, pct(0.5), pct(0.99), all.back(),
            failures.load());
        // On a shared machine requests/s says as much about the neighbours as about Dossier;
        // CPU per request (clients included) does not.
        std::printf(
            "  CPU %.1f s = %.0f µs per request (server and clients), %.0f requests per "
            "CPU-second\n",
            cpu, cpu * 1e6 / static_cast<double>(all.size()),
            static_cast<double>(all.size()) / cpu);
        server->stop();
        return failures.load() == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "verify_bench: " << e.what() << "\n";
        return 1;
    }
}
