// The QC-group import (issue 14 targets, on PostgreSQL: a 10,000-row workbook parsed and
// inserted in <= 1 s, the server's peak RSS growing by <= 32 MB). A real `dossier serve`
// process over loopback; the workbook (written with libxlsxwriter: shared strings, a date
// column) is made before the clock starts. Each run imports a new year's rows for a new
// organization type mix, so nothing is skipped as a duplicate. Prints the median and the
// worst of --runs imports (time from the request's last byte sent to the answer, which is
// parse + insert + commit) and the server's peak RSS growth over all of them; with --check,
// exits 1 when the median exceeds 1 s or the growth 32 MB.
//   DOSSIER_TEST_BACKEND=postgres qc_import_bench --server build/test/dossier [--rows 10000]
//   [--runs 5] [--check] qc_import_bench --server ... --smoke      (2,000 rows once: the test
//   command runs this)
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "HttpTestClient.h"
#include "ServerProcess.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "XlsxFiles.h"

using namespace dossier::test;
using Clock = std::chrono::steady_clock;

namespace {

/// CPU seconds (user + system) the process has used.
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14 || i == 15) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void resetPeakRss(pid_t pid) {
    std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
}

/// Kills and reaps the server on every exit path (before its database is dropped).
struct ServerGuard {
    pid_t pid = -1;
    ~ServerGuard() {
        if (pid <= 0) return;
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
    }
};

std::string workbook(int rows, int run) {
    std::vector<std::vector<std::string>> data;
    data.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
        data.push_back(
            {"#" + std::to_string(i + 1),
             "降低合成氨装置吨氨综合能耗第" + std::to_string(run) + "-" + std::to_string(i) + "项",
             "节能降耗QC小组" + std::to_string(i % 211),
             "某某化工有限公司第" + std::to_string(i % 13) + "分厂",
             "#" + std::to_string(3 + i % 9), i % 7 ? "张三" : "欧阳建国", "@2023-05-06"});
    }
    return xlsxOf(data);
}

}  // namespace

int main(int argc, char** argv) {
    std::string binary;
    int rows = 10'000, runs = 5;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        bool hasValue = i + 1 < argc;
        if (a == "--server" && hasValue) {
            binary = argv[++i];
        } else if (a == "--rows" && hasValue) {
            rows = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--runs" && hasValue) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--check") {
            check = true;
        } else if (a == "--smoke") {
            rows = 2'000;
            runs = 1;
        } else {
            std::cerr << "usage: qc_import_bench --server PATH/TO/dossier [--rows N] [--runs N] "
                         "[--check] [--smoke]\n";
            return 2;
        }
    }
    if (binary.empty()) {
        std::cerr << "qc_import_bench: --server is required\n";
        return 2;
    }
    try {
        TempDir dir;
        TestDatabase database(TestDatabase::backendFromEnvironment(), dir.path());
        ServerGuard guard;
        ServerProcess server = spawnServer(binary, dir.path(), database.url());
        guard.pid = server.pid;
        HttpTestClient client(server.port);
        auto r =
            client.postJson("/api/v1/accounts", R"({"username":"bench01","password":"Secret-2025",)"
                                                R"("phone":"13800000001","display_name":"压测",)"
                                                R"("organization":{"name":"中国石化某某分公司",)"
                                                R"("credit_code":"91440116MA59B21T31"}})");
        if (r.status != 201) throw std::runtime_error("sign-up refused: " + r.body);
        if (client.signIn("bench01", "Secret-2025").status != 201)
            throw std::runtime_error("sign-in refused");
        std::vector<std::string> files;
        for (int run = 0; run < runs; ++run) files.push_back(workbook(rows, run));
        std::printf("%s, %d rows, workbook %.1f KB\n",
                    TestDatabase::backendFromEnvironment().c_str(), rows,
                    static_cast<double>(files[0].size()) / 1024);
        // One small import first: the server's first request warms its pools and caches.
        auto warm = xlsxOf({{"#1", "预热", "预热", "", "#3", "甲", ""}});
        auto [warmType, warmBody] = multipartBody({{"type", "team", std::nullopt, ""},
                                                   {"year", "2025", std::nullopt, ""},
                                                   {"file", warm, std::string("w.xlsx"), ""}});
        if (client.request("POST", "/api/v1/qc/imports", {}, warmType, warmBody).status != 200) {
            throw std::runtime_error("warm-up import failed");
        }
        long before = procStatusKb(server.pid, "VmRSS:");
        resetPeakRss(server.pid);
        std::vector<double> took;
        double cpuBefore = cpuSeconds(server.pid);
        for (int run = 0; run < runs; ++run) {
            auto [type, body] = multipartBody(
                {{"type", "group", std::nullopt, ""},
                 {"year", std::to_string(2026 - run), std::nullopt, ""},
                 {"file", files[static_cast<std::size_t>(run)], std::string("小组.xlsx"), ""}});
            auto start = Clock::now();
            auto answer = client.request("POST", "/api/v1/qc/imports", {}, type, body);
            took.push_back(std::chrono::duration<double>(Clock::now() - start).count());
            if (answer.status != 200 || answer.body.find("\"imported\":" + std::to_string(rows) +
                                                         ",") == std::string::npos) {
                throw std::runtime_error("import " + std::to_string(run) + " answered " +
                                         std::to_string(answer.status) + ": " +
                                         answer.body.substr(0, 300));
            }
        }
        long peak = procStatusKb(server.pid, "VmHWM:");
        long after = procStatusKb(server.pid, "VmRSS:");
        double cpuPerImport = (cpuSeconds(server.pid) - cpuBefore) / runs;
        std::vector<double> sorted = took;
        std::sort(sorted.begin(), sorted.end());
        double median = sorted[sorted.size() / 2];
        double growthMb = static_cast<double>(peak - before) / 1024;
        double load[1] = {0};
        getloadavg(load, 1);
        std::printf(
            "import of %d rows: median %.3f s, worst %.3f s over %d runs (%.0f rows/s); "
            "server CPU %.3f s an import; server RSS before %.1f MB, peak %.1f MB, growth "
            "%.1f MB (targets <= 1 s, <= 32 MB), after %.1f MB; load average %.1f\n",
            rows, median, sorted.back(), runs, rows / median, cpuPerImport,
            static_cast<double>(before) / 1024, static_cast<double>(peak) / 1024, growthMb,
            static_cast<double>(after) / 1024, load[0]);
        if (check && (median > 1.0 || growthMb > 32)) {
            std::fprintf(stderr, "qc_import_bench: over target\n");
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qc_import_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
