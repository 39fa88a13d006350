// The real server on port 0, over loopback with Poco's HTTP client. Runs on SQLite and on
// PostgreSQL (DOSSIER_TEST_BACKEND), see tests/CMakeLists.txt.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "ScanGenerator.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/http/HttpSemantics.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

class ServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        client = std::make_unique<HttpTestClient>(server->port());
        // The organization of the real license photocopy fixture.
        account = client->signUp("jingke01", "13800000001", kOrganization, kCreditCode, "李明");
    }

    static constexpr const char* kOrganization = "广州精科医学检验所有限公司";
    static constexpr const char* kCreditCode = "91440116MA59B21T31";

    /// A signed-in staff client (created through the same service the CLI uses).
    std::unique_ptr<HttpTestClient> staffClient(Role role, const std::string& username,
                                                const std::string& phone, const std::string& name) {
        services->auth().createStaff({username, HttpTestClient::kTestPassword, phone, name, role});
        auto c = std::make_unique<HttpTestClient>(server->port());
        EXPECT_EQ(c->signIn(username).status, 201);
        return c;
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    /// Polls the checks route until the document's checks are done (60 s at most); every
    /// result's details must be as the OpenAPI document describes them.
    Poco::JSON::Object::Ptr waitForChecks(const std::string& id) {
        for (int i = 0; i < 600; ++i) {
            auto r = client->get("/api/v1/documents/" + id + "/checks");
            EXPECT_EQ(r.status, 200) << r.body;
            auto json = r.json();
            if (json->getValue<std::string>("state") != "pending") {
                expectDetailsAsDocumented(json);
                return json;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "checks still pending after 60 s";
        return client->get("/api/v1/documents/" + id + "/checks").json();
    }

    /// Each key of each check's details is a property of that check's details schema
    /// (LicenseDetails, SealsDetails, ...) and has its JSON type.
    void expectDetailsAsDocumented(const Poco::JSON::Object::Ptr& checks) {
        auto schemas = client->get("/api/v1/openapi.json")
                           .json()
                           ->getObject("components")
                           ->getObject("schemas");
        auto list = checks->getArray("checks");
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto item = list->getObject(static_cast<unsigned>(i));
            if (!item->has("details")) continue;
            std::string name = item->getValue<std::string>("check");
            std::string schemaName =
                static_cast<char>(std::toupper(name[0])) + name.substr(1) + "Details";
            auto schema = schemas->getObject(schemaName);
            ASSERT_TRUE(schema) << "OpenAPI lacks " << schemaName;
            auto properties = schema->getObject("properties");
            for (const auto& [key, value] : *item->getObject("details")) {
                auto property = properties->getObject(key);
                ASSERT_TRUE(property) << schemaName << " lacks " << key;
                std::string type = property->getValue<std::string>("type");
                if (type == "integer") {
                    EXPECT_TRUE(value.isInteger())
                        << name << "." << key << " = " << value.toString();
                } else if (type == "number") {
                    EXPECT_TRUE(value.isNumeric())
                        << name << "." << key << " = " << value.toString();
                } else if (type == "boolean") {
                    EXPECT_TRUE(value.isBoolean()) << name << "." << key;
                } else {
                    EXPECT_TRUE(value.isString()) << name << "." << key;
                }
            }
        }
    }

    static Poco::JSON::Object::Ptr checkNamed(const Poco::JSON::Object::Ptr& checks,
                                              const std::string& name) {
        auto list = checks->getArray("checks");
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto item = list->getObject(static_cast<unsigned>(i));
            if (item->getValue<std::string>("check") == name) return item;
        }
        return nullptr;
    }

    void expectProblem(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
        auto json = r.json();
        EXPECT_EQ(json->getValue<std::string>("code"), code) << r.body;
        EXPECT_EQ(json->getValue<int>("status"), status);
        EXPECT_FALSE(json->getValue<std::string>("detail").empty());
        EXPECT_FALSE(json->getValue<std::string>("request_id").empty());
    }

    /// Nothing of a refused upload may remain: no blob, no temp file, no row.
    void expectStoreUnchanged(std::size_t files, std::uint64_t rows) {
        EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), files);
        EXPECT_EQ(services->documentRows().countDocuments(), rows);
    }

    std::string jpeg() { return readFile(fixturePath("real/yyzz_template_generator-tools.jpg")); }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> client;
    Poco::JSON::Object::Ptr account;
};

}  // namespace

TEST_F(ServerTest, UploadMetadataDownloadByteIdentical) {
    std::string bytes = jpeg();
    auto up = client->upload(bytes, "scan.jpg", "license", "image/jpeg");
    ASSERT_EQ(up.status, 201) << up.body;
    auto doc = up.json();
    std::string id = doc->getValue<std::string>("id");
    EXPECT_EQ(doc->getValue<std::string>("sha256"), storage::Sha256::of(bytes));
    EXPECT_EQ(doc->getValue<std::uint64_t>("size"), bytes.size());
    EXPECT_EQ(doc->getValue<std::string>("media_type"), "image/jpeg");
    EXPECT_EQ(doc->getValue<std::string>("kind"), "license");
    EXPECT_EQ(doc->getValue<std::string>("original_name"), "scan.jpg");
    EXPECT_EQ(doc->getValue<std::string>("created_at").size(), 24u);
    EXPECT_EQ(up.header("Location"), "/api/v1/documents/" + id);

    auto meta = client->get("/api/v1/documents/" + id);
    ASSERT_EQ(meta.status, 200);
    EXPECT_EQ(meta.json()->getValue<std::string>("sha256"), storage::Sha256::of(bytes));

    auto content = client->get("/api/v1/documents/" + id + "/content");
    ASSERT_EQ(content.status, 200);
    EXPECT_EQ(content.body, bytes);
    EXPECT_EQ(content.header("Content-Type"), "image/jpeg");
    EXPECT_EQ(content.header("ETag"), "\"" + storage::Sha256::of(bytes) + "\"");
    EXPECT_EQ(content.header("X-Content-Type-Options"), "nosniff");

    auto head = client->request("HEAD", "/api/v1/documents/" + id + "/content");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(bytes.size()));
}

