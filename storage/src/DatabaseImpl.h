#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <memory>
#include <string>
#include <string_view>

#include "dossier/storage/Database.h"

namespace dossier::storage {

/// Private to storage: the pool, the dialect and the one place where SQL text is adapted.
struct Database::Impl {
    Dialect dialect;
    std::string displayName;
    std::unique_ptr<Poco::Data::SessionPool> pool;

    Poco::Data::Session session();
    /// SQL is written once with `?` placeholders; PostgreSQL's connector takes only `$1..$n`.
    std::string sql(std::string_view text) const;
};

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
    Poco::Data::Session& session_;
    bool done_ = false;
};

}  // namespace dossier::storage
