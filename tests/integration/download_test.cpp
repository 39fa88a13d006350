// Downloads as HTTP semantics see them: what an error answer carries, how private files are
// cached, and what the audit log records of what was sent. The real server on port 0; runs on
// SQLite and on PostgreSQL (DOSSIER_TEST_BACKEND), see tests/CMakeLists.txt.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <regex>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Clock.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/filing/AuthService.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/http/Server.h"
#include "dossier/storage/DerivativeRepository.h"
#include "dossier/storage/DocumentRepository.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

class DownloadTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        owner = std::make_unique<HttpTestClient>(server->port());
        owner->signUp("jingke01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31",
                      "李明");
        services->auth().createStaff(
            {"review01", HttpTestClient::kTestPassword, "13900000001", "审查员", Role::Reviewer});
        reviewer = std::make_unique<HttpTestClient>(server->port());
        EXPECT_EQ(reviewer->signIn("review01").status, 201);
        reviewerId =
            reviewer->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
        ownerId =
            owner->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    std::string upload(const std::string& bytes, const std::string& name, const std::string& kind) {
        auto r = owner->upload(bytes, name, kind);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json()->getValue<std::string>("id");
    }

    /// The document's audit entries by `accountId` with `action`, oldest first.
    std::vector<Poco::JSON::Object::Ptr> entries(const std::string& id,
                                                 const std::string& accountId,
                                                 const std::string& action) {
        std::vector<Poco::JSON::Object::Ptr> out;
        auto log = services->audit().forTarget("document:" + id);
        for (auto it = log.rbegin(); it != log.rend(); ++it) {
            if (it->accountId != accountId || it->action != action) continue;
            out.push_back(
                Poco::JSON::Parser().parse(it->detailJson).extract<Poco::JSON::Object::Ptr>());
        }
        return out;
    }

    /// An error answer names nothing of the file it did not send.
    static void expectCleanError(const HttpResult& r, int status) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
        for (const char* name : {"Content-Disposition", "ETag", "Vary", "Dossier-Copy",
                                 "Dossier-Original-Signed", "Location"}) {
            EXPECT_FALSE(r.response.has(name)) << name << ": " << r.header(name);
        }
        EXPECT_EQ(r.header("Cache-Control"), "no-store");
        EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
        EXPECT_FALSE(r.header("X-Request-Id").empty());
    }

    std::string jpeg() { return readFile(fixturePath("real/yyzz_template_generator-tools.jpg")); }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> owner, reviewer;
    std::string ownerId, reviewerId;
};

}  // namespace

TEST_F(DownloadTest, ErrorAnswersCarryNoHeadersOfTheFileTheyDidNotSend) {
    std::string bytes = jpeg();
    std::string id = upload(bytes, "营业执照.jpg", "license");
    std::string path = "/api/v1/documents/" + id + "/content";
    std::string size = std::to_string(bytes.size());

    auto beyond = owner->get(path, {{"Range", "bytes=999999999-"}});
    expectCleanError(beyond, 416);
    EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + size);  // RFC 9110 15.5.17

    auto marked = owner->get(path + "?variant=watermarked", {{"Range", "bytes=999999999-"}});
    expectCleanError(marked, 416);

    // The reviewer's traced copy: Dossier-Copy and its name were set before the range failed.
    auto review = reviewer->get(path, {{"Range", "bytes=999999999-"}});
    expectCleanError(review, 416);
    EXPECT_EQ(review.header("Content-Range").rfind("bytes */", 0), 0u);

    // Inline disposition asked for, range refused: still no file name.
    expectCleanError(owner->get(path + "?disposition=inline", {{"Range", "bytes=999999999-"}}),
                     416);

    // What an error needs of its own stays.
    auto post = owner->request("POST", path);
    expectCleanError(post, 405);
    EXPECT_NE(post.header("Allow").find("GET"), std::string::npos);
    HttpTestClient anonymous(server->port());
    auto unauthenticated = anonymous.get(path);
    expectCleanError(unauthenticated, 401);
    EXPECT_EQ(unauthenticated.header("WWW-Authenticate").rfind("Bearer", 0), 0u);

    // And the next request on the same connection is answered normally.
    auto ok = owner->get(path);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, bytes);
}

