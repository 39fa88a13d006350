// The HTTP edge against what clients send that no well-behaved library would: malformed and
// oversized request heads, unsupported versions, bad Content-Length values, TLS on the plain
// port, and slow or idle connections in numbers (issue 10, items 4, 7, 8 and 12). The real
// server on port 0, raw sockets, short deadlines so the whole run stays within ~30 s. Runs on
// SQLite and PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
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

class EdgeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;
        services = app::Services::open(config);
    }
    void TearDown() override {
        if (server) server->stop();
    }

    void start(http::ServerOptions options = {}) {
        server = startInProcessServer(*services, options);
    }
    std::uint16_t port() const { return server->port(); }

    /// Options with deadlines short enough for a test.
    static http::ServerOptions quick() {
        http::ServerOptions o;
        o.idleTimeoutMillis = 1000;
        o.headerTimeoutMillis = 1500;
        o.bodyGraceMillis = 1500;
        o.minBytesPerSecond = 1024;
        // These tests send dozens of sign-ins from one address to hold workers; the throttle
        // tests below turn it back on.
        o.throttlePerMinute = 0;
        return o;
    }

    long healthzMillis() { return dossier::test::healthzMillis(port()); }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
};

/// The answer is problem+json with `status` and `code`, nosniff, and a clean close (FIN,
/// not a reset) once it is read.
void expectRefused(RawConnection& c, int status, const std::string& code, const std::string& what) {
    c.readUntilClosed(5s);
    EXPECT_EQ(c.status(), status) << what << ": " << c.received().substr(0, 300);
    EXPECT_EQ(c.header("Content-Type"), "application/problem+json") << what;
    EXPECT_EQ(c.header("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(c.header("Connection"), "close") << what;
    EXPECT_TRUE(c.closedCleanly()) << what << (c.reset() ? ": reset" : ": still open");
    try {
        auto json = Poco::JSON::Parser().parse(c.body()).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(json->getValue<std::string>("code"), code) << what;
        EXPECT_EQ(json->getValue<int>("status"), status) << what;
        EXPECT_FALSE(json->getValue<std::string>("detail").empty()) << what;
    } catch (const std::exception& e) {
        ADD_FAILURE() << what << ": body is not JSON: " << c.body();
    }
}

std::string fields(int n, const std::string& value = "v") {
    std::string out;
    for (int i = 0; i < n; ++i) out += "X-Field-" + std::to_string(i) + ": " + value + "\r\n";
    return out;
}

}  // namespace

TEST_F(EdgeTest, MalformedAndOversizedHeadsGetAProblemAndACleanClose) {
    start();
    static constexpr char kNulField[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n";
    std::string tlsHello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
    tlsHello += std::string(500, '\x5a');
    struct Case {
        std::string what, bytes;
        int status;
        std::string code;
    };
    std::vector<Case> cases = {
        {"16 KB URI", "GET /healthz?q=" + std::string(16384, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
         414, "request.uri_too_long"},
        {"101 header fields", "GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields(101) + "\r\n", 431,
         "request.header_too_large"},
        {"a 9 KB header",
         "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n", 431,
         "request.header_too_large"},
        {"40 KB of headers",
         "GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields(10, std::string(4000, 'c')) + "\r\n", 431,
         "request.header_too_large"},
        {"GARBAGE", "GARBAGE\r\n\r\n", 400, "request.malformed"},
        {"GARBAGE without a blank line", "GARBAGE\r\n", 400, "request.malformed"},
        {"TLS on the plain port", tlsHello, 400, "request.malformed"},
        {"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505,
         "request.version_not_supported"},
        {"HTTP/2.0", "GET /healthz HTTP/2.0\r\n", 505, "request.version_not_supported"},
        {"Content-Length: abc",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400,
         "request.malformed"},
        {"Content-Length: -1",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400,
         "request.malformed"},
        {"23-digit Content-Length",
         "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::string(23, '9') +
             "\r\n\r\n",
         400, "request.malformed"},
        {"two Content-Lengths",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
         "Content-Length: 2\r\n\r\n",
         400, "request.malformed"},
        {"Transfer-Encoding with Content-Length",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
         "Content-Length: 5\r\n\r\n",
         400, "request.malformed"},
        {"Transfer-Encoding: gzip",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400,
         "request.malformed"},
        {"a field without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400,
         "request.malformed"},
        {"space before the colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", 400,
         "request.malformed"},
        {"a folded field", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n", 400,
         "request.malformed"},
        {"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n", 400, "request.malformed"},
        {"a NUL in a value", std::string(kNulField, sizeof kNulField - 1), 400,
         "request.malformed"},
    };
    for (const auto& c : cases) {
        RawConnection connection(port());
        connection.send(c.bytes);
        expectRefused(connection, c.status, c.code, c.what);
    }
    // A long but valid field name (Poco refused 256+ with a bare 400) is served.
    RawConnection longName(port());
    longName.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + std::string(300, 'n') +
                  ": 1\r\nConnection: close\r\n\r\n");
    longName.readUntilClosed(5s);
    EXPECT_EQ(longName.status(), 200) << longName.received();
    // So is an HTTP/1.0 request without Host.
    RawConnection old(port());
    old.send("GET /healthz HTTP/1.0\r\n\r\n");
    old.readUntilClosed(5s);
    EXPECT_EQ(old.received().rfind("HTTP/1.0 200", 0), 0u) << old.received();
}

TEST_F(EdgeTest, OneCodePerMeaningForOversizedBodies) {
    start();
    HttpTestClient client(port());
    client.signUp("edge0001", "13800000011", "边缘测试有限公司", "91440116MA59B21T31");
    // Only the head, with Expect: 100-continue: the size decides the answer.
    auto send = [&](const std::string& path, long long length, const std::string& method = "POST") {
        RawConnection c(port());
        c.send(method + " " + path +
               " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Authorization: Bearer " +
               client.bearer() + "\r\nContent-Length: " + std::to_string(length) +
               "\r\nExpect: 100-continue\r\n\r\n");
        c.readUntilClosed(5s);
        std::string code;
        try {
            code = Poco::JSON::Parser()
                       .parse(c.body())
                       .extract<Poco::JSON::Object::Ptr>()
                       ->getValue<std::string>("code");
        } catch (...) {
        }
        EXPECT_EQ(c.received().find("100 Continue"), std::string::npos) << path << length;
        return std::to_string(c.status()) + " " + code;
    };
    // A JSON route: request.too_large whatever the size (50 MB answered the upload code).
    EXPECT_EQ(send("/api/v1/render/certificate", 5 << 20), "413 request.too_large");
    EXPECT_EQ(send("/api/v1/render/certificate", 50 << 20), "413 request.too_large");
    EXPECT_EQ(send("/api/v1/me/password", 50 << 20, "PUT"), "413 request.too_large");
    // The upload route: upload.too_large whatever the size.
    EXPECT_EQ(send("/api/v1/documents", 50 << 20), "413 upload.too_large");
    EXPECT_EQ(send("/api/v1/documents", 1LL << 40), "413 upload.too_large");
}

TEST_F(EdgeTest, BodilessRequestsAndKeepAliveDoNotWaitForABody) {
    start(quick());
    // OPTIONS and TRACE without Content-Length have no body (Poco read one until the client
    // closed: 30 s a request).
    RawConnection c(port());
    auto t0 = Steady::now();
    c.send("OPTIONS /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(c.readUntil("}", 2s)) << c.received();
    EXPECT_EQ(c.status(), 405);
    c.send("TRACE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(c.readUntil("HTTP/1.1 405", 2s));
    c.send("POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\n\r\n");  // a POST without a body
    ASSERT_TRUE(c.readUntil("HTTP/1.1 415", 2s)) << c.received();
    // Two pipelined requests in one segment are both answered, in order.
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(c.readUntil("route.not_found", 2s)) << c.received();
    EXPECT_LT(Steady::now() - t0, 3s);
    // Then idle: closed after the idle timeout (1 s here), with a FIN.
    auto idle = Steady::now();
    c.readUntilClosed(5s);
    EXPECT_TRUE(c.closedCleanly());
    EXPECT_LT(Steady::now() - idle, 2500ms);
}

TEST_F(EdgeTest, SixtyFourSlowOrIdleClientsCannotStallHealthz) {
    auto options = quick();
    options.maxRequestsPerAddress = 16;
    start(options);
    // 64 connections from another address each: request line then a byte a second (slow
    // head); a head and then a body a byte a second; nothing at all (idle).
    struct Kind {
        std::string name, start;
        int status;  // what the slow ones get at their deadline; 0 = closed silently
        std::chrono::milliseconds within;
    };
    std::vector<Kind> kinds = {
        {"slow head", "POST /api/v1/sessions HTTP/1.1\r\n", 408, 4s},
        {"slow body",
         "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 1000\r\n\r\n",
         408, 10s},
        {"idle", "", 0, 3s},
    };
    for (const auto& kind : kinds) {
        SCOPED_TRACE(kind.name);
        std::vector<std::unique_ptr<RawConnection>> slow;
        for (int i = 0; i < 64; ++i) {
            slow.push_back(std::make_unique<RawConnection>(port(), "127.0.0.2"));
            if (!kind.start.empty()) slow.back()->send(kind.start);
        }
        auto t0 = Steady::now();
        std::atomic<bool> done{false};
        std::thread trickle([&] {
            // One byte a second on each until it is closed.
            while (!done) {
                for (auto& c : slow) {
                    if (!kind.start.empty() && !c->closed())
                        c->send(kind.name == "slow body" ? " " : "X");
                }
                for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(100ms);
            }
        });
        std::this_thread::sleep_for(300ms);
        long worst = 0;
        for (int i = 0; i < 5; ++i) worst = std::max(worst, healthzMillis());
        EXPECT_LT(worst, 1000) << "ms for /healthz beside 64 " << kind.name << " connections";
        int cut = 0, answered = 0;
        for (auto& c : slow) {
            auto left = kind.within - (Steady::now() - t0);
            c->readUntilClosed(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max<Steady::duration>(left, 0ms)));
            if (c->closed()) ++cut;
            if (kind.status != 0 && c->status() == kind.status) ++answered;
        }
        done = true;
        trickle.join();
        EXPECT_EQ(cut, 64) << "connections closed within " << kind.within.count() << " ms";
        if (kind.status != 0) {
            EXPECT_EQ(answered, 64) << "answered " << kind.status;
        } else {
            for (auto& c : slow) EXPECT_TRUE(c->received().empty());
        }
    }
}

TEST_F(EdgeTest, ConnectionCapsAndAFullQueueAreRefusedAtOnce) {
    auto options = quick();
    options.maxConnectionsPerAddress = 4;
    options.maxConnections = 12;
    options.maxThreads = 2;
    options.maxQueued = 2;
    options.maxRequestsPerAddress = 0;
    start(options);
    // Per address: the fifth from 127.0.0.3 is refused; others are not.
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 4; ++i)
        held.push_back(std::make_unique<RawConnection>(port(), "127.0.0.3"));
    RawConnection fifth(port(), "127.0.0.3");
    auto t0 = Steady::now();
    fifth.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expectRefused(fifth, 429, "client.too_many_connections", "fifth connection");
    EXPECT_EQ(fifth.header("Retry-After"), "1");
    EXPECT_LT(Steady::now() - t0, 1s);
    EXPECT_LT(healthzMillis(), 1000);

    // Both workers held by slow bodies, two more queued: the next request is refused with
    // 503 at once instead of waiting.
    std::vector<std::unique_ptr<RawConnection>> busy;
    for (int i = 0; i < 4; ++i) {
        busy.push_back(std::make_unique<RawConnection>(port(), "127.0.0.4"));
        busy.back()->send(
            "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n");
        std::this_thread::sleep_for(100ms);  // a worker takes it before the next arrives
    }
    RawConnection next(port(), "127.0.0.5");
    t0 = Steady::now();
    next.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expectRefused(next, 503, "server.busy", "queue full");
    EXPECT_LT(Steady::now() - t0, 1s);
    for (auto& c : busy) {
        c->readUntilClosed(3s);  // cut at the body deadline
        EXPECT_EQ(c->status(), 408) << c->received();
    }
    busy.clear();
    held.clear();
    std::this_thread::sleep_for(200ms);  // the server sees them closed

    // All 12 connections taken: the 13th is refused with 503.
    std::vector<std::unique_ptr<RawConnection>> many;
    for (int i = 0; i < 12; ++i) {
        many.push_back(
            std::make_unique<RawConnection>(port(), "127.0.0." + std::to_string(10 + i)));
    }
    std::this_thread::sleep_for(100ms);
    for (auto& c : many) EXPECT_FALSE(c->readUntil("HTTP", 10ms)) << c->received();
    RawConnection over(port(), "127.0.0.30");
    over.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expectRefused(over, 503, "server.busy", "connections full");
}

/// One request on its own connection from `source`; the answer's status, Retry-After and code.
struct Answer {
    int status = 0;
    std::string retryAfter;
    std::string code;
};
Answer askFrom(std::uint16_t port, const std::string& source, const std::string& method,
               const std::string& target, const std::string& body,
               const std::string& extraHeaders = {}) {
    RawConnection c(port, source);
    c.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders +
           (body.empty() ? std::string()
                         : "Content-Type: application/json\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n") +
           "\r\n" + body);
    c.readUntilClosed(5s);
    Answer a{c.status(), c.header("Retry-After"), {}};
    if (c.header("Content-Type") == "application/problem+json") {
        a.code = Poco::JSON::Parser()
                     .parse(c.body())
                     .extract<Poco::JSON::Object::Ptr>()
                     ->getValue<std::string>("code");
    }
    return a;
}

