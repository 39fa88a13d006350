#include "dossier/storage/Database.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>

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
    });
}

/// The `sslmode` query parameter of a PostgreSQL URI, or "" (Poco's connector does not
/// forward it, so libpq must read it from PGSSLMODE).
std::string sslModeOf(const std::string& url) {
    if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) return {};
    try {
        for (const auto& [key, value] : Poco::URI(url).getQueryParameters()) {
            if (key == "sslmode") return value;
        }
    } catch (const Poco::Exception&) {
        // postgresConnectionString reports the malformed URI.
    }
    return {};
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

/// Poco's PostgreSQL connector does not take URIs: it splits a keyword string on '=' and
/// forwards only host, port, user, password, dbname and connect_timeout. Convert a
/// postgresql:// URI to that form here, and refuse what it would silently drop.
std::string postgresConnectionString(const std::string& url, const std::string& shown) {
    std::map<std::string, std::string> kv;
    auto bad = [&](const std::string& why) {
        return Error(codes::kConfigInvalid, "The PostgreSQL database setting is not usable: " + why,
                     "database url " + shown);
    };
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        Poco::URI uri;
        try {
            uri = Poco::URI(url);
        } catch (const Poco::Exception& e) {
            throw bad("it is not a valid URI (" + e.message() + ").");
        }
        std::string userInfo = uri.getUserInfo();
        auto colon = userInfo.find(':');
        if (!userInfo.empty()) kv["user"] = userInfo.substr(0, colon);
        if (colon != std::string::npos) kv["password"] = userInfo.substr(colon + 1);
        if (!uri.getHost().empty()) kv["host"] = uri.getHost();
        if (uri.getPort() != 0) kv["port"] = std::to_string(uri.getPort());
        std::string path = uri.getPath();
        if (path.size() > 1) kv["dbname"] = path.substr(1);
        for (const auto& [key, value] : uri.getQueryParameters()) {
            if (key == "host" || key == "port" || key == "user" || key == "password" ||
                key == "dbname" || key == "connect_timeout") {
                kv[key] = value;
            } else if (key == "sslmode") {
                // libpq reads it from the environment, which applyEnvironment set before any
                // thread started (setenv is not thread-safe).
                const char* applied = std::getenv("PGSSLMODE");
                if (applied == nullptr || value != applied) {
                    throw bad("sslmode=" + value +
                              " was not applied at start-up (PGSSLMODE); call "
                              "Database::applyEnvironment first.");
                }
            } else {
                throw bad("the parameter '" + key + "' is not supported.");
            }
        }
    } else {
        std::istringstream in(url);
        std::string pair;
        while (in >> pair) {
            auto eq = pair.find('=');
            if (eq == std::string::npos || eq == 0) throw bad("expected key=value pairs.");
            kv[pair.substr(0, eq)] = pair.substr(eq + 1);
        }
    }
    if (!kv.count("connect_timeout")) kv["connect_timeout"] = "5";
    std::string out;
    for (const auto& [key, value] : kv) {
        if (value.empty() || value.find_first_of(" \t'\\") != std::string::npos) {
            throw bad("the value of '" + key + "' is empty or contains spaces or quotes.");
        }
        if (!out.empty()) out += ' ';
        out += key + "=" + value;
    }
    return out;
}

/// The session the pool lent, behind its PooledSessionImpl: Poco keeps the accessor protected,
/// and a pointer to it formed in a derived class may be applied to any PooledSessionImpl.
struct PooledAccess : Poco::Data::PooledSessionImpl {
    static Poco::Data::SessionImpl* real(Poco::Data::PooledSessionImpl& pooled) {
        return (pooled.*(&PooledAccess::impl))();
    }
};

}  // namespace

PGconn* postgresConnection(Database::Impl& db, Poco::Data::Session& session) {
    if (db.dialect != Dialect::PostgreSQL) return nullptr;
    Poco::Data::SessionImpl* impl = session.impl();
    if (auto* pooled = dynamic_cast<Poco::Data::PooledSessionImpl*>(impl)) {
        impl = PooledAccess::real(*pooled);
    }
    auto* pg = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(impl);
    if (pg == nullptr) return nullptr;
    Poco::Data::PostgreSQL::SessionHandle& handle = pg->handle();
    return handle.isConnected() ? static_cast<PGconn*>(handle) : nullptr;
}