TEST_F(ServerTest, AllAcceptedTypesRoundTrip) {
    struct Case {
        std::string bytes, name, kind, mime;
    } cases[] = {
        {readFile(fixturePath("real/paddlex_table_recognition.png")), "表格.png", "proof",
         "image/png"},
        {makePdf(), "承诺书.pdf", "commitment", "application/pdf"},
        {makeDocx(), "经验材料.docx", "summary",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {makeXlsx(), "QC小组.xlsx", "import",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    };
    for (const auto& c : cases) {
        auto up = client->upload(c.bytes, c.name, c.kind);
        ASSERT_EQ(up.status, 201) << c.name << ": " << up.body;
        EXPECT_EQ(up.json()->getValue<std::string>("media_type"), c.mime);
        auto content =
            client->get("/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content");
        EXPECT_EQ(content.body, c.bytes);
        EXPECT_EQ(content.header("Content-Type"), c.mime);
    }
}

TEST_F(ServerTest, DuplicateUploadIsStoredOnce) {
    std::string bytes = jpeg();
    auto a = client->upload(bytes, "a.jpg", "license");
    auto b = client->upload(bytes, "b.jpg", "evidence");
    ASSERT_EQ(a.status, 201);
    ASSERT_EQ(b.status, 201);
    EXPECT_NE(a.json()->getValue<std::string>("id"), b.json()->getValue<std::string>("id"));
    EXPECT_EQ(a.json()->getValue<std::string>("sha256"), b.json()->getValue<std::string>("sha256"));
    expectStoreUnchanged(1, 2);
    EXPECT_EQ(services->documentRows().countBlobs(), 1u);
}

TEST_F(ServerTest, EveryUploadErrorCodeAndNothingLeftBehind) {
    std::string bytes = jpeg();
    expectProblem(client->upload(std::string((5 << 20) + 10, '\xFF'), "big.jpg", "license"), 413,
                  "upload.too_large");
    expectProblem(client->upload(makeDocx(), "a.docx", "license"), 415, "upload.type_not_allowed");
    expectProblem(client->upload("MZ\x90 fake executable", "scan.jpg", "license"), 415,
                  "upload.type_not_allowed");
    expectProblem(client->upload("", "empty.jpg", "license"), 422, "upload.empty");
    expectProblem(client->upload(bytes.substr(0, 50000), "cut.jpg", "license"), 422,
                  "upload.truncated");
    expectProblem(client->upload(bytes, "a.jpg", "passport"), 422, "upload.kind_unknown");
    expectProblem(client->upload(bytes, "a.jpg", "license'--"), 422, "upload.kind_unknown");

    auto [type, body] = multipartBody({{"kind", "license", std::nullopt, ""}});
    expectProblem(client->request("POST", "/api/v1/documents", {}, type, body), 400,
                  "upload.file_missing");
    auto [type2, body2] = multipartBody({{"file", bytes, "a.jpg", ""},
                                         {"file", bytes, "b.jpg", ""},
                                         {"kind", "license", std::nullopt, ""}});
    expectProblem(client->request("POST", "/api/v1/documents", {}, type2, body2), 400,
                  "request.malformed");
    expectProblem(client->request("POST", "/api/v1/documents", {},
                                  "multipart/form-data; boundary=xyz", "garbage without boundary"),
                  400, "request.malformed");
    // A body that ends inside the file part (no closing boundary: the client was cut off)
    // is refused, even when what arrived happens to be a whole file.
    auto [type3, body3] =
        multipartBody({{"kind", "license", std::nullopt, ""}, {"file", bytes, "a.jpg", ""}});
    body3.resize(body3.rfind("\r\n--"));
    expectProblem(client->request("POST", "/api/v1/documents", {}, type3, body3), 400,
                  "request.malformed");
    expectProblem(
        client->request("POST", "/api/v1/documents", {}, "application/json", "{\"file\": 1}"), 415,
        "request.unsupported_media_type");
    expectStoreUnchanged(0, 0);
}

TEST_F(ServerTest, KindBeforeFileCutsTheStreamAtTheKindLimit) {
    auto r = client->upload(std::string(6 << 20, '\xFF'), "big.jpg", "license", "", true);
    expectProblem(r, 413, "upload.too_large");
    expectStoreUnchanged(0, 0);
}

TEST_F(ServerTest, OversizedBodyIsRefusedBeforeItIsSent) {
    // Only headers, announcing 200 MB with Expect: 100-continue: the server must answer 413
    // without asking for (or waiting for) the body.
    auto send = [&](const std::string& authorization) {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server->port()));
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        std::string head =
            "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
            "boundary=b\r\nContent-Length: 200000000\r\nExpect: 100-continue\r\n" +
            authorization + "\r\n";
        socket.sendBytes(head.data(), static_cast<int>(head.size()));
        std::string response;
        char buf[4096];
        int n;
        while ((n = socket.receiveBytes(buf, sizeof buf)) > 0) response.append(buf, n);
        return response;
    };
    std::string response = send("Authorization: Bearer " + client->bearer() + "\r\n");
    EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response;
    EXPECT_EQ(response.find("100 Continue"), std::string::npos);
    EXPECT_NE(response.find("upload.too_large"), std::string::npos);
    // Without a session: refused as unauthenticated, also without reading the body.
    response = send("");
    EXPECT_EQ(response.rfind("HTTP/1.1 401", 0), 0u) << response;
    EXPECT_EQ(response.find("100 Continue"), std::string::npos);
    EXPECT_NE(response.find("auth.required"), std::string::npos);
    expectStoreUnchanged(0, 0);
}

