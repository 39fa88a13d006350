// An application's downloads over HTTP (issue 12, "Outputs"): the bundle named after the
// enterprise (seed 004, "以申报企业全称命名") with every file under its Chinese name and a
// manifest whose digests match what `unzip` extracts; the book and the experience material as
// Word; reviewers' access to a submitted application's book, receipt and bundle — traced in the
// audit log, trace-marked copies only — and everyone else's refusal. Runs on SQLite and on
// PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ApplicationFixture.h"
#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "RawConnection.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// A real enterprise name may hold a character beyond the BMP (𠮷 U+20BB7).
constexpr const char* kEnterprise = "广州𠮷祥精科医学检验所有限公司";
constexpr const char* kReviewerName = "审查员甲";

/// RFC 3986 percent-encoding of every byte but the unreserved ones (RFC 5987 attr-chars are
/// a superset; the server encodes the rest).
std::string percentEncoded(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

/// The text of a PDF (pdftotext), without blanks and line breaks.
std::string pdfText(const std::string& pdf) {
    TempDir d;
    writeFile(d.path() + "/a.pdf", pdf);
    std::string text = runCommand("pdftotext " + d.path() + "/a.pdf - 2>/dev/null");
    std::string squeezed;
    for (char ch : text) {
        if (ch != ' ' && ch != '\n' && ch != '\f') squeezed += ch;
    }
    return squeezed;
}

/// The text of a DOCX (docx2txt), without blanks and line breaks.
std::string docxText(const std::string& docx) {
    TempDir d;
    writeFile(d.path() + "/a.docx", docx);
    std::string text = runCommand("docx2txt " + d.path() + "/a.docx - 2>/dev/null");
    std::string squeezed;
    for (char ch : text) {
        if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r') squeezed += ch;
    }
    return squeezed;
}

/// Every part of a DOCX package by name; each XML part must parse (fails the test if not).
std::map<std::string, std::string> docxParts(const std::string& docx) {
    std::istringstream in(docx);
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> parts;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        if (it->second.isDirectory()) continue;
        std::istringstream again(docx);
        Poco::Zip::ZipInputStream entry(again, it->second);
        std::ostringstream bytes;
        bytes << entry.rdbuf();
        parts[it->first] = bytes.str();
        const std::string& name = it->first;
        if (name.size() > 4 && (name.ends_with(".xml") || name.ends_with(".rels"))) {
            Poco::XML::DOMParser parser;
            parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
            EXPECT_NO_THROW(parser.parseString(parts[name])) << name << " is not well-formed";
        }
    }
    return parts;
}

/// A bundle as `unzip` sees it: the names it lists and the files it extracts.
struct Unzipped {
    std::string listing;                       // `unzip -l`
    std::map<std::string, std::string> files;  // name -> bytes, as extracted
    Object::Ptr manifest;                      // manifest.json
    int exitCode = -1;                         // of `unzip -t`
};

Unzipped unzipBundle(const std::string& zip) {
    TempDir d;
    writeFile(d.path() + "/b.zip", zip);
    Unzipped out;
    out.listing = runCommand("unzip -l " + d.path() + "/b.zip");
    out.exitCode = std::system(("unzip -tq " + d.path() + "/b.zip >/dev/null 2>&1").c_str());
    runCommand("unzip -q -o " + d.path() + "/b.zip -d " + d.path() + "/x");
    for (const auto& name : listFilesRecursive(d.path() + "/x")) {
        out.files[name] = readFile(d.path() + "/x/" + name);
    }
    if (out.files.count("manifest.json")) out.manifest = parseObject(out.files["manifest.json"]);
    return out;
}

/// The manifest's entries by name: its SHA-256.
std::map<std::string, std::string> manifestDigests(const Object::Ptr& manifest) {
    std::map<std::string, std::string> out;
    if (!manifest) return out;
    auto entries = manifest->getArray("entries");
    for (std::size_t i = 0; i < entries->size(); ++i) {
        auto e = entries->getObject(static_cast<unsigned>(i));
        out[e->getValue<std::string>("name")] = e->getValue<std::string>("sha256");
    }
    return out;
}

