// Hard PDF inputs through the real server (../shared/cases): a damaged file every step can
// process once accepted, oversized ones refused at upload with their own codes, marks upright
// on rotated pages. Runs on SQLite and on PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "PdfProbe.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

class HardPdfTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        client = std::make_unique<HttpTestClient>(server->port());
        client->signUp("jingke01", "13800000001", "广州精科医学检验所有限公司",
                       "91440116MA59B21T31", "李明");
        services->auth().createStaff(
            {"review01", HttpTestClient::kTestPassword, "13900000001", "审查员", Role::Reviewer});
        reviewer = std::make_unique<HttpTestClient>(server->port());
        EXPECT_EQ(reviewer->signIn("review01").status, 201);
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    Poco::JSON::Object::Ptr waitForChecks(const std::string& id) {
        for (int i = 0; i < 600; ++i) {
            auto json = client->get("/api/v1/documents/" + id + "/checks").json();
            if (json->getValue<std::string>("state") != "pending") return json;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "checks still pending after 60 s";
        return client->get("/api/v1/documents/" + id + "/checks").json();
    }

    void expectProblem(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> client, reviewer;
};

}  // namespace

TEST_F(HardPdfTest, DamagedButAcceptedPdfGoesThroughEveryStep) {
    // An xref stream followed by ~1.8 KB of junk past %%EOF: poppler read it, qpdf did not,
    // so the upload, previews and checks worked and every marked copy answered pdf.corrupt.
    services->checkRunner().start();
    std::string bytes = readFile(fixturePath("pdf/xref-stream-trailing-junk.pdf"));
    auto up = client->upload(bytes, "受损.pdf", "commitment");
    ASSERT_EQ(up.status, 201) << up.body;
    std::string id = up.json()->getValue<std::string>("id");
    std::string base = "/api/v1/documents/" + id;

    auto original = client->get(base + "/content?variant=original");
    ASSERT_EQ(original.status, 200);
    EXPECT_EQ(original.body, bytes) << "the original keeps its bytes, junk included";

    auto preview = client->get(base + "/pages/2.png?width=400");
    EXPECT_EQ(preview.status, 200) << preview.body;
    auto watermarked = client->get(base + "/content?variant=watermarked");
    ASSERT_EQ(watermarked.status, 200) << watermarked.body;
    auto review = reviewer->get(base + "/content?variant=review");
    ASSERT_EQ(review.status, 200) << review.body;
    for (const auto* copy : {&watermarked.body, &review.body}) {
        TempDir tmp;
        writeFile(tmp.path() + "/c.pdf", *copy);
        std::string text = runCommand("pdftotext -raw " + tmp.path() + "/c.pdf - 2>/dev/null");
        EXPECT_NE(text.find("Evidence page 1 of 2"), std::string::npos) << text;
        EXPECT_NE(text.find("备案审核"), std::string::npos) << text;
        std::string check = runCommand("qpdf --check " + tmp.path() + "/c.pdf 2>&1");
        EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    }
    EXPECT_EQ(reviewer->get(base + "/pages/1.png?width=400").status, 200);

    auto checks = waitForChecks(id);
    auto r = client->get(base + "/checks");
    EXPECT_EQ(checks->getValue<std::string>("state"), "done");
    auto list = checks->getArray("checks");
    ASSERT_GT(list->size(), 0u);
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto item = list->getObject(static_cast<unsigned>(i));
        // Each check ran on the document (seals.missing is a fair outcome: it has none).
        EXPECT_EQ(item->getValue<std::string>("state"), "done") << r.body;
        EXPECT_EQ(item->getValue<std::string>("code").rfind("pdf.", 0), std::string::npos)
            << r.body;
    }
}

