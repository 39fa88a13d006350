#pragma once

#include <string>
#include <vector>

#include "dossier/storage/Database.h"

namespace dossier::storage {

/// Applies the versioned schema migrations (storage/src/Migrations.cpp) at start-up.
/// All pending migrations run in one transaction: a failure leaves the schema as it was.
/// On PostgreSQL an advisory lock serialises nodes that start at the same time.
class Migrator {
  public:
    explicit Migrator(Database& db) : db_(db) {}
    /// Returns the versions it applied (empty when already current).
    std::vector<int> migrate() { return migrate(latestVersion()); }
    /// Applies the pending versions up to `upTo` only: tests build an older schema, fill it,
    /// then migrate it the rest of the way, as a deployed database is.
    std::vector<int> migrate(int upTo);
    /// The versions recorded in schema_migrations.
    std::vector<int> appliedVersions();
    /// The highest version this build knows.
    static int latestVersion();
    /// Every version this build knows, ascending (numbers may be skipped: a version reserved
    /// for a branch that never needed it).
    static std::vector<int> knownVersions();
    /// The SQL statements migration `version` runs on `dialect`, in order (empty for a version
    /// this build does not know). migrations_test pins the released ones by their digest.
    static std::vector<std::string> statementsOf(int version, Dialect dialect);

  private:
    Database& db_;
};

}  // namespace dossier::storage