class ApplicationDownloadTest : public ApplicationFixture {
  protected:
    void SetUp() override {
        // A copy of the templates with a second book template that has no experience material.
        std::filesystem::copy(std::string(DOSSIER_SOURCE_DIR) + "/templates",
                              dir.path() + "/templates", std::filesystem::copy_options::recursive);
        std::string book = readFile(dir.path() + "/templates/benchmark-2022.json");
        auto at = book.find("\"id\": \"benchmark-2022\"");
        ASSERT_NE(at, std::string::npos);
        book.replace(at, std::string("\"id\": \"benchmark-2022\"").size(),
                     "\"id\": \"plain-2025\"");
        writeFile(dir.path() + "/templates/plain-2025.json", book);
        templatesDir = dir.path() + "/templates";
        organizationName = kEnterprise;
        reviewerName = kReviewerName;
        ApplicationFixture::SetUp();
    }

    void openActivities() override {
        for (auto [code, tpl] :
             {std::pair{kActivity, "benchmark-2022"}, std::pair{"plain-2025", "plain-2025"}}) {
            auto created = organizer->postJson("/api/v1/activities", activityBody(code, tpl));
            ASSERT_EQ(created.status, 201) << created.body;
        }
    }

    std::string upload(const std::string& bytes, const std::string& name, const std::string& kind) {
        return ApplicationFixture::upload(*admin, bytes, name, kind);
    }

    struct BundleDocuments {
        std::string summary, commitment1, commitment2, evidence1, evidence2;
    };

    /// A complete application of `activity` (two pieces of evidence uploaded under the same
    /// name, the second `evidence2` when given), saved, not submitted; its documents in `docs`.
    std::string completeApplication(const std::string& activity, BundleDocuments& docs,
                                    const std::string& evidence2 = "") {
        auto p = admin->postJson("/api/v1/projects",
                                 R"({"name":"精科医学检验质量追溯系统 )" + activity +
                                     R"(","keywords":["质量追溯"],)"
                                     R"("summary":"以LIMS为核心的检验全过程质量追溯。"})");
        EXPECT_EQ(p.status, 201) << p.body;
        auto created = admin->postJson("/api/v1/applications",
                                       R"({"activity":")" + activity + R"(","project_id":")" +
                                           p.json()->getValue<std::string>("id") + R"("})");
        EXPECT_EQ(created.status, 201) << created.body;
        std::string id = created.json()->getValue<std::string>("id");
        docs.summary = upload(makeTextPdf(3), "总结材料（𠮷）.pdf", "summary");
        docs.commitment1 = upload(makeTextPdf(4), "承诺书（第一完成单位）.pdf", "commitment");
        docs.commitment2 = upload(makeTextPdf(5), "承诺书（第二完成单位）.pdf", "commitment");
        docs.evidence1 = upload(makeTextPdf(6), "应用证明.pdf", "evidence");
        docs.evidence2 =
            upload(evidence2.empty() ? makeTextPdf(7) : evidence2, "应用证明.pdf", "evidence");
        settleChecks();

        auto form = parseObject(readFile(std::string(DOSSIER_SOURCE_DIR) +
                                         "/templates/samples/benchmark-2022-book.json"));
        form->remove("recommending_unit");
        form->remove("contact");
        form->remove("enterprise");
        auto sample = parseObject(readFile(std::string(DOSSIER_SOURCE_DIR) +
                                           "/templates/samples/benchmark-2022-experience.json"));
        Object::Ptr experience = new Object;
        for (const char* part : {"overview", "background", "process", "results"}) {
            experience->set(part, sample->getValue<std::string>(part));
        }
        form->set("experience", experience);
        Object::Ptr contact = new Object;
        contact->set("department", "质量管理部");
        contact->set("name", "𠮷田");
        contact->set("title", "部长");
        contact->set("mobile", "13905712345");
        contact->set("email", "quality@jingke.example.cn");
        contact->set("address", "广州国际生物岛螺旋四路7号");
        Array::Ptr links = new Array;
        auto link = [&](const std::string& docId, const std::string& role, const char* kind) {
            Object::Ptr o = new Object;
            o->set("document_id", docId);
            o->set("role", role);
            if (kind) o->set("evidence_kind", std::string(kind));
            links->add(o);
        };
        link(docs.summary, "summary", nullptr);
        link(docs.commitment1, "commitment", nullptr);
        link(docs.commitment2, "commitment", nullptr);
        link(docs.evidence1, "evidence", "application-year");
        link(docs.evidence2, "evidence", "application-year");
        Object body;
        body.set("form", form);
        body.set("recommending_unit", "广东省工业和信息化厅");
        body.set("contact", contact);
        body.set("commitment_accepted", true);
        body.set("documents", links);
        auto saved = admin->postJson("/api/v1/applications/" + id, toJson(body), "PUT");
        EXPECT_EQ(saved.status, 200) << saved.body;
        return id;
    }

    /// The audit entries of `target` with `action`.
    std::vector<storage::AuditEntry> audited(const std::string& target, const std::string& action) {
        std::vector<storage::AuditEntry> out;
        for (auto& e : services->audit().forTarget(target, 1000)) {
            if (e.action == action) out.push_back(e);
        }
        return out;
    }
};

}  // namespace

