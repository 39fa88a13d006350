// `dossier <command>`: the command table, the top-level help and logging set-up. Each command
// lives in its own file (CliCommands.h) and parses its options with ArgParser.
#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <iostream>

#include "CliCommands.h"
#include "dossier/app/Commands.h"
#include "dossier/app/Config.h"
#include "dossier/core/Error.h"

namespace dossier::app {
namespace {

constexpr const char* kUsage = R"(Usage: dossier <command> [options]

Commands:
  serve      run the HTTP server (JSON API under /api/v1)
  migrate    apply database schema migrations and exit
  watermark  add the filing watermark to a JPEG/PNG scan or a PDF
  check      run an evidence check on a local file (license, seals)
  render     render a book, receipt, form, certificate or label from JSON data
  account    create a staff account (reviewer, organizer, evaluator, operator)
  help       show this text

Run 'dossier <command> --help' for a command's options. Exit code 2 means bad usage
(cli.usage) or a configuration the command cannot run with.
)";

struct Command {
    const char* name;
    int (*run)(const std::vector<std::string>& args);
};

constexpr Command kCommands[] = {
    {"serve", serveCommand}, {"migrate", migrateCommand}, {"watermark", watermarkCommand},
    {"check", checkCommand}, {"render", renderCommand},   {"account", accountCommand},
};

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
    for (const auto& c : kCommands) {
        if (command != c.name) continue;
        try {
            return c.run(args);
        } catch (const Error& e) {
            // What a command lets escape is a usage or configuration error.
            std::cerr << "dossier " << command << ": " << e.code() << ": " << e.message() << "\n";
            return 2;
        }
    }
    std::cerr << "dossier: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}

}  // namespace dossier::app
