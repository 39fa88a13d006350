// Application drafts (暂存, issue 12) under load, through the real HTTP server in this process:
// `--clients` applicants (one organization each, default 200), each on its own keep-alive
// connection and thread, save a 16 KB application draft `--rounds` times (default 10) — the
// book form checked against its template in draft mode, the contact block, the document
// links:
//   a. as the console's autosave does, with a pause between one applicant's saves
//      (`--think-ms`, default 1000, each pause drawn from half to one and a half times that;
//      the starts spread over one pause): 200 saves a second offered;
//   b. back to back, every applicant saving again as soon as answered: the capacity, where
//      the latency is the queue of 200 requests in flight.
// Latency per PUT as the client sees it, p50 / p99 / max (target on PostgreSQL: p99 ≤ 100 ms,
// no errors), saves/s, and the CPU per save of the server, of PostgreSQL (the cluster of
// scripts/pg-test-cluster.sh) and of the bench's own clients.
//
//   DOSSIER_TEST_BACKEND=postgres application_bench     (in the cluster of
//   scripts/pg-test-cluster.sh) application_bench --smoke          (seconds; the test
//   command runs this)
//
// The server runs with http.max_requests_per_address = 0: every client comes from 127.0.0.1,
// as behind a proxy. Exits 1 when any request fails.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <latch>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CpuMeter.h"
#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/ShanghaiTime.h"

using namespace dossier;
using namespace dossier::test;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::size_t kDraftBytes = 16 * 1024;

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The sample book's form (without what the application fills in), the contact block, the
/// 承诺书 accepted and two documents, pretty-printed and padded with blanks to exactly 16 KB.
std::string draftBody(const std::string& form, const std::string& summary,
                      const std::string& evidence, int round) {
    std::string body = "{\n  \"form\": " + form +
                       ",\n  \"recommending_unit\": \"广东省工业和信息化厅\",\n"
                       "  \"contact\": {\"department\": \"质量管理部\", \"name\": \"𠮷田\", "
                       "\"title\": \"部长\", \"mobile\": \"13905712345\", \"telephone\": "
                       "\"020-1234567" +
                       std::to_string(round % 10) +
                       "\", \"email\": \"quality@bench.example.cn\", \"postcode\": \"510000\", "
                       "\"address\": \"广州国际生物岛螺旋四路7号\"},\n"
                       "  \"commitment_accepted\": true,\n  \"documents\": [\n"
                       "    {\"document_id\": \"" +
                       summary + "\", \"role\": \"summary\"},\n    {\"document_id\": \"" +
                       evidence +
                       "\", \"role\": \"evidence\", \"evidence_kind\": \"application-year\"}\n  ]";
    if (body.size() + 2 > kDraftBytes) throw std::runtime_error("draft over 16 KB");
    body += std::string(kDraftBytes - body.size() - 2, ' ') + "\n}";
    return body;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

void report(const std::string& what, const std::vector<double>& millis) {
    std::printf("%-48s n=%-5zu p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", what.c_str(),
                millis.size(), percentile(millis, 0.5), percentile(millis, 0.99),
                millis.empty() ? 0 : *std::max_element(millis.begin(), millis.end()));
}

}  // namespace