// The submitted bundle: named after the enterprise as filed (𠮷 and all), streamed, every file
// under its Chinese name as `unzip -l` lists it (a second 应用证明.pdf as 应用证明（2）.pdf),
// the manifest's digests those of the extracted files, the stored documents as uploaded, the
// Word parts well-formed with every value, and the same bytes on every request.
TEST_F(ApplicationDownloadTest, TheBundleHoldsEveryFileUnderItsChineseName) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs);
    clock->set(kOpens + kDay);
    ASSERT_EQ(submit(*admin, id).status, 200) << submit(*admin, id).body;
    std::string path = "/api/v1/applications/" + id;

    auto r = admin->get(path + "/bundle.zip");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.response.getContentType(), "application/zip");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_TRUE(r.response.getChunkedTransferEncoding()) << "not streamed";
    std::string archive = std::string(kEnterprise) + ".zip";
    EXPECT_NE(r.header("Content-Disposition").find("attachment;"), std::string::npos);
    EXPECT_NE(r.header("Content-Disposition").find("filename*=UTF-8''" + percentEncoded(archive)),
              std::string::npos)
        << r.header("Content-Disposition");

    auto bundle = unzipBundle(r.body);
    EXPECT_EQ(bundle.exitCode, 0) << "unzip -t fails";
    const std::vector<std::string> names{"申报书.pdf",
                                         "申报书.docx",
                                         "典型经验材料.pdf",
                                         "典型经验材料.docx",
                                         "总结材料（𠮷）.pdf",
                                         "承诺书（第一完成单位）.pdf",
                                         "承诺书（第二完成单位）.pdf",
                                         "应用证明.pdf",
                                         "应用证明（2）.pdf",
                                         "manifest.json"};
    for (const auto& name : names) {
        EXPECT_NE(bundle.listing.find(name), std::string::npos) << name << " in\n"
                                                                << bundle.listing;
        EXPECT_TRUE(bundle.files.count(name)) << name << " not extracted";
    }
    EXPECT_EQ(bundle.files.size(), names.size());

    ASSERT_TRUE(bundle.manifest);
    EXPECT_EQ(bundle.manifest->getValue<std::string>("archive"), archive);
    EXPECT_EQ(bundle.manifest->getValue<std::string>("created"), "2025-04-02T01:00:00Z");
    auto digests = manifestDigests(bundle.manifest);
    EXPECT_EQ(digests.size(), names.size() - 1);
    for (const auto& [name, digest] : digests) {
        ASSERT_TRUE(bundle.files.count(name)) << name;
        EXPECT_EQ(storage::Sha256::of(bundle.files[name]), digest) << name;
    }
    // The documents as uploaded (the owner's bundle): their stored digests.
    auto shown = admin->get(path).json()->getArray("documents");
    std::set<std::string> stored;
    for (std::size_t i = 0; i < shown->size(); ++i) {
        stored.insert(shown->getObject(static_cast<unsigned>(i))->getValue<std::string>("sha256"));
    }
    for (const char* name :
         {"总结材料（𠮷）.pdf", "承诺书（第一完成单位）.pdf", "应用证明（2）.pdf"}) {
        EXPECT_TRUE(stored.count(digests[name])) << name << " is not the uploaded file";
    }

    // The book is the one book.pdf serves; the Word versions hold every value, in parts that
    // parse.
    EXPECT_EQ(bundle.files["申报书.pdf"], admin->get(path + "/book.pdf").body);
    std::string bookText = docxText(bundle.files["申报书.docx"]);
    for (const char* value :
         {"实施基于大数据的关键过程质量管控的经验", kEnterprise, "𠮷田", "广东省工业和信息化厅"}) {
        EXPECT_NE(bookText.find(value), std::string::npos) << value;
    }
    EXPECT_TRUE(docxParts(bundle.files["申报书.docx"]).count("word/document.xml"));
    std::string experience = docxText(bundle.files["典型经验材料.docx"]);
    EXPECT_TRUE(docxParts(bundle.files["典型经验材料.docx"]).count("word/document.xml"));
    for (const char* value : {"实施基于大数据的关键过程质量管控的经验", "一、企业概况",
                              "四、实施成效", "浙江明澈精密电气股份有限公司成立于2003年"}) {
        EXPECT_NE(experience.find(value), std::string::npos) << value << " in " << experience;
    }
    EXPECT_NE(experience.find(kEnterprise), std::string::npos) << "the enterprise as filed";
    std::string experiencePdf = pdfText(bundle.files["典型经验材料.pdf"]);
    EXPECT_NE(experiencePdf.find("申报编号benchmark-2025-000001"), std::string::npos);
    EXPECT_EQ(experiencePdf.find("草稿"), std::string::npos);

    // The same data gives the same bytes, whenever asked.
    clock->set(kOpens + 3 * kDay);
    EXPECT_EQ(admin->get(path + "/bundle.zip").body, r.body) << "not the same bytes";

    // Each document going out is in the audit log, as a single download is.
    EXPECT_EQ(audited("document:" + docs.evidence2, "document.download").size(), 2u);
    // HEAD: the headers alone, nothing recorded.
    auto head = admin->request("HEAD", path + "/bundle.zip");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Type"), "application/zip");
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(audited("document:" + docs.evidence2, "document.download").size(), 2u);
}

