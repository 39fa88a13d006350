#include "dossier/storage/Migrator.h"

#include <Poco/Data/Session.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "DatabaseImpl.h"
#include "Migrations.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)";
constexpr std::string_view kSelectVersions = "SELECT version FROM schema_migrations";
constexpr std::string_view kInsertVersion =
    "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (?, ?, ?)";
// Any constant shared by all Dossier nodes; held until the migration transaction ends.
constexpr std::string_view kLock = "SELECT pg_advisory_xact_lock(727372)";

std::vector<int> readVersions(Database::Impl& db, Poco::Data::Session& session) {
    std::vector<int> versions;
    session << db.sql(kSelectVersions), into(versions), now;
    std::sort(versions.begin(), versions.end());
    return versions;
}

}  // namespace

int Migrator::latestVersion() { return allMigrations().back().version; }

std::vector<int> Migrator::knownVersions() {
    std::vector<int> out;
    for (const auto& m : allMigrations()) out.push_back(m.version);
    return out;
}

std::vector<std::string> Migrator::statementsOf(int version, Dialect dialect) {
    std::vector<std::string> out;
    for (const auto& m : allMigrations())
        if (m.version == version)
            for (auto statement : statementsFor(m, dialect)) out.emplace_back(statement);
    return out;
}

std::vector<int> Migrator::appliedVersions() {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        session << db.sql(kCreateVersionTable), now;
        return readVersions(db, session);
    } catch (...) {
        rethrowDatabaseError("read schema versions");
    }
}

std::vector<int> Migrator::migrate(int upTo) {
    auto& db = db_.impl();
    std::vector<int> applied;
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        if (db.dialect == Dialect::PostgreSQL) session << std::string(kLock), now;
        session << db.sql(kCreateVersionTable), now;
        auto existing = readVersions(db, session);
        std::set<int> done(existing.begin(), existing.end());
        for (const auto& m : allMigrations()) {
            if (done.count(m.version) || m.version > upTo) continue;
            for (auto statement : statementsFor(m, db.dialect))
                session << std::string(statement), now;
            int version = m.version;
            std::string name(m.name);
            Poco::Int64 at = static_cast<Poco::Int64>(std::time(nullptr)) * 1000000;
            session << db.sql(kInsertVersion), use(version), use(name), use(at), now;
            applied.push_back(version);
        }
        tx.commit();
    } catch (...) {
        rethrowDatabaseError("migrate");
    }
    return applied;
}

}  // namespace dossier::storage
