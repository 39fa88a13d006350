#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "TestSupport.h"
#include "dossier/app/Config.h"
#include "dossier/core/Error.h"

using namespace dossier;
using namespace dossier::app;
using dossier::test::TempDir;
using dossier::test::writeFile;

namespace {

std::string errorCodeOf(const std::string& file, const std::map<std::string, std::string>& env) {
    try {
        Config::load(file, env);
    } catch (const Error& e) {
        return std::string(e.code().text()) + ": " + e.message();
    }
    return "";
}

}  // namespace

TEST(Config, EmbeddedDefaults) {
    Config c = Config::load("", {});
    EXPECT_EQ(c.host, "127.0.0.1");
    EXPECT_EQ(c.port, 8080);
    EXPECT_EQ(c.dataDir, "./var");
    EXPECT_EQ(c.database, "sqlite:./var/dossier.db");
    EXPECT_EQ(c.limits.limitOf(DocumentKind::License), 5u << 20);
}

TEST(Config, FileThenEnvironment) {
    TempDir dir;
    std::string file = dir.path() + "/dossier.properties";
    writeFile(file,
              "# comment\nlisten = 0.0.0.0:9000\ndata_dir = /srv/dossier/\nlimits.license = 2MB\n"
              "threads = 16\n");
    Config c = Config::load(
        file, {{"DOSSIER_LISTEN", "127.0.0.1:9100"}, {"DOSSIER_LIMITS_PROOF", "512KB"}});
    EXPECT_EQ(c.port, 9100);  // environment wins
    EXPECT_EQ(c.dataDir, "/srv/dossier");
    EXPECT_EQ(c.database, "sqlite:/srv/dossier/dossier.db");
    EXPECT_EQ(c.threads, 16);
    EXPECT_EQ(c.limits.limitOf(DocumentKind::License), 2u << 20);
    EXPECT_EQ(c.limits.limitOf(DocumentKind::Proof), 512u << 10);
    Config pg = Config::load("", {{"DOSSIER_DATABASE", "postgresql://u@db:5432/dossier"}});
    EXPECT_EQ(pg.database, "postgresql://u@db:5432/dossier");
}

TEST(Config, HttpEdgeSettings) {
    TempDir dir;
    std::string file = dir.path() + "/dossier.properties";
    writeFile(file, "http.header_timeout_ms = 15000\nhttp.max_connections_per_address = 0\n");
    Config c = Config::load(file, {{"DOSSIER_HTTP_IDLE_TIMEOUT_MS", "2500"},
                                   {"DOSSIER_HTTP_MIN_BYTES_PER_SECOND", "4096"},
                                   {"DOSSIER_HTTP_MAX_REQUESTS_PER_ADDRESS", "64"}});
    EXPECT_EQ(c.http.headerTimeoutMillis, 15000);
    EXPECT_EQ(c.http.maxConnectionsPerAddress, 0);
    EXPECT_EQ(c.http.idleTimeoutMillis, 2500);
    EXPECT_EQ(c.http.minBytesPerSecond, 4096);
    EXPECT_EQ(c.http.maxRequestsPerAddress, 64);
    EXPECT_EQ(c.http.bodyGraceMillis, 20000);  // the default
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_HTTP_HEADER_TIMEOUT_MS", "0"}}), "");
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_HTTP_MAX_QUEUED", "-1"}}), "");
}

TEST(Config, ThrottleSettings) {
    Config defaults = Config::load("", {});
    EXPECT_EQ(defaults.throttleBurst, 20);
    EXPECT_EQ(defaults.throttlePerMinute, 20);
    EXPECT_EQ(defaults.trustedProxies, "");
    TempDir dir;
    std::string file = dir.path() + "/dossier.properties";
    writeFile(file, "throttle.burst = 5\ntrusted_proxies = 127.0.0.1, 10.0.0.0/8\n");
    Config c = Config::load(file, {{"DOSSIER_THROTTLE_PER_MINUTE", "0"}});
    EXPECT_EQ(c.throttleBurst, 5);
    EXPECT_EQ(c.throttlePerMinute, 0);
    EXPECT_EQ(c.trustedProxies, "127.0.0.1, 10.0.0.0/8");
    EXPECT_EQ(errorCodeOf("", {{"DOSSIER_THROTTLE_BURST", "0"}}).rfind("config.invalid: ", 0), 0u);
    EXPECT_EQ(errorCodeOf("", {{"DOSSIER_THROTTLE_PER_MINUTE", "-1"}}).rfind("config.invalid: ", 0),
              0u);
}