// The Word routes: book.docx as the bundle holds it, experience.docx; a draft's named 草稿
// (its PDF book and bundle too); an activity whose book has no experience material answers
// application.no_experience_material, and its bundle holds none.
TEST_F(ApplicationDownloadTest, WordVersionsAndDrafts) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs);
    std::string path = "/api/v1/applications/" + id;
    auto book = admin->get(path + "/book.docx");
    ASSERT_EQ(book.status, 200) << book.body;
    EXPECT_EQ(book.response.getContentType(),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_NE(book.header("Content-Disposition")
                  .find("filename*=UTF-8''" + percentEncoded("申报书（草稿）.docx")),
              std::string::npos)
        << book.header("Content-Disposition");
    auto parts = docxParts(book.body);
    EXPECT_TRUE(parts.count("word/document.xml"));
    EXPECT_NE(docxText(book.body).find("实施基于大数据的关键过程质量管控的经验"),
              std::string::npos);
    auto experience = admin->get(path + "/experience.docx");
    ASSERT_EQ(experience.status, 200) << experience.body;
    docxParts(experience.body);
    EXPECT_NE(docxText(experience.body).find("二、实施背景"), std::string::npos);

    // A draft's bundle: its name and its book say so.
    auto draft = admin->get(path + "/bundle.zip");
    ASSERT_EQ(draft.status, 200) << draft.body;
    EXPECT_NE(draft.header("Content-Disposition")
                  .find(percentEncoded(std::string(kEnterprise) + "（草稿）.zip")),
              std::string::npos)
        << draft.header("Content-Disposition");
    auto unzipped = unzipBundle(draft.body);
    EXPECT_NE(pdfText(unzipped.files["申报书.pdf"]).find("草稿"), std::string::npos);
    EXPECT_NE(pdfText(unzipped.files["典型经验材料.pdf"]).find("草稿"), std::string::npos);
    EXPECT_EQ(unzipped.files["申报书.docx"], book.body);

    // The experience material is printed from what the form holds; too long a part is
    // refused on save like any word limit.
    auto form = admin->get(path).json()->getObject("form");
    form->getObject("experience")->set("overview", std::string(501, 'a'));
    Object body;
    body.set("form", form);
    auto refused = admin->postJson(path, toJson(body), "PUT");
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("form.experience.overview"), std::string::npos) << refused.body;

    // An activity whose book asks for no experience material.
    BundleDocuments other;
    std::string plain = completeApplication("plain-2025", other);
    auto none = admin->get("/api/v1/applications/" + plain + "/experience.docx");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(codeOf(none), "application.no_experience_material");
    auto plainBundle =
        unzipBundle(admin->get("/api/v1/applications/" + plain + "/bundle.zip").body);
    EXPECT_TRUE(plainBundle.files.count("申报书.docx"));
    EXPECT_FALSE(plainBundle.files.count("典型经验材料.docx"));
    EXPECT_FALSE(plainBundle.files.count("典型经验材料.pdf"));
}

