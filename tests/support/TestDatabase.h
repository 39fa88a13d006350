#pragma once

#include <string>
#include <vector>

namespace dossier::test {

/// A database for one test: a SQLite file in a temp dir, or a fresh PostgreSQL database in
/// the throwaway cluster that scripts/test.sh starts (DOSSIER_TEST_PG_HOST/PORT/USER),
/// dropped on destruction. `backend` is "sqlite" or "postgres".
class TestDatabase {
  public:
    TestDatabase(const std::string& backend, const std::string& dir);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    /// The DOSSIER_DATABASE value for this database.
    const std::string& url() const { return url_; }
    /// Runs `sql` on a connection of its own, outside Dossier's code (as a console session
    /// would): for tests of what the database itself enforces. Throws what Poco throws.
    void exec(const std::string& sql) const;
    /// Runs a query the same way and returns the text of each row's first column (select
    /// text: CAST numbers AS TEXT, COALESCE nulls). For tests of what a change stored.
    std::vector<std::string> queryTexts(const std::string& sql) const;

    /// The backend the suite was asked to run on (env DOSSIER_TEST_BACKEND, default sqlite).
    static std::string backendFromEnvironment();
    /// URL of the PostgreSQL maintenance database; fails the test run if no cluster is set.
    static std::string postgresUrl(const std::string& dbname);

  private:
    std::string backend_;
    std::string name_;
    std::string url_;
};

}  // namespace dossier::test