TEST_F(ServerTest, NotFoundAndRoutingErrors) {
    expectProblem(client->get("/api/v1/documents/01J0000000000000000000000X"), 404,
                  "document.not_found");
    expectProblem(client->get("/api/v1/documents/..%2F..%2Fetc%2Fpasswd/content"), 404,
                  "document.not_found");
    expectProblem(client->get("/api/v1/documents/%27%20OR%201%3D1%20--"), 404,
                  "document.not_found");
    expectProblem(client->get("/api/v1/nothing"), 404, "route.not_found");
    auto r = client->request("PATCH", "/api/v1/documents/abc");
    expectProblem(r, 405, "route.method_not_allowed");
    EXPECT_NE(r.header("Allow").find("GET"), std::string::npos);
    EXPECT_NE(r.header("Allow").find("DELETE"), std::string::npos);
    // A bad %-escape in a path parameter or the query is the request's fault, answered (never
    // a 500 or a dropped connection), whoever asks and whichever route.
    for (const char* target :
         {"/api/v1/documents/%ZZ", "/api/v1/documents/a%2", "/api/v1/documents/%ZZ/content",
          "/api/v1/documents/x/pages/%ZZ.png", "/api/v1/documents?kind=%ZZ",
          "/api/v1/projects?page=%ZZ", "/api/v1/organizations/lookup?q=%ZZ",
          "/api/v1/organizations/lookup?%ZZ=1"}) {
        expectProblem(client->get(target), 400, "request.malformed");
    }
    HttpTestClient anonymous(server->port());
    expectProblem(anonymous.get("/api/v1/organizations/lookup?q=%2"), 400, "request.malformed");
    expectProblem(anonymous.request("DELETE", "/api/v1/documents/%ZZ"), 400, "request.malformed");
}

TEST_F(ServerTest, ConditionalAndRangeRequests) {
    std::string bytes = jpeg();
    auto up = client->upload(bytes, "scan.jpg", "license");
    std::string path = "/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content";
    std::string etag = "\"" + storage::Sha256::of(bytes) + "\"";

    auto notModified = client->get(path, {{"If-None-Match", etag}});
    EXPECT_EQ(notModified.status, 304);
    EXPECT_TRUE(notModified.body.empty());
    EXPECT_EQ(notModified.header("ETag"), etag);
    EXPECT_EQ(client->get(path, {{"If-None-Match", "\"other\""}}).status, 200);

    auto partial = client->get(path, {{"Range", "bytes=100-199"}});
    EXPECT_EQ(partial.status, 206);
    EXPECT_EQ(partial.body, bytes.substr(100, 100));
    EXPECT_EQ(partial.header("Content-Range"), "bytes 100-199/" + std::to_string(bytes.size()));
    auto suffix = client->get(path, {{"Range", "bytes=-10"}});
    EXPECT_EQ(suffix.status, 206);
    EXPECT_EQ(suffix.body, bytes.substr(bytes.size() - 10));
    auto open = client->get(path, {{"Range", "bytes=236000-"}});
    EXPECT_EQ(open.body, bytes.substr(236000));

    auto beyond = client->get(path, {{"Range", "bytes=999999999-"}});
    expectProblem(beyond, 416, "range.not_satisfiable");
    EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + std::to_string(bytes.size()));
    // Stale If-Range: the whole file.
    auto stale = client->get(path, {{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}});
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(stale.body.size(), bytes.size());
    // Multiple ranges are answered with the whole file.
    EXPECT_EQ(client->get(path, {{"Range", "bytes=0-1,5-6"}}).status, 200);
}

TEST_F(ServerTest, ChineseAndRareFileNamesRoundTripInContentDisposition) {
    std::string name = "营业执照\xF0\xA0\xAE\xB7（副本）.jpg";
    auto up = client->upload(jpeg(), name, "license");
    ASSERT_EQ(up.status, 201) << up.body;
    EXPECT_EQ(up.json()->getValue<std::string>("original_name"), name);
    std::string id = up.json()->getValue<std::string>("id");
    auto content = client->get("/api/v1/documents/" + id + "/content");
    std::string disposition = content.header("Content-Disposition");
    auto star = disposition.find("filename*=UTF-8''");
    ASSERT_NE(star, std::string::npos) << disposition;
    auto decoded = http::decodeExtValue(disposition.substr(star + 10));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, name);
    EXPECT_EQ(disposition.rfind("attachment; filename=\"", 0), 0u);
    // Path components and control characters never reach the stored name.
    auto hostile = client->upload(jpeg(), "C:\\Users\\..\\evil\x01\x7f.jpg", "license");
    ASSERT_EQ(hostile.status, 201) << hostile.body;
    EXPECT_EQ(hostile.json()->getValue<std::string>("original_name"), "evil.jpg");
}

