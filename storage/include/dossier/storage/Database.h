#pragma once

#include <memory>
#include <string>

namespace dossier::storage {

enum class Dialect { SQLite, PostgreSQL };

/// A pool of database sessions (Poco Data) for one SQLite file or PostgreSQL database.
/// Thread-safe. Poco types stay behind the pimpl: only repositories in `storage` see them.
class Database {
  public:
    struct Impl;

    /// `url` is `sqlite:PATH`, a `postgresql://` / `postgres://` URI or a libpq keyword string
    /// (`host=... dbname=...`). Opens one session at once so an unreachable database fails
    /// here: throws dossier::Error(storage.database) with a message naming the database.
    static std::unique_ptr<Database> open(const std::string& url, int maxSessions = 32);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Dialect dialect() const;
    /// The url with any password removed, safe for logs and messages.
    const std::string& displayName() const;
    /// Runs a trivial query; throws storage.database if the database cannot be reached.
    void ping();

    Impl& impl() { return *impl_; }

  private:
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::storage