TEST_F(HardPdfTest, DamagedPdfOnlyOneLibraryReadsIsRefusedAtUpload) {
    // The same file without its startxref line: poppler rebuilds it, qpdf cannot, so a marked
    // copy could never be made. Refused now, with nothing stored.
    std::string bytes = readFile(fixturePath("pdf/xref-stream-trailing-junk.pdf"));
    auto at = bytes.rfind("startxref");
    ASSERT_NE(at, std::string::npos);
    bytes.erase(at, bytes.find("%%EOF", at) - at);
    expectProblem(client->upload(bytes, "受损.pdf", "commitment"), 422, "pdf.corrupt");
    EXPECT_EQ(services->documentRows().countDocuments(), 0u);
}

TEST_F(HardPdfTest, PdfWithAWrongCrossReferenceIsRefusedInMilliseconds) {
    // A megabyte of comment lines pushed in after the header: every xref offset is wrong.
    // qpdf's rebuild of such a file took over a minute per upload; now it is refused.
    std::string pdf = makePdf(), pad;
    for (int i = 0; pad.size() < (1 << 20); ++i) pad += "%" + std::string(98, 'a' + i % 26) + "\n";
    pdf.insert(15, pad);
    auto t0 = std::chrono::steady_clock::now();
    expectProblem(client->upload(pdf, "shifted.pdf", "evidence"), 422, "pdf.corrupt");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
    EXPECT_EQ(services->documentRows().countDocuments(), 0u);
}

TEST_F(HardPdfTest, OversizedPdfsAreRefusedWithTheirOwnCodes) {
    expectProblem(client->upload(readFile(fixturePath("pdf/20000-pages.pdf")), "p.pdf", "evidence"),
                  422, "pdf.too_many_pages");
    auto giant = client->upload(readFile(fixturePath("pdf/giant-page.pdf")), "g.pdf", "evidence");
    expectProblem(giant, 422, "pdf.page_too_large");
    EXPECT_NE(giant.json()->getValue<std::string>("detail").find("5080 × 5080 mm"),
              std::string::npos)
        << giant.body;
    expectProblem(
        client->upload(readFile(fixturePath("pdf/huge-image-on-a4.pdf")), "h.pdf", "evidence"), 422,
        "pdf.image_too_large");
    // Per kind: 11 pages are too many for a license, fine as evidence.
    std::string eleven = makeTextPdf(11);
    expectProblem(client->upload(eleven, "l.pdf", "license"), 422, "pdf.too_many_pages");
    EXPECT_EQ(client->upload(eleven, "e.pdf", "evidence").status, 201);
    EXPECT_EQ(services->documentRows().countDocuments(), 1u);
}

TEST_F(HardPdfTest, RotatedPagesGetUprightMarksInEveryCopy) {
    std::string bytes = readFile(fixturePath("pdf/rotated_pages.pdf"));
    auto up = client->upload(bytes, "rotated.pdf", "evidence");
    ASSERT_EQ(up.status, 201) << up.body;
    std::string base = "/api/v1/documents/" + up.json()->getValue<std::string>("id");
    auto watermarked = client->get(base + "/content?variant=watermarked");
    auto review = reviewer->get(base + "/content?variant=review");
    ASSERT_EQ(watermarked.status, 200);
    ASSERT_EQ(review.status, 200);
    for (const auto* copy : {&watermarked.body, &review.body}) {
        auto coverage = filingMarkCoverage(*copy, 4);  // /Rotate -90
        EXPECT_GT(coverage.spanX, 0.7);
        EXPECT_GT(coverage.spanY, 0.7);
        EXPECT_TRUE(coverage.allQuadrants);
        auto rotations = textRotations(*copy, 4, "审");
        ASSERT_FALSE(rotations.empty());
        for (int r : rotations) EXPECT_EQ(r, 0);
    }
}

