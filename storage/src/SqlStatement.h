#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "DatabaseImpl.h"

struct pg_result;

namespace dossier::storage {

/// One SQL statement with bound values whose result is read by row and column, the same on
/// both backends, for the statements every request runs. On PostgreSQL it is one libpq round
/// trip (PQexecParams: parse, bind and execute sent together), where a Poco statement takes
/// four that each wait for the server (PQprepare, PQdescribePrepared, PQexecPrepared,
/// DEALLOCATE); on SQLite, in-process, a Poco statement.
///
/// SQL is written with `?` placeholders, bound in order by bind(). The result has `columns`
/// columns, read as text (NULL → "") or as an integer (NULL → 0): select what is needed with
/// COALESCE as the other repositories do. Throws Poco::Data::DataException (or another Poco
/// exception) on failure: call it inside the repository's try / rethrowDatabaseError.
/// Not thread-safe; uses the caller's session, which must outlive it.
class SqlStatement {
  public:
    SqlStatement(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                 std::size_t columns = 0);
    ~SqlStatement();
    SqlStatement(const SqlStatement&) = delete;
    SqlStatement& operator=(const SqlStatement&) = delete;

    SqlStatement& bind(const std::string& value);
    SqlStatement& bind(std::int64_t value);

    /// Runs the statement: the number of rows it returned (SELECT, RETURNING), else the
    /// number it changed.
    std::size_t execute();

    std::size_t rows() const;
    std::string text(std::size_t row, std::size_t column) const;
    std::int64_t integer(std::size_t row, std::size_t column) const;

  private:
    Database::Impl& db_;
    Poco::Data::Session& session_;
    std::string sql_;
    std::size_t columns_;
    // PostgreSQL: the values as text and the result.
    std::vector<std::string> values_;
    std::unique_ptr<pg_result, void (*)(pg_result*)> result_;
    // SQLite: Poco binds by reference, so the values live in deques (stable addresses).
    std::unique_ptr<Poco::Data::Statement> statement_;
    std::deque<std::string> texts_;
    std::deque<Poco::Int64> integers_;
    std::vector<std::vector<std::string>> out_;
};

}  // namespace dossier::storage
