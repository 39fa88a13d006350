// dossier migrate: apply the database schema migrations and exit.
#include <iostream>

#include "CliCommands.h"
#include "CommandSupport.h"
#include "dossier/app/ArgParser.h"
#include "dossier/app/Commands.h"
#include "dossier/app/Config.h"
#include "dossier/core/Error.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/Migrator.h"

namespace dossier::app {
namespace {

constexpr const char* kMigrateUsage = R"(Usage: dossier migrate [--config FILE]

Applies pending schema migrations in one transaction and prints the versions applied.
)";

}  // namespace

int migrateCommand(const std::vector<std::string>& args) {
    std::string configFile = configFileFromEnvironment();
    if (!ArgParser().option("--config", &configFile).parse(args, 2)) {
        std::cout << kMigrateUsage << "\n" << configHelp();
        return 0;
    }
    try {
        Config config = Config::load(configFile, Config::processEnvironment());
        storage::Database::applyEnvironment(config.database);  // before any thread starts
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

}  // namespace dossier::app