const std::string kUnknownSignIn = R"({"username":"nobody01","password":"Secret-2025"})";

// Sign-in and registration share one bucket per client address (README, "Throttling"): the
// burst, then 429 client.rate_limited with Retry-After in whole seconds, for that address only,
// before any password is hashed; other routes are not counted.
TEST_F(EdgeTest, SignInAndRegistrationAreThrottledPerAddress) {
    auto options = quick();
    options.throttleBurst = 4;
    options.throttlePerMinute = 6;  // one every 10 s
    start(options);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(askFrom(port(), "127.0.0.2", "POST", "/api/v1/sessions", kUnknownSignIn).status,
                  401);
    }
    auto registration = askFrom(port(), "127.0.0.2", "POST", "/api/v1/accounts", "{}");
    EXPECT_EQ(registration.status, 422) << "the fourth request of the burst is served";
    auto refused = askFrom(port(), "127.0.0.2", "POST", "/api/v1/sessions", kUnknownSignIn);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.code, "client.rate_limited");
    EXPECT_TRUE(refused.retryAfter == "10" || refused.retryAfter == "9") << refused.retryAfter;
    EXPECT_EQ(askFrom(port(), "127.0.0.2", "POST", "/api/v1/accounts", "{}").code,
              "client.rate_limited");
    // Not counted: other routes of the same address, and other addresses.
    EXPECT_EQ(askFrom(port(), "127.0.0.2", "GET", "/healthz", "").status, 200);
    EXPECT_EQ(askFrom(port(), "127.0.0.3", "POST", "/api/v1/sessions", kUnknownSignIn).status, 401);
    // A client behind no trusted proxy cannot name itself someone else.
    EXPECT_EQ(askFrom(port(), "127.0.0.2", "POST", "/api/v1/sessions", kUnknownSignIn,
                      "X-Forwarded-For: 198.51.100.7\r\n")
                  .status,
              429);
}