TEST_F(ServerTest, ConcurrentUploadsAllLandWithCorrectDigests) {
    constexpr int kUploads = 32;
    std::vector<std::string> payloads(kUploads);
    std::string base = makePdf();
    for (int i = 0; i < kUploads; ++i) {
        payloads[i] = base;
        payloads[i].insert(base.size() - 6,
                           std::string(1000 + i * 3000, static_cast<char>('a' + i % 26)));
    }
    std::vector<std::string> ids(kUploads), digests(kUploads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kUploads; ++i) {
        threads.emplace_back([&, i] {
            HttpTestClient c(server->port());
            c.setBearer(client->bearer());
            auto r = c.upload(payloads[i], "p" + std::to_string(i) + ".pdf", "proof");
            if (r.status == 201) {
                ids[i] = r.json()->getValue<std::string>("id");
                digests[i] = r.json()->getValue<std::string>("sha256");
            }
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> unique;
    for (int i = 0; i < kUploads; ++i) {
        ASSERT_FALSE(ids[i].empty()) << "upload " << i << " failed";
        EXPECT_EQ(digests[i], storage::Sha256::of(payloads[i]));
        unique.insert(ids[i]);
        EXPECT_EQ(client->get("/api/v1/documents/" + ids[i] + "/content").body, payloads[i]);
    }
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(kUploads));
    expectStoreUnchanged(kUploads, kUploads);
}

TEST_F(ServerTest, CorruptedBlobIsNeverServed) {
    std::string bytes = jpeg();
    auto up = client->upload(bytes, "scan.jpg", "license");
    std::string sha = up.json()->getValue<std::string>("sha256");
    writeFile(services->blobs().pathOf(sha), "bit rot");
    auto r =
        client->get("/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content");
    expectProblem(r, 500, "storage.blob_corrupt");
    EXPECT_EQ(r.body.find("bit rot"), std::string::npos);
}

TEST_F(ServerTest, HealthMetricsAndRequestIds) {
    auto health = client->get("/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json()->getValue<std::string>("database"), "ok");
    EXPECT_EQ(health.json()->getValue<std::string>("storage"), "ok");

    client->upload(jpeg(), "scan.jpg", "license");
    client->upload("junk", "scan.jpg", "license");
    auto echoed = client->get("/healthz", {{"X-Request-Id", "trace-42"}});
    EXPECT_EQ(echoed.header("X-Request-Id"), "trace-42");
    auto replaced = client->get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_NE(replaced.header("X-Request-Id"), "bad id with spaces");

    expectProblem(client->get("/metrics"), 403, "auth.forbidden");  // an applicant
    auto metrics = staffClient(Role::Operator, "ops01", "13900000009", "运维")->get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.header("Content-Type").find("text/plain"), std::string::npos);
    const std::string& m = metrics.body;
    EXPECT_NE(m.find("dossier_http_requests_total{route=\"/api/v1/"
                     "documents\",method=\"POST\",status=\"201\"} 1"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("status=\"415\"} 1"), std::string::npos);
    EXPECT_NE(m.find("dossier_upload_bytes_total " + std::to_string(jpeg().size())),
              std::string::npos);
    EXPECT_NE(m.find("dossier_uploads_rejected_total{code=\"upload.type_not_allowed\"} 1"),
              std::string::npos);
    EXPECT_NE(
        m.find("dossier_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3"),
        std::string::npos);
}

TEST_F(ServerTest, OpenApiDocumentsEveryRoute) {
    auto r = client->get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    auto doc = r.json();
    EXPECT_EQ(doc->getValue<std::string>("openapi").substr(0, 2), "3.");
    auto paths = doc->getObject("paths");
    ASSERT_TRUE(paths);
    std::size_t operations = 0;
    for (const auto& route : server->routes()) {
        auto item = paths->getObject(route.pattern);
        ASSERT_TRUE(item) << "OpenAPI lacks path " << route.pattern;
        std::string method = route.method;
        for (auto& ch : method) ch = static_cast<char>(std::tolower(ch));
        EXPECT_TRUE(item->has(method)) << "OpenAPI lacks " << route.method << " " << route.pattern;
    }
    // ...and documents nothing the server does not answer.
    for (const auto& [path, item] : *paths) {
        auto ops = item.extract<Poco::JSON::Object::Ptr>();
        for (const auto& [method, op] : *ops) {
            if (method == "parameters") continue;
            ++operations;
            bool found = false;
            for (const auto& route : server->routes()) {
                std::string m = route.method;
                for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
                found = found || (route.pattern == path &&
                                  (m == method || (method == "head" && m == "get")));
            }
            EXPECT_TRUE(found) << "OpenAPI documents " << method << " " << path;
        }
    }
    EXPECT_GE(operations, server->routes().size());
}

TEST_F(ServerTest, LicenseUploadIsCheckedOffTheRequestPath) {
    services->checkRunner().start();
    std::string scan =
        readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png"));
    // Compared with what the uploader's organization registered: nothing declared per upload.
    auto up = client->upload(scan, "营业执照.jpg", "license");
    ASSERT_EQ(up.status, 201) << up.body;
    EXPECT_EQ(up.json()->getValue<std::string>("checks"), "pending");
    std::string id = up.json()->getValue<std::string>("id");

    auto checks = waitForChecks(id);
    EXPECT_EQ(checks->getValue<std::string>("state"), "done");
    auto license = checkNamed(checks, "license");
    ASSERT_TRUE(license);
    // The seal over the name is seen and said (a warn with its own code); the code matched.
    EXPECT_EQ(license->getValue<std::string>("code"), "license.name_obscured");
    EXPECT_EQ(license->getValue<std::string>("status"), "warn");
    EXPECT_EQ(license->getObject("details")->getValue<std::string>("code_read"),
              "91440116MA59B21T31");
    EXPECT_TRUE(license->getObject("details")->get("rotation").isInteger());
    EXPECT_GT(license->getArray("regions")->size(), 0u);
    auto quality = checkNamed(checks, "quality");
    ASSERT_TRUE(quality);
    EXPECT_EQ(quality->getValue<std::string>("state"), "done");
    // The OCR text is stored for search, not in the result.
    auto text = services->checkRows().text(id, 1);
    ASSERT_TRUE(text.has_value());
    EXPECT_FALSE(text->empty());
    EXPECT_FALSE(license->getObject("details")->has("ocr_text"));
}

TEST_F(ServerTest, CommitmentLetterSealsAreCounted) {
    services->checkRunner().start();
    CommitmentScanSpec spec;
    spec.seals = 2;
    FormPart file{"file", renderCommitmentScan(spec), std::string("承诺书.jpg"), ""};
    auto [type, body] = multipartBody({file,
                                       {"kind", "commitment", std::nullopt, ""},
                                       {"expected_seals", "3", std::nullopt, ""}});
    auto up = client->request("POST", "/api/v1/documents", {}, type, body);
    ASSERT_EQ(up.status, 201) << up.body;
    auto seals = checkNamed(waitForChecks(up.json()->getValue<std::string>("id")), "seals");
    ASSERT_TRUE(seals);
    EXPECT_EQ(seals->getValue<std::string>("code"), "seals.missing");
    EXPECT_EQ(seals->getValue<std::string>("status"), "fail");
    EXPECT_TRUE(seals->getObject("details")->get("count").isInteger());
    EXPECT_EQ(seals->getObject("details")->getValue<int>("count"), 2);
    EXPECT_EQ(seals->getArray("regions")->size(), 2u);
}

TEST_F(ServerTest, CheckFieldsAreValidatedAndOtherTypesGetNoChecks) {
    std::string scan = jpeg();
    auto [type2, body2] = multipartBody({{"file", scan, std::string("a.jpg"), ""},
                                         {"kind", "commitment", std::nullopt, ""},
                                         {"expected_seals", "9", std::nullopt, ""}});
    expectProblem(client->request("POST", "/api/v1/documents", {}, type2, body2), 422,
                  "upload.field_invalid");
    expectStoreUnchanged(0, 0);
    auto docx = client->upload(makeDocx(), "经验材料.docx", "summary");
    EXPECT_EQ(docx.json()->getValue<std::string>("checks"), "none");
    auto checks =
        client->get("/api/v1/documents/" + docx.json()->getValue<std::string>("id") + "/checks");
    EXPECT_EQ(checks.json()->getValue<std::string>("state"), "none");
    expectProblem(client->get("/api/v1/documents/01J0000000000000000000000X/checks"), 404,
                  "document.not_found");
}

TEST_F(ServerTest, WatermarkedVariantIsMadeOnceAndCached) {
    std::string bytes = jpeg();
    auto up = client->upload(bytes, "营业执照.jpg", "license");
    std::string id = up.json()->getValue<std::string>("id");
    std::size_t blobsBefore = listFilesRecursive(config.blobDirectory()).size();
    auto first = client->get("/api/v1/documents/" + id + "/content?variant=watermarked");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.header("Content-Type"), "image/jpeg");
    EXPECT_NE(first.body, bytes);
    auto header = readImageHeader(first.body);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 1091u);
    EXPECT_EQ(header->height, 767u);
    EXPECT_EQ(first.header("ETag"), "\"" + storage::Sha256::of(first.body) + "\"");
    EXPECT_NE(first.header("Content-Disposition").find("%EF%BC%88"), std::string::npos);  // （

    auto second = client->get("/api/v1/documents/" + id + "/content?variant=watermarked");
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), blobsBefore + 1);
    EXPECT_EQ(client
                  ->get("/api/v1/documents/" + id + "/content?variant=watermarked",
                        {{"If-None-Match", first.header("ETag")}})
                  .status,
              304);
    // The original is untouched.
    EXPECT_EQ(client->get("/api/v1/documents/" + id + "/content").body, bytes);

    expectProblem(client->get("/api/v1/documents/" + id + "/content?variant=bogus"), 400,
                  "variant.unknown");
    auto docx = client->upload(makeDocx(), "a.docx", "summary");
    expectProblem(client->get("/api/v1/documents/" + docx.json()->getValue<std::string>("id") +
                              "/content?variant=watermarked"),
                  409, "variant.not_available");
}

