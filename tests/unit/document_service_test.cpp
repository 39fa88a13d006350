// The ingest use case with a real database (SQLite or PostgreSQL) and an injectable
// filesystem: a refused or failed upload leaves no blob, no temp file and no row.
#include <gtest/gtest.h>

#include <filesystem>

#include "FaultInjectingFileSystem.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/evidence/OcrEngine.h"

using namespace dossier;
using namespace dossier::test;
using Fault = FaultInjectingFileSystem::Fault;

namespace {

class DocumentServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        config.auth.passwordIterations = 1000;
        services = app::Services::open(config, fs);
        owner = services->auth().registerApplicant({"jingke01", "Secret-2025", "13800000001",
                                                    "李明", "广州精科医学检验所有限公司",
                                                    "91440116MA59B21T31"});
    }

    Document upload(const std::string& bytes, const std::string& kind, const std::string& name,
                    const Viewer* as = nullptr) {
        auto upload = services->documents().beginUpload();
        upload->write(bytes.data(), bytes.size());
        filing::UploadClaims claims;
        claims.kind = kind;
        claims.fileName = name;
        return services->documents().completeUpload(as ? *as : owner, std::move(upload), claims);
    }

    std::string refusalCode(const std::string& bytes, const std::string& kind,
                            const std::string& name) {
        try {
            upload(bytes, kind, name);
        } catch (const Error& e) {
            return std::string(e.code().text());
        }
        return "accepted";
    }

    void expectNothingStored() {
        EXPECT_TRUE(listFilesRecursive(config.blobDirectory()).empty());
        EXPECT_EQ(services->documentRows().countDocuments(), 0u);
        EXPECT_EQ(services->documentRows().countBlobs(), 0u);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FaultInjectingFileSystem> fs = std::make_shared<FaultInjectingFileSystem>();
    app::Config config;
    std::unique_ptr<app::Services> services;
    Viewer owner;
};

}  // namespace

TEST_F(DocumentServiceTest, AcceptedUploadIsDurableBlobPlusRow) {
    std::string pdf = makePdf();
    Document d = upload(pdf, "commitment", "承诺书.pdf");
    EXPECT_EQ(d.mediaType, MediaType::Pdf);
    EXPECT_EQ(services->documents().get(owner, d.id).sha256, d.sha256);
    EXPECT_EQ(d.organizationId, owner.organizationId);
    EXPECT_EQ(services->documents().find(d.id).uploadedBy, owner.accountId);
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), 1u);
}

TEST_F(DocumentServiceTest, InjectedFaultBetweenWriteAndRenameLeavesNoBlobNoRow) {
    for (Fault fault : {Fault::Sync, Fault::Rename, Fault::SyncDirectory}) {
        fs->arm(fault);
        std::string code =
            refusalCode(makePdf() + std::to_string(static_cast<int>(fault)), "proof", "p.pdf");
        EXPECT_EQ(code, "storage.io");
        fs->arm(Fault::None);
        if (fault == Fault::SyncDirectory) {
            // The rename happened but was not acknowledged: the blob may exist, but no row
            // points at it, and the start-up sweep removes it.
            EXPECT_EQ(services->documentRows().countDocuments(), 0u);
            EXPECT_LE(services->collectOrphanBlobs(), 1u);
            expectNothingStored();
        } else {
            expectNothingStored();
        }
    }
}

TEST_F(DocumentServiceTest, DiskFullWhileStreamingLeavesNothing) {
    auto up = services->documents().beginUpload();
    fs->arm(Fault::Write);
    std::string chunk(4096, 'x');
    EXPECT_THROW(up->write(chunk.data(), chunk.size()), Error);
    up.reset();
    fs->arm(Fault::None);
    expectNothingStored();
}

TEST_F(DocumentServiceTest, RefusalsLeaveNothing) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    EXPECT_EQ(refusalCode("", "license", "a.jpg"), "upload.empty");
    EXPECT_EQ(refusalCode(jpeg, "passport", "a.jpg"), "upload.kind_unknown");
    EXPECT_EQ(refusalCode(jpeg, "", "a.jpg"), "upload.kind_unknown");
    EXPECT_EQ(refusalCode(jpeg, "import", "a.jpg"), "upload.type_not_allowed");
    EXPECT_EQ(refusalCode(makeDocx(), "license", "a.docx"), "upload.type_not_allowed");
    EXPECT_EQ(refusalCode(jpeg.substr(0, jpeg.size() / 2), "license", "a.jpg"), "upload.truncated");
    EXPECT_EQ(refusalCode(std::string((5 << 20) + 1, 'x'), "license", "big.jpg"),
              "upload.too_large");
    expectNothingStored();
}