// Behind a trusted proxy (127.0.0.1 here), the client is the rightmost X-Forwarded-For entry
// the proxy appended; what the client wrote to the left of it is ignored.
TEST_F(EdgeTest, BehindATrustedProxyTheForwardedClientIsCounted) {
    auto options = quick();
    options.throttleBurst = 2;
    options.throttlePerMinute = 1;
    options.trustedProxies = "127.0.0.1";
    start(options);
    auto from = [&](const std::string& forwarded) {
        return askFrom(port(), "127.0.0.1", "POST", "/api/v1/sessions", kUnknownSignIn,
                       "X-Forwarded-For: " + forwarded + "\r\n")
            .status;
    };
    EXPECT_EQ(from("198.51.100.7"), 401);
    EXPECT_EQ(from("203.0.113.1, 198.51.100.7"), 401) << "the spoofed left entry is ignored";
    EXPECT_EQ(from("203.0.113.2, 198.51.100.7"), 429);
    EXPECT_EQ(from("198.51.100.8"), 401) << "another client behind the same proxy";
    // The proxy's own address is not the throttle's key: a peer that is not the proxy is.
    EXPECT_EQ(askFrom(port(), "127.0.0.4", "POST", "/api/v1/sessions", kUnknownSignIn,
                      "X-Forwarded-For: 198.51.100.8\r\n")
                  .status,
              401);
}

TEST(ServerOptions, AnInvalidTrustedProxyListIsAConfigurationError) {
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config = testConfig(dir.path(), testDb);
    config.checkWorkers = 0;
    auto services = app::Services::open(config);
    http::ServerOptions options;
    options.trustedProxies = "127.0.0.1, nginx.local";
    try {
        startInProcessServer(*services, options);
        FAIL() << "started with an invalid trusted_proxies";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "config.invalid");
        EXPECT_NE(e.message().find("nginx.local"), std::string::npos) << e.message();
    }
}