// Reviewers: nothing of a draft (404); once submitted the book, receipt and bundle, every
// download traced (application.viewed, not in the applicant's 日志), the bundle with
// trace-marked review copies only — no original leaves for a reviewer — each recorded with
// the digest of what was sent. A download does not start the review.
TEST_F(ApplicationDownloadTest, AReviewersDownloadsAreTracedCopies) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs);
    std::string path = "/api/v1/applications/" + id;
    for (const char* output :
         {"/book.pdf", "/receipt.pdf", "/bundle.zip", "/book.docx", "/experience.docx"}) {
        auto r = reviewer->get(path + output);
        EXPECT_EQ(r.status, 404) << output;
        EXPECT_EQ(codeOf(r), "application.not_found") << output;
    }
    EXPECT_TRUE(audited("application:" + id, "application.viewed").empty());

    clock->set(kOpens + kDay);
    ASSERT_EQ(submit(*admin, id).status, 200) << submit(*admin, id).body;
    auto applicantBundle = unzipBundle(admin->get(path + "/bundle.zip").body);

    auto book = reviewer->get(path + "/book.pdf");
    ASSERT_EQ(book.status, 200) << book.body;
    EXPECT_EQ(book.body, admin->get(path + "/book.pdf").body);
    // A HEAD sends no bytes: nothing recorded.
    auto head = reviewer->request("HEAD", path + "/book.pdf");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(book.body.size()));
    auto receipt = reviewer->get(path + "/receipt.pdf");
    ASSERT_EQ(receipt.status, 200) << receipt.body;
    auto r = reviewer->get(path + "/bundle.zip");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    auto bundle = unzipBundle(r.body);
    EXPECT_EQ(bundle.exitCode, 0);
    auto digests = manifestDigests(bundle.manifest);
    for (const auto& [name, digest] : digests) {
        EXPECT_EQ(storage::Sha256::of(bundle.files[name]), digest) << name;
    }
    // Review copies, named so, none of them the applicant's file.
    std::set<std::string> originals;
    for (const auto& [name, bytes] : applicantBundle.files) {
        if (name.ends_with(".pdf") && name.rfind("申报书", 0) != 0 &&
            name.rfind("典型经验材料", 0) != 0) {
            originals.insert(storage::Sha256::of(bytes));
        }
    }
    ASSERT_EQ(originals.size(), 5u);
    int copies = 0;
    for (const auto& [name, bytes] : bundle.files) {
        EXPECT_FALSE(originals.count(storage::Sha256::of(bytes))) << name << " is an original";
        if (name.find("（审查副本）") != std::string::npos) ++copies;
    }
    EXPECT_EQ(copies, 5) << bundle.listing;
    EXPECT_TRUE(bundle.files.count("应用证明（审查副本）（2）.pdf")) << bundle.listing;
    // The reviewer's mark is on the copy: their name in the PDF's content.
    {
        TempDir d;
        writeFile(d.path() + "/m.pdf", bundle.files["应用证明（审查副本）.pdf"]);
        std::string marked = runCommand("pdftotext -raw " + d.path() + "/m.pdf - 2>/dev/null");
        EXPECT_NE(marked.find(kReviewerName), std::string::npos) << marked;
    }

    // Traced: each output, and each copy with the digest of its bytes.
    auto views = audited("application:" + id, "application.viewed");
    std::multiset<std::string> outputs;
    for (const auto& e : views) {
        EXPECT_NE(e.detailJson.find("\"state\":\"submitted\""), std::string::npos) << e.detailJson;
        auto details = parseObject(e.detailJson);
        outputs.insert(details->getValue<std::string>("output"));
    }
    EXPECT_EQ(outputs, (std::multiset<std::string>{"book.pdf", "receipt.pdf", "bundle.zip"}));
    auto sent = audited("document:" + docs.evidence1, "document.download");
    bool reviewCopy = false;
    for (const auto& e : sent) {
        auto details = parseObject(e.detailJson);
        if (details->optValue<std::string>("variant", "") != "review") continue;
        reviewCopy = true;
        EXPECT_EQ(details->getValue<std::string>("sha256"), digests["应用证明（审查副本）.pdf"]);
    }
    EXPECT_TRUE(reviewCopy) << "the reviewer's copy is not in the audit log";
    // The very copy the reviewer gets of the document on its own.
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + docs.evidence1 + "/content").body,
              bundle.files["应用证明（审查副本）.pdf"]);
    // Not in the applicant's 日志, and the review is not started by a download.
    auto events = admin->get(path + "/events");
    EXPECT_EQ(events.body.find("application.viewed"), std::string::npos) << events.body;
    EXPECT_EQ(admin->get(path).json()->getValue<std::string>("state"), "submitted");
}

