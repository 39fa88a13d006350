// The web console as the server serves it (issue 13): its files with their caching, the
// single-page app's fallback and where it never answers, the security headers of HTML, and
// browser sessions (HttpOnly cookie, double-submit CSRF token, same-origin check) next to
// bearer tokens. A real server on port 0; SQLite and PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/InflatingStream.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;

namespace {

namespace fs = std::filesystem;

void writeFile(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string gunzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::ostringstream out;
    out << inflate.rdbuf();
    return out.str();
}

std::vector<std::string> setCookies(const HttpResult& r) {
    std::vector<std::string> out;
    for (const auto& [name, value] : r.response) {
        if (Poco::icompare(name, "Set-Cookie") == 0) out.push_back(value);
    }
    return out;
}

/// The value of cookie `name` among Set-Cookie lines (empty when not set).
std::string cookieValue(const std::vector<std::string>& lines, const std::string& name) {
    for (const auto& line : lines) {
        if (line.rfind(name + "=", 0) == 0) {
            return line.substr(name.size() + 1, line.find(';') - name.size() - 1);
        }
    }
    return {};
}

std::string cookieLine(const std::vector<std::string>& lines, const std::string& name) {
    for (const auto& line : lines) {
        if (line.rfind(name + "=", 0) == 0) return line;
    }
    return {};
}

std::string code(const HttpResult& r) {
    auto json = r.json();
    return json && json->has("code") ? json->getValue<std::string>("code") : std::string();
}

class ConsoleTest : public ::testing::Test {
  protected:
    void SetUp() override {
        console = dir.path() + "/dist";
        index =
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<script type=\"module\" src=\"/assets/index-3f9a1c.js\"></script></head>"
            "<body><div id=\"app\"></div></body></html>";
        // Large and repetitive enough that gzip pays.
        for (int i = 0; i < 200; ++i) script += "console.log('申报 " + std::to_string(i) + "');\n";
        writeFile(console + "/index.html", index);
        writeFile(console + "/assets/index-3f9a1c.js", script);
        writeFile(console + "/assets/index-77b2.css", "body{margin:0}");
        writeFile(console + "/favicon.ico", std::string("\0\0\1\0", 4));
        writeFile(console + "/.env", "SECRET=inside-hidden");
        writeFile(dir.path() + "/outside.txt", "SECRET=outside-root");
        fs::create_symlink(dir.path() + "/outside.txt", console + "/assets/leak.txt");
        fs::create_symlink(dir.path() + "/outside.txt", console + "/leak.html");
        fs::create_symlink(console + "/assets/index-77b2.css", console + "/assets/alias.css");

        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config);
        http::ServerOptions options;
        options.throttlePerMinute = 0;
        options.consoleDir = console;
        options.trustedProxies = "10.9.8.7";  // not the tests' address: they are not a proxy
        server = startInProcessServer(*services, options);
        origin = "http://127.0.0.1:" + std::to_string(server->port());
        HttpTestClient admin(server->port());
        admin.signUp("jingke01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31",
                     "李明");
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    HttpResult get(const std::string& path, const std::map<std::string, std::string>& headers = {
                                                {"Accept", "text/html,*/*;q=0.8"}}) {
        HttpTestClient c(server->port());
        return c.get(path, headers);
    }

    /// Signs jingke01 in asking for the cookie; the response.
    HttpResult cookieSignIn(const std::map<std::string, std::string>& headers) {
        HttpTestClient c(server->port());
        return c.request("POST", "/api/v1/sessions", headers, "application/json",
                         R"({"username":"jingke01","password":"Secret-2025","cookie":true})");
    }

    struct BrowserCookies {
        std::string session;
        std::string csrf;
        std::string header() const {
            return "dossier_session=" + session + "; dossier_csrf=" + csrf;
        }
    };
    BrowserCookies signInBrowser() {
        auto r = cookieSignIn({{"Origin", origin}});
        EXPECT_EQ(r.status, 201) << r.body;
        auto lines = setCookies(r);
        return {cookieValue(lines, "dossier_session"), cookieValue(lines, "dossier_csrf")};
    }