TEST_F(DocumentServiceTest, StreamingPastTheLargestLimitIsCutOff) {
    auto up = services->documents().beginUpload();
    std::string chunk(1 << 20, 'x');
    try {
        for (int i = 0; i < 64; ++i) up->write(chunk.data(), chunk.size());
        FAIL() << "no limit while streaming";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "upload.too_large");
    }
    EXPECT_LE(up->size(), 20u << 20);
    up.reset();
    expectNothingStored();
}

TEST_F(DocumentServiceTest, SameBytesTwiceOneBlobTwoDocuments) {
    std::string pdf = makePdf();
    Document a = upload(pdf, "proof", "a.pdf");
    Document b = upload(pdf, "evidence", "b.pdf");
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(a.sha256, b.sha256);
    EXPECT_EQ(services->documentRows().countBlobs(), 1u);
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), 1u);
}

TEST_F(DocumentServiceTest, EmptyOrHostileNamesGetASafeDefault) {
    Document d = upload(makePdf(), "proof", "../../");
    EXPECT_EQ(d.originalName, "document.pdf");
    Document e = upload(makePdf(), "proof", "..\\..\\windows\\证明.pdf");
    EXPECT_EQ(e.originalName, "证明.pdf");
}

TEST_F(DocumentServiceTest, CheckJobsSurviveACrashAndExpiredLeases) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    Document d = upload(jpeg, "evidence", "scan.jpg");  // quality + text
    auto& rows = services->checkRows();
    ASSERT_EQ(rows.forDocument(d.id).size(), 2u);
    EXPECT_EQ(rows.countPending(), 2u);

    const std::int64_t t0 = 1'900'000'000'000'000, lease = 60'000'000;
    constexpr int kMax = filing::CheckRunner::kMaxAttempts;
    auto first = rows.claimNext(t0, t0 - lease, kMax);
    auto second = rows.claimNext(t0, t0 - lease, kMax);
    ASSERT_TRUE(first && second);
    EXPECT_NE(first->checkName, second->checkName);
    EXPECT_EQ(first->attempts, 1);
    // Claimed and leased: nobody else gets them...
    EXPECT_FALSE(rows.claimNext(t0 + 1, t0 + 1 - lease, kMax).has_value());
    // ...until a lease expires (the worker died): then the check runs again.
    auto again = rows.claimNext(t0 + 2 * lease, t0 + lease, kMax);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->attempts, 2);
    // A restart of the single SQLite node releases claims at once.
    EXPECT_EQ(rows.releaseAllClaims(t0 + 3 * lease), 2u);
    for (const auto& row : rows.forDocument(d.id)) EXPECT_EQ(row.state, "pending");

    // The runner completes them, and the results are stored.
    std::unique_ptr<evidence::OcrEngine> ocr;
    EXPECT_TRUE(services->checkRunner().runOne(ocr));
    EXPECT_TRUE(services->checkRunner().runOne(ocr));
    EXPECT_FALSE(services->checkRunner().runOne(ocr));
    for (const auto& row : rows.forDocument(d.id)) {
        EXPECT_EQ(row.state, "done") << row.checkName;
        if (row.checkName == "quality") {
            EXPECT_EQ(row.code, "quality.low_resolution");  // 1091 px wide: ~94 dpi on A4
            EXPECT_NE(row.resultJson.find("\"check\":\"quality\""), std::string::npos);
        } else {
            EXPECT_EQ(row.code, "text.extracted");
        }
    }
    auto text = rows.text(d.id, 1);
    ASSERT_TRUE(text.has_value());
    EXPECT_NE(text->find("统一社会信用代码"), std::string::npos) << *text;
    EXPECT_EQ(rows.countPending(), 0u);
}

