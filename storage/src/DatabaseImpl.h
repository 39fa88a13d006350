#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <chrono>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include "dossier/storage/Database.h"

struct pg_conn;

namespace dossier::storage {

/// One of the pool's places, held from before a session is taken from the pool until after it
/// is back in it.
class PoolSlot {
  public:
    explicit PoolSlot(std::counting_semaphore<>& slots) : slots_(slots) {}
    ~PoolSlot() { slots_.release(); }
    PoolSlot(const PoolSlot&) = delete;
    PoolSlot& operator=(const PoolSlot&) = delete;

  private:
    std::counting_semaphore<>& slots_;
};

/// A pooled session that holds its slot: the base classes are destroyed in reverse order, so
/// the Poco session goes back to the pool before the slot is released to the next waiter.
/// Used as a Poco::Data::Session (repositories bind statements to it).
class LeasedSession : private PoolSlot, public Poco::Data::Session {
  public:
    LeasedSession(std::counting_semaphore<>& slots, Poco::Data::SessionPool& pool)
        : PoolSlot(slots), Poco::Data::Session(pool.get()) {}
    LeasedSession(const LeasedSession&) = delete;
    LeasedSession& operator=(const LeasedSession&) = delete;
};

/// Private to storage: the pool, the dialect and the one place where SQL text is adapted.
struct Database::Impl {
    Dialect dialect;
    std::string displayName;
    std::unique_ptr<Poco::Data::SessionPool> pool;
    /// Poco's pool throws when all its sessions are in use; callers wait here instead, up to
    /// `wait`, for one of `pool->capacity()` places. A thread holds at most one session at a
    /// time (no repository call nests another), so waiting cannot deadlock.
    std::unique_ptr<std::counting_semaphore<>> slots;
    std::chrono::milliseconds wait{10000};

    /// A session from the pool; waits while all are in use. Throws storage.database (503)
    /// when none frees up within `wait` or the database cannot be reached.
    LeasedSession session();
    /// SQL is written once with `?` placeholders; PostgreSQL's connector takes only `$1..$n`.
    std::string sql(std::string_view text) const;
};

/// The libpq connection under a PostgreSQL session (as lent by the pool), or nullptr (SQLite,
/// or a connection lost). Owned by the session; valid while the caller holds it.
pg_conn* postgresConnection(Database::Impl& db, Poco::Data::Session& session);

/// Runs `sql`, a statement without parameters or result rows (BEGIN, COMMIT, ROLLBACK), on
/// the session's connection. On PostgreSQL it goes straight to libpq: one round trip, where a
/// Poco statement takes four (PQprepare, PQdescribePrepared, PQexecPrepared and a DEALLOCATE,
/// each waiting for the server). Throws Poco::Data::DataException on failure, as Poco would.
void executeSimple(Database::Impl& db, Poco::Data::Session& session, const char* sql);

/// Converts Poco Data exceptions at the storage edge.
[[noreturn]] void rethrowDatabaseError(const std::string& what);

/// BEGIN (IMMEDIATE on SQLite, so writers queue on the busy timeout instead of failing on
/// upgrade) … COMMIT; rolls back in the destructor unless committed.
class SqlTransaction {
  public:
    SqlTransaction(Database::Impl& db, Poco::Data::Session& session);
    ~SqlTransaction();
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;
    void commit();

  private:
    Database::Impl& db_;
    Poco::Data::Session& session_;
    bool done_ = false;
};

}  // namespace dossier::storage
