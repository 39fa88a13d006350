// Runs on SQLite and on PostgreSQL (DOSSIER_TEST_BACKEND), see tests/CMakeLists.txt.
#include <gtest/gtest.h>

#include <thread>

#include <Poco/Data/DataException.h>

#include "DatabaseImpl.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/DocumentRepository.h"
#include "dossier/storage/Migrator.h"

using namespace dossier;
using namespace dossier::test;

namespace {

class DatabaseTest : public ::testing::Test {
  protected:
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::unique_ptr<storage::Database> db = storage::Database::open(testDb.url(), 8);
};

Document sampleDocument(const std::string& id, const std::string& sha, const std::string& name) {
    Document d;
    d.id = id;
    d.sha256 = sha;
    d.size = 1234567890123ULL;  // needs 64 bits
    d.mediaType = MediaType::Pdf;
    d.kind = DocumentKind::Commitment;
    d.originalName = name;
    d.createdAtMicros = 1'743'469'200'123'456;
    return d;
}

}  // namespace

TEST_F(DatabaseTest, DialectMatchesBackend) {
    EXPECT_EQ(db->dialect(), TestDatabase::backendFromEnvironment() == "postgres"
                                 ? storage::Dialect::PostgreSQL
                                 : storage::Dialect::SQLite);
}

TEST_F(DatabaseTest, MigrationsApplyOnceAndRecordTheirVersions) {
    storage::Migrator migrator(*db);
    EXPECT_TRUE(migrator.appliedVersions().empty());
    auto applied = migrator.migrate();
    ASSERT_FALSE(applied.empty());
    EXPECT_EQ(applied.front(), 1);
    EXPECT_EQ(applied.back(), storage::Migrator::latestVersion());
    EXPECT_TRUE(migrator.migrate().empty());
    EXPECT_EQ(migrator.appliedVersions(), applied);
}

