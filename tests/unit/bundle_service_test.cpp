// The bundle use case with a real database (SQLite or PostgreSQL): an organization's files
// as one ZIP named after it, the license as its watermarked copy, the rest as uploaded,
// each download in the audit log; a reviewer's with trace-marked copies only; another
// organization's document or other staff are refused before a byte is written.
#include <gtest/gtest.h>

#include <sstream>

#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/filing/BundleService.h"
#include "dossier/filing/DerivativeService.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class BundleServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        config.auth.passwordIterations = 1000;
        config.checkWorkers = 0;  // the checks are not what is tested here
        services = app::Services::open(config);
        owner = services->auth().registerApplicant({"jingke01", "Secret-2025", "13800000001",
                                                    "李明", "广州精科医学检验所有限公司",
                                                    "91440116MA59B21T31"});
        bundles = &services->bundles();
    }

    Document upload(const std::string& bytes, const std::string& kind, const std::string& name,
                    const Viewer& as) {
        auto upload = services->documents().beginUpload();
        upload->write(bytes.data(), bytes.size());
        filing::UploadClaims claims;
        claims.kind = kind;
        claims.fileName = name;
        return services->documents().completeUpload(as, std::move(upload), claims);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    filing::BundleService* bundles = nullptr;
    Viewer owner;
};

}  // namespace

TEST_F(BundleServiceTest, TheLicenseGoesOutWatermarkedTheRestAsUploadedEachDownloadAudited) {
    std::string license = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    std::string evidence = makeTextPdf(2);
    Document lic = upload(license, "license", "营业执照.jpg", owner);
    Document ev = upload(evidence, "evidence", "检测报告.pdf", owner);
    Document ev2 = upload(makeTextPdf(3), "evidence", "检测报告.pdf", owner);

    std::string book = makeTextPdf(1);
    auto prepared = bundles->prepare(owner, "广州精科医学检验所有限公司",
                                     {{"申报书.pdf", "application/pdf", book}},
                                     {lic.id, ev.id, ev2.id}, 1745917200);
    EXPECT_EQ(prepared.archiveName, "广州精科医学检验所有限公司.zip");
    std::ostringstream out;
    auto summary = bundles->write(owner, prepared, out);

    ASSERT_EQ(summary.files.size(), 4u);
    EXPECT_EQ(summary.files[0].name, "申报书.pdf");
    EXPECT_EQ(summary.files[0].sha256, storage::Sha256::of(book));
    // The watermarked copy, under the name a download of it gets; not the original bytes.
    auto marked = services->derivatives().content(owner, lic.id, "watermarked");
    EXPECT_EQ(summary.files[1].name, marked.fileName);
    EXPECT_NE(summary.files[1].name.find("营业执照"), std::string::npos);
    EXPECT_EQ(summary.files[1].sha256, marked.document.sha256);
    EXPECT_NE(summary.files[1].sha256, lic.sha256);
    EXPECT_EQ(summary.files[2].name, "检测报告.pdf");
    EXPECT_EQ(summary.files[2].sha256, storage::Sha256::of(evidence));
    EXPECT_EQ(summary.files[3].name, "检测报告（2）.pdf");
    EXPECT_EQ(summary.files[3].sha256, ev2.sha256);

    std::string path = dir.path() + "/bundle.zip";
    writeFile(path, out.str());
    std::string py = runCommand(
        "PYTHONIOENCODING=utf-8 python3 -c " +
        shellQuote("import sys,zipfile,hashlib,json\n"
                   "z=zipfile.ZipFile(sys.argv[1])\n"
                   "m=json.loads(z.read('manifest.json'))\n"
                   "print(all(hashlib.sha256(z.read(e['name'])).hexdigest()==e['sha256'] "
                   "for e in m['entries']), len(z.namelist()), z.testzip())") +
        " " + shellQuote(path) + " 2>&1");
    EXPECT_EQ(py, "True 5 None\n");

    // Each document's download is in its history, as a single download's is.
    for (const Document* d : {&lic, &ev, &ev2}) {
        auto entries = services->audit().forTarget("document:" + d->id);
        bool downloaded = false;
        for (const auto& e : entries) downloaded = downloaded || e.action == "document.download";
        EXPECT_TRUE(downloaded) << d->originalName;
    }
}

TEST_F(BundleServiceTest, AnotherOrganizationsDocumentOrOtherStaffAreRefusedBeforeAnyByte) {
    Viewer other =
        services->auth().registerApplicant({"other001", "Secret-2025", "13800000002", "王五",
                                            "北京某某有限公司", "91110000600037341L"});
    Document mine = upload(makeTextPdf(1), "evidence", "a.pdf", owner);
    Document theirs = upload(makeTextPdf(2), "evidence", "b.pdf", other);
    try {
        bundles->prepare(owner, "广州精科医学检验所有限公司", {}, {mine.id, theirs.id}, 0);
        FAIL() << "another organization's document went into the bundle";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kDocumentNotFound);
    }
    Viewer organizer = services->auth().createStaff(
        {"organ001", "Secret-2025", "13900000002", "组织者", Role::Organizer});
    try {
        bundles->prepare(organizer, "广州精科医学检验所有限公司", {}, {mine.id}, 0);
        FAIL() << "an organizer got an organization's documents";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kDocumentNotFound);
    }
}

// A reviewer's bundle: each document as the reviewer's trace-marked review copy (a license
// with the filing mark under it), never an original; each download recorded when its bytes go
// out, with their digest.
TEST_F(BundleServiceTest, AReviewerGetsTraceMarkedCopiesOnly) {
    Document lic = upload(readFile(fixturePath("real/yyzz_template_generator-tools.jpg")),
                          "license", "营业执照.jpg", owner);
    Document ev = upload(makeTextPdf(2), "evidence", "检测报告.pdf", owner);
    Viewer reviewer = services->auth().createStaff(
        {"review01", "Secret-2025", "13900000001", "审查员", Role::Reviewer});
    auto prepared =
        bundles->prepare(reviewer, "广州精科医学检验所有限公司", {}, {lic.id, ev.id}, 1745917200);
    // Nothing recorded before the bytes go out.
    auto downloads = [&](const Document& d) {
        std::vector<storage::AuditEntry> out;
        for (auto& e : services->audit().forTarget("document:" + d.id)) {
            if (e.action == "document.download") out.push_back(e);
        }
        return out;
    };
    EXPECT_TRUE(downloads(ev).empty());
    std::ostringstream out;
    auto summary = bundles->write(reviewer, prepared, out);
    ASSERT_EQ(summary.files.size(), 2u);
    auto copy = services->derivatives().content(reviewer, ev.id, "review");
    EXPECT_EQ(summary.files[1].name, "检测报告（审查副本）.pdf");
    EXPECT_EQ(summary.files[1].sha256, copy.document.sha256);
    EXPECT_NE(summary.files[1].sha256, ev.sha256);
    auto watermarked = services->derivatives().content(owner, lic.id, "watermarked");
    EXPECT_NE(summary.files[0].name.find("（审查副本）"), std::string::npos);
    EXPECT_NE(summary.files[0].sha256, lic.sha256);
    EXPECT_NE(summary.files[0].sha256, watermarked.document.sha256) << "no trace mark";
    for (const Document* d : {&lic, &ev}) {
        auto sent = downloads(*d);
        ASSERT_EQ(sent.size(), 1u) << d->originalName;
        EXPECT_NE(sent[0].detailJson.find("\"variant\":\"review\""), std::string::npos)
            << sent[0].detailJson;
    }
    EXPECT_NE(downloads(ev)[0].detailJson.find(summary.files[1].sha256), std::string::npos);
}