int main(int argc, char** argv) {
    int clients = 200, rounds = 10, thinkMillis = 1000;
    bool smoke = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            smoke = true;
            clients = 4;
            rounds = 2;
            thinkMillis = 20;
        } else if (a == "--clients" && i + 1 < argc) {
            clients = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--rounds" && i + 1 < argc) {
            rounds = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--think-ms" && i + 1 < argc) {
            thinkMillis = std::max(0, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: application_bench [--clients N] [--rounds N] [--think-ms N] "
                         "[--smoke]\n";
            return 2;
        }
    }
    try {
        TempDir dir;
        TestDatabase db{TestDatabase::backendFromEnvironment(), dir.path()};
        app::Config config;
        config.dataDir = dir.path() + "/data";
        config.database = db.url();
        config.templatesDir = std::string(DOSSIER_SOURCE_DIR) + "/templates";
        config.checkWorkers = 0;  // checks are not measured here
        config.auth.passwordIterations = 1000;
        auto services = app::Services::open(config);
        http::ServerOptions options;
        options.maxRequestsPerAddress = 0;
        options.maxConnectionsPerAddress = 0;
        options.throttlePerMinute = 0;
        auto server = startInProcessServer(*services, options);
        std::printf("backend %s, %d applicants x %d application drafts of %zu bytes%s\n",
                    TestDatabase::backendFromEnvironment().c_str(), clients, rounds, kDraftBytes,
                    smoke ? " (smoke)" : "");

        // An activity open now, opened by an organizer through the service.
        auto organizer = services->auth().createStaff(
            {"organ01", HttpTestClient::kTestPassword, "13900000002", "组织方", Role::Organizer});
        std::int64_t now = services->clock().nowMicros(), day = 86400LL * 1000000;
        services->activities().create(
            organizer,
            R"({"code":"bench-2025","title":"压测活动","kind":"benchmark","template_id":)"
            R"("benchmark-2022","opens_at":")" +
                formatShanghai(now - day) + R"(","closes_at":")" + formatShanghai(now + 30 * day) +
                R"(","review_until":")" + formatShanghai(now + 60 * day) +
                R"(","required_evidence":[{"kind":"application-year","label":"应用证明"}],)"
                R"("completing_units":1,"recommending_units":"recommending-units-2022"})");

        // Applicants: registered through the service (the HTTP registration is rate-limited per
        // address), their filings approved by a direct insert (the filing is not measured
        // here), a project each.
        struct Applicant {
            std::string token, organization, project, application, summary, evidence;
        };
        std::vector<Applicant> applicants(static_cast<std::size_t>(clients));
        for (int n = 0; n < clients; ++n) {
            auto& me = applicants[static_cast<std::size_t>(n)];
            std::string user = "bench" + std::to_string(n);
            char phone[16];
            std::snprintf(phone, sizeof phone, "138%08d", n);
            std::string name = "压测组织" + std::to_string(n) + "号";
            std::string code = makeCreditCode(static_cast<std::uint32_t>(n));
            services->auth().registerApplicant(
                {user, HttpTestClient::kTestPassword, phone, "压测", name, code});
            auto session = services->auth().login(user, HttpTestClient::kTestPassword);
            me.token = session.token;
            me.organization = session.viewer.organizationId;
            std::string id = services->ids().next();
            db.exec(
                "INSERT INTO filings (id, organization_id, version, state, revision, name, "
                "name_key, province, data_json, created_at_us, updated_at_us) VALUES ('" +
                id + "', '" + me.organization + "', 1, 'approved', 1, '" + name + "', '" + name +
                "', '44', '{\"name\":\"" + name + "\",\"credit_code\":\"" + code +
                "\",\"economic_type\":\"有限责任公司\",\"industry\":\"84\","
                "\"organization_size\":\"中型\"}', 0, 0)");
            me.project =
                services->projects()
                    .create(session.viewer,
                            R"({"name":"压测项目","keywords":["质量追溯"],"summary":"简介"})")
                    .id;
        }
        Poco::JSON::Object::Ptr sample =
            Poco::JSON::Parser()
                .parse(readText(config.templatesDir + "/samples/benchmark-2022-book.json"))
                .extract<Poco::JSON::Object::Ptr>();
        sample->remove("recommending_unit");
        sample->remove("contact");
        sample->remove("enterprise");
        std::ostringstream formText;
        sample->stringify(formText, 2);
        const std::string form = formText.str();

        std::atomic<int> errors{0};
        const std::string pdf = makeTextPdf(1);
        std::mutex latencyMutex;
        std::vector<double> paced, backToBack;
        double pacedClientCpu = 0, backToBackClientCpu = 0;
        std::latch ready(clients), go(1), pacedDone(clients), go2(1);
        std::vector<std::thread> threads;
        for (int n = 0; n < clients; ++n) {
            threads.emplace_back([&, n] {
                auto& me = applicants[static_cast<std::size_t>(n)];
                auto c = std::make_unique<HttpTestClient>(server->port());
                c->setBearer(me.token);
                try {
                    // Distinct bytes: identical ones would be one blob, not a real load.
                    auto up = c->upload(pdf + "%" + std::to_string(2 * n) + "\n", "总结材料.pdf",
                                        "summary", "application/pdf");
                    if (up.status != 201) throw std::runtime_error(up.body);
                    me.summary = up.json()->getValue<std::string>("id");
                    up = c->upload(pdf + "%" + std::to_string(2 * n + 1) + "\n", "应用证明.pdf",
                                   "evidence", "application/pdf");
                    if (up.status != 201) throw std::runtime_error(up.body);
                    me.evidence = up.json()->getValue<std::string>("id");
                    auto created = c->postJson(
                        "/api/v1/applications",
                        R"({"activity":"bench-2025","project_id":")" + me.project + R"("})");
                    if (created.status != 201) throw std::runtime_error(created.body);
                    me.application = created.json()->getValue<std::string>("id");
                    // The first save attaches the documents; the measured ones keep them.
                    auto first =
                        c->request("PUT", "/api/v1/applications/" + me.application, {},
                                   "application/json", draftBody(form, me.summary, me.evidence, 0));
                    if (first.status != 200) throw std::runtime_error(first.body);
                } catch (const std::exception& e) {
                    me.application.clear();
                    if (errors++ < 3) std::cerr << "setup: " << e.what() << "\n";
                }
                std::string path = "/api/v1/applications/" + me.application;
                auto save = [&](int r, std::vector<double>& into) {
                    std::string body = draftBody(form, me.summary, me.evidence, r);
                    auto t0 = Steady::now();
                    try {
                        auto res = c->request("PUT", path, {}, "application/json", body);
                        if (res.status != 200 && errors++ < 3) {
                            std::cerr << "PUT " << res.status << " " << res.body << "\n";
                        }
                    } catch (const std::exception& e) {
                        if (errors++ < 3) std::cerr << "PUT: " << e.what() << "\n";
                    }
                    into.push_back(
                        std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
                };
                // After a wait longer than the server keeps an idle connection (5 s), a new
                // one, opened before the clock starts (GET /healthz).
                auto reconnect = [&] {
                    c = std::make_unique<HttpTestClient>(server->port());
                    c->setBearer(me.token);
                    try {
                        c->get("/healthz");
                    } catch (const std::exception& e) {
                        if (errors++ < 3) std::cerr << "connect: " << e.what() << "\n";
                    }
                };
                std::mt19937 random(static_cast<unsigned>(n));
                std::uniform_real_distribution<double> spread(0.0, 1.0);
                ready.count_down();
                go.wait();
                reconnect();
                std::vector<double> mine;
                double cpu0 = threadCpuSeconds();
                if (!me.application.empty()) {
                    std::this_thread::sleep_for(
                        std::chrono::duration<double, std::milli>(thinkMillis * spread(random)));
                    for (int r = 1; r <= rounds; ++r) {
                        save(r, mine);
                        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(
                            thinkMillis * (0.5 + spread(random))));
                    }
                }
                {
                    std::lock_guard lock(latencyMutex);
                    paced.insert(paced.end(), mine.begin(), mine.end());
                    pacedClientCpu += threadCpuSeconds() - cpu0;
                }
                pacedDone.count_down();
                go2.wait();
                reconnect();
                mine.clear();
                cpu0 = threadCpuSeconds();
                for (int r = 1; r <= rounds && !me.application.empty(); ++r) {
                    save(rounds + r, mine);
                }
                std::lock_guard lock(latencyMutex);
                backToBack.insert(backToBack.end(), mine.begin(), mine.end());
                backToBackClientCpu += threadCpuSeconds() - cpu0;
            });
        }
        ready.wait();
        CpuMeter cpu;
        cpu.start();
        auto t0 = Steady::now();
        go.count_down();
        pacedDone.wait();
        double pacedSeconds = std::chrono::duration<double>(Steady::now() - t0).count();
        cpu.stop(pacedClientCpu);
        CpuMeter cpu2;
        cpu2.start();
        auto t1 = Steady::now();
        go2.count_down();
        for (auto& t : threads) t.join();
        double seconds = std::chrono::duration<double>(Steady::now() - t1).count();
        cpu2.stop(backToBackClientCpu);
        const std::string who = "PUT application draft (16 KB), " + std::to_string(clients);
        report(who + ", " + std::to_string(thinkMillis) + " ms apart", paced);
        std::printf("%48s %.0f saves/s\n", "", static_cast<double>(paced.size()) / pacedSeconds);
        cpu.print("    ", "save", paced.size());
        report(who + " back to back", backToBack);
        std::printf("%48s %.0f saves/s (capacity)\n", "",
                    static_cast<double>(backToBack.size()) / seconds);
        cpu2.print("    ", "save", backToBack.size());
        server->stop();
        services->checkRunner().stop();
        std::printf("target: p99 <= 100 ms (paced) %s; errors %d\n",
                    percentile(paced, 0.99) <= 100.0 ? "met" : "MISSED", errors.load());
        // The smoke run checks that every path works, not the figures (a loaded CI machine).
        return errors.load() == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "application_bench: " << e.what() << "\n";
        return 1;
    }
}
