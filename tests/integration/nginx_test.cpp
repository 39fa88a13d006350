// The shipped nginx front (deploy/nginx/dossier.conf) in front of the real server: Debian's
// nginx started unprivileged-style from a temporary prefix on a free port, the shipped file
// included with only its two addresses replaced. Replays the slow-client probe of issue 10
// (64 connections sending a request line, or a body, a byte a second) and checks that
// /healthz through nginx stays fast, and that nginx's refusals are Dossier's problem+json.
#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "RawConnection.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Config.h"
#include "dossier/app/Services.h"

using namespace dossier;
using namespace dossier::test;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

std::uint16_t freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

/// Replaces the one occurrence of `from` (the test fails if there is not exactly one).
std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "deploy/nginx/dossier.conf lacks " << from;
    EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " twice";
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

class NginxTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;
        services = app::Services::open(config);
        // As the shipped file's comment says: behind nginx, no per-address caps in Dossier,
        // and nginx (127.0.0.1) is the trusted proxy whose X-Forwarded-For names the client.
        http::ServerOptions options;
        options.maxConnectionsPerAddress = 0;
        options.maxRequestsPerAddress = 0;
        options.trustedProxies = "127.0.0.1";
        options.throttleBurst = 3;
        options.throttlePerMinute = 1;
        server = startInProcessServer(*services, options);

        std::string prefix = dir.path() + "/nginx";
        for (const char* sub : {"", "/body", "/proxy", "/fastcgi", "/uwsgi", "/scgi", "/logs"}) {
            std::filesystem::create_directories(prefix + sub);
        }
        std::string site = readFile(std::string(DOSSIER_SOURCE_DIR) + "/deploy/nginx/dossier.conf");
        port = freePort();
        site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port) + ";");
        site = replaceOnce(site, "server 127.0.0.1:8080;",
                           "server 127.0.0.1:" + std::to_string(server->port()) + ";");
        writeFile(prefix + "/dossier.conf", site);
        writeFile(prefix + "/nginx.conf",
                  "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                  "pid " +
                      prefix + "/nginx.pid;\nerror_log " + prefix +
                      "/logs/error.log warn;\n"
                      "events { worker_connections 1024; }\n"
                      "http {\n  access_log off;\n"
                      "  client_body_temp_path " +
                      prefix +
                      "/body;\n"
                      "  proxy_temp_path " +
                      prefix +
                      "/proxy;\n"
                      "  fastcgi_temp_path " +
                      prefix +
                      "/fastcgi;\n"
                      "  uwsgi_temp_path " +
                      prefix +
                      "/uwsgi;\n"
                      "  scgi_temp_path " +
                      prefix +
                      "/scgi;\n"
                      "  include " +
                      prefix + "/dossier.conf;\n}\n");
        nginx = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch("/usr/sbin/nginx", {"-p", prefix, "-c", prefix + "/nginx.conf"}));
        for (int i = 0; i < 100; ++i) {
            try {
                RawConnection probe(port);
                return;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(50ms);
            }
        }
        FAIL() << "nginx did not start: " << readFile(prefix + "/logs/error.log");
    }

    void TearDown() override {
        if (nginx) {
            Poco::Process::kill(*nginx);
            nginx->wait();
        }
        if (server) server->stop();
    }

    long healthzMillis() { return dossier::test::healthzMillis(port); }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<Poco::ProcessHandle> nginx;
    std::uint16_t port = 0;
};

}  // namespace

