// dossier serve: the HTTP server, until SIGINT or SIGTERM.
#include <Poco/Logger.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/app/Commands.h"
#include "dossier/app/Config.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/core/LogValue.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Database.h"

namespace dossier::app {
namespace {

constexpr const char* kServeUsage = R"(Usage: dossier serve [--config FILE]

Starts the server on its settings (defaults: 127.0.0.1:8080, ./var, SQLite). It refuses to
start, with a message and exit code 2, if the data directory cannot be written or the
database cannot be reached. Stops cleanly on SIGINT/SIGTERM.
)";

int startupFailure(const Error& e) {
    std::cerr << "dossier: cannot start: " << e.message() << "\n";
    if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
    return 2;
}

/// Holds an exclusive flock on `<dataDir>/.lock` for the life of the process, so two servers
/// never share one data directory (and a crashed server's staged uploads can be swept at
/// once). The kernel drops the lock when the process dies, however it dies.
class DataDirectoryLock {
  public:
    explicit DataDirectoryLock(const std::string& dataDir) {
        std::error_code ec;
        std::filesystem::create_directories(dataDir, ec);  // the lock file needs its directory
        std::string path = dataDir + "/.lock";
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) {
            throw Error(codes::kConfigInvalid,
                        "The data directory " + dataDir + " cannot be created or written.",
                        "open " + path + ": " + std::strerror(errno));
        }
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd_);
            throw Error(codes::kConfigInvalid,
                        "Another dossier server is using the data directory " + dataDir + ".");
        }
    }
    ~DataDirectoryLock() { ::close(fd_); }
    DataDirectoryLock(const DataDirectoryLock&) = delete;
    DataDirectoryLock& operator=(const DataDirectoryLock&) = delete;

  private:
    int fd_ = -1;
};

int serve(const std::string& configFile) {
    // Block the termination signals in every thread; the main thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Config config;
    std::unique_ptr<DataDirectoryLock> lock;
    std::unique_ptr<Services> services;
    std::unique_ptr<http::Server> server;
    try {
        config = Config::load(configFile, Config::processEnvironment());
        storage::Database::applyEnvironment(config.database);  // before any thread starts
        configureLogging(config.logLevel);
        // The lock before anything else touches the directory or the database: a second
        // server started by mistake (say, a newer binary) must not migrate the live database,
        // sweep staged uploads or purge sessions before it is refused.
        lock = std::make_unique<DataDirectoryLock>(config.dataDir);
        services = Services::open(config);
        // This process alone owns the directory now: whatever is staged was cut off by a
        // crash and will never be committed.
        services->blobs().sweepStaging(0);
        // And blobs a crash left between their rename and their row's commit.
        if (auto orphans = services->collectOrphanBlobs()) {
            Poco::Logger::get("dossier").information("removed " + std::to_string(orphans) +
                                                     " blobs no row recorded");
        }
        // Likewise checks this directory's last server had claimed: run them again.
        if (services->database().dialect() == storage::Dialect::SQLite) {
            services->checkRows().releaseAllClaims(services->clock().nowMicros());
        }
        http::ServerOptions serverOptions;
        serverOptions.host = config.host;
        serverOptions.port = config.port;
        serverOptions.maxThreads = config.threads;
        serverOptions.idleTimeoutMillis = config.http.idleTimeoutMillis;
        serverOptions.headerTimeoutMillis = config.http.headerTimeoutMillis;
        serverOptions.bodyGraceMillis = config.http.bodyGraceMillis;
        serverOptions.minBytesPerSecond = static_cast<std::uint64_t>(config.http.minBytesPerSecond);
        serverOptions.maxConnections = config.http.maxConnections;
        serverOptions.maxConnectionsPerAddress = config.http.maxConnectionsPerAddress;
        serverOptions.maxRequestsPerAddress = config.http.maxRequestsPerAddress;
        serverOptions.maxQueued = config.http.maxQueued;
        serverOptions.throttleBurst = config.throttleBurst;
        serverOptions.throttlePerMinute = config.throttlePerMinute;
        serverOptions.trustedProxies = config.trustedProxies;
        serverOptions.consoleDir = config.consoleDir;
        server = std::make_unique<http::Server>(
            http::ServerContext{services->documents(), services->derivatives(), services->renders(),
                                services->health(), services->auth(), services->ids(),
                                services->organizations(), services->filings(),
                                services->projects(), services->activities(),
                                services->applications(), services->reviews(),
                                services->downloads(), services->qc(), services->certificates()},
            serverOptions);
        server->start();
        services->checkRunner().start();
        services->returnDeadlineSweep().start();
    } catch (const Error& e) {
        return startupFailure(e);
    } catch (const std::exception& e) {
        return startupFailure(Error(
            codes::kStartupFailed,
            "Cannot listen on " + config.host + ":" + std::to_string(config.port) + ".", e.what()));
    }
    auto& log = Poco::Logger::get("dossier");
    log.information("listening on " +
                    logValue("http://" + config.host + ":" + std::to_string(server->port())) +
                    logField("data_dir", config.dataDir) +
                    logField("database", services->database().displayName()) +
                    logField("console", config.consoleDir.empty() ? "none" : config.consoleDir));
    std::cout << "dossier listening on http://" << config.host << ":" << server->port()
              << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    log.information("signal " + std::to_string(sig) + ": stopping");
    server->stop();
    services->checkRunner().stop();
    services->returnDeadlineSweep().stop();
    return 0;
}

}  // namespace

int serveCommand(const std::vector<std::string>& args) {
    std::string configFile = configFileFromEnvironment();
    if (!ArgParser().option("--config", &configFile).parse(args, 2)) {
        std::cout << kServeUsage << "\n" << configHelp();
        return 0;
    }
    return serve(configFile);
}

}  // namespace dossier::app
