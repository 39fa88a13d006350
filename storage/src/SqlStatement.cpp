#include "SqlStatement.h"

#include <Poco/Data/DataException.h>
#include <libpq-fe.h>

#include <charconv>

namespace dossier::storage {

using namespace Poco::Data::Keywords;

SqlStatement::SqlStatement(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                           std::size_t columns)
    : db_(db),
      session_(session),
      sql_(db.sql(sql)),
      columns_(columns),
      result_(nullptr, [](pg_result* r) { PQclear(r); }) {
    if (postgresConnection(db_, session_) == nullptr) {
        statement_ = std::make_unique<Poco::Data::Statement>(session_);
        *statement_ << sql_;
        out_.resize(columns_);
        for (auto& column : out_) *statement_, into(column);
    }
}

SqlStatement::~SqlStatement() = default;

SqlStatement& SqlStatement::bind(const std::string& value) {
    if (statement_) {
        texts_.push_back(value);
        *statement_, use(texts_.back());
    } else {
        values_.push_back(value);
    }
    return *this;
}

SqlStatement& SqlStatement::bind(std::int64_t value) {
    if (statement_) {
        integers_.push_back(value);
        *statement_, use(integers_.back());
    } else {
        values_.push_back(std::to_string(value));
    }
    return *this;
}

std::size_t SqlStatement::execute() {
    if (statement_) return statement_->execute();
    PGconn* connection = postgresConnection(db_, session_);
    if (connection == nullptr) throw Poco::Data::DataException("The connection was lost.");
    std::vector<const char*> values;
    values.reserve(values_.size());
    for (const auto& v : values_) values.push_back(v.c_str());
    result_.reset(PQexecParams(connection, sql_.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
    PGresult* r = result_.get();
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK) {
        if (static_cast<std::size_t>(PQnfields(r)) != columns_) {
            throw Poco::Data::DataException("expected " + std::to_string(columns_) +
                                            " columns: " + sql_);
        }
        return static_cast<std::size_t>(PQntuples(r));
    }
    if (status != PGRES_COMMAND_OK) {
        std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(connection);
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        throw Poco::Data::DataException(message + " State: " + (state ? state : "N/A") + " " +
                                        sql_);
    }
    std::size_t changed = 0;
    std::string_view tuples = PQcmdTuples(r);
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), changed);
    return changed;
}

std::size_t SqlStatement::rows() const {
    if (statement_) return out_.empty() ? 0 : out_.front().size();
    return result_ && PQresultStatus(result_.get()) == PGRES_TUPLES_OK
               ? static_cast<std::size_t>(PQntuples(result_.get()))
               : 0;
}

std::string SqlStatement::text(std::size_t row, std::size_t column) const {
    if (statement_) return out_.at(column).at(row);
    if (row >= rows() || column >= columns_) throw Poco::Data::DataException("no such cell");
    int r = static_cast<int>(row), c = static_cast<int>(column);
    if (PQgetisnull(result_.get(), r, c)) return {};
    return std::string(PQgetvalue(result_.get(), r, c),
                       static_cast<std::size_t>(PQgetlength(result_.get(), r, c)));
}

std::int64_t SqlStatement::integer(std::size_t row, std::size_t column) const {
    std::string value = text(row, column);
    std::int64_t out = 0;
    if (value.empty()) return 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (error != std::errc() || end != value.data() + value.size()) {
        throw Poco::Data::DataException("not an integer: " + value);
    }
    return out;
}

}  // namespace dossier::storage
