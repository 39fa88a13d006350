#pragma once

#include <chrono>
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
    /// At most `maxSessions` sessions are open at once; a caller finding all in use waits up
    /// to `wait` for one (then storage.database, HTTP 503), so a burst larger than the pool
    /// queues instead of failing.
    static std::unique_ptr<Database> open(
        const std::string& url, int maxSessions = 32,
        std::chrono::milliseconds wait = std::chrono::seconds(10));
    /// Sets what libpq reads from the environment for `url` (PGSSLMODE for `?sslmode=`,
    /// which Poco's connector does not forward). Call before any thread starts: setenv is not
    /// thread-safe. open() refuses a URL whose sslmode was not applied this way.
    static void applyEnvironment(const std::string& url);
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
