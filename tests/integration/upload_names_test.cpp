// File names end to end, through the real server on port 0: the names users upload (the
// hard cases of tests/fixtures/cases/download-names), multipart parts named only with
// `filename*`, and files whose name claims another type than their content. Every
// Content-Disposition the server sends is read back with the RFC 6266 / RFC 8187 parser
// below, written from the RFCs for this test (not the production code). Runs on SQLite and
// on PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/http/Server.h"
#include "dossier/storage/DocumentRepository.h"

using namespace dossier;
using namespace dossier::test;

namespace {

// ---- RFC 6266 / RFC 8187, from the grammar --------------------------------------------

bool isTchar(char c) {  // RFC 9110 §5.6.2
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isAttrChar(char c) {  // RFC 8187 §3.2.1
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

struct ParsedDisposition {
    std::string type;                           // lower case
    std::map<std::string, std::string> params;  // lower-case name → value (unquoted)
};

/// content-disposition = disposition-type *( OWS ";" OWS disposition-parm ); every value a
/// token or a quoted-string (qdtext / quoted-pair). nullopt on any deviation, including a
/// repeated parameter (RFC 6266 §4.1) and any byte outside visible ASCII, SP and HTAB.
std::optional<ParsedDisposition> parseContentDisposition(std::string_view h) {
    for (char c : h) {
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u >= 0x7F) return std::nullopt;
    }
    std::size_t i = 0;
    auto ows = [&] {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
    };
    auto token = [&] {
        std::size_t b = i;
        while (i < h.size() && isTchar(h[i])) ++i;
        return std::string(h.substr(b, i - b));
    };
    auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    ParsedDisposition out;
    ows();
    out.type = lower(token());
    if (out.type.empty()) return std::nullopt;
    ows();
    while (i < h.size()) {
        if (h[i] != ';') return std::nullopt;
        ++i;
        ows();
        std::string name = lower(token());
        if (name.empty() || i >= h.size() || h[i] != '=') return std::nullopt;
        ++i;
        std::string value;
        if (i < h.size() && h[i] == '"') {
            ++i;
            bool closed = false;
            while (i < h.size()) {
                char c = h[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (i >= h.size()) return std::nullopt;
                    c = h[i++];
                }
                value += c;
            }
            if (!closed) return std::nullopt;
        } else {
            value = token();
            if (value.empty()) return std::nullopt;
        }
        if (!out.params.emplace(name, value).second) return std::nullopt;
        ows();
    }
    return out;
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// ext-value = charset "'" [ language ] "'" value-chars; only UTF-8 expected from us.
std::optional<std::string> decodeUtf8ExtValue(std::string_view v) {
    auto q1 = v.find('\'');
    if (q1 == std::string_view::npos) return std::nullopt;
    auto q2 = v.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return std::nullopt;
    std::string charset(v.substr(0, q1));
    for (auto& c : charset) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (charset != "UTF-8") return std::nullopt;
    std::string out;
    for (std::size_t i = q2 + 1; i < v.size(); ++i) {
        if (v[i] == '%') {
            if (i + 2 >= v.size()) return std::nullopt;
            int hi = hexDigit(v[i + 1]), lo = hexDigit(v[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (isAttrChar(v[i])) {
            out += v[i];
        } else {
            return std::nullopt;
        }
    }
    return out;
}

/// Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool isUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int n = b < 0x80           ? 0
                : (b >> 5) == 0x6  ? 1
                : (b >> 4) == 0xE  ? 2
                : (b >> 3) == 0x1E ? 3
                                   : -1;
        if (n < 0 || i + n >= s.size()) return false;
        char32_t cp = n == 0 ? b : b & (0x3F >> n);
        for (int k = 1; k <= n; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

std::size_t utf8Length(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/// The name a browser saves under: filename* when present and understood, else filename.
struct SavedName {
    std::string name;
    std::string fallback;
};

std::optional<SavedName> savedNameOf(const std::string& header, std::string& why) {
    auto parsed = parseContentDisposition(header);
    if (!parsed) {
        why = "does not parse as RFC 6266";
        return std::nullopt;
    }
    if (parsed->type != "attachment" && parsed->type != "inline") {
        why = "disposition type " + parsed->type;
        return std::nullopt;
    }
    auto plain = parsed->params.find("filename");
    auto star = parsed->params.find("filename*");
    if (plain == parsed->params.end() || star == parsed->params.end()) {
        why = "needs both filename (fallback) and filename*";
        return std::nullopt;
    }
    auto decoded = decodeUtf8ExtValue(star->second);
    if (!decoded || !isUtf8(*decoded)) {
        why = "filename* is not a well-formed UTF-8 ext-value";
        return std::nullopt;
    }
    return SavedName{*decoded, plain->second};
}

/// `actual` must be `stem + suffix + ext` when that fits 255 bytes of UTF-8, and otherwise the
/// longest prefix of `stem` (whole characters) that fits, followed by `suffix + ext`.
void expectFittedName(const std::string& actual, const std::string& stem, const std::string& suffix,
                      const std::string& ext, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(isUtf8(actual)) << actual;
    EXPECT_LE(actual.size(), 255u) << actual;
    std::string whole = stem + suffix + ext;
    if (whole.size() <= 255) {
        EXPECT_EQ(actual, whole);
        return;
    }
    std::string tail = suffix + ext;
    ASSERT_GE(actual.size(), tail.size()) << actual;
    EXPECT_EQ(actual.substr(actual.size() - tail.size()), tail) << actual;
    std::string kept = actual.substr(0, actual.size() - tail.size());
    EXPECT_EQ(stem.substr(0, kept.size()), kept) << "not a prefix of the name: " << actual;
    ASSERT_LT(kept.size(), stem.size());
    EXPECT_GT(kept.size() + utf8Length(static_cast<unsigned char>(stem[kept.size()])) + tail.size(),
              255u)
        << "cut shorter than it had to be: " << actual;
}

/// The fallback `filename=` must need no quoting or escaping at all (RFC 8187 attr-chars
/// only), and keep the extension so old clients still open it with the right program.
void expectSafeFallback(const std::string& fallback, const std::string& ext) {
    EXPECT_FALSE(fallback.empty());
    for (char c : fallback) EXPECT_TRUE(isAttrChar(c)) << "'" << c << "' in fallback " << fallback;
    if (!ext.empty()) {
        ASSERT_GE(fallback.size(), ext.size());
        EXPECT_EQ(fallback.substr(fallback.size() - ext.size()), ext) << fallback;
    }
}

std::string extensionOfName(const std::string& name) {
    auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(dot);
}

std::string stemOfName(const std::string& name) {
    return name.substr(0, name.size() - extensionOfName(name).size());
}

// ---- how clients put a file name in a multipart part ----------------------------------

/// What Chrome and Firefox send (WHATWG HTML, multipart/form-data encoding): the name in
/// quotes with '"', CR and LF percent-encoded and nothing else touched.
std::string browserFileNameParam(const std::string& name) {
    std::string out = "filename=\"";
    for (char c : name) {
        if (c == '"') {
            out += "%22";
        } else if (c == '\r') {
            out += "%0D";
        } else if (c == '\n') {
            out += "%0A";
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// RFC 8187 ext-value, every byte that is not an attr-char percent-encoded.
std::string extFileNameParam(const std::string& name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "filename*=UTF-8''";
    for (char c : name) {
        if (isAttrChar(c)) {
            out += c;
        } else {
            auto u = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

constexpr const char* kBoundary = "----names-test-7MA1XK7Q2";

/// A multipart body: the `kind` field, then the file part with `fileParams` verbatim after
/// `form-data; name="file"` (or no file part parameters at all if empty).
std::string uploadBody(const std::string& bytes, const std::string& fileParams,
                       const std::string& kind, const std::string& partType = "") {
    std::string b = std::string("--") + kBoundary + "\r\n";
    b += "Content-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind + "\r\n";
    b += std::string("--") + kBoundary + "\r\n";
    b += "Content-Disposition: form-data; name=\"file\"";
    if (!fileParams.empty()) b += "; " + fileParams;
    b += "\r\n";
    if (!partType.empty()) b += "Content-Type: " + partType + "\r\n";
    b += "\r\n" + bytes + "\r\n--" + kBoundary + "--\r\n";
    return b;
}

class UploadNamesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;  // names only: no OCR
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        client = std::make_unique<HttpTestClient>(server->port());
        client->signUp("names01", "13800000011", "苏州澄湖精密仪表有限公司", "91440116MA59B21T31");
        services->auth().createStaff(
            {"review01", HttpTestClient::kTestPassword, "13900000011", "审查员", Role::Reviewer});
        reviewer = std::make_unique<HttpTestClient>(server->port());
        EXPECT_EQ(reviewer->signIn("review01").status, 201);
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    HttpResult post(const std::string& body) {
        return client->request("POST", "/api/v1/documents", {},
                               std::string("multipart/form-data; boundary=") + kBoundary, body);
    }

    void expectProblem(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << r.body;
        if (r.header("Content-Type") != "application/problem+json") return;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
        EXPECT_FALSE(r.json()->getValue<std::string>("detail").empty());
    }

    void expectStoreUnchanged(std::size_t files, std::uint64_t rows) {
        EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), files);
        EXPECT_EQ(services->documentRows().countDocuments(), rows);
    }

    /// The name a response's Content-Disposition makes a browser save, checked for form.
    std::string savedName(const HttpResult& r, const std::string& ext) {
        EXPECT_EQ(r.status, 200) << r.body;
        std::string header = r.header("Content-Disposition");
        std::string why;
        auto saved = savedNameOf(header, why);
        if (!saved) {
            ADD_FAILURE() << why << ": " << header;
            return {};
        }
        expectSafeFallback(saved->fallback, ext);
        return saved->name;
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> client;
    std::unique_ptr<HttpTestClient> reviewer;
};

}  // namespace

// Item: download names. Each name of the case file is uploaded as a browser sends it and
// as `filename*`; the stored name, the original and every derivative (watermarked copy,
// review copy, owner's and reviewer's previews) must be saved by a browser under the
// expected name, within 255 bytes, derivative suffixes included.
TEST_F(UploadNamesTest, CaseFileNamesDownloadUnderTheExpectedName) {
    auto cases = Poco::JSON::Parser()
                     .parse(readFile(fixturePath("cases/download-names/names.json")))
                     .extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(cases->size(), 14u);
    const std::string pdf = readFile(fixturePath("cases/download-names/payload.pdf"));
    // payload.pdf goes under every name except the two whose extension names another
    // type: those get bytes of that type, so that the name (not a type correction, which
    // MisnamedFiles covers) is what is tested.
    const std::string png = readFile(fixturePath("real/paddlex_table_recognition.png"));
    const std::string xlsx = makeXlsx();

    for (std::size_t i = 0; i < cases->size(); ++i) {
        auto c = cases->getObject(static_cast<unsigned>(i));
        const std::string id = c->getValue<std::string>("id");
        const std::string uploadName = c->getValue<std::string>("upload_name");
        const std::string expected = c->getValue<std::string>("expected_download_name");
        const std::string ext = extensionOfName(expected);
        const std::string stem = stemOfName(expected);
        const std::string& bytes = ext == ".png" ? png : ext == ".xlsx" ? xlsx : pdf;

        for (const std::string& param :
             {browserFileNameParam(uploadName), extFileNameParam(uploadName)}) {
            SCOPED_TRACE(id + " sent as " + param.substr(0, param.find('=')));
            auto up = post(uploadBody(bytes, param, "evidence"));
            ASSERT_EQ(up.status, 201) << up.body;
            auto doc = up.json();
            expectFittedName(doc->getValue<std::string>("original_name"), stem, "", ext,
                             "stored name");
            const std::string path = "/api/v1/documents/" + doc->getValue<std::string>("id");

            expectFittedName(savedName(client->get(path + "/content"), ext), stem, "", ext,
                             "original");
            if (bytes == xlsx) {
                // Served as uploaded to reviewers: no mark can be laid on a spreadsheet.
                expectFittedName(savedName(reviewer->get(path + "/content"), ext), stem, "", ext,
                                 "review copy");
                continue;
            }
            expectFittedName(savedName(client->get(path + "/content?variant=watermarked"), ext),
                             stem, "（备案水印）", ext, "watermarked copy");
            expectFittedName(savedName(reviewer->get(path + "/content"), ext), stem, "（审查副本）",
                             ext, "review copy");
            expectFittedName(savedName(client->get(path + "/pages/1.png?width=200"), ".png"), stem,
                             "-p1", ".png", "owner's preview");
            expectFittedName(savedName(reviewer->get(path + "/pages/1.png?width=200"), ".png"),
                             stem, "-p1", ".png", "reviewer's preview");
        }
    }
}

// The fallback `filename=` is for clients that ignore `filename*`: whatever the name, it
// is plain ASCII that needs no quoting, so no client can misread where it ends.
TEST_F(UploadNamesTest, AsciiFallbackNeedsNoQuoting) {
    const std::string pdf = makePdf();
    for (std::string name : {"合同;终稿=v2.pdf", "a,b;c=d \"e\" f%g'h*.pdf", "报告.pdf", "x.pdf"}) {
        auto up = post(uploadBody(pdf, extFileNameParam(name), "evidence"));
        ASSERT_EQ(up.status, 201) << up.body;
        auto r =
            client->get("/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content");
        EXPECT_EQ(savedName(r, ".pdf"), name);
    }
}

// Item: a file part named only with `filename*` (RFC 8187), as some clients send it.
TEST_F(UploadNamesTest, FileNameStarOnlyPartIsDecoded) {
    std::string body = readFile(fixturePath("cases/multipart/filename-star-only.body"));
    auto up = client->request("POST", "/api/v1/documents", {},
                              "multipart/form-data; boundary=----DossierBoundary7MA1XK7Q2", body);
    ASSERT_EQ(up.status, 201) << up.body;
    EXPECT_EQ(up.json()->getValue<std::string>("original_name"), "营业执照.png");
    EXPECT_EQ(up.json()->getValue<std::string>("media_type"), "image/png");
    EXPECT_EQ(up.json()->getValue<std::string>("kind"), "license");
    auto content =
        client->get("/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content");
    EXPECT_EQ(savedName(content, ".png"), "营业执照.png");

    const std::string pdf = makePdf();
    // A language tag and lower-case charset are fine; filename* wins over filename.
    auto tagged = post(uploadBody(
        pdf, "filename=\"fallback.pdf\"; filename*=utf-8'zh-CN'%E8%AF%81%E6%98%8E.pdf", "proof"));
    ASSERT_EQ(tagged.status, 201) << tagged.body;
    EXPECT_EQ(tagged.json()->getValue<std::string>("original_name"), "证明.pdf");
    // A quoted plain name may carry a backslash-escaped quote (curl and older clients).
    auto escaped = post(uploadBody(pdf, "filename=\"5\\\" x 7\\\" 报告.pdf\"", "proof"));
    ASSERT_EQ(escaped.status, 201) << escaped.body;
    EXPECT_EQ(escaped.json()->getValue<std::string>("original_name"), "5\" x 7\" 报告.pdf");
    expectStoreUnchanged(2, 3);

    // Refused, with a message that says what is wrong with the name, and nothing stored.
    struct Refusal {
        std::string params, code, says;
    } refusals[] = {
        {"filename*=ISO-8859-1''caf%E9.pdf", "upload.file_name_invalid", "UTF-8"},
        {"filename*=UTF-8''%E8%AF%81%G1.pdf", "upload.file_name_invalid", "percent"},
        {"filename*=UTF-8''%E8%AF%8", "upload.file_name_invalid", "percent"},
        {"filename*=UTF-8''%FF%FE.pdf", "upload.file_name_invalid", "UTF-8"},
        {"filename*=UTF-8''a b.pdf", "upload.file_name_invalid", "percent"},
        {"filename*=%E8%AF%81.pdf", "upload.file_name_invalid", "UTF-8''"},
        {"", "upload.file_name_missing", "file name"},
    };
    for (const auto& r : refusals) {
        SCOPED_TRACE(r.params);
        auto res = post(uploadBody(pdf, r.params, "proof"));
        expectProblem(res, 400, r.code);
        if (res.header("Content-Type") == "application/problem+json") {
            EXPECT_NE(res.json()->getValue<std::string>("detail").find(r.says), std::string::npos)
                << res.body;
        }
    }
    expectStoreUnchanged(2, 3);
}

// Item: misnamed files. Content a kind allows is accepted whatever its name says; the
// user's name is kept, the download gets the extension of the content, and the correction
// is in the metadata and in the upload's audit record.
TEST_F(UploadNamesTest, MisnamedFilesAreAcceptedByContentAndServedWithTheRightExtension) {
    const std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    const std::string png = readFile(fixturePath("real/paddlex_table_recognition.png"));
    const std::string pdf = makePdf();
    const std::string docx = makeDocx();
    const std::string xlsx = makeXlsx();
    struct Case {
        std::string bytes, name, kind, declared, download;
        bool corrected;
    } cases[] = {
        {jpeg, "营业执照.png", "license", "image/png", "营业执照.jpg", true},
        {jpeg, "scan.jpeg", "license", "", "scan.jpeg", false},
        {jpeg, "SCAN.JPG", "license", "image/jpeg", "SCAN.JPG", false},
        {jpeg, "scan.Jpe", "evidence", "", "scan.Jpe", false},
        {jpeg, "微信图片_20250301", "license", "", "微信图片_20250301.jpg", true},
        {png, "截图.jpg", "proof", "image/jpeg", "截图.png", true},
        {png, "截图.PNG", "proof", "image/jpeg", "截图.PNG", false},
        {pdf, "证照.jpg", "license", "image/jpeg", "证照.pdf", true},
        {pdf, "报告v2.1", "evidence", "", "报告v2.1.pdf", true},
        {docx, "经验材料.zip", "summary", "application/zip", "经验材料.docx", true},
        {docx, "经验材料.doc", "summary", "application/msword", "经验材料.docx", true},
        {xlsx, "名单.zip", "import", "", "名单.xlsx", true},
        {xlsx, "名单.xls", "evidence", "application/vnd.ms-excel", "名单.xlsx", true},
    };
    std::size_t stored = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name + " (" + c.kind + ")");
        auto up = post(uploadBody(c.bytes, extFileNameParam(c.name), c.kind, c.declared));
        ASSERT_EQ(up.status, 201) << up.body;
        ++stored;
        auto doc = up.json();
        EXPECT_EQ(doc->getValue<std::string>("original_name"), c.name);
        EXPECT_EQ(doc->getValue<std::string>("download_name"), c.download);
        EXPECT_EQ(doc->getValue<bool>("name_corrected"), c.corrected);
        std::string id = doc->getValue<std::string>("id");
        auto meta = client->get("/api/v1/documents/" + id).json();
        EXPECT_EQ(meta->getValue<std::string>("download_name"), c.download);
        EXPECT_EQ(meta->getValue<bool>("name_corrected"), c.corrected);
        auto content = client->get("/api/v1/documents/" + id + "/content");
        EXPECT_EQ(content.body, c.bytes);
        EXPECT_EQ(savedName(content, extensionOfName(c.download)), c.download);

        auto trail = client->get("/api/v1/documents/" + id + "/audit").json()->getArray("entries");
        auto upload = trail->getObject(static_cast<unsigned>(trail->size() - 1));
        ASSERT_EQ(upload->getValue<std::string>("action"), "document.upload");
        auto details = upload->getObject("details");
        EXPECT_EQ(details->getValue<std::string>("name_corrected"), c.corrected ? "true" : "false");
        EXPECT_EQ(details->getValue<std::string>("download_name"), c.download);
    }
    // A watermarked copy of a corrected JPEG is named after the corrected name.
    auto first = post(uploadBody(jpeg, extFileNameParam("营业执照.png"), "license"));
    ++stored;
    auto marked = client->get("/api/v1/documents/" + first.json()->getValue<std::string>("id") +
                              "/content?variant=watermarked");
    EXPECT_EQ(marked.header("Content-Type"), "image/jpeg");
    EXPECT_EQ(savedName(marked, ".jpg"), "营业执照（备案水印）.jpg");
    // The real photocopy fixture is a JPEG named .png, as chat apps save them.
    auto real = client->upload(
        readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png")),
        "营业执照.png", "license", "image/png");
    ASSERT_EQ(real.status, 201) << real.body;
    ++stored;
    EXPECT_EQ(real.json()->getValue<std::string>("download_name"), "营业执照.jpg");

    // Content the kind does not allow is refused whatever the name says; nothing stored.
    std::size_t blobs = listFilesRecursive(config.blobDirectory()).size();
    expectProblem(post(uploadBody(docx, extFileNameParam("营业执照.pdf"), "license")), 415,
                  "upload.type_not_allowed");
    expectProblem(post(uploadBody(pdf, extFileNameParam("名单.xlsx"), "import")), 415,
                  "upload.type_not_allowed");
    expectProblem(
        post(uploadBody(makeZip({{"a.txt", "x"}}), extFileNameParam("经验材料.docx"), "summary")),
        415, "upload.type_not_allowed");
    expectStoreUnchanged(blobs, stored);
}