TEST_F(ServerTest, PagePreviewsAreScaledAndLicensesPreviewWatermarked) {
    std::string bytes = jpeg();
    std::string license =
        client->upload(bytes, "a.jpg", "license").json()->getValue<std::string>("id");
    std::string evidence =
        client->upload(bytes, "b.jpg", "evidence").json()->getValue<std::string>("id");
    auto preview = client->get("/api/v1/documents/" + evidence + "/pages/1.png?width=300");
    ASSERT_EQ(preview.status, 200) << preview.body;
    EXPECT_EQ(preview.header("Content-Type"), "image/png");
    auto header = readImageHeader(preview.body);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->type, MediaType::Png);
    EXPECT_EQ(header->width, 320u);  // 300 snapped up to one of the preview widths
    EXPECT_EQ(header->height, 767u * 320 / 1091);
    auto licensePreview = client->get("/api/v1/documents/" + license + "/pages/1.png?width=300");
    ASSERT_EQ(licensePreview.status, 200);
    EXPECT_NE(licensePreview.body, preview.body) << "license preview without its watermark";
    EXPECT_EQ(client->get("/api/v1/documents/" + evidence + "/pages/1.png").status, 200);
    expectProblem(client->get("/api/v1/documents/" + evidence + "/pages/2.png"), 404,
                  "page.not_found");
    expectProblem(client->get("/api/v1/documents/" + evidence + "/pages/x.png"), 400,
                  "request.malformed");
    expectProblem(client->get("/api/v1/documents/" + evidence + "/pages/1.gif"), 404,
                  "route.not_found");
}