TEST_F(HardPdfTest, SignedPdfIsKnownAndItsCopiesSayTheyAreCopies) {
    std::string bytes = readFile(fixturePath("pdf/signed_commitment.pdf"));
    auto up = client->upload(bytes, "承诺书（已签名）.pdf", "commitment");
    ASSERT_EQ(up.status, 201) << up.body;
    EXPECT_TRUE(up.json()->getValue<bool>("signed"));
    std::string base = "/api/v1/documents/" + up.json()->getValue<std::string>("id");
    EXPECT_TRUE(client->get(base).json()->getValue<bool>("signed"));
    auto plain = client->upload(makeTextPdf(), "plain.pdf", "evidence");
    EXPECT_FALSE(plain.json()->getValue<bool>("signed"));

    TempDir tmp;
    auto original = client->get(base + "/content?variant=original");
    ASSERT_EQ(original.status, 200);
    EXPECT_EQ(original.body, bytes);
    EXPECT_EQ(original.header("Dossier-Copy"), "");
    writeFile(tmp.path() + "/original.pdf", original.body);
    EXPECT_NE(runCommand("pdfsig " + tmp.path() + "/original.pdf 2>&1").find("Signature is Valid"),
              std::string::npos);

    auto watermarked = client->get(base + "/content?variant=watermarked");
    auto review = reviewer->get(base + "/content?variant=review");
    ASSERT_EQ(watermarked.status, 200) << watermarked.body;
    ASSERT_EQ(review.status, 200) << review.body;
    EXPECT_EQ(watermarked.header("Dossier-Copy"), "watermarked");
    EXPECT_EQ(review.header("Dossier-Copy"), "review");
    for (const auto* r : {&watermarked, &review}) {
        EXPECT_EQ(r->header("Dossier-Original-Signed"), "true");
        writeFile(tmp.path() + "/copy.pdf", r->body);
        // No signature left to show as broken, and the file says it is a copy.
        std::string sig = runCommand("pdfsig " + tmp.path() + "/copy.pdf 2>&1");
        EXPECT_EQ(sig.find("Signature #"), std::string::npos) << sig;
        std::string qdf = runCommand("qpdf --qdf --object-streams=disable " + tmp.path() +
                                     "/copy.pdf - 2>/dev/null");
        EXPECT_NE(qdf.find("/DossierCopy"), std::string::npos);
        EXPECT_EQ(qdf.find("/FT /Sig"), std::string::npos);
        EXPECT_EQ(qdf.find("/SigFlags"), std::string::npos);
        EXPECT_EQ(qdf.find("/Perms"), std::string::npos);
        std::string text = runCommand("pdftotext -raw " + tmp.path() + "/copy.pdf - 2>/dev/null");
        EXPECT_NE(text.find("备案审核"), std::string::npos);
    }
}

TEST_F(HardPdfTest, PreviewWidthsSnapToAFewSizesMadeOnce) {
    // Each new width used to cost a rendering (about 10 s for a huge image) and a stored blob.
    auto up = client->upload(makeTextPdf(2), "p.pdf", "evidence");
    ASSERT_EQ(up.status, 201) << up.body;
    std::string base = "/api/v1/documents/" + up.json()->getValue<std::string>("id");
    std::size_t before = listFilesRecursive(config.blobDirectory()).size();
    std::string first;
    for (int width = 481; width <= 800; width += 29) {
        auto r = client->get(base + "/pages/1.png?width=" + std::to_string(width));
        ASSERT_EQ(r.status, 200) << r.body;
        auto header = readImageHeader(r.body);
        ASSERT_TRUE(header.has_value());
        EXPECT_EQ(header->width, 800u) << "asked for " << width;
        if (first.empty()) first = r.body;
        EXPECT_EQ(r.body, first);
    }
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), before + 1);
    auto small = readImageHeader(client->get(base + "/pages/1.png?width=64").body);
    ASSERT_TRUE(small.has_value());
    EXPECT_EQ(small->width, 160u);
    auto large = readImageHeader(client->get(base + "/pages/1.png?width=99999").body);
    ASSERT_TRUE(large.has_value());
    EXPECT_EQ(large->width, 2400u);
}
