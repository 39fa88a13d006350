#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "dossier/core/DocumentKind.h"
#include "dossier/filing/AuthService.h"

namespace dossier::app {

/// Server settings: built-in defaults, then a properties file, then DOSSIER_* environment
/// variables (highest). See `dossier --help` for the keys.
struct Config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string dataDir = "./var";
    std::string database;  // default: sqlite:<dataDir>/dossier.db
    int threads = 64;
    int dbPoolSize = 32;
    int dbWaitMillis = 10'000;  // a request waits this long for a free database session
    int checkWorkers = 1;       // evidence-check threads, each with a ~180 MB Tesseract engine
    std::string logLevel = "information";
    std::string watermarkText = "仅用于备案审核";  // first line of the filing watermark
    int reviewCacheMegabytes = 128;  // reviewers' traced copies in memory (0 = none kept)
    int qcImportMaxRows = 20'000;    // data rows one QC import takes (issue 14)
    std::string templatesDir = defaultTemplatesDir();  // books and forms as data, with lists/
    KindLimits limits;
    filing::AuthSettings auth;
    /// The http.* settings: timeouts and connection limits of the HTTP edge (the defaults
    /// and meaning of each are http::ServerOptions').
    struct Http {
        int idleTimeoutMillis = 5'000;
        int headerTimeoutMillis = 10'000;
        int bodyGraceMillis = 20'000;
        int minBytesPerSecond = 1024;
        int maxConnections = 768;
        int maxConnectionsPerAddress = 256;
        int maxRequestsPerAddress = 16;
        int maxQueued = 256;
    } http;
    /// Sign-in, registration and the registration query per client address (README,
    /// "Throttling"); the meaning of each is http::ServerOptions'.
    int throttleBurst = 20;
    int throttlePerMinute = 20;  // 0 = off
    std::string trustedProxies;  // addresses or CIDR blocks whose X-Forwarded-For is believed
    /// The web console's build output, served at `/`; empty = no console. Default: web/dist
    /// of the working directory when it holds index.html (scripts/run.sh builds it there).
    std::string consoleDir = defaultConsoleDir();
    /// https://host[:port][/path] of the service as the public reaches it, at most 120 bytes (so
    /// a label's QR code holds its verification URL): the verification URL in leader
    /// certificates' and labels' QR codes starts with it (README, "Leader certificates").
    std::string publicUrl = "https://localhost";

    std::string blobDirectory() const { return dataDir + "/blobs"; }

    /// `file` may be empty (no file). `env` is the environment to read (tests pass their own).
    /// Throws dossier::Error(config.invalid) naming the bad key and value.
    static Config load(const std::string& file, const std::map<std::string, std::string>& env);
    /// `templates` beside the executable (the build copies them there), else ./templates.
    static std::string defaultTemplatesDir();
    /// "web/dist" when ./web/dist/index.html exists, else empty.
    static std::string defaultConsoleDir();
    /// The process environment's DOSSIER_* variables.
    static std::map<std::string, std::string> processEnvironment();
};

/// "5MB", "512KB", "1048576" → bytes (K/M/G are powers of 1024). Throws config.invalid.
std::uint64_t parseByteSize(const std::string& key, const std::string& text);

/// Help text for keys and variables, shared by `dossier --help` and `dossier serve --help`.
const char* configHelp();

}  // namespace dossier::app
