// An application's downloads through the real server (issue 12 targets): `book.pdf` of a full
// application (every field and table of the sample book) at <= 50 ms server time on one core,
// and `bundle.zip` with 20 MB of evidence at >= 100 MB/s with the server's RSS growing by
// <= 16 MB. What the route adds to the renderer and the ZIP writer (render_bench,
// bundle_bench): reading the application, its filing, project and documents, the Word
// versions and the experience material, the chunked response, the audit rows.
//
//   taskset -c 0 build/test/tests/bench/download_bench [--books N] [--bundles N]
//   download_bench --smoke     (seconds, 1 MB of evidence; the test command runs this)
//
// The server is the real one (Services + http::Server on a loopback port, SQLite in a temp
// directory), the application made through the API and submitted. The client is in the same
// process: a book's time is the whole request on loopback (an upper bound of the server's
// time); a bundle is read in 64 KiB pieces and dropped, so the RSS the download adds (the
// process's peak RSS reset before it, /proc/self/clear_refs) is the server's plus a socket
// buffer. Prints the figures; exits 1 when a download fails.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Object;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kDay = 86400 * kSecond;
constexpr std::int64_t kOpens = 1743469200LL * kSecond;  // 2025-04-01 09:00 Beijing
constexpr const char* kOrganization = "广州精科医学检验所有限公司";

long statusKb(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    }
    return 0;
}

/// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
bool resetPeakRss() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    return static_cast<bool>(clear.flush());
}

std::string sourceFile(const std::string& relative) {
    return readFile(std::string(DOSSIER_SOURCE_DIR) + "/" + relative);
}

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error(what);
}