TEST_F(ServerTest, PdfScansAreCheckedAndPreviewed) {
    services->checkRunner().start();
    std::string license = makeScannedPdf(
        {readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png"))});
    auto up = client->upload(license, "营业执照.pdf", "license", "application/pdf");
    ASSERT_EQ(up.status, 201) << up.body;
    EXPECT_EQ(up.json()->getValue<std::string>("media_type"), "application/pdf");
    std::string id = up.json()->getValue<std::string>("id");

    CommitmentScanSpec spec;
    spec.seals = 2;
    std::string letter =
        makeScannedPdf({renderCommitmentScan(spec), renderCommitmentScan(spec)}, 150);
    auto [type2, body2] = multipartBody({{"file", letter, std::string("承诺书.pdf"), ""},
                                         {"kind", "commitment", std::nullopt, ""},
                                         {"expected_seals", "3", std::nullopt, ""}});
    auto letterUp = client->request("POST", "/api/v1/documents", {}, type2, body2);
    ASSERT_EQ(letterUp.status, 201) << letterUp.body;
    std::string letterId = letterUp.json()->getValue<std::string>("id");

    auto licenseCheck = checkNamed(waitForChecks(id), "license");
    ASSERT_TRUE(licenseCheck);
    EXPECT_EQ(licenseCheck->getValue<std::string>("code"), "license.name_obscured");
    EXPECT_EQ(licenseCheck->getValue<std::string>("status"), "warn");
    auto seals = checkNamed(waitForChecks(letterId), "seals");
    ASSERT_TRUE(seals);
    EXPECT_EQ(seals->getObject("details")->getValue<int>("count"), 4);  // 2 pages × 2
    EXPECT_EQ(seals->getValue<std::string>("code"), "seals.present");

    auto page2 = client->get("/api/v1/documents/" + letterId + "/pages/2.png?width=480");
    ASSERT_EQ(page2.status, 200) << page2.body;
    auto header = readImageHeader(page2.body);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 480u);
    expectProblem(client->get("/api/v1/documents/" + letterId + "/pages/3.png"), 404,
                  "page.not_found");
    EXPECT_EQ(client->get("/api/v1/documents/" + id + "/pages/1.png?width=500").status, 200);
}

TEST_F(ServerTest, EncryptedAndBrokenPdfsAreRefused) {
    std::string broken = "%PDF-1.4\nthis is not a PDF body at all\n%%EOF\n";
    expectProblem(client->upload(broken, "broken.pdf", "proof"), 422, "pdf.corrupt");
    // Encrypted with qpdf (owner and user password), as a protected export would be.
    TempDir tmp;
    writeFile(tmp.path() + "/plain.pdf", makePdf());
    std::string cmd = "qpdf --encrypt user owner 256 -- " + tmp.path() + "/plain.pdf " +
                      tmp.path() + "/locked.pdf";
    ASSERT_EQ(std::system(cmd.c_str()), 0)
        << "qpdf is missing (scripts/install-deps.sh installs it)";
    expectProblem(client->upload(readFile(tmp.path() + "/locked.pdf"), "locked.pdf", "proof"), 422,
                  "pdf.encrypted");
    expectStoreUnchanged(0, 0);
}

TEST_F(ServerTest, PdfTextLayerIsStoredForSearch) {
    services->checkRunner().start();
    auto up = client->upload(makeTextPdf(3), "证明.pdf", "proof");
    ASSERT_EQ(up.status, 201) << up.body;
    std::string id = up.json()->getValue<std::string>("id");
    auto text = checkNamed(waitForChecks(id), "text");
    ASSERT_TRUE(text);
    EXPECT_EQ(text->getValue<std::string>("code"), "text.extracted");
    auto details = text->getObject("details");
    EXPECT_TRUE(details->get("pages").isInteger());
    EXPECT_EQ(details->getValue<int>("pages"), 3);
    EXPECT_EQ(details->getValue<int>("from_text_layer"), 3);
    auto page2 = services->checkRows().text(id, 2);
    ASSERT_TRUE(page2.has_value());
    EXPECT_NE(page2->find("Dossier page two"), std::string::npos) << *page2;
}

TEST_F(ServerTest, WatermarkedPdfKeepsItsText) {
    auto up = client->upload(makeTextPdf(), "证明.pdf", "proof");
    ASSERT_EQ(up.status, 201) << up.body;
    auto r = client->get("/api/v1/documents/" + up.json()->getValue<std::string>("id") +
                         "/content?variant=watermarked");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    TempDir tmp;
    writeFile(tmp.path() + "/w.pdf", r.body);
    std::string cmd =
        "pdftotext -raw " + tmp.path() + "/w.pdf " + tmp.path() + "/w.txt 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::string text = readFile(tmp.path() + "/w.txt");
    EXPECT_NE(text.find("Dossier page two"), std::string::npos);
    EXPECT_NE(text.find("仅用于备案审核"), std::string::npos) << text;
}

TEST_F(ServerTest, RenderCertificateFromJson) {
    std::string sample =
        readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/leader-certificate.json");
    auto r = client->request("POST", "/api/v1/render/certificate", {}, "application/json", sample);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
    auto bad = client->request("POST", "/api/v1/render/certificate", {}, "application/json",
                               R"({"star_level": 2, "credit_code": "123"})");
    expectProblem(bad, 422, "validation.failed");
    auto errors = bad.json()->getArray("errors");
    ASSERT_TRUE(errors);
    EXPECT_GE(errors->size(), 8u);  // every missing or wrong field at once
    expectProblem(
        client->request("POST", "/api/v1/render/certificate", {}, "application/json", "{oops"), 400,
        "request.malformed");
    expectProblem(client->request("POST", "/api/v1/render/poem", {}, "application/json", "{}"), 404,
                  "render.unknown_document");
    expectProblem(client->request("POST", "/api/v1/render/certificate", {}, "text/plain", sample),
                  415, "request.unsupported_media_type");
    expectProblem(client->request("POST", "/api/v1/render/certificate", {}, "application/json",
                                  std::string(2 << 20, ' ')),
                  413, "request.too_large");
}

TEST_F(ServerTest, RenderBooksFormsAndLabels) {
    std::string samples = std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/";
    auto book = client->request("POST", "/api/v1/render/book?template=benchmark-2022", {},
                                "application/json", readFile(samples + "benchmark-2022-book.json"));
    ASSERT_EQ(book.status, 200) << book.body;
    EXPECT_EQ(book.header("Content-Type"), "application/pdf");
    EXPECT_EQ(book.body.substr(0, 5), "%PDF-");
    EXPECT_NE(book.header("Content-Disposition").find("benchmark-2022.pdf"), std::string::npos);

    // Every problem at once, with paths.
    auto bad = client->request(
        "POST", "/api/v1/render/book", {}, "application/json",
        R"({"experience_name": "实施基于大数据与人工智能的关键过程质量管控和持续改进的质量管理经验", "revenue": {"2018": 1}})");
    expectProblem(bad, 422, "validation.failed");
    auto errors = bad.json()->getArray("errors");
    ASSERT_TRUE(errors);
    std::string listed;
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        listed += e->getValue<std::string>("path") + "=" + e->getValue<std::string>("code") + " ";
    }
    EXPECT_NE(listed.find("experience_name=field.too_long"), std::string::npos) << listed;
    EXPECT_NE(listed.find("revenue.2018=field.year"), std::string::npos) << listed;
    EXPECT_NE(listed.find("enterprise=field.required"), std::string::npos) << listed;
    // A draft of the same blank book prints.
    auto draft =
        client->request("POST", "/api/v1/render/book?draft=true", {}, "application/json", "{}");
    EXPECT_EQ(draft.status, 200) << draft.body;
    expectProblem(
        client->request("POST", "/api/v1/render/book?draft=maybe", {}, "application/json", "{}"),
        400, "request.malformed");
    // A template parameter that cannot be an id is malformed (render_routes_test has more).
    expectProblem(client->request("POST", "/api/v1/render/book?template=..%2F..%2Fetc%2Fpasswd", {},
                                  "application/json", "{}"),
                  400, "request.malformed");
    expectProblem(client->request("POST", "/api/v1/render/book?template=form-proof", {},
                                  "application/json", "{}"),
                  404, "render.unknown_document");

    for (const char* form : {"commitment", "recommendation", "proof"}) {
        auto r = client->request("POST", std::string("/api/v1/render/") + form, {},
                                 "application/json", readFile(samples + "organization.json"));
        EXPECT_EQ(r.status, 200) << form << r.body;
        EXPECT_EQ(r.body.substr(0, 5), "%PDF-") << form;
    }
    auto png = client->request("POST", "/api/v1/render/label?format=png", {}, "application/json",
                               readFile(samples + "leader-label.json"));
    ASSERT_EQ(png.status, 200) << png.body;
    EXPECT_EQ(png.header("Content-Type"), "image/png");
    EXPECT_EQ(png.body.substr(1, 3), "PNG");
    expectProblem(
        client->request("POST", "/api/v1/render/book?format=png", {}, "application/json", "{}"),
        400, "request.malformed");
}