TEST_F(DocumentServiceTest, RepeatedFailuresEndInAStoredFailedResult) {
    Document d = upload(readFile(fixturePath("real/yyzz_template_generator-tools.jpg")), "evidence",
                        "scan.jpg");
    auto& rows = services->checkRows();
    constexpr int kMax = filing::CheckRunner::kMaxAttempts;
    std::int64_t t = 1'900'000'000'000'000;
    for (int attempt = 1; attempt <= kMax; ++attempt) {
        for (int job = 0; job < 2; ++job) {
            auto claimed = rows.claimNext(t, t - 1'000'000, kMax);
            ASSERT_TRUE(claimed.has_value()) << attempt;
            EXPECT_EQ(claimed->attempts, attempt);
            rows.fail(*claimed, codes::kStorageIo, R"({"check":"x","status":"fail"})", kMax, t);
            t += 10;
        }
    }
    EXPECT_FALSE(rows.claimNext(t, t - 1'000'000, kMax).has_value());
    for (const auto& row : rows.forDocument(d.id)) {
        EXPECT_EQ(row.state, "error");
        EXPECT_EQ(row.status, "fail");
        EXPECT_EQ(row.code, "storage.io");
        EXPECT_FALSE(row.resultJson.empty());
    }
}

// A file that kills its worker (or a node that keeps restarting) must not be claimed forever:
// the claim counts attempts even when no worker lives to report a failure, and the start-up
// release of a single SQLite node cannot reset them.
TEST_F(DocumentServiceTest, ACheckWhoseWorkerKeepsDyingIsAbandonedNotRetriedForever) {
    Document d = upload(makePdf(), "evidence", "p.pdf");  // quality + text
    auto& rows = services->checkRows();
    constexpr int kMax = filing::CheckRunner::kMaxAttempts;
    const std::int64_t lease = 60'000'000;
    std::int64_t t = 1'900'000'000'000'000;
    int claims = 0;
    for (int crash = 0; crash < 10; ++crash) {
        while (rows.claimNext(t, t - lease, kMax)) ++claims;  // ...and the worker dies
        if (crash % 2 == 0) {
            rows.releaseAllClaims(t);  // a restart of the single SQLite node
        } else {
            t += 2 * lease;  // another node sees the lease expire
        }
        t += 10;
    }
    EXPECT_EQ(claims, 2 * kMax);
    EXPECT_FALSE(rows.claimNext(t + 10 * lease, t + 9 * lease, kMax).has_value());
    EXPECT_EQ(rows.countPending(), 0u);
    for (const auto& row : rows.forDocument(d.id)) {
        EXPECT_EQ(row.state, "error") << row.checkName;
        EXPECT_EQ(row.status, "fail");
        EXPECT_EQ(row.code, "check.abandoned");
        EXPECT_NE(row.resultJson.find("\"check\":\"" + row.checkName + "\""), std::string::npos)
            << row.resultJson;
    }
}

// A license check with nothing to compare with used to read the code and pass; a job whose
// input is not JSON used to run with defaults. Both are failed checks now, stored at once.
TEST_F(DocumentServiceTest, AnUnusableJobInputFailsTheCheckInsteadOfPassing) {
    Document base = upload(readFile(fixturePath("real/yyzz_template_generator-tools.jpg")),
                           "evidence", "scan.jpg");
    std::unique_ptr<evidence::OcrEngine> ocr;
    while (services->checkRunner().runOne(ocr)) {
    }
    Document d = base;
    d.id = services->ids().next();
    d.kind = DocumentKind::License;
    std::vector<storage::CheckRow> jobs(3);
    jobs[0].checkName = "license";
    jobs[0].inputJson = R"({"declared_name":"广州精科医学检验所有限公司"})";  // no code
    jobs[1].checkName = "quality";
    jobs[1].inputJson = "not json";
    jobs[2].checkName = "fingerprint";  // a check this server does not know
    jobs[2].inputJson = "{}";
    services->documentRows().insert(d, jobs);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(services->checkRunner().runOne(ocr));
    EXPECT_FALSE(services->checkRunner().runOne(ocr));  // none is left to retry
    auto rows = services->checkRows().forDocument(d.id);
    ASSERT_EQ(rows.size(), 3u);
    for (const auto& row : rows) {
        EXPECT_EQ(row.state, "error") << row.checkName;
        EXPECT_EQ(row.status, "fail") << row.checkName;
        EXPECT_EQ(row.code,
                  row.checkName == "fingerprint" ? "check.unknown" : "check.input_invalid")
            << row.checkName;
        EXPECT_EQ(row.attempts, 1) << row.checkName;
    }
}

