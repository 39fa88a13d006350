#pragma once

// What a measured phase cost in CPU, split between the server in this process and the
// PostgreSQL backends, so a saves/s figure can be told apart from the machine it ran on
// (README, "Tests and benchmarks"). Linux only (getrusage, /proc). Header-only: two benches
// share it.

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dossier::test {

/// CPU seconds (user + system) of the calling thread.
inline double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// CPU seconds (user + system) of this process, every thread.
inline double processCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& v) {
        return static_cast<double>(v.tv_sec) + static_cast<double>(v.tv_usec) / 1e6;
    };
    return s(u.ru_utime) + s(u.ru_stime);
}

/// CPU seconds (user + system) of the processes of the PostgreSQL cluster of
/// scripts/pg-test-cluster.sh (DOSSIER_TEST_PG_DIR) when the bench runs on PostgreSQL
/// (DOSSIER_TEST_BACKEND): its postmaster and the postmaster's children, which are the
/// backends of the pool's connections and the background workers. -1 when there is no such
/// cluster (SQLite, or a server of another kind).
inline double postgresCpuSeconds() {
    const char* backend = std::getenv("DOSSIER_TEST_BACKEND");
    if (backend == nullptr || std::string(backend) != "postgres") return -1;
    const char* dir = std::getenv("DOSSIER_TEST_PG_DIR");
    if (dir == nullptr || std::string(dir).empty()) return -1;
    std::ifstream pidFile(std::string(dir) + "/data/postmaster.pid");
    long postmaster = 0;
    if (!(pidFile >> postmaster)) return -1;
    double ticks = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string text;
        if (!std::getline(stat, text)) continue;
        // pid (comm) state ppid … utime stime: fields 4, 14 and 15; comm may hold spaces.
        auto close = text.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        long ppid = 0;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i == 4) ppid = std::atol(field.c_str());
            if (i == 14) utime = std::atof(field.c_str());
            if (i == 15) stime = std::atof(field.c_str());
        }
        if (ppid == postmaster || std::atol(name.c_str()) == postmaster) ticks += utime + stime;
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// The CPU a phase took: start() before it, stop() after, with the CPU the bench's own client
/// threads used in it (their threadCpuSeconds() differences, summed), which is not the
/// server's.
class CpuMeter {
  public:
    void start() {
        process_ = processCpuSeconds();
        postgres_ = postgresCpuSeconds();
    }
    void stop(double clientSeconds) {
        serverSeconds_ = processCpuSeconds() - process_ - clientSeconds;
        clientSeconds_ = clientSeconds;
        double pg = postgresCpuSeconds();
        postgresSeconds_ = postgres_ < 0 || pg < 0 ? -1 : pg - postgres_;
    }
    /// "CPU per save: server 1.2 ms, PostgreSQL 2.3 ms, bench clients 0.4 ms".
    void print(const char* indent, const char* per, std::size_t count) const {
        if (count == 0) return;
        double n = static_cast<double>(count);
        std::printf("%sCPU per %s: server %.2f ms, PostgreSQL ", indent, per,
                    1000 * serverSeconds_ / n);
        if (postgresSeconds_ < 0) {
            std::printf("(not measured)");
        } else {
            std::printf("%.2f ms", 1000 * postgresSeconds_ / n);
        }
        std::printf(", bench clients %.2f ms\n", 1000 * clientSeconds_ / n);
    }

  private:
    double process_ = 0, postgres_ = 0;
    double serverSeconds_ = 0, clientSeconds_ = 0, postgresSeconds_ = -1;
};

}  // namespace dossier::test