TEST_F(ServerTest, EveryRouteButThePublicOnesNeedsASession) {
    HttpTestClient anonymous(server->port());
    std::set<std::string> publicRoutes;
    for (const auto& route : server->routes()) {
        std::string path = route.pattern;
        for (auto [from, to] :
             {std::pair<std::string, std::string>{"{id}", "01J0000000000000000000000X"},
              {"{page}", "1"},
              {"{document}", "book"}}) {
            if (auto at = path.find(from); at != std::string::npos)
                path.replace(at, from.size(), to);
        }
        if (route.isPublic) {
            publicRoutes.insert(route.method + " " + route.pattern);
            continue;
        }
        for (const std::string& token :
             {std::string(), std::string("dsr_forged"), client->bearer() + "x"}) {
            anonymous.setBearer(token);
            auto r = anonymous.request(route.method, path, {}, "application/json", "{}");
            expectProblem(r, 401, "auth.required");
            EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"dossier\"") << route.pattern;
        }
    }
    // Only what must answer strangers: sign-up, sign-in, 注册查询, the activities open for
    // applications (issue 12: listed publicly), health probes and the API document; and
    // (issue 14) the key-field products, the public notice of leader candidates, objections
    // to them, certificate verification and the key it is checked with.
    EXPECT_EQ(publicRoutes,
              (std::set<std::string>{
                  "POST /api/v1/accounts", "POST /api/v1/sessions",
                  "GET /api/v1/organizations/lookup", "GET /api/v1/activities",
                  "GET /api/v1/activities/{code}", "GET /healthz", "GET /api/v1/openapi.json",
                  "GET /api/v1/key-field-products", "GET /api/v1/key-field-products/{id}",
                  "GET /api/v1/leader-notices", "POST /api/v1/leader-candidates/{id}/objections",
                  "GET /api/v1/certificates/{number}/verify", "GET /api/v1/certificates/keys"}));
    anonymous.setBearer("");
    auto basic = anonymous.get("/api/v1/me", {{"Authorization", "Basic amluZ2tlMDE6U2VjcmV0"}});
    expectProblem(basic, 401, "auth.required");
    EXPECT_EQ(client->get("/api/v1/me", {{"Authorization", "bearer " + client->bearer()}}).status,
              200);
}

TEST_F(ServerTest, SignUpSignInAndAccountErrors) {
    auto me = client->get("/api/v1/me");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("username"), "jingke01");
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("role"), "applicant");
    EXPECT_TRUE(me.json()->getObject("account")->getValue<bool>("organization_admin"));
    EXPECT_EQ(me.json()->getObject("organization")->getValue<std::string>("credit_code"),
              kCreditCode);
    EXPECT_EQ(me.header("Cache-Control"), "no-store");

    HttpTestClient other(server->port());
    auto bad = other.postJson(
        "/api/v1/accounts",
        R"({"username":"a'--","password":"123","phone":"123",)"
        R"("display_name":"王𠮷","organization":{"name":"某公司","credit_code":"91440116MA59B21T32"},"admin":true})");
    expectProblem(bad, 422, "validation.failed");
    std::set<std::string> paths;
    auto errors = bad.json()->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
        paths.insert(errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("path"));
    }
    EXPECT_EQ(paths, (std::set<std::string>{"admin"}));  // unknown fields are refused first
    bad = other.postJson(
        "/api/v1/accounts",
        R"({"username":"a'--","password":"123","phone":"123",)"
        R"("display_name":"王𠮷","organization":{"name":"某公司","credit_code":"91440116MA59B21T32"}})");
    errors = bad.json()->getArray("errors");
    paths.clear();
    for (std::size_t i = 0; i < errors->size(); ++i) {
        paths.insert(errors->getObject(static_cast<unsigned>(i))->getValue<std::string>("path"));
    }
    EXPECT_EQ(paths,
              (std::set<std::string>{"username", "password", "phone", "organization.credit_code"}));
    expectProblem(other.postJson("/api/v1/accounts", "{\"username\": "), 400, "request.malformed");
    expectProblem(other.postJson("/api/v1/accounts", "[1,2]"), 400, "request.malformed");
    expectProblem(other.postJson("/api/v1/accounts", R"({"username":5})"), 422,
                  "validation.failed");
    expectProblem(other.request("POST", "/api/v1/accounts", {}, "text/plain", "x"), 415,
                  "request.unsupported_media_type");
    expectProblem(other.postJson("/api/v1/accounts", std::string(20000, ' ')), 413,
                  "request.too_large");
    // The same organization again: its admin exists (one per organization).
    Poco::JSON::Object again;
    again.set("username", "jingke02");
    again.set("password", "Secret-2025");
    again.set("phone", "13800000002");
    again.set("display_name", "张三");
    Poco::JSON::Object org;
    org.set("name", kOrganization);
    org.set("credit_code", kCreditCode);
    again.set("organization", org);
    std::ostringstream text;
    again.stringify(text);
    expectProblem(other.postJson("/api/v1/accounts", text.str()), 409,
                  "account.organization_registered");
    EXPECT_EQ(services->accountRows().countAccounts(), 1u);

    expectProblem(other.signIn("jingke01", "wrong-password"), 401, "auth.invalid_credentials");
    expectProblem(other.signIn("nobody99", "wrong-password"), 401, "auth.invalid_credentials");
    auto in = other.signIn("jingke01");
    ASSERT_EQ(in.status, 201) << in.body;
    EXPECT_EQ(in.json()->getValue<std::string>("token_type"), "Bearer");
    EXPECT_EQ(in.json()->getValue<std::string>("expires_at").size(), 24u);

    // Password change: this session stays, the other one ends.
    auto change = other.postJson(
        "/api/v1/me/password",
        R"({"current_password":"Secret-2025","new_password":"Another-2026"})", "PUT");
    EXPECT_EQ(change.status, 204) << change.body;
    EXPECT_EQ(other.get("/api/v1/me").status, 200);
    expectProblem(client->get("/api/v1/me"), 401, "auth.required");
    // Sign-out ends the session.
    EXPECT_EQ(other.request("DELETE", "/api/v1/sessions/current").status, 204);
    expectProblem(other.get("/api/v1/me"), 401, "auth.required");
}