// Everyone else: another organization's member gets 404 (the application does not exist for
// it), a personal account 403 organization.membership_required, other staff 403
// auth.forbidden, nobody signed in 401.
TEST_F(ApplicationDownloadTest, OthersAreRefused) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs);
    clock->set(kOpens + kDay);
    ASSERT_EQ(submit(*admin, id).status, 200) << submit(*admin, id).body;
    auto other = client();
    ASSERT_TRUE(other->signUp("other001", "13800000009", "广州其他检测有限公司", makeCreditCode(9),
                              "张三"));
    auto personal = client();
    auto registered = personal->postJson("/api/v1/accounts",
                                         R"({"username":"solo0001","password":")" +
                                             std::string(HttpTestClient::kTestPassword) +
                                             R"(","phone":"13800000008","display_name":"个人"})");
    ASSERT_EQ(registered.status, 201) << registered.body;
    ASSERT_EQ(personal->signIn("solo0001").status, 201);
    auto evaluator = staff(Role::Evaluator, "eval0001", "13900000003", "评估");
    auto anonymous = client();
    for (const char* output :
         {"/book.pdf", "/receipt.pdf", "/bundle.zip", "/book.docx", "/experience.docx"}) {
        std::string p = "/api/v1/applications/" + id + output;
        EXPECT_EQ(codeOf(other->get(p)), "application.not_found") << output;
        EXPECT_EQ(other->get(p).status, 404) << output;
        EXPECT_EQ(codeOf(personal->get(p)), "organization.membership_required") << output;
        EXPECT_EQ(codeOf(organizer->get(p)), "auth.forbidden") << output;
        EXPECT_EQ(evaluator->get(p).status, 403) << output;
        EXPECT_EQ(anonymous->get(p).status, 401) << output;
        EXPECT_EQ(codeOf(reviewer->get("/api/v1/applications/no-such-id" + std::string(output))),
                  "application.not_found")
            << output;
    }
}

// A stored file found damaged is refused before the first byte of its bundle: the answer is a
// problem, not a 200 that breaks off. The server goes on serving the rest.
TEST_F(ApplicationDownloadTest, ADamagedFileRefusesTheBundleBeforeItsFirstByte) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs);
    auto meta = admin->get("/api/v1/documents/" + docs.evidence2);
    ASSERT_EQ(meta.status, 200) << meta.body;
    std::string sha = meta.json()->getValue<std::string>("sha256");
    std::string blob =
        dir.path() + "/data/blobs/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
    ASSERT_TRUE(std::filesystem::exists(blob)) << blob;
    std::filesystem::permissions(blob, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    std::string bytes = readFile(blob);
    bytes[bytes.size() / 2] ^= 0x20;  // same size: only the digest can tell
    writeFile(blob, bytes);

    auto bundle = admin->get("/api/v1/applications/" + id + "/bundle.zip");
    EXPECT_EQ(bundle.status, 500);
    EXPECT_EQ(codeOf(bundle), "storage.blob_corrupt");
    EXPECT_EQ(admin->get("/api/v1/applications/" + id + "/book.pdf").status, 200);
    EXPECT_EQ(codeOf(admin->get("/api/v1/documents/" + docs.evidence2 + "/content")),
              "storage.blob_corrupt");
}

// A client that leaves in the middle of a bundle (8 MB of evidence, more than the sockets
// buffer) costs the server nothing: no SIGPIPE, no stuck worker, the next downloads whole.
TEST_F(ApplicationDownloadTest, AClientLeavingMidBundleCostsTheServerNothing) {
    BundleDocuments docs;
    std::string id = completeApplication(kActivity, docs, makeSizedPdf(8 << 20, 7));
    for (int round = 0; round < 3; ++round) {
        RawConnection raw(server->port());
        ASSERT_TRUE(raw.send("GET /api/v1/applications/" + id +
                             "/bundle.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                             admin->bearer() + "\r\n\r\n"));
        ASSERT_TRUE(raw.readUntil(std::string("PK\x03\x04", 4), std::chrono::seconds(20)));
        EXPECT_EQ(raw.status(), 200);
        EXPECT_LT(raw.received().size(), 8000000u) << "still streaming when cut";
    }  // each connection closed here, mid-stream
    EXPECT_LT(healthzMillis(server->port()), 5000);
    auto whole = admin->get("/api/v1/applications/" + id + "/bundle.zip");
    ASSERT_EQ(whole.status, 200);
    EXPECT_GT(whole.body.size(), 8000000u);
    EXPECT_NE(whole.body.find(std::string("PK\x05\x06", 4)), std::string::npos)
        << "a whole archive ends with its central directory";
}
