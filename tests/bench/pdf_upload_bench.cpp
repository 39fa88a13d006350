// PDF upload end to end against the speed of hashing the same bytes, in one run (issue 9):
// the upload must reach at least half of `sha256sum`'s speed, so its PDF validation may read
// the page tree and resources but never decode every stream.
//
//   pdf_upload_bench [--mb 10] [--uploads 8]   (full run, figures for the notes)
//   pdf_upload_bench --smoke                   (seconds; the test command runs this)
//
// The server is the real one (Services + http::Server on a loopback port, SQLite in a temp
// directory), the client Poco's; each upload has distinct bytes (no deduplication): a PDF of
// about `mb` MB, 40 pages, each with an uncompressed grey image, like a scanned document.
// Exits 1 when an upload or the hash fails.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/http/Server.h"
#include "dossier/watermark/PdfStamper.h"

using namespace dossier;
using namespace dossier::test;
using Steady = std::chrono::steady_clock;

namespace {

double seconds(Steady::time_point a, Steady::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t mb = 10;
    int uploads = 8;
    bool smoke = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--smoke") {
            smoke = true;
        } else if (a == "--mb" && i + 1 < argc) {
            mb = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
        } else if (a == "--uploads" && i + 1 < argc) {
            uploads = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: pdf_upload_bench [--mb N] [--uploads N] [--smoke]\n";
            return 2;
        }
    }
    if (smoke) {
        mb = 1;
        uploads = 1;
    }
    try {
        TempDir dir;
        TestDatabase db{"sqlite", dir.path()};
        app::Config config;
        config.dataDir = dir.path() + "/data";
        config.database = db.url();
        config.checkWorkers = 0;  // the checks run off the request path; not measured here
        config.auth.passwordIterations = 1000;
        auto services = app::Services::open(config);
        auto server = startInProcessServer(*services);
        HttpTestClient client(server->port());
        client.signUp("bench01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31",
                      "压测");

        std::vector<double> uploadRates, hashRates, validationMs;
        for (int i = 0; i < uploads; ++i) {
            std::string pdf = makeSizedPdf(mb << 20, i);
            double size = static_cast<double>(pdf.size()) / (1 << 20);
            auto t0 = Steady::now();
            auto r = client.upload(pdf, "scan.pdf", "evidence");
            auto t1 = Steady::now();
            if (r.status != 201) {
                std::cerr << "upload failed: " << r.status << " " << r.body << "\n";
                server->stop();
                return 1;
            }
            uploadRates.push_back(size / seconds(t0, t1));
            // The upload's PDF validation alone (what DocumentService runs): qpdf's page tree
            // and resources, poppler's open.
            auto v0 = Steady::now();
            auto facts = watermark::PdfStamper::inspect(pdf, 2000);
            evidence::PdfDocument::load(pdf);
            auto v1 = Steady::now();
            if (facts.pageCount != 40) throw std::runtime_error("inspect miscounted the pages");
            validationMs.push_back(seconds(v0, v1) * 1000);
            // The same bytes through sha256sum (from the page cache, as the upload's were in
            // memory), in the same run.
            std::string file = dir.path() + "/same.pdf";
            writeFile(file, pdf);
            runCommand("cat " + file + " > /dev/null");
            auto h0 = Steady::now();
            std::string digest = runCommand("sha256sum " + file);
            auto h1 = Steady::now();
            // The same bytes: the server's digest of what it stored is sha256sum's.
            if (digest.substr(0, 64) != r.json()->getValue<std::string>("sha256")) {
                std::cerr << "sha256sum failed or disagrees with the server: " << digest << "\n";
                server->stop();
                return 1;
            }
            hashRates.push_back(size / seconds(h0, h1));
        }
        server->stop();
        double up = median(uploadRates), hash = median(hashRates);
        std::printf(
            "[pdf upload] %zu MB PDF x%d: median %.0f MB/s end to end; sha256sum %.0f MB/s; "
            "ratio %.2f (target >= 0.5); PDF validation %.1f ms of it\n",
            mb, uploads, up, hash, up / hash, median(validationMs));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "pdf_upload_bench: " << e.what() << "\n";
        return 1;
    }
}