TEST_F(ServerTest, AnotherOrganizationCannotSeeOrEvenFindADocument) {
    std::string id =
        client->upload(jpeg(), "营业执照.jpg", "license").json()->getValue<std::string>("id");
    HttpTestClient other(server->port());
    other.signUp("rival001", "13800000002", "北京某某科技有限公司", "91110000600037341L");
    for (const char* path : {"", "/content", "/content?variant=watermarked",
                             "/content?variant=review", "/checks", "/pages/1.png"}) {
        expectProblem(other.get("/api/v1/documents/" + id + std::string(path)), 404,
                      "document.not_found");
    }
    // An operator runs the service but reads no documents.
    auto ops = staffClient(Role::Operator, "ops01", "13900000009", "运维");
    expectProblem(ops->get("/api/v1/documents/" + id + "/content"), 404, "document.not_found");
    expectProblem(ops->upload(jpeg(), "x.jpg", "evidence"), 403, "auth.forbidden");
}

TEST_F(ServerTest, ReviewersGetOnlyTracedCopiesAndEveryViewIsLogged) {
    std::string bytes = jpeg();
    std::string id =
        client->upload(bytes, "营业执照.jpg", "license").json()->getValue<std::string>("id");
    std::string watermarked =
        client->get("/api/v1/documents/" + id + "/content?variant=watermarked").body;
    auto reviewer = staffClient(Role::Reviewer, "review01", "13900000001", "审查员䶮");

    auto copy = reviewer->get("/api/v1/documents/" + id + "/content");  // review by default
    ASSERT_EQ(copy.status, 200) << copy.body;
    EXPECT_EQ(copy.header("Content-Type"), "image/jpeg");
    EXPECT_EQ(copy.header("Cache-Control"), "private, no-store");
    EXPECT_NE(copy.body, bytes);
    EXPECT_NE(copy.body, watermarked) << "no trace mark over the filing mark";
    auto header = readImageHeader(copy.body);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 1091u);
    EXPECT_EQ(header->height, 767u);
    EXPECT_NE(copy.header("Content-Disposition").find("%E5%AE%A1%E6%9F%A5"),
              std::string::npos);  // 审查
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + id + "/content?variant=review").status, 200);
    expectProblem(reviewer->get("/api/v1/documents/" + id + "/content?variant=original"), 403,
                  "variant.forbidden");
    expectProblem(reviewer->get("/api/v1/documents/" + id + "/content?variant=watermarked"), 403,
                  "variant.forbidden");
    expectProblem(reviewer->upload(bytes, "x.jpg", "evidence"), 403, "auth.forbidden");
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + id).status, 200);
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + id + "/checks").status, 200);

    // Previews: the owner's is cached and shared, the reviewer's carries the trace mark.
    auto own = client->get("/api/v1/documents/" + id + "/pages/1.png?width=800");
    auto theirs = reviewer->get("/api/v1/documents/" + id + "/pages/1.png?width=800");
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    EXPECT_NE(theirs.body, own.body);
    EXPECT_EQ(theirs.header("Cache-Control"), "private, no-store");
    EXPECT_EQ(readImageHeader(theirs.body)->width, 800u);

    // The owner still gets the untouched original.
    EXPECT_EQ(client->get("/api/v1/documents/" + id + "/content").body, bytes);

    auto log = services->audit().forTarget("document:" + id);
    int reviewerDownloads = 0, reviewerPreviews = 0;
    std::string reviewerId =
        reviewer->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
    for (const auto& e : log) {
        if (e.accountId != reviewerId) continue;
        reviewerDownloads += e.action == "document.download";
        reviewerPreviews += e.action == "document.preview";
    }
    EXPECT_EQ(reviewerDownloads, 2);
    EXPECT_EQ(reviewerPreviews, 1);
    // The owner reads the same trail through the API: who opened what, when.
    auto trail = client->get("/api/v1/documents/" + id + "/audit");
    ASSERT_EQ(trail.status, 200) << trail.body;
    auto entries = trail.json()->getArray("entries");
    ASSERT_EQ(entries->size(), log.size());
    auto last = entries->getObject(entries->size() - 1);  // oldest: the upload
    EXPECT_EQ(last->getValue<std::string>("action"), "document.upload");
    EXPECT_EQ(last->getObject("details")->getValue<std::string>("kind"), "license");
    std::size_t reviewerEntries = 0;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        auto e = entries->getObject(static_cast<unsigned>(i));
        if (e->getValue<std::string>("account_id") == reviewerId) {
            ++reviewerEntries;
            EXPECT_EQ(e->getValue<std::string>("at").size(), 24u);
        }
    }
    EXPECT_EQ(reviewerEntries, 3u);
    HttpTestClient other(server->port());
    other.signUp("rival001", "13800000002", "北京某某科技有限公司", "91110000600037341L");
    expectProblem(other.get("/api/v1/documents/" + id + "/audit"), 404, "document.not_found");
}

TEST_F(ServerTest, ReviewCopyOfAPdfNamesTheReviewerInItsText) {
    std::string pdf = makePdf();
    std::string id = client->upload(pdf, "证明.pdf", "proof").json()->getValue<std::string>("id");
    auto reviewer = staffClient(Role::Reviewer, "review01", "13900000001", "𠮷田审查员");
    auto copy = reviewer->get("/api/v1/documents/" + id + "/content");
    ASSERT_EQ(copy.status, 200) << copy.body;
    EXPECT_EQ(copy.header("Content-Type"), "application/pdf");
    TempDir tmp;
    writeFile(tmp.path() + "/r.pdf", copy.body);
    EXPECT_EQ(runCommand("qpdf --check " + tmp.path() + "/r.pdf >/dev/null 2>&1; echo $?"), "0\n");
    std::string text = runCommand("pdftotext -raw " + tmp.path() + "/r.pdf - 2>/dev/null");
    EXPECT_NE(text.find("𠮷田审查员"), std::string::npos) << text;
    EXPECT_NE(text.find("仅用于备案审核"), std::string::npos) << text;
    std::string reviewerId =
        reviewer->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
    EXPECT_NE(text.find(reviewerId), std::string::npos);
    // A DOCX cannot carry a mark: the reviewer gets it as uploaded, and the download is logged.
    std::string docx = makeDocx();
    std::string docxId =
        client->upload(docx, "经验材料.docx", "summary").json()->getValue<std::string>("id");
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + docxId + "/content").body, docx);
    EXPECT_EQ(services->audit().forTarget("document:" + docxId).front().accountId, reviewerId);
}