    /// A request that changes something (a project without its fields: 422 once the session
    /// is accepted, nothing stored).
    HttpResult createProject(const std::map<std::string, std::string>& headers) {
        HttpTestClient c(server->port());
        return c.request("POST", "/api/v1/projects", headers, "application/json", "{}");
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::string console;
    std::string index;
    std::string script;
    std::string origin;
};

void expectHtmlSecurityHeaders(const HttpResult& r) {
    std::string csp = r.header("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
    // Frames of this origin only: the book's PDF previewed in the page.
    EXPECT_NE(csp.find("frame-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
}

TEST_F(ConsoleTest, ServesIndexAndHashedAssetsWithTheirCaching) {
    auto root = get("/");
    ASSERT_EQ(root.status, 200) << root.body;
    EXPECT_EQ(root.body, index);
    EXPECT_EQ(root.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(root.header("Cache-Control"), "no-cache");
    expectHtmlSecurityHeaders(root);

    auto js = get("/assets/index-3f9a1c.js", {{"Accept", "*/*"}});
    ASSERT_EQ(js.status, 200);
    EXPECT_EQ(js.body, script);
    EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(js.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(js.header("Content-Encoding"), "");

    auto css = get("/assets/index-77b2.css", {{"Accept", "text/css"}});
    EXPECT_EQ(css.status, 200);
    EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
    auto icon = get("/favicon.ico", {{"Accept", "image/*"}});
    EXPECT_EQ(icon.status, 200);
    EXPECT_EQ(icon.header("Content-Type"), "image/x-icon");
    EXPECT_EQ(icon.header("Cache-Control"), "no-cache");
    // A link that stays inside the directory is served.
    EXPECT_EQ(get("/assets/alias.css", {{"Accept", "text/css"}}).body, "body{margin:0}");
}

TEST_F(ConsoleTest, GzipWhenAcceptedAndConditionalRequests) {
    auto gz = get("/assets/index-3f9a1c.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_EQ(gz.status, 200);
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
    EXPECT_LT(gz.body.size(), script.size() / 2);
    EXPECT_EQ(gunzip(gz.body), script);
    EXPECT_EQ(get("/assets/index-3f9a1c.js", {{"Accept-Encoding", "gzip;q=0, identity"}})
                  .header("Content-Encoding"),
              "");

    auto plain = get("/assets/index-3f9a1c.js", {{"Accept", "*/*"}});
    std::string etag = plain.header("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_NE(etag, gz.header("ETag"));  // two representations, two tags
    auto again = get("/assets/index-3f9a1c.js", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("ETag"), etag);
    EXPECT_EQ(get("/assets/index-3f9a1c.js", {{"If-None-Match", "\"other\""}}).status, 200);
    auto html304 = get("/", {{"Accept", "text/html"}, {"If-None-Match", get("/").header("ETag")}});
    EXPECT_EQ(html304.status, 304);
    expectHtmlSecurityHeaders(html304);
}

TEST_F(ConsoleTest, FallbackServesIndexForTheAppsOwnRoutesOnly) {
    for (std::string path :
         {"/dashboard", "/register/personal", "/applications/42?tab=log", "/%E7%94%B3%E6%8A%A5"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.body, index) << path;
        EXPECT_EQ(r.header("Cache-Control"), "no-cache") << path;
        expectHtmlSecurityHeaders(r);
    }
    HttpTestClient c(server->port());
    auto head = c.request("HEAD", "/dashboard", {{"Accept", "text/html"}});
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    expectHtmlSecurityHeaders(head);
    // No Accept at all accepts anything (RFC 9110 12.5.1).
    EXPECT_EQ(get("/dashboard", {}).body, index);
}

TEST_F(ConsoleTest, FallbackNeverAnswersTheApiNorMissingAssets) {
    for (std::string path : {"/api/v1/no-such-route", "/api", "/api/", "/api/v2/x",
                             "/%61pi/v1/no-such-route", "/healthz/deep", "/metrics/x"}) {
        auto r = get(path, {{"Accept", "text/html"}});
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << path;
        EXPECT_EQ(code(r), "route.not_found") << path;
        EXPECT_EQ(r.body.find("<html"), std::string::npos) << path;
    }
    // An old page asking for an asset of another build gets a 404, not HTML run as script.
    auto missing = get("/assets/index-000000.js", {{"Accept", "*/*"}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(code(missing), "route.not_found");
    // Nor a client that does not take HTML, nor a method that is not GET or HEAD.
    EXPECT_EQ(get("/dashboard", {{"Accept", "application/json"}}).status, 404);
    HttpTestClient c(server->port());
    auto post =
        c.request("POST", "/dashboard", {{"Accept", "text/html"}}, "application/json", "{}");
    EXPECT_EQ(post.status, 404);
    EXPECT_EQ(code(post), "route.not_found");
    // The real routes still answer as before.
    EXPECT_EQ(get("/healthz").status, 200);
    EXPECT_EQ(get("/api/v1/me").status, 401);
}

TEST_F(ConsoleTest, NothingOutsideTheDirectoryNorHiddenFilesIsServed) {
    for (std::string path :
         {"/../outside.txt", "/assets/../../outside.txt", "/assets/..%2f..%2foutside.txt",
          "/%2e%2e/outside.txt", "/assets/%2E%2E/index.html", "/./index.html", "/index.html%00.js",
          "/assets%5c..%5cindex.html"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 400) << path;
        EXPECT_EQ(code(r), "request.malformed") << path;
        EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    }
    // Links leading out of the directory are not part of the console.
    auto leak = get("/assets/leak.txt", {{"Accept", "*/*"}});
    EXPECT_EQ(leak.status, 404);
    EXPECT_EQ(leak.body.find("SECRET"), std::string::npos);
    auto leakHtml = get("/leak.html", {{"Accept", "text/html"}});
    EXPECT_EQ(leakHtml.body.find("SECRET"), std::string::npos);
    EXPECT_EQ(leakHtml.body, index);  // the app's fallback, not the file
    EXPECT_EQ(get("/.env", {{"Accept", "*/*"}}).body.find("SECRET"), std::string::npos);
    EXPECT_EQ(get("/.env", {{"Accept", "application/json"}}).status, 404);
}

TEST_F(ConsoleTest, ADirectoryWithoutIndexIsRefusedAtStart) {
    fs::create_directories(dir.path() + "/empty");
    http::ServerOptions options;
    options.consoleDir = dir.path() + "/empty";
    try {
        startInProcessServer(*services, options);
        FAIL() << "a console without index.html was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kConfigInvalid);
    }
    // Without a console, / is the API's 404 as before.
    auto plain = startInProcessServer(*services);
    HttpTestClient c(plain->port());
    auto r = c.get("/", {{"Accept", "text/html"}});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code(r), "route.not_found");
    plain->stop();
}

TEST_F(ConsoleTest, CookieSignInSetsHttpOnlyStrictCookiesAndNoTokenInTheBody) {
    auto r = cookieSignIn({{"Origin", origin}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto json = r.json();
    EXPECT_FALSE(json->has("token"));
    EXPECT_EQ(json->getValue<std::string>("token_type"), "Cookie");
    auto lines = setCookies(r);
    ASSERT_EQ(lines.size(), 2u);
    std::string session = cookieLine(lines, "dossier_session");
    std::string csrf = cookieLine(lines, "dossier_csrf");
    EXPECT_EQ(cookieValue(lines, "dossier_session").rfind("dsr_", 0), 0u) << session;
    EXPECT_NE(session.find("; HttpOnly"), std::string::npos) << session;
    EXPECT_NE(session.find("; SameSite=Strict"), std::string::npos) << session;
    EXPECT_NE(session.find("; Path=/"), std::string::npos) << session;
    EXPECT_NE(session.find("; Max-Age=43200"), std::string::npos) << session;
    EXPECT_EQ(session.find("Secure"), std::string::npos) << session;  // plain HTTP here
    EXPECT_EQ(csrf.find("HttpOnly"), std::string::npos) << csrf;      // script reads it
    EXPECT_NE(csrf.find("; SameSite=Strict"), std::string::npos) << csrf;
    EXPECT_EQ(json->getValue<std::string>("csrf_token"), cookieValue(lines, "dossier_csrf"));
    EXPECT_EQ(json->getValue<std::string>("csrf_token").size(), 64u);

    // The same sign-in without cookie: the bearer token in the body, no cookie.
    HttpTestClient api(server->port());
    auto bearer = api.signIn("jingke01");
    EXPECT_EQ(bearer.status, 201);
    EXPECT_TRUE(setCookies(bearer).empty());
    EXPECT_EQ(bearer.json()->getValue<std::string>("token_type"), "Bearer");
    // cookie must be a boolean.
    HttpTestClient c(server->port());
    auto typed = c.request("POST", "/api/v1/sessions", {{"Origin", origin}}, "application/json",
                           R"({"username":"jingke01","password":"Secret-2025","cookie":"yes"})");
    EXPECT_EQ(typed.status, 422);
    EXPECT_NE(typed.body.find("\"path\":\"cookie\""), std::string::npos) << typed.body;
}

TEST_F(ConsoleTest, CookieSignInFromAnotherOriginIsRefused) {
    for (const std::map<std::string, std::string>& headers :
         std::vector<std::map<std::string, std::string>>{{{"Origin", "http://evil.example"}},
                                                         {{"Origin", "null"}},
                                                         {{"Origin", "http://127.0.0.1:1"}},
                                                         {{"Referer", "http://evil.example/login"}},
                                                         {}}) {
        auto r = cookieSignIn(headers);
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_EQ(code(r), "auth.origin_mismatch");
        EXPECT_TRUE(setCookies(r).empty());
    }
    // The Referer of one of this site's pages will do when a browser sends no Origin.
    EXPECT_EQ(cookieSignIn({{"Referer", origin + "/login?next=%2F"}}).status, 201);
}

TEST_F(ConsoleTest, CookieSessionReadsWithoutCsrfButChangesNeedTokenAndOrigin) {
    auto browser = signInBrowser();
    ASSERT_FALSE(browser.session.empty());
    ASSERT_FALSE(browser.csrf.empty());
    HttpTestClient c(server->port());
    auto me = c.get("/api/v1/me", {{"Cookie", browser.header()}});
    EXPECT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("username"), "jingke01");

    // Everything right: the route runs (and refuses the empty project).
    auto ok = createProject(
        {{"Cookie", browser.header()}, {"Origin", origin}, {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(ok.status, 422) << ok.body;
    EXPECT_EQ(code(ok), "validation.failed");

    // A cross-origin POST carrying the cookie, even with the right token, is refused.
    auto cross = createProject({{"Cookie", browser.header()},
                                {"Origin", "http://evil.example"},
                                {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(cross.status, 403);
    EXPECT_EQ(code(cross), "auth.origin_mismatch");
    auto nullOrigin = createProject(
        {{"Cookie", browser.header()}, {"Origin", "null"}, {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(code(nullOrigin), "auth.origin_mismatch");
    auto noOrigin = createProject({{"Cookie", browser.header()}, {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(code(noOrigin), "auth.origin_mismatch");

    // Missing or wrong CSRF token.
    auto missing = createProject({{"Cookie", browser.header()}, {"Origin", origin}});
    EXPECT_EQ(missing.status, 403);
    EXPECT_EQ(code(missing), "auth.csrf_failed");
    std::string wrong(64, 'a');
    auto wrongHeader =
        createProject({{"Cookie", browser.header()}, {"Origin", origin}, {"X-CSRF-Token", wrong}});
    EXPECT_EQ(code(wrongHeader), "auth.csrf_failed");
    // A cookie planted by someone else, echoed in the header, is not this session's token.
    auto planted =
        createProject({{"Cookie", "dossier_session=" + browser.session + "; dossier_csrf=" + wrong},
                       {"Origin", origin},
                       {"X-CSRF-Token", wrong}});
    EXPECT_EQ(code(planted), "auth.csrf_failed");
    // Nor is another session's token (the attacker's own, say).
    auto other = signInBrowser();
    auto otherToken = createProject(
        {{"Cookie", "dossier_session=" + browser.session + "; dossier_csrf=" + other.csrf},
         {"Origin", origin},
         {"X-CSRF-Token", other.csrf}});
    EXPECT_EQ(code(otherToken), "auth.csrf_failed");
    // A header matching the session but not the cookie is refused too (double submit).
    auto noCookie = createProject({{"Cookie", "dossier_session=" + browser.session},
                                   {"Origin", origin},
                                   {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(code(noCookie), "auth.csrf_failed");
    // The Referer of one of this site's pages stands in for a missing Origin.
    auto referer = createProject({{"Cookie", browser.header()},
                                  {"Referer", origin + "/projects/new"},
                                  {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(code(referer), "validation.failed");
    // Nothing was created by any of them.
    HttpTestClient reader(server->port());
    auto list = reader.get("/api/v1/projects", {{"Cookie", browser.header()}});
    EXPECT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json()->getArray("items")->size(), 0u) << list.body;
}

TEST_F(ConsoleTest, BearerTokensKeepWorkingUnchanged) {
    HttpTestClient api(server->port());
    ASSERT_EQ(api.signIn("jingke01").status, 201);
    // No CSRF token, another origin, a stale cookie alongside: the bearer token decides.
    auto r = api.request("POST", "/api/v1/projects",
                         {{"Origin", "http://evil.example"},
                          {"Cookie", "dossier_session=dsr_stale; dossier_csrf=x"}},
                         "application/json", "{}");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(code(r), "validation.failed");
    EXPECT_EQ(api.get("/api/v1/me").status, 200);
    // Public routes that change something ignore the cookie rather than refusing the request.
    HttpTestClient anonymous(server->port());
    auto lookup = anonymous.request(
        "POST", "/api/v1/accounts",
        {{"Cookie", "dossier_session=dsr_stale"}, {"Origin", "http://evil.example"}},
        "application/json",
        R"({"username":"geren01","password":"Secret-2025","phone":"13800000002",)"
        R"("display_name":"王芳"})");
    EXPECT_EQ(lookup.status, 201) << lookup.body;
}

TEST_F(ConsoleTest, SignOutEndsTheSessionAndClearsTheCookies) {
    auto browser = signInBrowser();
    HttpTestClient c(server->port());
    auto refused = c.request("DELETE", "/api/v1/sessions/current",
                             {{"Cookie", browser.header()},
                              {"Origin", "http://evil.example"},
                              {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(refused.status, 403);  // a page of another site cannot sign the user out
    auto out = c.request(
        "DELETE", "/api/v1/sessions/current",
        {{"Cookie", browser.header()}, {"Origin", origin}, {"X-CSRF-Token", browser.csrf}});
    EXPECT_EQ(out.status, 204) << out.body;
    auto lines = setCookies(out);
    EXPECT_NE(cookieLine(lines, "dossier_session").find("Max-Age=0"), std::string::npos);
    EXPECT_NE(cookieLine(lines, "dossier_csrf").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(cookieValue(lines, "dossier_session"), "");
    auto after = c.get("/api/v1/me", {{"Cookie", browser.header()}});
    EXPECT_EQ(after.status, 401);
}

TEST_F(ConsoleTest, SecureCookiesBehindATrustedProxyServingHttps) {
    http::ServerOptions options;
    options.throttlePerMinute = 0;
    options.trustedProxies = "127.0.0.1";
    auto proxied = startInProcessServer(*services, options);
    HttpTestClient c(proxied->port());
    const std::string body = R"({"username":"jingke01","password":"Secret-2025","cookie":true})";
    auto r = c.request("POST", "/api/v1/sessions",
                       {{"Origin", "https://dossier.example"},
                        {"X-Forwarded-Proto", "https"},
                        {"X-Forwarded-Host", "dossier.example"}},
                       "application/json", body);
    ASSERT_EQ(r.status, 201) << r.body;
    for (const auto& line : setCookies(r)) {
        EXPECT_NE(line.find("; Secure"), std::string::npos) << line;
    }
    // The proxy says http: no Secure, and an https Origin is another origin.
    auto plain = c.request("POST", "/api/v1/sessions",
                           {{"Origin", "https://dossier.example"},
                            {"X-Forwarded-Proto", "http"},
                            {"X-Forwarded-Host", "dossier.example"}},
                           "application/json", body);
    EXPECT_EQ(code(plain), "auth.origin_mismatch");
    proxied->stop();
    // An untrusted peer cannot claim https (the fixture's server trusts only 10.9.8.7).
    auto spoofed = cookieSignIn({{"Origin", origin}, {"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(spoofed.status, 201);
    for (const auto& line : setCookies(spoofed)) {
        EXPECT_EQ(line.find("Secure"), std::string::npos) << line;
    }
}

}  // namespace
