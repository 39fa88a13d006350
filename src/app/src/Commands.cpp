#include "dossier/app/Commands.h"

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <pthread.h>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "dossier/app/Config.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/evidence/LicenseCheck.h"
#include "dossier/evidence/SealDetector.h"
#include "dossier/filing/RenderService.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Migrator.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/WatermarkOverlay.h"

namespace dossier::app {
namespace {

constexpr const char* kUsage = R"(Usage: dossier <command> [options]

Commands:
  serve      run the HTTP server (JSON API under /api/v1)
  migrate    apply database schema migrations and exit
  watermark  add the filing watermark to a JPEG/PNG scan or a PDF
  check      run an evidence check on a local file (license, seals)
  render     render a book, form, certificate or label from JSON data
  account    create a reviewer or operator account
  help       show this text

Run 'dossier <command> --help' for a command's options.
)";

constexpr const char* kServeUsage = R"(Usage: dossier serve [--config FILE]

Starts the server on its settings (defaults: 127.0.0.1:8080, ./var, SQLite). It refuses to
start, with a message and exit code 2, if the data directory cannot be written or the
database cannot be reached. Stops cleanly on SIGINT/SIGTERM.
)";

constexpr const char* kMigrateUsage = R"(Usage: dossier migrate [--config FILE]

Applies pending schema migrations in one transaction and prints the versions applied.
)";

constexpr const char* kWatermarkUsage =
    R"(Usage: dossier watermark FILE -o OUT [--text TEXT] [--activity NAME]
                         [--date YYYY-MM-DD] [--viewer NAME --account ID]

Adds the filing watermark ("仅用于{activity}备案审核" and the date, tiled diagonally) to a
JPEG or PNG scan (raster) or to every page of a PDF (a vector overlay that keeps its
text), the same code the server runs. --text replaces the whole first line;
--viewer/--account add the per-viewer trace mark. OUT keeps the input's format.
Exit codes: 0 done, 1 the image was refused (message on stderr), 2 bad usage.
)";

constexpr const char* kCheckUsage =
    R"(Usage: dossier check license FILE [--declared-code CODE] [--declared-name NAME] [--json]
       dossier check seals FILE [--expected N] [--json]

Reads the 统一社会信用代码 and the name off a business-license scan (JPEG or PNG) and
compares them with the declared values, the same code the server runs. Prints the check
result; --json prints the stored JSON form. Exit codes: 0 pass, 1 warn or fail, 2 bad
usage or unreadable file. Needs OMP_THREAD_LIMIT=1 in the environment for speed.
)";

constexpr const char* kRenderUsage =
    R"(Usage: dossier render book [--template benchmark-2022] --data app.json [--draft] -o book.pdf
       dossier render form commitment|recommendation|proof --data org.json [--draft] -o form.pdf
       dossier render certificate --data cert.json [--seal seal.png | --seal-from-scan stamped.jpg] -o cert.pdf
       dossier render label --data label.json [--dpi 300] -o label.png|label.pdf
       (any of them: [--templates DIR])

Renders from JSON data, the same code the server runs. Books and forms are templates as
data (templates/<id>.json with templates/lists/); try the files in templates/samples/.
--draft prints what is missing as blanks to fill in by hand (wrong values are still
refused). --seal lays the evaluation body's seal (a PNG with transparency) over the
certificate's seal box; --seal-from-scan cuts the red seal out of a stamped scan instead.
A label is a PNG or a PDF by the output's extension. Every data problem is listed at once
(exit 1); nothing is written then.
)";

constexpr const char* kAccountUsage =
    R"(Usage: dossier account create --role reviewer|operator --username NAME --phone MOBILE
                              --name DISPLAY_NAME [--config FILE] < password

Creates a staff account in the configured database (applicants register themselves through
POST /api/v1/accounts). The password is read from the first line of standard input, so it
stays out of the shell history and the process list. Same rules as registration: username
4-16 letters or digits, password 6-16 characters, an 11-digit mobile number.
Exit codes: 0 created, 1 refused (reasons on stderr), 2 bad usage or unreachable database.
)";

struct CommonOptions {
    std::string configFile;
    bool help = false;
};

