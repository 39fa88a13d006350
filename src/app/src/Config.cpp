#include "dossier/app/Config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cctype>
#include <charconv>
#include <fstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

extern char** environ;

namespace dossier::app {
namespace {

[[noreturn]] void invalid(const std::string& key, const std::string& value,
                          const std::string& why) {
    throw Error(codes::kConfigInvalid, "Invalid setting " + key + "='" + value + "': " + why);
}

int parseInt(const std::string& key, const std::string& text, int min, int max) {
    int v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
        invalid(
            key, text,
            "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return v;
}

void parseListen(Config& c, const std::string& key, const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) invalid(key, text, "expected HOST:PORT");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    c.host = host;
    c.port = static_cast<std::uint16_t>(parseInt(key, text.substr(colon + 1), 0, 65535));
}

std::string envKeyOf(const std::string& key) {
    std::string out = "DOSSIER_";
    for (char ch : key) {
        out += (ch == '.') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

}  // namespace

std::uint64_t parseByteSize(const std::string& key, const std::string& text) {
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == 0 || i > 15) invalid(key, text, "expected a size such as 5MB or 5242880");
    std::uint64_t v = std::stoull(text.substr(0, i));
    std::string unit = text.substr(i);
    for (auto& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (unit == "" || unit == "B") {
    } else if (unit == "K" || unit == "KB" || unit == "KIB") {
        v <<= 10;
    } else if (unit == "M" || unit == "MB" || unit == "MIB") {
        v <<= 20;
    } else if (unit == "G" || unit == "GB" || unit == "GIB") {
        v <<= 30;
    } else {
        invalid(key, text, "unknown unit (use B, KB, MB or GB)");
    }
    if (v == 0) invalid(key, text, "must be greater than zero");
    if (v > (std::uint64_t(1) << 32)) invalid(key, text, "must be at most 4GB");
    return v;
}

Config Config::load(const std::string& file, const std::map<std::string, std::string>& env) {
    // Flatten file and environment into key → value, environment last.
    std::map<std::string, std::string> values;
    static const char* kKeys[] = {"listen",
                                  "data_dir",
                                  "database",
                                  "threads",
                                  "db_pool",
                                  "db_wait_ms",
                                  "check_workers",
                                  "log.level",
                                  "watermark.text",
                                  "review_cache_mb",
                                  "qc_import_max_rows",
                                  "templates_dir",
                                  "auth.password_iterations",
                                  "auth.session_hours",
                                  "auth.session_cache_seconds",
                                  "http.idle_timeout_ms",
                                  "http.header_timeout_ms",
                                  "http.body_grace_ms",
                                  "http.min_bytes_per_second",
                                  "http.max_connections",
                                  "http.max_connections_per_address",
                                  "http.max_requests_per_address",
                                  "http.max_queued",
                                  "throttle.burst",
                                  "throttle.per_minute",
                                  "trusted_proxies",
                                  "console_dir",
                                  "public_url"};
    std::vector<std::string> keys(std::begin(kKeys), std::end(kKeys));
    for (DocumentKind k : kAllDocumentKinds) keys.push_back("limits." + std::string(nameOf(k)));

    if (!file.empty()) {
        std::ifstream probe(file);
        if (!probe) throw Error(codes::kConfigInvalid, "Cannot read the config file " + file + ".");
        try {
            Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props(
                new Poco::Util::PropertyFileConfiguration(file));
            Poco::Util::AbstractConfiguration::Keys top;
            for (const auto& key : keys) {
                if (props->hasProperty(key)) values[key] = props->getString(key);
            }
            // Refuse keys we do not know: a typo must not silently fall back to a default.
            std::vector<std::string> stack{""};
            while (!stack.empty()) {
                std::string prefix = stack.back();
                stack.pop_back();
                Poco::Util::AbstractConfiguration::Keys children;
                props->keys(prefix, children);
                for (const auto& child : children) {
                    std::string full = prefix.empty() ? child : prefix + "." + child;
                    if (props->hasProperty(full) &&
                        std::find(keys.begin(), keys.end(), full) == keys.end()) {
                        throw Error(codes::kConfigInvalid,
                                    "Unknown setting '" + full + "' in " + file + ".");
                    }
                    stack.push_back(full);
                }
            }
        } catch (const Poco::Exception& e) {
            throw Error(codes::kConfigInvalid, "Cannot parse the config file " + file + ".",
                        e.displayText());
        }
    }
    for (const auto& key : keys) {
        auto it = env.find(envKeyOf(key));
        if (it != env.end()) values[key] = it->second;
    }

    Config c;
    for (const auto& [key, value] : values) {
        std::string shownKey = key;
        if (key == "listen") {
            parseListen(c, key, value);
        } else if (key == "data_dir") {
            if (value.empty()) invalid(key, value, "must not be empty");
            c.dataDir = value;
        } else if (key == "database") {
            c.database = value;
        } else if (key == "threads") {
            c.threads = parseInt(key, value, 4, 1024);
        } else if (key == "watermark.text") {
            if (value.empty() || value.size() > 200) invalid(key, value, "1 to 200 bytes of text");
            c.watermarkText = value;
        } else if (key == "review_cache_mb") {
            c.reviewCacheMegabytes = parseInt(key, value, 0, 65'536);
        } else if (key == "qc_import_max_rows") {
            c.qcImportMaxRows = parseInt(key, value, 1, 1'000'000);
        } else if (key == "templates_dir") {
            if (value.empty()) invalid(key, value, "must not be empty");
            c.templatesDir = value;
        } else if (key == "check_workers") {
            c.checkWorkers = parseInt(key, value, 0, 64);
        } else if (key == "auth.password_iterations") {
            // Below 100,000 only for tests; the hash records its cost and is raised at login.
            c.auth.passwordIterations = parseInt(key, value, 1000, 10'000'000);
        } else if (key == "auth.session_hours") {
            c.auth.sessionHours = parseInt(key, value, 1, 24 * 30);
        } else if (key == "auth.session_cache_seconds") {
            // Seconds, not minutes: a sign-out on another node is honoured only after it.
            c.auth.sessionCacheSeconds = parseInt(key, value, 0, 30);
        } else if (key == "http.idle_timeout_ms") {
            c.http.idleTimeoutMillis = parseInt(key, value, 100, 600'000);
        } else if (key == "http.header_timeout_ms") {
            c.http.headerTimeoutMillis = parseInt(key, value, 100, 600'000);
        } else if (key == "http.body_grace_ms") {
            c.http.bodyGraceMillis = parseInt(key, value, 100, 3'600'000);
        } else if (key == "http.min_bytes_per_second") {
            c.http.minBytesPerSecond = parseInt(key, value, 0, 1 << 30);
        } else if (key == "http.max_connections") {
            c.http.maxConnections = parseInt(key, value, 1, 1'000'000);
        } else if (key == "http.max_connections_per_address") {
            c.http.maxConnectionsPerAddress = parseInt(key, value, 0, 1'000'000);
        } else if (key == "http.max_requests_per_address") {
            c.http.maxRequestsPerAddress = parseInt(key, value, 0, 1024);
        } else if (key == "http.max_queued") {
            c.http.maxQueued = parseInt(key, value, 1, 100'000);
        } else if (key == "throttle.burst") {
            c.throttleBurst = parseInt(key, value, 1, 1'000'000);
        } else if (key == "throttle.per_minute") {
            c.throttlePerMinute = parseInt(key, value, 0, 1'000'000);
        } else if (key == "trusted_proxies") {
            c.trustedProxies = value;  // parsed (and refused when invalid) by the server
        } else if (key == "console_dir") {
            c.consoleDir = value;  // read (and refused without index.html) by the server
        } else if (key == "public_url") {
            // What certificates' QR codes point at: printed on paper, so https only.
            bool https = value.rfind("https://", 0) == 0 && value.size() > 8 &&
                         value.size() <= 120 &&
                         value.find_first_of(" ?#\"<>\\") == std::string::npos;
            if (!https)
                invalid(key, value, "expected https://host[:port][/path], at most 120 bytes");
            c.publicUrl = value;
        } else if (key == "db_pool") {
            c.dbPoolSize = parseInt(key, value, 1, 256);
        } else if (key == "db_wait_ms") {
            c.dbWaitMillis = parseInt(key, value, 1, 600'000);
        } else if (key == "log.level") {
            static const char* kLevels[] = {"fatal",  "critical",    "error", "warning",
                                            "notice", "information", "debug", "trace"};
            if (std::find(std::begin(kLevels), std::end(kLevels), value) == std::end(kLevels)) {
                invalid(key, value, "expected error, warning, information or debug");
            }
            c.logLevel = value;
        } else if (key.rfind("limits.", 0) == 0) {
            auto kind = parseDocumentKind(key.substr(7));
            c.limits.setLimit(*kind, parseByteSize(key, value));
        }
    }
    while (c.dataDir.size() > 1 && c.dataDir.back() == '/') c.dataDir.pop_back();
    if (c.database.empty()) c.database = "sqlite:" + c.dataDir + "/dossier.db";
    return c;
}

std::string Config::defaultTemplatesDir() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        std::string exe(buf, static_cast<std::size_t>(n));
        std::string dir = exe.substr(0, exe.rfind('/')) + "/templates";
        struct stat st {};
        if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return dir;
    }
    return "templates";
}

std::string Config::defaultConsoleDir() {
    struct stat st {};
    return ::stat("web/dist/index.html", &st) == 0 && S_ISREG(st.st_mode) ? "web/dist" : "";
}

std::map<std::string, std::string> Config::processEnvironment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos && entry.rfind("DOSSIER_", 0) == 0) {
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
    }
    return env;
}

const char* configHelp() {
    return R"(Settings (config file key / environment variable; the environment wins):
  listen          DOSSIER_LISTEN          HOST:PORT to serve on        [127.0.0.1:8080]
  data_dir        DOSSIER_DATA_DIR        blobs and the SQLite file    [./var]
  database        DOSSIER_DATABASE        sqlite:PATH or a PostgreSQL URI
                                          (postgresql://user:pw@host:5432/db)
                                                                       [sqlite:DATA_DIR/dossier.db]
  threads         DOSSIER_THREADS         HTTP worker threads (one per request
                                          being served)                [64]
  db_pool         DOSSIER_DB_POOL         database sessions            [32]
  db_wait_ms      DOSSIER_DB_WAIT_MS      how long a request waits for a free database
                                          session before 503 storage.database [10000]
  check_workers   DOSSIER_CHECK_WORKERS   evidence-check threads (OCR, seals); 0 = none
                                          on this node                 [1]
  log.level       DOSSIER_LOG_LEVEL       error|warning|information|debug [information]
  watermark.text  DOSSIER_WATERMARK_TEXT  first line of the filing watermark [仅用于备案审核]
  review_cache_mb DOSSIER_REVIEW_CACHE_MB memory for reviewers' traced copies, each
                                          kept for the hour its mark names; 0 = made
                                          per request                  [128]
  qc_import_max_rows DOSSIER_QC_IMPORT_MAX_ROWS data rows one QC-group import
                                          takes                        [20000]
  templates_dir   DOSSIER_TEMPLATES_DIR   book and form templates with lists/
                                          [templates beside the executable, else ./templates]
  auth.password_iterations DOSSIER_AUTH_PASSWORD_ITERATIONS
                                          PBKDF2-SHA256 rounds per password [600000]
  auth.session_hours DOSSIER_AUTH_SESSION_HOURS  bearer-token lifetime   [12]
  auth.session_cache_seconds DOSSIER_AUTH_SESSION_CACHE_SECONDS
                                          how long a node trusts a session it looked
                                          up (0-30; a sign-out on another node takes
                                          effect here within it)        [5]
  http.idle_timeout_ms DOSSIER_HTTP_IDLE_TIMEOUT_MS
                                          a connection waiting for its next (or
                                          first) request is closed after it [5000]
  http.header_timeout_ms DOSSIER_HTTP_HEADER_TIMEOUT_MS
                                          a request's head must arrive within it
                                          of its first byte (else 408)  [10000]
  http.body_grace_ms DOSSIER_HTTP_BODY_GRACE_MS
  http.min_bytes_per_second DOSSIER_HTTP_MIN_BYTES_PER_SECOND
                                          while a request is served the client may
                                          keep the server waiting grace + 1 s per
                                          min_bytes moved (else 408)  [20000, 1024]
  http.max_connections DOSSIER_HTTP_MAX_CONNECTIONS
                                          open connections (503 beyond) [768]
  http.max_connections_per_address DOSSIER_HTTP_MAX_CONNECTIONS_PER_ADDRESS
                                          per client address (429 beyond; 0 = no
                                          cap; behind a proxy, fit its count) [256]
  http.max_requests_per_address DOSSIER_HTTP_MAX_REQUESTS_PER_ADDRESS
                                          requests of one address served at once;
                                          more wait in the queue (0 = no cap) [16]
  http.max_queued DOSSIER_HTTP_MAX_QUEUED requests waiting for a worker (503
                                          beyond)                      [256]
  throttle.burst / throttle.per_minute (DOSSIER_THROTTLE_BURST, DOSSIER_THROTTLE_PER_MINUTE)
                                          sign-ins, registrations and registration
                                          queries per client address: a burst, then
                                          so many a minute (0 = off; 429 beyond) [20, 20]
  trusted_proxies DOSSIER_TRUSTED_PROXIES proxies (addresses or CIDR blocks, comma-
                                          separated) whose X-Forwarded-For names the
                                          client for the throttle; e.g. 127.0.0.1
                                          behind the nginx of deploy/nginx [none]
  console_dir     DOSSIER_CONSOLE_DIR     the web console's build output, served at /
                                          (empty = no console) [web/dist if built]
  public_url      DOSSIER_PUBLIC_URL      https:// address of this service as the public
                                          reaches it; leader certificates' QR codes
                                          point at its verification route
                                          [https://localhost]
  limits.license  DOSSIER_LIMITS_LICENSE  upload limit of a kind       [5MB]
  limits.commitment / limits.proof        (DOSSIER_LIMITS_COMMITMENT, ...) [10MB]
  limits.evidence / limits.summary / limits.import                     [20MB]
The config file (--config FILE or DOSSIER_CONFIG) holds key = value lines.
)";
}

}  // namespace dossier::app
