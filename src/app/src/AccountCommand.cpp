// dossier account create: staff accounts (reviewers, organizers, evaluators, operators) on the
// server's machine.
#include <iostream>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/app/Commands.h"
#include "dossier/app/Config.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/storage/Database.h"

namespace dossier::app {
namespace {

constexpr const char* kAccountUsage =
    R"(Usage: dossier account create --role reviewer|organizer|evaluator|operator
                              --username NAME --phone MOBILE
                              --name DISPLAY_NAME [--config FILE] < password

Creates a staff account in the configured database (applicants register themselves through
POST /api/v1/accounts). Roles: reviewer (形式审查 and the filing review, 备案审核),
organizer (opens activities and their submission windows), evaluator (评估机构: evaluates
and issues leader certificates), operator (runs the service; reads no documents).
The password is read from the first line of standard input, so it
stays out of the shell history and the process list. Same rules as registration: username
4-16 letters or digits, password 6-16 characters, an 11-digit mobile number.
Exit codes: 0 created, 1 refused (reasons on stderr), 2 bad usage or unreachable database.
)";

}  // namespace

int accountCommand(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[2] == "--help" || args[2] == "-h") {
        std::cout << kAccountUsage;
        return args.size() < 3 ? 2 : 0;
    }
    if (args[2] != "create") {
        throw Error(codes::kCliUsage, "Unknown account command '" + args[2] + "'.");
    }
    filing::StaffAccount staff;
    std::string role, configFile = configFileFromEnvironment();
    ArgParser parser;
    parser.option("--role", &role)
        .option("--username", &staff.username)
        .option("--phone", &staff.phone)
        .option("--name", &staff.displayName)
        .option("--config", &configFile);
    if (!parser.parse(args, 3)) {
        std::cout << kAccountUsage;
        return 0;
    }
    auto parsed = parseRole(role);
    if (!parsed || *parsed == Role::Applicant) {
        throw Error(codes::kCliUsage, "--role is reviewer, organizer, evaluator or operator.");
    }
    staff.role = *parsed;
    std::getline(std::cin, staff.password);
    if (!staff.password.empty() && staff.password.back() == '\r') staff.password.pop_back();
    try {
        Config config = Config::load(configFile, Config::processEnvironment());
        storage::Database::applyEnvironment(config.database);  // before any thread starts
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
        return e.code().category() == ErrorCategory::Conflict ? 1 : 2;
    }
}

}  // namespace dossier::app