TEST_F(DatabaseTest, ConcurrentMigratorsDoNotCollide) {
    std::vector<std::vector<int>> results(4);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            try {
                results[i] = storage::Migrator(*db).migrate();
            } catch (const Error& e) {
                ++failures;
                ADD_FAILURE() << e.message() << " " << e.detail();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    int appliers = 0;
    for (const auto& r : results) appliers += r.empty() ? 0 : 1;
    EXPECT_EQ(appliers, 1);
}

// Migration 20 (leader candidates certified with their certificate) on a database that has
// leader rows: SQLite rebuilds the table under its children's foreign keys, PostgreSQL swaps
// its CHECKs; candidates certified before it read certified (or revoked), nothing is lost.
TEST_F(DatabaseTest, MigrationTwentyCertifiesTheCandidatesIssuedBeforeIt) {
    storage::Migrator migrator(*db);
    migrator.migrate(19);
    testDb.exec(
        "INSERT INTO organizations (id, name, credit_code, created_at_us) VALUES "
        "('org1', '广州精科电器有限公司', '91440116MA59B21T31', 1)");
    testDb.exec(
        "INSERT INTO accounts (id, username, username_key, phone, display_name, role, "
        "organization_id, password_hash, created_at_us) VALUES ('acc1', 'lp01', 'lp01', "
        "'13900000001', 'lp01', 'applicant', 'org1', 'x', 1)");
    for (const char* id : {"live", "gone", "wait"}) {
        testDb.exec(std::string("INSERT INTO leader_candidates (id, organization_id, kind, "
                                "product_id, product_name, standard_number, standard_name, "
                                "values_json, benchmark_json, star_level, state, "
                                "notice_starts_on, notice_ends_on, created_by, created_at_us, "
                                "updated_at_us) VALUES ('") +
                    id + "', 'org1', 'leader', 'p', '断路器', 'Q/" + id +
                    "', 's', '{}', '{}', 5, 'notice', '2026-03-01', '2026-03-14', 'acc1', 1, 1)");
        testDb.exec(std::string("INSERT INTO leader_models (candidate_id, model, position, "
                                "added_at_us) VALUES ('") +
                    id + "', 'DZ47', 1, 1)");
    }
    testDb.exec(
        "INSERT INTO leader_objections (id, candidate_id, text, contact, lodged_at_us, "
        "state, resolution, resolved_at_us) VALUES ('o1', 'live', 't', 'c', 1, "
        "'dismissed', 'r', 2)");
    for (const char* number : {"LP-LIVE", "LP-GONE"}) {
        bool revoked = std::string(number) == "LP-GONE";
        testDb.exec(std::string("INSERT INTO certificates (number, candidate_id, "
                                "organization_id, enterprise_name, credit_code, product_id, "
                                "product_name, domain, standard_number, standard_name, "
                                "evaluation_body, star_level, issued_on, valid_until, "
                                "issued_at_us, key_id, signature, unstamped_sha256, "
                                "revoked_at_us, revoked_on, revoked_reason) VALUES ('") +
                    number + "', '" + (revoked ? "gone" : "live") +
                    "', 'org1', 'e', 'c', 'p', 'n', 'd', 's', 's', 'b', 5, '2026-03-15', "
                    "'2027-03-14', 1, 'k', 'sig', 'sha', " +
                    (revoked ? "5, '2026-04-01', 'why')" : "NULL, NULL, NULL)"));
    }

    EXPECT_EQ(migrator.migrate(), std::vector<int>{20});
    EXPECT_EQ(testDb.queryTexts("SELECT id || ':' || state FROM leader_candidates ORDER BY id"),
              (std::vector<std::string>{"gone:revoked", "live:certified", "wait:notice"}));
    EXPECT_EQ(testDb.queryTexts("SELECT DISTINCT kind FROM certificates"),
              std::vector<std::string>{"leader"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM leader_models"),
              std::vector<std::string>{"3"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM leader_objections"),
              std::vector<std::string>{"1"});
    if (db->dialect() == storage::Dialect::SQLite) {
        EXPECT_TRUE(testDb.queryTexts("PRAGMA foreign_key_check").empty());
        EXPECT_TRUE(testDb
                        .queryTexts("SELECT name FROM sqlite_master WHERE name = "
                                    "'leader_candidates_v19'")
                        .empty());
    }
    // The rebuilt table keeps its rules: the live index and the transition trigger.
    EXPECT_ANY_THROW(testDb.exec(
        "INSERT INTO leader_candidates (id, organization_id, kind, product_id, product_name, "
        "standard_number, standard_name, values_json, benchmark_json, star_level, state, "
        "created_by, created_at_us, updated_at_us) VALUES ('again', 'org1', 'leader', 'p', 'n', "
        "'Q/live', 's', '{}', '{}', 5, 'submitted', 'acc1', 1, 1)"));
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE leader_candidates SET state = 'certified' WHERE id = 'wait'"));
    testDb.exec(
        "UPDATE leader_candidates SET state = 'refused', notice_starts_on = NULL, "
        "notice_ends_on = NULL WHERE id = 'wait'");
}

TEST_F(DatabaseTest, DocumentRowsRoundTripRareCharactersAndMetacharacters) {
    storage::Migrator(*db).migrate();
    storage::DocumentRepository repo(*db);
    std::string sha(64, 'a');
    // 𠮷 (U+20BB7, outside the BMP), quotes, a ? placeholder lookalike and SQL.
    std::string name = "\xF0\xA0\xAE\xB7野家'; DROP TABLE documents;-- ?$1.pdf";
    auto d = sampleDocument("01J0000000000000000000000A", sha, name);
    repo.insert(d);
    auto e = sampleDocument("01J0000000000000000000000B", sha, "同一文件.pdf");  // same blob
    repo.insert(e);
    auto found = repo.find(d.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->originalName, name);
    EXPECT_EQ(found->size, d.size);
    EXPECT_EQ(found->createdAtMicros, d.createdAtMicros);
    EXPECT_EQ(found->mediaType, MediaType::Pdf);
    EXPECT_EQ(found->kind, DocumentKind::Commitment);
    EXPECT_EQ(found->sha256, sha);
    EXPECT_FALSE(repo.find("' OR '1'='1").has_value());
    EXPECT_EQ(repo.countDocuments(), 2u);
    EXPECT_EQ(repo.countBlobs(), 1u);
}

TEST_F(DatabaseTest, DuplicateIdIsRejectedAndChangesNothing) {
    storage::Migrator(*db).migrate();
    storage::DocumentRepository repo(*db);
    repo.insert(sampleDocument("01J0000000000000000000000C", std::string(64, 'b'), "a.pdf"));
    try {
        repo.insert(sampleDocument("01J0000000000000000000000C", std::string(64, 'c'), "b.pdf"));
        FAIL() << "duplicate id accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "storage.database");
    }
    // The transaction rolled back: the second blob row is not there either.
    EXPECT_EQ(repo.countBlobs(), 1u);
    EXPECT_EQ(repo.countDocuments(), 1u);
}

TEST_F(DatabaseTest, TheAuditLogRefusesUpdateAndDeleteFromAnyClient) {
    storage::Migrator(*db).migrate();
    storage::AuditRepository audit(*db);
    audit.append({"01JAUDIT0000000000000000001", 1'743'469'200'000'000, "", "document.download",
                  "document:x", R"({"variant":"original"})"});
    for (const char* sql :
         {"UPDATE audit_log SET action = 'nothing.happened'", "DELETE FROM audit_log",
          "UPDATE audit_log SET detail_json = '{}' WHERE target = 'document:x'"}) {
        EXPECT_ANY_THROW(testDb.exec(sql)) << sql;
    }
    if (db->dialect() == storage::Dialect::PostgreSQL) {
        EXPECT_ANY_THROW(testDb.exec("TRUNCATE audit_log"));
    }
    auto rows = audit.forTarget("document:x");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].action, "document.download");
    EXPECT_EQ(rows[0].detailJson, R"({"variant":"original"})");
    // Appending still works.
    audit.append({"01JAUDIT0000000000000000002", 1'743'469'200'000'001, "", "document.preview",
                  "document:x", "{}"});
    EXPECT_EQ(audit.forTarget("document:x").size(), 2u);
}

TEST_F(DatabaseTest, AnUploadAndItsAuditEntryCommitTogetherOrNotAtAll) {
    storage::Migrator(*db).migrate();
    storage::DocumentRepository repo(*db);
    storage::AuditRepository audit(*db);
    const std::string sha(64, 'a');
    storage::AuditEntry entry{"01JAUDIT0000000000000000003",
                              1'743'469'200'000'000,
                              "",
                              "document.upload",
                              "document:01JDOC00000000000000000001",
                              "{}"};
    repo.insert(sampleDocument("01JDOC00000000000000000001", sha, "a.pdf"), {}, entry);
    EXPECT_TRUE(repo.find("01JDOC00000000000000000001").has_value());
    EXPECT_EQ(audit.forTarget(entry.target).size(), 1u);
    // The second upload's audit row cannot be written (its id is taken): the document and its
    // checks must not be recorded either.
    storage::CheckRow job;
    job.checkName = "quality";
    job.inputJson = "{}";
    entry.target = "document:01JDOC00000000000000000002";
    EXPECT_THROW(
        repo.insert(sampleDocument("01JDOC00000000000000000002", sha, "b.pdf"), {job}, entry),
        Error);
    EXPECT_FALSE(repo.find("01JDOC00000000000000000002").has_value());
    EXPECT_EQ(repo.countDocuments(), 1u);
    EXPECT_TRUE(audit.forTarget(entry.target).empty());
}

// PostgreSQL answers the COMMIT of a transaction an earlier statement aborted with the tag
// "ROLLBACK" and no error: code that caught the failure and went on would report success for
// changes that were thrown away. The wrapper makes that COMMIT throw. SQLite aborts only the
// failed statement, so there the transaction commits what succeeded.
TEST_F(DatabaseTest, ACommitAfterAFailedStatementNeverReportsSuccessForLostChanges) {
    auto& impl = db->impl();
    auto session = impl.session();
    storage::executeSimple(impl, session, "CREATE TABLE commit_probe (id INTEGER PRIMARY KEY)");
    {
        storage::SqlTransaction tx(impl, session);
        storage::executeSimple(impl, session, "INSERT INTO commit_probe VALUES (1)");
        storage::executeSimple(impl, session, "INSERT INTO commit_probe VALUES (2)");
        EXPECT_ANY_THROW(
            storage::executeSimple(impl, session, "INSERT INTO commit_probe VALUES (1)"));
        if (db->dialect() == storage::Dialect::PostgreSQL) {
            EXPECT_THROW(tx.commit(), Poco::Data::DataException);
        } else {
            tx.commit();
        }
    }
    int rows = -1;
    session << "SELECT COUNT(*) FROM commit_probe", Poco::Data::Keywords::into(rows),
        Poco::Data::Keywords::now;
    EXPECT_EQ(rows, db->dialect() == storage::Dialect::PostgreSQL ? 0 : 2);
}

TEST(DatabaseOpen, UnreachableOrInvalidDatabaseFailsClearly) {
    try {
        storage::Database::open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "storage.database");
        EXPECT_NE(e.message().find("127.0.0.1"), std::string::npos) << e.message();
    }
    try {
        storage::Database::open("postgresql://user:secret@127.0.0.1:1/none?connect_timeout=2");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.message().find("secret"), std::string::npos) << "password leaked";
    }
    EXPECT_THROW(storage::Database::open("mysql://x"), Error);
    EXPECT_THROW(storage::Database::open("sqlite:/nonexistent-dir/sub/x.db"), Error);
}
