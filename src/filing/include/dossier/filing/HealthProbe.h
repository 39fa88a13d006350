#pragma once

#include <string>

namespace dossier::storage {
class Database;
class FileSystem;
}  // namespace dossier::storage

namespace dossier::filing {

struct HealthReport {
    bool databaseOk = false;
    bool storageOk = false;
    std::string databaseProblem;  // internal detail, for logs
    std::string storageProblem;
    bool ok() const { return databaseOk && storageOk; }
};

/// Checks that the database answers and that the data directory accepts a durable write
/// (create, write, fsync, remove a probe file). Thread-safe.
class HealthProbe {
  public:
    HealthProbe(storage::Database& db, storage::FileSystem& fs, std::string dataDir);
    HealthReport check();

  private:
    storage::Database& db_;
    storage::FileSystem& fs_;
    std::string dataDir_;
};

}  // namespace dossier::filing