TEST_F(DownloadTest, OwnersFilesAreRevalidatedAndReviewersCopiesNeverStored) {
    std::string bytes = jpeg();
    std::string id = upload(bytes, "营业执照.jpg", "license");
    std::string path = "/api/v1/documents/" + id + "/content";
    std::string etag = "\"" + storage::Sha256::of(bytes) + "\"";

    for (const std::string& url :
         {path, path + "?variant=watermarked", "/api/v1/documents/" + id + "/pages/1.png"}) {
        SCOPED_TRACE(url);
        auto first = owner->get(url);
        ASSERT_EQ(first.status, 200) << first.body;
        // Another caller gets another variant of the same URL: a cache must ask each time.
        EXPECT_EQ(first.header("Cache-Control"), "private, no-cache");
        EXPECT_NE(first.header("Vary").find("Authorization"), std::string::npos);
        std::string tag = first.header("ETag");
        EXPECT_EQ(tag, "\"" + storage::Sha256::of(first.body) + "\"");  // strong
        auto again = owner->get(url, {{"If-None-Match", tag}});
        EXPECT_EQ(again.status, 304);
        EXPECT_TRUE(again.body.empty());
        EXPECT_EQ(again.header("ETag"), tag);
        EXPECT_EQ(again.header("Cache-Control"), "private, no-cache");
        // RFC 9110 8.6: a 304's Content-Length, if any, is the 200's.
        if (again.response.has("Content-Length")) {
            EXPECT_EQ(again.header("Content-Length"), std::to_string(first.body.size()));
        }
        EXPECT_FALSE(again.response.has("Content-Disposition"));
    }
    EXPECT_EQ(owner->get(path).header("ETag"), etag);

    for (const std::string& url : {path, "/api/v1/documents/" + id + "/pages/1.png"}) {
        SCOPED_TRACE(url);
        auto copy = reviewer->get(url);
        ASSERT_EQ(copy.status, 200) << copy.body;
        EXPECT_EQ(copy.header("Cache-Control"), "private, no-store");
        EXPECT_NE(copy.body, bytes);
    }
    // The connection still works after the 304s (no body was expected or sent).
    EXPECT_EQ(owner->get(path).body, bytes);
}

TEST_F(DownloadTest, TheAuditLogRecordsWhatWasSent) {
    std::string bytes = jpeg();
    std::string id = upload(bytes, "营业执照.jpg", "license");
    std::string path = "/api/v1/documents/" + id + "/content";
    std::string etag = "\"" + storage::Sha256::of(bytes) + "\"";

    // Nothing of the file goes out: no entry.
    EXPECT_EQ(owner->request("HEAD", path).status, 200);
    EXPECT_EQ(owner->get(path, {{"If-None-Match", etag}}).status, 304);
    EXPECT_EQ(owner->get(path, {{"Range", "bytes=999999999-"}}).status, 416);
    EXPECT_TRUE(entries(id, ownerId, "document.download").empty());

    auto whole = owner->get(path);
    ASSERT_EQ(whole.status, 200);
    auto partial = owner->get(path, {{"Range", "bytes=100-199"}});
    ASSERT_EQ(partial.status, 206);
    auto logged = entries(id, ownerId, "document.download");
    ASSERT_EQ(logged.size(), 2u);
    EXPECT_EQ(logged[0]->getValue<std::string>("variant"), "original");
    EXPECT_EQ(logged[0]->getValue<std::string>("bytes"), std::to_string(bytes.size()));
    EXPECT_FALSE(logged[0]->has("range"));
    EXPECT_EQ(logged[1]->getValue<std::string>("bytes"), "100");
    EXPECT_EQ(logged[1]->getValue<std::string>("range"), "100-199/" + std::to_string(bytes.size()));

    // A reviewer's HEAD of the traced copy and of a preview: nothing sent, nothing recorded.
    auto head = reviewer->request("HEAD", path);
    EXPECT_EQ(head.status, 200);
    EXPECT_FALSE(head.header("Content-Length").empty());
    EXPECT_EQ(reviewer->request("HEAD", "/api/v1/documents/" + id + "/pages/1.png").status, 200);
    EXPECT_TRUE(entries(id, reviewerId, "document.download").empty());
    EXPECT_TRUE(entries(id, reviewerId, "document.preview").empty());

    auto copy = reviewer->get(path);
    ASSERT_EQ(copy.status, 200);
    auto preview = reviewer->get("/api/v1/documents/" + id + "/pages/1.png");
    ASSERT_EQ(preview.status, 200);
    auto downloads = entries(id, reviewerId, "document.download");
    ASSERT_EQ(downloads.size(), 1u);
    EXPECT_EQ(downloads[0]->getValue<std::string>("variant"), "review");
    // The digest of the very bytes sent: a leaked copy leads back to this entry.
    EXPECT_EQ(downloads[0]->getValue<std::string>("sha256"), storage::Sha256::of(copy.body));
    EXPECT_EQ(downloads[0]->getValue<std::string>("bytes"), std::to_string(copy.body.size()));
    auto previews = entries(id, reviewerId, "document.preview");
    ASSERT_EQ(previews.size(), 1u);
    EXPECT_EQ(previews[0]->getValue<std::string>("sha256"), storage::Sha256::of(preview.body));
    // The owner's own previews are not audited.
    EXPECT_EQ(owner->get("/api/v1/documents/" + id + "/pages/1.png").status, 200);
    EXPECT_TRUE(entries(id, ownerId, "document.preview").empty());
}