std::string idOf(const HttpResult& r, const std::string& what) {
    require(r.status / 100 == 2, what + ": " + std::to_string(r.status) + " " + r.body);
    return r.json()->getValue<std::string>("id");
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct BundleRun {
    double seconds = 0;
    double headersSeconds = 0;  // until the response's headers came: everything before the ZIP
    std::uint64_t bytes = 0;
    long rssGrowthKb = 0;
};

/// One bundle download read in 64 KiB pieces and dropped.
BundleRun downloadBundle(std::uint16_t port, const std::string& token, const std::string& path) {
    resetPeakRss();
    long base = statusKb("VmRSS:");
    auto start = Steady::now();
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(300, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    BundleRun run;
    run.headersSeconds = std::chrono::duration<double>(Steady::now() - start).count();
    require(response.getStatus() == 200,
            "bundle.zip answered " + std::to_string(static_cast<int>(response.getStatus())));
    std::vector<char> buf(64 * 1024);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        run.bytes += static_cast<std::uint64_t>(in.gcount());
    }
    run.seconds = std::chrono::duration<double>(Steady::now() - start).count();
    run.rssGrowthKb = statusKb("VmHWM:") - base;
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    int books = 30;
    int bundles = 3;
    // Two of them: 20 MB of evidence (makeSizedPdf gives a little less than asked).
    std::size_t evidencePdf = 11u << 20;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            books = 2;
            bundles = 1;
            evidencePdf = 512u << 10;
        } else if (a == "--books" && i + 1 < argc) {
            books = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--bundles" && i + 1 < argc) {
            bundles = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: download_bench [--books N] [--bundles N] [--smoke]\n";
            return 2;
        }
    }
    try {
        TempDir dir;
        TestDatabase db{"sqlite", dir.path()};
        app::Config config;
        config.dataDir = dir.path() + "/data";
        config.database = db.url();
        config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
        config.checkWorkers = 0;  // the checks are settled below, not measured
        config.auth.passwordIterations = 1000;
        config.auth.sessionHours = 24 * 365;
        auto clock = std::make_shared<FixedClock>(kOpens - kDay);
        auto services = app::Services::open(config, nullptr, clock);
        auto server = startInProcessServer(*services);
        TestWorld world(*services, server->port());

        std::string orgId;
        auto admin = world.admin("bench001", "13800000001", kOrganization, "91440116MA59B21T31",
                                 nullptr, &orgId, "李明");
        auto reviewer = world.staff(Role::Reviewer, "review01", "13900000001", "审查员");
        auto organizer = world.staff(Role::Organizer, "organ001", "13900000002", "组织者");

        // The organization's approved filing.
        std::string license = TestWorld::upload(*admin, makePdf(), "营业执照.pdf", "license");
        std::string rows;
        for (int i = 0; i < 3; ++i) {
            std::string audit =
                TestWorld::upload(*admin, makeTextPdf(2 + i), "审计报告.pdf", "evidence");
            rows += std::string(i ? "," : "") + R"({"year":)" + std::to_string(2022 + i) +
                    R"(,"total_assets":100,"revenue":90,"other_revenue":0,"profit":1,"tax":2,)"
                    R"("employees":10,"evidence_document_id":")" +
                    audit + "\"}";
        }
        auto filed = admin->postJson(
            "/api/v1/organizations/" + orgId + "/filing",
            R"({"name":")" + std::string(kOrganization) +
                R"(","credit_code":"91440116MA59B21T31","economic_type":"有限责任公司",)"
                R"("province":"44","city":"4401","address":"广州国际生物岛","industry":"84",)"
                R"("quality_manager":{"name":"王芳","phone":"020-12345678"},)"
                R"("organization_size":"中型","license_document_id":")" +
                license + R"(","economics":[)" + rows + "]}",
            "PUT");
        require(filed.status == 200, "filing: " + filed.body);
        std::string filing = idOf(
            admin->postJson("/api/v1/organizations/" + orgId + "/filing/submit", ""), "submit");
        require(reviewer->postJson("/api/v1/filings/" + filing + "/approve", "{}").status == 200,
                "approve");

        // An open activity, a project, the documents (20 MB of evidence) and the application.
        auto activity = organizer->postJson(
            "/api/v1/activities",
            R"({"code":"benchmark-2025","title":"2025年全国质量标杆","kind":"benchmark",)"
            R"("template_id":"benchmark-2022","opens_at":"2025-04-01T09:00:00+08:00",)"
            R"("closes_at":"2025-04-29T17:00:00+08:00","review_until":"2025-05-23T17:00:00+08:00",)"
            R"("required_evidence":[{"kind":"application-year","label":"应用证明","min_count":1,)"
            R"("check":"quality"}],"completing_units":1,)"
            R"("recommending_units":"recommending-units-2022","allow_return":false})");
        require(activity.status == 201, "activity: " + activity.body);
        clock->set(kOpens + kDay);
        std::string project =
            idOf(admin->postJson("/api/v1/projects",
                                 R"({"name":"检验全过程质量追溯","keywords":["质量追溯"],)"
                                 R"("summary":"以LIMS为核心的检验全过程质量追溯。"})"),
                 "project");
        std::string app = idOf(
            admin->postJson("/api/v1/applications",
                            R"({"activity":"benchmark-2025","project_id":")" + project + R"("})"),
            "application");
        std::vector<std::pair<std::string, std::string>> links;  // id, role
        links.push_back(
            {TestWorld::upload(*admin, makeTextPdf(3), "总结材料.pdf", "summary"), "summary"});
        links.push_back(
            {TestWorld::upload(*admin, makeTextPdf(2), "承诺书.pdf", "commitment"), "commitment"});
        std::uint64_t evidenceBytes = 0;
        for (int i = 0; i < 2; ++i) {
            std::string pdf = makeSizedPdf(evidencePdf, 7 + i);
            evidenceBytes += pdf.size();
            links.push_back(
                {TestWorld::upload(*admin, pdf, "应用证明.pdf", "evidence"), "evidence"});
        }
        auto& checks = services->checkRows();
        std::int64_t now = clock->nowMicros();
        while (auto row = checks.claimNext(now, now - kDay, 3)) {
            ErrorCode code = row->checkName == "seals"     ? codes::kSealsPresent
                             : row->checkName == "quality" ? codes::kQualityOk
                             : row->checkName == "license" ? codes::kLicenseCodeRead
                                                           : codes::kTextExtracted;
            checks.complete(*row, "pass", code, "{}", now);
        }
        auto form = Poco::JSON::Parser()
                        .parse(sourceFile("templates/samples/benchmark-2022-book.json"))
                        .extract<Object::Ptr>();
        for (const char* own : {"recommending_unit", "contact", "enterprise"}) form->remove(own);
        auto experience = Poco::JSON::Parser()
                              .parse(sourceFile("templates/samples/benchmark-2022-experience.json"))
                              .extract<Object::Ptr>();
        experience->remove("experience_name");
        experience->remove("enterprise_name");
        form->set("experience", experience);
        std::ostringstream body;
        body << R"({"recommending_unit":"广东省工业和信息化厅","commitment_accepted":true,)"
             << R"("contact":{"name":"王芳","department":"质量管理部","title":"部长",)"
             << R"("mobile":"13905712345","email":"q@jingke.example.cn","address":"广州"},)"
             << R"("documents":[)";
        for (std::size_t i = 0; i < links.size(); ++i) {
            body << (i ? "," : "") << R"({"document_id":")" << links[i].first << R"(","role":")"
                 << links[i].second << "\""
                 << (links[i].second == "evidence" ? R"(,"evidence_kind":"application-year")" : "")
                 << "}";
        }
        body << R"(],"form":)";
        form->stringify(body);
        body << "}";
        auto saved = admin->postJson("/api/v1/applications/" + app, body.str(), "PUT");
        require(saved.status == 200, "save: " + saved.body);
        auto submitted = admin->postJson("/api/v1/applications/" + app + "/submit", "");
        require(submitted.status == 200, "submit: " + submitted.body);

        // book.pdf: the whole request, after one warm-up (templates and fonts loaded once).
        std::string path = "/api/v1/applications/" + app;
        std::size_t bookBytes = 0;
        std::vector<double> ms;
        for (int i = 0; i <= books; ++i) {
            auto start = Steady::now();
            auto r = admin->get(path + "/book.pdf");
            double took = std::chrono::duration<double, std::milli>(Steady::now() - start).count();
            require(r.status == 200 && r.body.rfind("%PDF-", 0) == 0, "book.pdf: " + r.body);
            bookBytes = r.body.size();
            if (i > 0) ms.push_back(took);
        }
        std::printf(
            "book.pdf (submitted, full sample): median %.1f ms, min %.1f ms over %d "
            "requests, %zu bytes\n",
            median(ms), *std::min_element(ms.begin(), ms.end()), books, bookBytes);

        // bundle.zip: the applicant's (the evidence as stored) and a reviewer's (traced copies
        // of every PDF: made on the first download, held for the hour).
        double evidenceMb = static_cast<double>(evidenceBytes) / (1 << 20);
        for (const auto& [who, client] :
             {std::pair<std::string, HttpTestClient*>{"applicant", admin.get()},
              std::pair<std::string, HttpTestClient*>{"reviewer", reviewer.get()}}) {
            for (int i = 1; i <= bundles; ++i) {
                auto run = downloadBundle(server->port(), client->bearer(), path + "/bundle.zip");
                require(run.bytes > evidenceBytes,
                        "the bundle came out short: " + std::to_string(run.bytes) + " bytes");
                double mb = static_cast<double>(run.bytes) / (1 << 20);
                std::printf(
                    "bundle.zip %-9s #%d: %.1f MB of evidence, %.1f MB archive in %.1f ms "
                    "= %.0f MB/s; headers after %.1f ms (renders, checks, audit), then "
                    "%.0f MB/s streamed; peak RSS +%.1f MB\n",
                    who.c_str(), i, evidenceMb, mb, run.seconds * 1000, mb / run.seconds,
                    run.headersSeconds * 1000, mb / (run.seconds - run.headersSeconds),
                    static_cast<double>(run.rssGrowthKb) / 1024);
            }
        }
        server->stop();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "download_bench: " << e.what() << "\n";
        return 1;
    }
}