CommonOptions parseCommon(const std::vector<std::string>& args, std::size_t from) {
    CommonOptions o;
    if (const char* env = std::getenv("DOSSIER_CONFIG")) o.configFile = env;
    for (std::size_t i = from; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            o.help = true;
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            o.configFile = args[++i];
        } else if (args[i].rfind("--config=", 0) == 0) {
            o.configFile = args[i].substr(9);
        } else {
            throw Error(codes::kCliUsage, "Unknown option '" + args[i] + "'.");
        }
    }
    return o;
}

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
        std::string path = dataDir + "/.lock";
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) {
            throw Error(codes::kConfigInvalid, "Cannot create " + path + ".", std::strerror(errno));
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

int serve(const CommonOptions& options) {
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
        config = Config::load(options.configFile, Config::processEnvironment());
        configureLogging(config.logLevel);
        services = Services::open(config);
        lock = std::make_unique<DataDirectoryLock>(config.dataDir);
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
        server = std::make_unique<http::Server>(
            http::ServerContext{services->documents(), services->derivatives(), services->renders(),
                                services->health(), services->auth(), services->ids()},
            serverOptions);
        server->start();
        services->checkRunner().start();
    } catch (const Error& e) {
        return startupFailure(e);
    } catch (const std::exception& e) {
        return startupFailure(Error(
            codes::kStartupFailed,
            "Cannot listen on " + config.host + ":" + std::to_string(config.port) + ".", e.what()));
    }
    auto& log = Poco::Logger::get("dossier");
    log.information("listening on http://" + config.host + ":" + std::to_string(server->port()) +
                    " data_dir=" + config.dataDir +
                    " database=" + services->database().displayName());
    std::cout << "dossier listening on http://" << config.host << ":" << server->port()
              << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    log.information("signal " + std::to_string(sig) + ": stopping");
    server->stop();
    services->checkRunner().stop();
    return 0;
}

/// The value after option args[i]; advances i. Throws a usage error at the end of args.
std::string optionValue(const std::vector<std::string>& args, std::size_t& i) {
    if (i + 1 >= args.size())
        throw Error(codes::kCliUsage, "Option " + args[i] + " needs a value.");
    return args[++i];
}

int parsePositive(const std::string& option, const std::string& text) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
        throw Error(codes::kCliUsage, option + " takes a positive whole number.");
    }
    return v;
}

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(codes::kCliUsage, "Cannot read " + path + ".");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Writes beside the target and renames, so a failure never leaves a partial file.
bool writeAtomically(const std::string& path, const std::string& bytes) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) {
            std::remove(tmp.c_str());
            return false;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

int watermarkCommand(const std::vector<std::string>& args) {
    std::string input, output, text, activity, date, viewer, account;
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&] { return optionValue(args, i); };
        if (a == "--help" || a == "-h") {
            std::cout << kWatermarkUsage;
            return 0;
        } else if (a == "-o" || a == "--output") {
            output = value();
        } else if (a == "--text") {
            text = value();
        } else if (a == "--activity") {
            activity = value();
        } else if (a == "--date") {
            date = value();
        } else if (a == "--viewer") {
            viewer = value();
        } else if (a == "--account") {
            account = value();
        } else if (!a.empty() && a[0] == '-') {
            throw Error(codes::kCliUsage, "Unknown option '" + a + "'.");
        } else if (input.empty()) {
            input = a;
        } else {
            throw Error(codes::kCliUsage, "Only one input file.");
        }
    }
    if (input.empty() || output.empty()) throw Error(codes::kCliUsage, "Give FILE and -o OUT.");
    if (date.empty()) date = formatTimestamp(SystemClock().nowMicros()).substr(0, 10);
    auto mark = watermark::FilingMark::forActivity(activity, date);
    if (!text.empty()) mark.text = text;
    std::ifstream in(input, std::ios::binary);
    if (!in) {
        std::cerr << "dossier watermark: cannot read " << input << "\n";
        return 1;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        watermark::EncodedImage result;
        watermark::TraceMark trace{viewer, account, formatBeijingMinute(SystemClock().nowMicros())};
        if (bytes.rfind("%PDF-", 0) == 0) {
            // A vector mark over every page; text and vectors of the PDF are kept.
            result.bytes = watermark::PdfStamper::mark(bytes, {mark.text, mark.date});
            if (!viewer.empty()) {
                result.bytes = watermark::PdfStamper::mark(result.bytes, {trace.text()},
                                                           watermark::OverlayStyle::trace());
            }
            result.type = MediaType::Pdf;
            result.width = watermark::PdfStamper::pageBoxes(result.bytes).size();
        } else {
            result =
                watermark::ImageWatermarker().apply(bytes, mark, viewer.empty() ? nullptr : &trace);
        }
        if (!writeAtomically(output, result.bytes)) {
            std::cerr << "dossier watermark: cannot write " << output << "\n";
            return 1;
        }
        if (result.type == MediaType::Pdf) {
            std::cout << output << " " << result.width << " page(s)\n";
        } else {
            std::cout << output << " " << result.width << "x" << result.height << "\n";
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "dossier watermark: " << e.code() << ": " << e.message() << "\n";
        if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
        return 1;
    }
}

int checkCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kCheckUsage;
        return args.size() < 3 ? 2 : 0;
    }
    const std::string& which = args[2];
    if (which != "license" && which != "seals") {
        throw Error(codes::kCliUsage, "Unknown check '" + which + "' (license, seals).");
    }
    std::string input;
    evidence::DeclaredOrganization declared;
    int expected = 1;
    bool json = false;
    for (std::size_t i = 3; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&] { return optionValue(args, i); };
        if (a == "--declared-code") {
            declared.creditCode = value();
        } else if (a == "--declared-name") {
            declared.name = value();
        } else if (a == "--expected") {
            std::string v = value();
            if (v.size() != 1 || v[0] < '0' || v[0] > '9') {
                throw Error(codes::kCliUsage, "--expected takes a small whole number.");
            }
            expected = v[0] - '0';
        } else if (a == "--json") {
            json = true;
        } else if (a == "--help" || a == "-h") {
            std::cout << kCheckUsage;
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            throw Error(codes::kCliUsage, "Unknown option '" + a + "'.");
        } else {
            input = a;
        }
    }
    if (input.empty()) throw Error(codes::kCliUsage, "Give the FILE to check.");
    std::ifstream in(input, std::ios::binary);
    if (!in) {
        std::cerr << "dossier check: cannot read " << input << "\n";
        return 2;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        evidence::CheckResult result;
        if (which == "seals") {
            result = evidence::checkSeals(bytes, expected);
        } else {
            auto page = evidence::PageImage::decode(bytes);
            evidence::OcrEngine ocr;
            result = evidence::LicenseCheck(ocr).run(page, declared);
        }
        if (json) {
            std::cout << result.toJson() << "\n";
        } else {
            std::cout << evidence::nameOf(result.status) << " " << result.code << ": "
                      << result.message << "\n";
            auto it = result.details.find("code_read");
            if (it != result.details.end()) std::cout << "code read: " << it->second << "\n";
        }
        return result.status == evidence::CheckStatus::Pass ? 0 : 1;
    } catch (const Error& e) {
        std::cerr << "dossier check: " << e.code() << ": " << e.message() << "\n";
        return 2;
    }
}

int renderCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kRenderUsage;
        return args.size() < 3 ? 2 : 0;
    }
    filing::RenderRequest request;
    request.document = args[2];
    std::size_t first = 3;
    if (request.document == "form") {
        if (args.size() < 4)
            throw Error(codes::kCliUsage, "Name the form: commitment, recommendation or proof.");
        request.document = args[3];
        if (request.document != "commitment" && request.document != "recommendation" &&
            request.document != "proof") {
            throw Error(codes::kCliUsage, "Unknown form '" + request.document +
                                              "' (commitment, recommendation, proof).");
        }
        first = 4;
    } else if (request.document != "book" && request.document != "certificate" &&
               request.document != "label") {
        throw Error(codes::kCliUsage, "Unknown document '" + request.document +
                                          "' (book, form, certificate, label).");
    }
    std::string data, seal, sealScan, output, templatesDir;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&] { return optionValue(args, i); };
        if (a == "--data") {
            data = value();
        } else if (a == "--seal" && request.document == "certificate") {
            seal = value();
        } else if (a == "--seal-from-scan" && request.document == "certificate") {
            sealScan = value();
        } else if (a == "--template" && request.document == "book") {
            request.templateId = value();
        } else if (a == "--templates") {
            templatesDir = value();
        } else if (a == "--draft" && request.document != "certificate" &&
                   request.document != "label") {
            request.draft = true;
        } else if (a == "--dpi" && request.document == "label") {
            request.dpi = parsePositive(a, value());
        } else if (a == "-o" || a == "--output") {
            output = value();
        } else {
            throw Error(codes::kCliUsage,
                        "Unknown option '" + a + "' for " + request.document + ".");
        }
    }
    if (data.empty() || output.empty())
        throw Error(codes::kCliUsage, "Give --data FILE and -o OUT.");
    if (request.document == "label" && output.size() > 4 &&
        output.compare(output.size() - 4, 4, ".png") == 0) {
        request.format = "png";
    }
    try {
        if (templatesDir.empty()) {
            templatesDir =
                Config::load(std::getenv("DOSSIER_CONFIG") ? std::getenv("DOSSIER_CONFIG") : "",
                             Config::processEnvironment())
                    .templatesDir;
        }
        if (!seal.empty()) request.sealPng = readWholeFile(seal);
        if (!sealScan.empty()) request.sealScan = readWholeFile(sealScan);
        SystemClock clock;
        auto rendered =
            filing::RenderService(clock, templatesDir).render(request, readWholeFile(data));
        if (!writeAtomically(output, rendered.bytes)) {
            std::cerr << "dossier render: cannot write " << output << "\n";
            return 1;
        }
        std::cout << output << " " << rendered.bytes.size() << " bytes\n";
        return 0;
    } catch (const ValidationError& e) {
        std::cerr << "dossier render: " << e.problems().size() << " problem(s) in " << data
                  << ":\n";
        for (const auto& p : e.problems())
            std::cerr << "  " << p.path << " (" << p.code << "): " << p.message << "\n";
        return 1;
    } catch (const Error& e) {
        if (e.code() == codes::kCliUsage) throw;
        std::cerr << "dossier render: " << e.code() << ": " << e.message() << "\n";
        if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
        return 1;
    }
}

int accountCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kAccountUsage;
        return args.size() < 3 ? 2 : 0;
    }
    if (args[2] != "create")
        throw Error(codes::kCliUsage, "Unknown account command '" + args[2] + "'.");
    filing::StaffAccount staff;
    std::string role, configFile;
    if (const char* env = std::getenv("DOSSIER_CONFIG")) configFile = env;
    for (std::size_t i = 3; i < args.size(); ++i) {
        if (args[i] == "--role")
            role = optionValue(args, i);
        else if (args[i] == "--username")
            staff.username = optionValue(args, i);
        else if (args[i] == "--phone")
            staff.phone = optionValue(args, i);
        else if (args[i] == "--name")
            staff.displayName = optionValue(args, i);
        else if (args[i] == "--config")
            configFile = optionValue(args, i);
        else
            throw Error(codes::kCliUsage, "Unknown option '" + args[i] + "'.");
    }
    auto parsed = parseRole(role);
    if (!parsed || *parsed == Role::Applicant) {
        throw Error(codes::kCliUsage, "--role is reviewer or operator.");
    }
    staff.role = *parsed;
    std::getline(std::cin, staff.password);
    if (!staff.password.empty() && staff.password.back() == '\r') staff.password.pop_back();
    try {
        Config config = Config::load(configFile, Config::processEnvironment());
        configureLogging("warning");
        auto services = Services::open(config);
        Viewer v = services->auth().createStaff(staff);
        std::cout << "created " << nameOf(v.role) << " " << v.username << " (" << v.accountId
                  << ")\n";
        return 0;
    } catch (const ValidationError& e) {
        for (const auto& p : e.problems()) std::cerr << p.path << ": " << p.message << "\n";
        return 1;
    } catch (const Error& e) {
        std::cerr << "dossier account: " << e.message() << "\n";
        // Refused (the name or mobile is taken) is 1; could not try is 2.
        if (e.code().category() == ErrorCategory::Conflict) return 1;
        return 2;
    }
}

int migrate(const CommonOptions& options) {
    try {
        Config config = Config::load(options.configFile, Config::processEnvironment());
        configureLogging(config.logLevel);
        auto db = storage::Database::open(config.database, 2);
        auto applied = storage::Migrator(*db).migrate();
        if (applied.empty()) {
            std::cout << "schema is current (version " << storage::Migrator::latestVersion()
                      << ")\n";
        }
        for (int v : applied) std::cout << "applied migration " << v << "\n";
        return 0;
    } catch (const Error& e) {
        std::cerr << "dossier: migrate failed: " << e.message() << "\n";
        if (!e.detail().empty()) std::cerr << "  detail: " << e.detail() << "\n";
        return 2;
    }
}

}  // namespace

void configureLogging(const std::string& level) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %q %s %t"));
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel(std::clog));
    Poco::AutoPtr<Poco::FormattingChannel> formatting(
        new Poco::FormattingChannel(formatter, console));
    Poco::AutoPtr<Poco::AsyncChannel> async(new Poco::AsyncChannel(formatting));
    Poco::Logger::root().setChannel(async);
    Poco::Logger::root().setLevel(level);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

int runCli(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1] == "help" || args[1] == "--help" || args[1] == "-h") {
        std::cout << kUsage << "\n" << configHelp();
        return args.size() < 2 ? 2 : 0;
    }
    const std::string& command = args[1];
    try {
        if (command == "watermark") return watermarkCommand(args);
        if (command == "check") return checkCommand(args);
        if (command == "render") return renderCommand(args);
        if (command == "account") return accountCommand(args);
        CommonOptions options = parseCommon(args, 2);
        if (command == "serve") {
            if (options.help) {
                std::cout << kServeUsage << "\n" << configHelp();
                return 0;
            }
            return serve(options);
        }
        if (command == "migrate") {
            if (options.help) {
                std::cout << kMigrateUsage << "\n" << configHelp();
                return 0;
            }
            return migrate(options);
        }
    } catch (const Error& e) {
        std::cerr << "dossier " << command << ": " << e.message() << "\n";
        return 2;
    }
    std::cerr << "dossier: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}

}  // namespace dossier::app
