// Load benchmark of a real `dossier serve` process over loopback.
//
//   http_bench --server build/release/dossier [--seconds 5] [--upload-mb 10]
//
// 1. sequential 10 MB uploads: end-to-end MB/s (target >= 150 MB/s)
// 2. 16 concurrent 10 MB uploads: growth of the server's peak RSS (target < 16 MB)
// 3. GET /api/v1/documents/{id} on 32 keep-alive connections: requests/s (target >= 3000)
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
#include "TestSupport.h"

extern char** environ;

using namespace dossier::test;
using Clock = std::chrono::steady_clock;

namespace {

struct ServerProcess {
    pid_t pid = -1;
    std::uint16_t port = 0;
};

ServerProcess spawnServer(const std::string& binary, const std::string& dataDir) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, (dataDir + "/server.log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) envStrings.emplace_back(*e);
    envStrings.push_back("DOSSIER_LISTEN=127.0.0.1:0");
    envStrings.push_back("DOSSIER_DATA_DIR=" + dataDir + "/var");
    envStrings.push_back("OMP_THREAD_LIMIT=1");
    std::vector<char*> envp;
    for (auto& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string serve = "serve";
    char* argv[] = {const_cast<char*>(binary.c_str()), serve.data(), nullptr};
    ServerProcess p;
    if (posix_spawn(&p.pid, binary.c_str(), &actions, nullptr, argv, envp.data()) != 0) {
        throw std::runtime_error("cannot start " + binary);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    auto colon = line.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("server did not start: " + line);
    p.port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    return p;
}

long procStatusKb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    }
    return -1;
}

void resetPeakRss(pid_t pid) {
    std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
}

/// A valid PDF of about `bytes` bytes, unique per `seed` (so nothing is deduplicated).
std::string bigPdf(std::size_t bytes, int seed) {
    std::string pdf = makePdf();
    std::string pad = "%";
    pad.reserve(bytes);
    std::uint64_t x = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(seed + 1);
    while (pad.size() < bytes) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        char ch = static_cast<char>(' ' + (x % 90));
        pad += ch;
        if (pad.size() % 100 == 0) pad += "\n%";
    }
    pad += "\n";
    return pdf.substr(0, 15) + pad + pdf.substr(15);
}

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string binary;
    int durationSeconds = 5;
    std::size_t uploadMb = 10;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--server" && i + 1 < argc)
            binary = argv[++i];
        else if (a == "--seconds" && i + 1 < argc)
            durationSeconds = std::stoi(argv[++i]);
        else if (a == "--upload-mb" && i + 1 < argc)
            uploadMb = std::stoul(argv[++i]);
        else {
            std::cerr
                << "usage: http_bench --server PATH/TO/dossier [--seconds N] [--upload-mb N]\n";
            return 2;
        }
    }
    if (binary.empty()) {
        std::cerr << "usage: http_bench --server PATH/TO/dossier\n";
        return 2;
    }
    TempDir dir;
    ServerProcess server = spawnServer(binary, dir.path());
    std::printf("server pid %d on port %u, data in %s\n", server.pid, server.port,
                dir.path().c_str());
    const std::size_t uploadBytes = uploadMb << 20;

    // 1. Sequential uploads.
    {
        HttpTestClient client(server.port);
        std::vector<double> rates;
        for (int i = 0; i < 8; ++i) {
            std::string body = bigPdf(uploadBytes, i);
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
            uploadMb, rates.size(), rates[rates.size() / 2], rates.front(), rates.back());
    }

    // 2. Concurrent uploads and the server's peak RSS.
    {
        constexpr int kConcurrent = 16;
        std::vector<std::string> bodies;
        for (int i = 0; i < kConcurrent; ++i) bodies.push_back(bigPdf(uploadBytes, 100 + i));
        long before = procStatusKb(server.pid, "VmRSS:");
        resetPeakRss(server.pid);
        std::atomic<int> failures{0};
        auto t0 = Clock::now();
        std::vector<std::thread> threads;
        for (int i = 0; i < kConcurrent; ++i) {
            threads.emplace_back([&, i] {
                HttpTestClient c(server.port);
                if (c.upload(bodies[i], "c.pdf", "evidence").status != 201) ++failures;
            });
        }
        for (auto& t : threads) t.join();
        auto t1 = Clock::now();
        long peak = procStatusKb(server.pid, "VmHWM:");
        std::printf(
            "[upload] %d concurrent x %zu MB: %.2f s, %.0f MB/s aggregate, %d failed; "
            "server RSS before %.1f MB, peak %.1f MB, growth %.1f MB (target < 16)\n",
            kConcurrent, uploadMb, seconds(t0, t1),
            kConcurrent * static_cast<double>(uploadMb) / seconds(t0, t1), failures.load(),
            before / 1024.0, peak / 1024.0, (peak - before) / 1024.0);
    }

    // 3. Metadata reads on 32 keep-alive connections.
    {
        HttpTestClient client(server.port);
        auto up = client.upload(makePdf(), "meta.pdf", "proof");
        std::string path = "/api/v1/documents/" + up.json()->getValue<std::string>("id");
        constexpr int kConnections = 32;
        std::atomic<bool> stop{false};
        std::atomic<long> done{0}, errors{0};
        std::vector<std::vector<double>> latencies(kConnections);
        std::vector<std::thread> threads;
        auto t0 = Clock::now();
        for (int i = 0; i < kConnections; ++i) {
            threads.emplace_back([&, i] {
                Poco::Net::HTTPClientSession session("127.0.0.1", server.port);
                session.setKeepAlive(true);
                std::string body;
                while (!stop) {
                    Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
                    Poco::Net::HTTPResponse res;
                    auto a = Clock::now();
                    try {
                        session.sendRequest(req);
                        body.clear();
                        Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
                    } catch (...) {
                        ++errors;
                        continue;
                    }
                    latencies[i].push_back(seconds(a, Clock::now()));
                    if (res.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
                        ++done;
                    else
                        ++errors;
                }
            });
        }
        std::this_thread::sleep_for(std::chrono::seconds(durationSeconds));
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
            "[metadata] GET %s, %d keep-alive connections, %.1f s: %.0f req/s, p50 %.2f ms, "
            "p99 %.2f ms, %ld errors (target >= 3000 req/s)\n",
            "/api/v1/documents/{id}", kConnections, elapsed, done / elapsed, pct(0.5), pct(0.99),
            errors.load());
    }

    kill(server.pid, SIGTERM);
    int status = 0;
    waitpid(server.pid, &status, 0);
    return 0;
}