TEST(Config, BadValuesAreRefusedWithTheKeyNamed) {
    auto msg = errorCodeOf("", {{"DOSSIER_LISTEN", "localhost"}});
    EXPECT_NE(msg.find("config.invalid"), std::string::npos);
    EXPECT_NE(msg.find("listen"), std::string::npos);
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_LISTEN", "127.0.0.1:99999"}}), "");
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_THREADS", "many"}}), "");
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_LIMITS_LICENSE", "5 parsecs"}}), "");
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_LIMITS_LICENSE", "0"}}), "");
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_LOG_LEVEL", "loud"}}), "");
    EXPECT_NE(errorCodeOf("/nonexistent/dossier.properties", {}), "");
}

TEST(Config, UnknownKeysInTheFileAreRefused) {
    TempDir dir;
    std::string file = dir.path() + "/dossier.properties";
    writeFile(file, "lisen = 127.0.0.1:8080\n");
    auto msg = errorCodeOf(file, {});
    EXPECT_NE(msg.find("lisen"), std::string::npos) << msg;
}

TEST(Config, ByteSizes) {
    EXPECT_EQ(parseByteSize("k", "5MB"), 5u << 20);
    EXPECT_EQ(parseByteSize("k", "1024"), 1024u);
    EXPECT_EQ(parseByteSize("k", "3k"), 3u << 10);
    EXPECT_THROW(parseByteSize("k", "MB"), Error);
    EXPECT_THROW(parseByteSize("k", "-5MB"), Error);
}

TEST(Config, SessionCacheSecondsAreFewAndBounded) {
    EXPECT_EQ(Config::load("", {}).auth.sessionCacheSeconds, 5);
    EXPECT_EQ(
        Config::load("", {{"DOSSIER_AUTH_SESSION_CACHE_SECONDS", "0"}}).auth.sessionCacheSeconds,
        0);
    EXPECT_EQ(
        Config::load("", {{"DOSSIER_AUTH_SESSION_CACHE_SECONDS", "30"}}).auth.sessionCacheSeconds,
        30);
    // Minutes would let a sign-out on another node go unheeded for minutes.
    auto msg = errorCodeOf("", {{"DOSSIER_AUTH_SESSION_CACHE_SECONDS", "31"}});
    EXPECT_NE(msg.find("auth.session_cache_seconds"), std::string::npos) << msg;
    EXPECT_NE(errorCodeOf("", {{"DOSSIER_AUTH_SESSION_CACHE_SECONDS", "-1"}}), "");
}

TEST(Config, ConsoleDirectoryDefaultsToABuiltWebDistOnly) {
    TempDir dir;
    std::string file = dir.path() + "/dossier.properties";
    writeFile(file, "console_dir = /srv/console\n");
    EXPECT_EQ(Config::load(file, {}).consoleDir, "/srv/console");
    EXPECT_EQ(Config::load(file, {{"DOSSIER_CONSOLE_DIR", ""}}).consoleDir, "");  // no console

    // The default looks for web/dist/index.html in the working directory (scripts/run.sh
    // starts the server at the repository root after building the console there).
    char* previous = ::getcwd(nullptr, 0);
    ASSERT_EQ(::chdir(dir.path().c_str()), 0);
    std::string without = Config::load("", {}).consoleDir;
    std::filesystem::create_directories(dir.path() + "/web/dist");
    writeFile(dir.path() + "/web/dist/index.html", "<!doctype html>");
    std::string with = Config::load("", {}).consoleDir;
    ASSERT_EQ(::chdir(previous), 0);
    std::free(previous);
    EXPECT_EQ(without, "");
    EXPECT_EQ(with, "web/dist");
}
