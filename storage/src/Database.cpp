#include "dossier/storage/Database.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include <cstdlib>
#include <mutex>
#include <regex>

#include "DatabaseImpl.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::storage {
namespace {

using Poco::Data::Keywords::now;

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
        // An unreachable server should fail start-up in seconds, not hang.
        setenv("PGCONNECT_TIMEOUT", "5", 0);
    });
}

/// Sets per-connection SQLite settings on every session the pool creates.
class SqlitePool final : public Poco::Data::SessionPool {
public:
    SqlitePool(const std::string& path, int maxSessions)
        : SessionPool("sqlite", path, 1, maxSessions, 60) {}

protected:
    void customizeSession(Poco::Data::Session& session) override {
        // WAL lets readers run beside the writer; synchronous=FULL makes every commit
        // durable before it is acknowledged (NORMAL could lose the last commits on power loss).
        session << "PRAGMA busy_timeout = 30000", now;
        session << "PRAGMA journal_mode = WAL", now;
        session << "PRAGMA synchronous = FULL", now;
        session << "PRAGMA foreign_keys = ON", now;
    }
};

std::string redact(const std::string& url) {
    static const std::regex uriPassword(R"(://([^:/@]*):[^@]*@)");
    static const std::regex kvPassword(R"(password\s*=\s*('[^']*'|\S+))");
    std::string out = std::regex_replace(url, uriPassword, "://$1:***@");
    return std::regex_replace(out, kvPassword, "password=***");
}

}  // namespace

void rethrowDatabaseError(const std::string& what) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw Error(codes::kDatabase, "The database could not complete the request.",
                    what + ": " + e.displayText());
    } catch (const std::exception& e) {
        throw Error(codes::kDatabase, "The database could not complete the request.",
                    what + ": " + e.what());
    }
}

Poco::Data::Session Database::Impl::session() {
    try {
        return pool->get();
    } catch (...) {
        rethrowDatabaseError("session from pool");
    }
}

std::string Database::Impl::sql(std::string_view text) const {
    if (dialect == Dialect::SQLite) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    int n = 0;
    bool inString = false;
    for (char c : text) {
        if (c == '\'') inString = !inString;
        if (c == '?' && !inString) {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

SqlTransaction::SqlTransaction(Database::Impl& db, Poco::Data::Session& session)
    : session_(session) {
    session_ << (db.dialect == Dialect::SQLite ? "BEGIN IMMEDIATE" : "BEGIN"), now;
}

SqlTransaction::~SqlTransaction() {
    if (done_) return;
    try {
        session_ << "ROLLBACK", now;
    } catch (...) {
        // The connection is broken; the server rolls back on disconnect.
    }
}

void SqlTransaction::commit() {
    session_ << "COMMIT", now;
    done_ = true;
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::open(const std::string& url, int maxSessions) {
    registerConnectors();
    auto impl = std::make_unique<Impl>();
    impl->displayName = redact(url);
    try {
        if (url.rfind("sqlite:", 0) == 0) {
            std::string path = url.substr(7);
            if (path.empty()) {
                throw Error(codes::kConfigInvalid, "The SQLite database path is empty.");
            }
            impl->dialect = Dialect::SQLite;
            impl->pool = std::make_unique<SqlitePool>(path, maxSessions);
        } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 ||
                   url.find('=') != std::string::npos) {
            impl->dialect = Dialect::PostgreSQL;
            impl->pool = std::make_unique<Poco::Data::SessionPool>("postgresql", url, 1,
                                                                    maxSessions, 60);
        } else {
            throw Error(codes::kConfigInvalid,
                        "The database must be 'sqlite:PATH' or a PostgreSQL URI.",
                        "database url " + impl->displayName);
        }
    } catch (const Error&) {
        throw;
    } catch (...) {
        rethrowDatabaseError("open " + impl->displayName);
    }
    std::unique_ptr<Database> db(new Database(std::move(impl)));
    db->ping();
    return db;
}

Dialect Database::dialect() const { return impl_->dialect; }
const std::string& Database::displayName() const { return impl_->displayName; }

void Database::ping() {
    try {
        auto session = impl_->session();
        int one = 0;
        session << "SELECT 1", Poco::Data::Keywords::into(one), now;
    } catch (const Error& e) {
        throw Error(codes::kDatabase, "Cannot reach the database " + impl_->displayName + ".",
                    e.detail());
    } catch (...) {
        try {
            rethrowDatabaseError("ping");
        } catch (const Error& e) {
            throw Error(codes::kDatabase,
                        "Cannot reach the database " + impl_->displayName + ".", e.detail());
        }
    }
}

}  // namespace dossier::storage