TEST_F(DownloadTest, MarkedPdfCopiesMadeBeforeSignaturesWereRemovedAreRebuilt) {
    std::string pdf = readFile(fixturePath("pdf/signed_commitment.pdf"));
    std::string id = upload(pdf, "承诺书.pdf", "commitment");
    // A copy made before marked copies dropped signatures kept the signature field, now broken;
    // the original's bytes stand for it here (a signature pdfsig finds).
    const std::string& stale = pdf;
    // The index row an older server left: the filing mark's key of that time (v1).
    auto doc = services->documentRows().find(id);
    ASSERT_TRUE(doc.has_value());
    std::string date = formatTimestamp(doc->createdAtMicros + 8LL * 3600 * 1000000).substr(0, 10);
    storage::DerivativeRepository index(services->database());
    index.insert({doc->sha256, "watermarked|v1|仅用于备案审核|" + date, storage::Sha256::of(stale),
                  "application/pdf"},
                 stale.size(), doc->createdAtMicros);

    auto copy = owner->get("/api/v1/documents/" + id + "/content?variant=watermarked");
    ASSERT_EQ(copy.status, 200) << copy.body;
    EXPECT_NE(copy.body, stale) << "the copy of the old key was served";
    EXPECT_EQ(copy.header("Dossier-Copy"), "watermarked");
    TempDir tmp;
    writeFile(tmp.path() + "/c.pdf", copy.body);
    std::string text = runCommand("pdftotext -raw " + tmp.path() + "/c.pdf - 2>/dev/null");
    EXPECT_NE(text.find("仅用于备案审核"), std::string::npos) << text;
    std::string sig = runCommand("pdfsig " + tmp.path() + "/c.pdf 2>&1");
    EXPECT_EQ(sig.find("Signature #"), std::string::npos) << sig;
}

TEST_F(DownloadTest, ReviewCopiesAreMadeOncePerViewerAndHourAndNeverShared) {
    std::string id = upload(makeTextPdf(3), "证明材料.pdf", "proof");
    std::string path = "/api/v1/documents/" + id + "/content";
    auto first = reviewer->get(path);
    ASSERT_EQ(first.status, 200) << first.body;
    TempDir tmp;
    writeFile(tmp.path() + "/r.pdf", first.body);
    std::string text = runCommand("pdftotext -raw " + tmp.path() + "/r.pdf - 2>/dev/null");
    // The mark names the hour it is made in (Beijing time), and the viewer.
    std::smatch hour;
    ASSERT_TRUE(std::regex_search(
        text, hour, std::regex("\\d{4}-\\d{2}-\\d{2} (\\d{2}):00–(\\d{2}):00 北京时间")))
        << text;
    EXPECT_EQ(std::stoi(hour[2]), std::stoi(hour[1]) + 1);
    EXPECT_NE(text.find("审查员"), std::string::npos);
    EXPECT_NE(text.find(reviewerId), std::string::npos);

    // Within the hour the same copy again: the same bytes and tag, so If-Range holds and a PDF
    // viewer's range requests read one consistent file.
    auto second = reviewer->get(path);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.header("ETag"), first.header("ETag"));
    auto part =
        reviewer->get(path, {{"Range", "bytes=100-299"}, {"If-Range", first.header("ETag")}});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.body, first.body.substr(100, 200));
    auto preview = reviewer->get("/api/v1/documents/" + id + "/pages/2.png?width=320");
    ASSERT_EQ(preview.status, 200);
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + id + "/pages/2.png?width=320").body,
              preview.body);

    // Another reviewer never gets the first one's copy.
    services->auth().createStaff(
        {"review02", HttpTestClient::kTestPassword, "13900000002", "复核员", Role::Reviewer});
    HttpTestClient other(server->port());
    ASSERT_EQ(other.signIn("review02").status, 201);
    auto theirs = other.get(path);
    ASSERT_EQ(theirs.status, 200);
    EXPECT_NE(theirs.body, first.body);
    EXPECT_NE(theirs.header("ETag"), first.header("ETag"));
    writeFile(tmp.path() + "/o.pdf", theirs.body);
    std::string otherText = runCommand("pdftotext -raw " + tmp.path() + "/o.pdf - 2>/dev/null");
    EXPECT_NE(otherText.find("复核员"), std::string::npos) << otherText;
    EXPECT_EQ(otherText.find("审查员"), std::string::npos) << otherText;
    auto otherPreview = other.get("/api/v1/documents/" + id + "/pages/2.png?width=320");
    EXPECT_NE(otherPreview.body, preview.body);
    // Each download is its own audit entry, with the digest of what that viewer got.
    auto mine = entries(id, reviewerId, "document.download");
    ASSERT_EQ(mine.size(), 3u);
    for (const auto& e : mine) {
        EXPECT_EQ(e->getValue<std::string>("sha256"), storage::Sha256::of(first.body));
    }
}