void executeSimple(Database::Impl& db, Poco::Data::Session& session, const char* sql) {
    PGconn* connection = postgresConnection(db, session);
    if (connection == nullptr) {
        session << sql, now;
        return;
    }
    PGresult* result = PQexec(connection, sql);
    std::unique_ptr<PGresult, decltype(&PQclear)> owned(result, &PQclear);
    if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
        throw Poco::Data::DataException(
            std::string(sql) + ": " +
            (result ? PQresultErrorMessage(result) : PQerrorMessage(connection)));
    }
    // A COMMIT of a transaction an earlier statement aborted answers "ROLLBACK", not an error.
    if (std::string_view(sql) == "COMMIT" && std::string_view(PQcmdStatus(result)) != "COMMIT") {
        throw Poco::Data::DataException("COMMIT rolled back: the transaction had failed.");
    }
}

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

LeasedSession Database::Impl::session() {
    if (!slots->try_acquire_for(wait)) {
        throw Error(codes::kDatabase, "The database is busy; try again in a moment.",
                    "no pooled session became free within " + std::to_string(wait.count()) +
                        " ms (db_pool " + std::to_string(pool->capacity()) + ")");
    }
    try {
        return LeasedSession(*slots, *pool);
    } catch (...) {
        // The PoolSlot base, already built when pool.get() threw, has released the slot.
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
    : db_(db), session_(session) {
    executeSimple(db_, session_, db.dialect == Dialect::SQLite ? "BEGIN IMMEDIATE" : "BEGIN");
}

SqlTransaction::~SqlTransaction() {
    if (done_) return;
    try {
        executeSimple(db_, session_, "ROLLBACK");
    } catch (...) {
        // The connection is broken; the server rolls back on disconnect.
    }
}

void SqlTransaction::commit() {
    executeSimple(db_, session_, "COMMIT");
    done_ = true;
}

void Database::applyEnvironment(const std::string& url) {
    std::string mode = sslModeOf(url);
    if (!mode.empty()) setenv("PGSSLMODE", mode.c_str(), 1);
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::open(const std::string& url, int maxSessions,
                                         std::chrono::milliseconds wait) {
    registerConnectors();
    if (maxSessions < 1) throw Error(codes::kConfigInvalid, "db_pool must be at least 1.");
    auto impl = std::make_unique<Impl>();
    impl->slots = std::make_unique<std::counting_semaphore<>>(maxSessions);
    impl->wait = wait;
    impl->displayName = redact(url);
    try {
        if (url.rfind("sqlite:", 0) == 0) {
            std::string path = url.substr(7);
            if (path.empty()) {
                throw Error(codes::kConfigInvalid, "The SQLite database path is empty.");
            }
            // Poco's SQLite connector retries a failing open for 60 s; fail at once instead.
            std::error_code ec;
            auto parent = std::filesystem::path(path).parent_path();
            if (parent.empty()) parent = ".";
            if (!std::filesystem::is_directory(parent, ec) ||
                (std::filesystem::exists(path, ec) &&
                 !std::filesystem::is_regular_file(path, ec))) {
                throw Error(codes::kDatabase,
                            "Cannot open the SQLite database " + path +
                                ": its directory does not exist or it is not a file.");
            }
            impl->dialect = Dialect::SQLite;
            impl->pool = std::make_unique<SqlitePool>(path, maxSessions);
        } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 ||
                   url.find('=') != std::string::npos) {
            impl->dialect = Dialect::PostgreSQL;
            impl->pool = std::make_unique<Poco::Data::SessionPool>(
                "postgresql", postgresConnectionString(url, impl->displayName), 1, maxSessions, 60);
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
            throw Error(codes::kDatabase, "Cannot reach the database " + impl_->displayName + ".",
                        e.detail());
        }
    }
}

}  // namespace dossier::storage
