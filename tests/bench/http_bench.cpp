// Load benchmark of a real `dossier serve` process over loopback, signed in as an
// organization admin (every route it measures needs a bearer token).
//
//   http_bench --server build/bench/dossier [--seconds 5] [--upload-mb 10] [--connections 32]
//   DOSSIER_TEST_BACKEND=postgres http_bench ...   (in the cluster of scripts/pg-test-cluster.sh)
//   http_bench --server ... --smoke                (seconds; the test command runs this)
//
// 1. sequential 10 MB uploads: end-to-end MB/s (target >= 150 MB/s)
// 2. 16 concurrent 10 MB uploads: growth of the server's peak RSS (target < 16 MB)
// 3. GET /api/v1/documents/{id} on 32 keep-alive connections: requests/s (target >= 10000;
//    this client shares the machine's cores with the server: `ab -k -c 32` loads it less)
// Exits 1 when any request fails.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "HttpTestClient.h"
#include "SampleFiles.h"
#include "ServerProcess.h"
#include "TestDatabase.h"
#include "TestSupport.h"

using namespace dossier::test;
using Clock = std::chrono::steady_clock;

namespace {

void resetPeakRss(pid_t pid) {
    std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
}

/// A valid PDF of about `bytes` bytes, unique per `seed` (so nothing is deduplicated). The
/// upload refuses a PDF whose cross-reference offsets are wrong (qpdf would have to rebuild
/// it), so padding must not shift the objects.
std::string bigPdf(std::size_t bytes, int seed) { return makeSizedPdf(bytes, seed); }

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

/// Kills and reaps the server on every exit path (before its database is dropped).
struct ServerGuard {
    pid_t pid = -1;
    ~ServerGuard() {
        if (pid <= 0) return;
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
    }
};

struct Options {
    std::string binary;
    int seconds = 5;
    std::size_t uploadMb = 10;
    int sequentialUploads = 8;
    int concurrentUploads = 16;
    int connections = 32;
};

/// Registers an organization admin and signs in; the client keeps the token.
void signUp(HttpTestClient& client) {
    auto r = client.postJson("/api/v1/accounts",
                             R"({"username":"bench01","password":"Secret-2025",)"
                             R"("phone":"13800000001","display_name":"压测",)"
                             R"("organization":{"name":"广州精科医学检验所有限公司",)"
                             R"("credit_code":"91440116MA59B21T31"}})");
    if (r.status != 201) throw std::runtime_error("sign-up refused: " + r.body);
    auto login = client.signIn("bench01", "Secret-2025");
    if (login.status != 201) throw std::runtime_error("sign-in refused: " + login.body);
}

/// 1. Sequential uploads. Returns the number of failures.
int sequentialUploads(std::uint16_t port, const std::string& token, const Options& o) {
    HttpTestClient client(port);
    client.setBearer(token);
    std::vector<double> rates;
    for (int i = 0; i < o.sequentialUploads; ++i) {
        std::string body = bigPdf(o.uploadMb << 20, i);
        auto t0 = Clock::now();
        auto r = client.upload(body, "bench.pdf", "evidence");
        auto t1 = Clock::now();
        if (r.status != 201) {
            std::cerr << "upload failed: " << r.status << " " << r.body << "\n";
            return 1;
        }
        rates.push_back(static_cast<double>(body.size()) / (1 << 20) / seconds(t0, t1));
    }
    std::sort(rates.begin(), rates.end());
    std::printf(
        "[upload] %zu MB sequential x%zu: median %.0f MB/s, min %.0f MB/s, max %.0f MB/s "
        "(target >= 150)\n",
        o.uploadMb, rates.size(), rates[rates.size() / 2], rates.front(), rates.back());
    return 0;
}

/// 2. Concurrent uploads and the server's peak RSS. Returns the number of failures.
int concurrentUploads(const ServerProcess& server, const std::string& token, const Options& o) {
    std::vector<std::string> bodies;
    for (int i = 0; i < o.concurrentUploads; ++i)
        bodies.push_back(bigPdf(o.uploadMb << 20, 100 + i));
    long before = procStatusKb(server.pid, "VmRSS:");
    resetPeakRss(server.pid);
    std::atomic<int> failures{0};
    auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < o.concurrentUploads; ++i) {
        threads.emplace_back([&, i] {
            try {
                HttpTestClient c(server.port);
                c.setBearer(token);
                auto r = c.upload(bodies[i], "c.pdf", "evidence");
                if (r.status != 201) {
                    std::cerr << "upload failed: " << r.status << " " << r.body << "\n";
                    ++failures;
                }
            } catch (const std::exception& e) {
                std::cerr << "upload failed: " << e.what() << "\n";
                ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    auto t1 = Clock::now();
    long peak = procStatusKb(server.pid, "VmHWM:");
    std::printf(
        "[upload] %d concurrent x %zu MB: %.2f s, %.0f MB/s aggregate, %d failed; "
        "server RSS before %.1f MB, peak %.1f MB, growth %.1f MB (target < 16)\n",
        o.concurrentUploads, o.uploadMb, seconds(t0, t1),
        o.concurrentUploads * static_cast<double>(o.uploadMb) / seconds(t0, t1), failures.load(),
        before / 1024.0, peak / 1024.0, (peak - before) / 1024.0);
    return failures.load();
}

/// 3. Authenticated metadata reads on keep-alive connections. Returns the number of failures.
long metadataReads(std::uint16_t port, const std::string& token, const Options& o) {
    HttpTestClient client(port);
    client.setBearer(token);
    auto up = client.upload(makePdf(), "meta.pdf", "proof");
    if (up.status != 201) {
        std::cerr << "upload failed: " << up.status << " " << up.body << "\n";
        return 1;
    }
    const std::string id = up.json()->getValue<std::string>("id");
    const std::string path = "/api/v1/documents/" + id;
    const std::string authorization = "Bearer " + token;
    std::atomic<bool> stop{false};
    std::atomic<long> done{0}, errors{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
    std::vector<std::thread> threads;
    auto t0 = Clock::now();
    for (int i = 0; i < o.connections; ++i) {
        threads.emplace_back([&, i] {
            Poco::Net::HTTPClientSession session("127.0.0.1", port);
            session.setKeepAlive(true);
            std::string body;
            while (!stop) {
                Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
                req.set("Authorization", authorization);
                Poco::Net::HTTPResponse res;
                auto a = Clock::now();
                try {
                    session.sendRequest(req);
                    body.clear();
                    Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
                } catch (const std::exception& e) {
                    if (errors++ == 0) std::cerr << "metadata GET failed: " << e.what() << "\n";
                    continue;
                }
                latencies[static_cast<std::size_t>(i)].push_back(seconds(a, Clock::now()));
                if (res.getStatus() == Poco::Net::HTTPResponse::HTTP_OK &&
                    body.find(id) != std::string::npos) {
                    ++done;
                } else if (errors++ == 0) {
                    std::cerr << "metadata GET: " << res.getStatus() << " " << body << "\n";
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
    stop = true;
    for (auto& t : threads) t.join();
    double elapsed = seconds(t0, Clock::now());
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        return all.empty() ? 0 : all[static_cast<std::size_t>(p * (all.size() - 1))] * 1000;
    };
    std::printf(
        "[metadata] GET %s with a bearer token, %d keep-alive connections, %.1f s: %.0f req/s, "
        "p50 %.2f ms, p99 %.2f ms, %ld errors (target >= 10000 req/s)\n",
        "/api/v1/documents/{id}", o.connections, elapsed, done / elapsed, pct(0.5), pct(0.99),
        errors.load());
    if (done == 0) return errors + 1;
    return errors.load();
}

void usage() {
    std::cerr << "usage: http_bench --server PATH/TO/dossier [--seconds N] [--upload-mb N] "
                 "[--connections N] [--smoke]\n";
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        bool hasValue = i + 1 < argc;
        if (a == "--server" && hasValue) {
            o.binary = argv[++i];
        } else if (a == "--seconds" && hasValue) {
            o.seconds = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--upload-mb" && hasValue) {
            o.uploadMb = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
        } else if (a == "--connections" && hasValue) {
            o.connections = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--smoke") {
            o.seconds = 1;
            o.uploadMb = 1;
            o.sequentialUploads = 2;
            o.concurrentUploads = 2;
            o.connections = 4;
        } else {
            usage();
            return 2;
        }
    }
    if (o.binary.empty()) {
        usage();
        return 2;
    }
    try {
        TempDir dir;
        TestDatabase database(TestDatabase::backendFromEnvironment(), dir.path());
        ServerGuard guard;
        ServerProcess server = spawnServer(o.binary, dir.path(), database.url());
        guard.pid = server.pid;
        std::printf("server pid %d on port %u (%s), data in %s\n", server.pid, server.port,
                    TestDatabase::backendFromEnvironment().c_str(), dir.path().c_str());
        HttpTestClient client(server.port);
        signUp(client);
        const std::string token = client.bearer();
        long failures = sequentialUploads(server.port, token, o);
        failures += concurrentUploads(server, token, o);
        failures += metadataReads(server.port, token, o);
        if (failures > 0) {
            std::string log = readFile(dir.path() + "/server.log");
            if (log.size() > 4000) log = log.substr(log.size() - 4000);
            std::fprintf(stderr, "http_bench: %ld failed requests; the server log ends:\n%s\n",
                         failures, log.c_str());
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "http_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