TEST_F(DocumentServiceTest, OrphanSweepKeepsEveryRecordedBlobAndNothingElse) {
    Document kept = upload(makePdf(), "proof", "p.pdf");
    // A blob without a row, as a crash after its rename would leave it; and a stranger.
    auto staged = services->blobs().stage();
    std::string orphan = makePdf() + "orphan";
    staged->write(orphan.data(), orphan.size());
    auto stored = services->blobs().commit(*staged);
    std::string strangerDir = config.blobDirectory() + "/ab/cd";
    std::filesystem::create_directories(strangerDir);
    writeFile(strangerDir + "/notes.txt", "not a blob");
    EXPECT_EQ(services->collectOrphanBlobs(), 1u);
    EXPECT_FALSE(services->blobs().contains(stored.sha256));
    EXPECT_TRUE(services->blobs().contains(kept.sha256));
    EXPECT_NO_THROW(services->blobs().verify(kept.sha256));
    EXPECT_EQ(readFile(strangerDir + "/notes.txt"), "not a blob");
    EXPECT_EQ(services->collectOrphanBlobs(), 0u);
}

TEST_F(DocumentServiceTest, OnlyTheOwnerAndReviewersSeeADocument) {
    Document d = upload(makePdf(), "proof", "p.pdf");
    Viewer other =
        services->auth().registerApplicant({"other001", "Secret-2025", "13800000002", "王五",
                                            "北京某某有限公司", "91110000600037341L"});
    Viewer reviewer = services->auth().createStaff(
        {"review01", "Secret-2025", "13900000001", "审查员", Role::Reviewer});
    Viewer operatorAccount = services->auth().createStaff(
        {"ops00001", "Secret-2025", "13900000002", "运维", Role::Operator});
    EXPECT_NO_THROW(services->documents().get(reviewer, d.id));
    for (const Viewer* v : {&other, &operatorAccount}) {
        try {
            services->documents().get(*v, d.id);
            ADD_FAILURE() << v->username << " sees another organization's document";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "document.not_found");  // not even its existence
        }
    }
    // Staff do not upload: refused before anything is stored.
    std::size_t before = listFilesRecursive(config.blobDirectory()).size();
    for (const Viewer* v : {&reviewer, &operatorAccount}) {
        try {
            upload(makePdf() + "x", "proof", "p.pdf", v);
            ADD_FAILURE() << v->username << " uploaded";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "auth.forbidden");
        }
    }
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), before);
    EXPECT_EQ(services->documentRows().countDocuments(), 1u);
}

// Rows are kept in memory once read (DocumentCache): what is kept is the row as committed,
// access is still decided per viewer, and an id not found is not remembered, so a document
// committed by another node is found at once.
TEST_F(DocumentServiceTest, RowsKeptInMemoryAreExactAndAnUnknownIdIsAskedAgain) {
    Document d = upload(makePdf(), "proof", "证明材料.pdf");
    for (int i = 0; i < 2; ++i) {
        Document again = services->documents().get(owner, d.id);
        EXPECT_EQ(again.sha256, d.sha256);
        EXPECT_EQ(again.size, d.size);
        EXPECT_EQ(again.originalName, "证明材料.pdf");
        EXPECT_EQ(again.organizationId, owner.organizationId);
        EXPECT_EQ(again.uploadedBy, owner.accountId);
        EXPECT_EQ(again.createdAtMicros, d.createdAtMicros);
    }
    Viewer other =
        services->auth().registerApplicant({"other001", "Secret-2025", "13800000002", "王五",
                                            "北京某某有限公司", "91110000600037341L"});
    EXPECT_THROW(services->documents().get(other, d.id), Error);

    std::string id = services->ids().next();
    try {
        services->documents().find(id);
        ADD_FAILURE() << "an unknown id was found";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "document.not_found");
    }
    // Another node commits a document with that id (the same bytes, so the blob exists).
    Document elsewhere = d;
    elsewhere.id = id;
    services->documentRows().insert(elsewhere);
    EXPECT_EQ(services->documents().get(owner, id).sha256, d.sha256);
}
