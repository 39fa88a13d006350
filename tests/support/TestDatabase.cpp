#include "TestDatabase.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace dossier::test {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

void execPostgres(const std::string& dbname, const std::string& sql) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    // Poco's connector wants libpq keywords, not a URI (see storage/src/Database.cpp).
    std::string keywords = "host=" + env("DOSSIER_TEST_PG_HOST") +
                           " port=" + env("DOSSIER_TEST_PG_PORT") +
                           " user=" + env("DOSSIER_TEST_PG_USER") + " dbname=" + dbname;
    Poco::Data::Session session("postgresql", keywords);
    session << sql, Poco::Data::Keywords::now;
}

std::vector<std::string> queryPostgres(const std::string& dbname, const std::string& sql) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    std::string keywords = "host=" + env("DOSSIER_TEST_PG_HOST") +
                           " port=" + env("DOSSIER_TEST_PG_PORT") +
                           " user=" + env("DOSSIER_TEST_PG_USER") + " dbname=" + dbname;
    Poco::Data::Session session("postgresql", keywords);
    std::vector<std::string> out;
    session << sql, Poco::Data::Keywords::into(out), Poco::Data::Keywords::now;
    return out;
}

void execMaintenance(const std::string& sql) { execPostgres("postgres", sql); }

}  // namespace

std::string TestDatabase::backendFromEnvironment() {
    std::string b = env("DOSSIER_TEST_BACKEND");
    return b.empty() ? "sqlite" : b;
}

std::string TestDatabase::postgresUrl(const std::string& dbname) {
    std::string host = env("DOSSIER_TEST_PG_HOST"), port = env("DOSSIER_TEST_PG_PORT");
    std::string user = env("DOSSIER_TEST_PG_USER");
    if (host.empty() || port.empty()) {
        throw std::runtime_error(
            "PostgreSQL tests need the cluster from scripts/test.sh "
            "(DOSSIER_TEST_PG_HOST/PORT/USER are not set)");
    }
    return "postgresql://" + (user.empty() ? std::string("test") : user) + "@/" + dbname +
           "?host=" + host + "&port=" + port;
}

TestDatabase::TestDatabase(const std::string& backend, const std::string& dir) : backend_(backend) {
    if (backend == "sqlite") {
        url_ = "sqlite:" + dir + "/dossier.db";
        return;
    }
    if (backend != "postgres") throw std::runtime_error("unknown test backend " + backend);
    std::random_device rd;
    name_ = "dossier_test_" + std::to_string(rd()) + std::to_string(rd() % 100000);
    execMaintenance("CREATE DATABASE " + name_ + " ENCODING 'UTF8'");
    url_ = postgresUrl(name_);
}

void TestDatabase::exec(const std::string& sql) const {
    if (backend_ == "sqlite") {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("sqlite", url_.substr(7));
        session << sql, Poco::Data::Keywords::now;
        return;
    }
    execPostgres(name_, sql);
}

std::vector<std::string> TestDatabase::queryTexts(const std::string& sql) const {
    if (backend_ == "sqlite") {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("sqlite", url_.substr(7));
        std::vector<std::string> out;
        session << sql, Poco::Data::Keywords::into(out), Poco::Data::Keywords::now;
        return out;
    }
    return queryPostgres(name_, sql);
}

TestDatabase::~TestDatabase() {
    if (name_.empty()) return;
    try {
        execMaintenance("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The cluster is thrown away at the end of the run anyway.
    }
}

}  // namespace dossier::test