TEST_F(NginxTest, SlowClientsWaitInNginxNotInDossier) {
    // Through nginx, X-Request-Id is nginx's $request_id (32 hex digits), as Dossier logs it.
    RawConnection plain(port);
    plain.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    plain.readUntilClosed(5s);
    EXPECT_EQ(plain.status(), 200) << plain.received();
    EXPECT_EQ(plain.header("X-Request-Id").size(), 32u) << plain.received();

    for (const std::string& start :
         {std::string("POST /api/v1/sessions HTTP/1.1\r\n"),
          std::string("POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/json\r\nContent-Length: 1000\r\n\r\n")}) {
        SCOPED_TRACE(start.size() < 40 ? "slow head" : "slow body");
        std::vector<std::unique_ptr<RawConnection>> slow;
        for (int i = 0; i < 64; ++i) {
            slow.push_back(std::make_unique<RawConnection>(port, "127.0.0.2"));
            slow.back()->send(start);
        }
        std::atomic<bool> done{false};
        std::thread trickle([&] {
            while (!done) {
                for (auto& c : slow) c->send(start.size() < 40 ? "X" : " ");
                for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(100ms);
            }
        });
        long worst = 0;
        for (int i = 0; i < 6; ++i) {
            worst = std::max(worst, healthzMillis());
            std::this_thread::sleep_for(500ms);
        }
        done = true;
        trickle.join();
        EXPECT_LT(worst, 1000) << "ms for /healthz through nginx beside 64 slow connections";
        // None of them reached Dossier: nginx still holds every one, unanswered.
        for (auto& c : slow) EXPECT_TRUE(c->received().empty()) << c->received();
    }
}

TEST_F(NginxTest, OversizedBodiesAreRefusedInDossiersForm) {
    auto send = [&](const std::string& path, long long length) {
        RawConnection c(port);
        c.send("POST " + path +
               " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: " +
               std::to_string(length) + "\r\n\r\n");
        c.readUntil("}", 5s);
        EXPECT_EQ(c.header("Content-Type"), "application/problem+json") << c.received();
        EXPECT_EQ(c.header("X-Content-Type-Options"), "nosniff") << c.received();
        std::string code;
        try {
            code = Poco::JSON::Parser()
                       .parse(c.body())
                       .extract<Poco::JSON::Object::Ptr>()
                       ->getValue<std::string>("code");
        } catch (...) {
        }
        return std::to_string(c.status()) + " " + code;
    };
    EXPECT_EQ(send("/api/v1/sessions", 5 << 20), "413 request.too_large");
    EXPECT_EQ(send("/api/v1/render/certificate", 50 << 20), "413 request.too_large");
    EXPECT_EQ(send("/api/v1/documents", 50 << 20), "413 upload.too_large");
}

// Every request reaches Dossier from nginx's address; with trusted_proxies the throttle still
// counts each client by the address nginx appended to X-Forwarded-For, and nginx passes the
// 429 through in Dossier's form.
TEST_F(NginxTest, TheThrottleCountsTheClientNotTheProxy) {
    auto signIn = [&](const std::string& source, const std::string& spoof = {}) {
        RawConnection c(port, source);
        std::string body = R"({"username":"nobody01","password":"Secret-2025"})";
        c.send("POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + spoof +
               "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body);
        c.readUntilClosed(5s);
        return std::to_string(c.status()) +
               (c.status() == 429 ? " " + c.header("Retry-After") : "");
    };
    EXPECT_EQ(signIn("127.0.0.2"), "401");
    EXPECT_EQ(signIn("127.0.0.2", "X-Forwarded-For: 198.51.100.1\r\n"), "401");
    EXPECT_EQ(signIn("127.0.0.2", "X-Forwarded-For: 198.51.100.2\r\n"), "401");
    EXPECT_EQ(signIn("127.0.0.2", "X-Forwarded-For: 198.51.100.3\r\n"), "429 60")
        << "a spoofed X-Forwarded-For does not make a new client";
    EXPECT_EQ(signIn("127.0.0.3"), "401") << "another client behind the same proxy";
}

// The console's cookie session through the shipped front on a non-default port (as here): the
// browser's Origin carries the port, so nginx must pass the Host it was sent ($http_host), not
// $host, which drops the port; with $host every cookie sign-in answered 403 auth.origin_mismatch.
TEST_F(NginxTest, CookieSignInsFromTheConsolesOwnOriginPassThrough) {
    HttpTestClient direct(server->port());
    ASSERT_TRUE(direct.signUp("jingke01", "13800000001", "广州精科医学检验所有限公司",
                              "91440116MA59B21T31", "李明"));
    std::string origin = "http://127.0.0.1:" + std::to_string(port);
    HttpTestClient browser(port);
    auto r = browser.request("POST", "/api/v1/sessions", {{"Origin", origin}}, "application/json",
                             R"({"username":"jingke01","password":"Secret-2025","cookie":true})");
    EXPECT_EQ(r.status, 201) << r.body;
}
