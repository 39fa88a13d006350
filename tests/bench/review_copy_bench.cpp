// A reviewer's traced copy of a large PDF, end to end through the real server (issue 9,
// cases/pdf-oversized): the time and memory of each download when one reviewer opens the
// same document again and again (a PDF viewer's range requests, a re-download), and when a
// second reviewer opens it.
//
//   review_copy_bench [--pages 2000] [--downloads 5]   (full run, figures for the notes)
//   review_copy_bench --smoke                          (seconds; the test command runs this)
//
// The server is the real one (Services + http::Server on a loopback port, SQLite in a temp
// directory); the PDF is an evidence upload (the kind with the most pages allowed) of
// `pages` text pages. Prints each download's wall time and the process's peak RSS after it.
// Exits 1 when a download fails or is not a traced copy.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/filing/AuthService.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Steady = std::chrono::steady_clock;

namespace {

long peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

/// One download by `client`; prints its line and returns false when it is not a traced copy.
bool download(HttpTestClient& client, const std::string& path, const std::string& who, int n) {
    auto start = Steady::now();
    auto r = client.get(path);
    double ms = std::chrono::duration<double, std::milli>(Steady::now() - start).count();
    std::printf("%-10s download %d: %8.1f ms  %7zu bytes  peak RSS %ld MB\n", who.c_str(), n, ms,
                r.body.size(), peakRssMb());
    if (r.status != 200 || r.header("Dossier-Copy") != "review" || r.body.rfind("%PDF-", 0) != 0) {
        std::cerr << "download failed: " << r.status << " " << r.body.substr(0, 200) << "\n";
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int pages = 2000;
    int downloads = 5;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            pages = 20;
            downloads = 2;
        } else if (a == "--pages" && i + 1 < argc) {
            pages = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--downloads" && i + 1 < argc) {
            downloads = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: review_copy_bench [--pages N] [--downloads N] [--smoke]\n";
            return 2;
        }
    }
    try {
        TempDir dir;
        TestDatabase db{"sqlite", dir.path()};
        app::Config config;
        config.dataDir = dir.path() + "/data";
        config.database = db.url();
        config.checkWorkers = 0;  // checks are not measured here
        config.auth.passwordIterations = 1000;
        auto services = app::Services::open(config);
        auto server = startInProcessServer(*services);
        HttpTestClient owner(server->port());
        owner.signUp("bench01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31",
                     "压测");
        std::string pdf = makeTextPdf(pages);
        auto up = owner.upload(pdf, "证实性材料.pdf", "evidence");
        if (up.status != 201) {
            std::cerr << "upload refused: " << up.body << "\n";
            return 1;
        }
        std::string path =
            "/api/v1/documents/" + up.json()->getValue<std::string>("id") + "/content";
        std::printf("%d-page PDF, %zu bytes; peak RSS before downloads %ld MB\n", pages, pdf.size(),
                    peakRssMb());
        bool ok = true;
        for (const std::string who : {"review01", "review02"}) {
            services->auth().createStaff({who, HttpTestClient::kTestPassword,
                                          who == "review01" ? "13900000001" : "13900000002",
                                          "审查员" + who.substr(6), Role::Reviewer});
            HttpTestClient reviewer(server->port());
            if (reviewer.signIn(who).status != 201) return 1;
            for (int n = 1; n <= (who == "review01" ? downloads : 2); ++n) {
                ok = download(reviewer, path, who, n) && ok;
            }
        }
        server->stop();
        services->checkRunner().stop();
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "review_copy_bench: " << e.what() << "\n";
        return 1;
    }
}
