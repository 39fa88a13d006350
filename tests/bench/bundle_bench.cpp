// The application bundle (issue 12 targets: 20 MB of evidence at >= 100 MB/s, RSS growth
// <= 16 MB): BundleWriter streaming an application's evidence (an 8 MB scanned-size PDF and
// the real JPEG/PNG/PDF fixtures, from a local blob store: stored entries, CRC-32 and
// SHA-256 of every byte) into a sink that counts, as a socket takes them. Beside it, 20 MB
// of JSON text (deflated) for the cost of compressing. `rss_growth_MB` is the peak RSS a
// forked child adds while streaming the evidence bundle once; above 16 MB fails the run.
//   taskset -c 0 build/test/tests/bench/bundle_bench [--smoke] [--benchmark_* flags]
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <streambuf>
#include <string>

#include "BenchMain.h"
#include "EvidenceBundle.h"
#include "TestSupport.h"
#include "dossier/storage/BundleWriter.h"
#include "dossier/storage/FileSystem.h"
#include "dossier/storage/LocalBlobStore.h"

namespace {

using namespace dossier;
using namespace dossier::storage;

constexpr std::uint64_t kEvidenceBytes = 20u << 20;
constexpr long kRssBoundKb = 16 * 1024;

class CountingBuf final : public std::streambuf {
  public:
    std::uint64_t count = 0;

  protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        count += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) ++count;
        return traits_type::not_eof(c);
    }
};

/// JSON-like text made on demand (never held whole), compressible as real JSON is.
class TextSource final : public ByteSource {
  public:
    explicit TextSource(std::uint64_t size) : size_(size) {
        // 1 MB of varied records, repeated: deflate's 32 KB window never sees a repeat, so
        // it compresses about as real JSON does (5-10x), not a 4 KB pattern (100x).
        const char* units[] = {"精科QC小组", "质量攻关小组", "检验科", "现场改进小组", "设备科"};
        std::uint32_t x = 12345;
        for (int i = 0; line_.size() < (1u << 20); ++i) {
            x = x * 1103515245u + 12345u;
            line_ += "{\"序号\": " + std::to_string(i) + ", \"小组名称\": \"" +
                     units[(x >> 16) % 5] + "\", \"得分\": " + std::to_string((x >> 8) % 1000) +
                     ", \"编号\": \"" + std::to_string(x) + "\"},\n";
        }
    }
    std::uint64_t size() const override { return size_; }
    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override {
        if (offset >= size_) return 0;
        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
        auto* p = static_cast<char*>(out);
        for (std::size_t done = 0; done < n;) {
            std::size_t at = static_cast<std::size_t>((offset + done) % line_.size());
            std::size_t k = std::min(n - done, line_.size() - at);
            std::memcpy(p + done, line_.data() + at, k);
            done += k;
        }
        return n;
    }

  private:
    std::uint64_t size_;
    std::string line_;
};

long rssKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

struct Fixture {
    test::TempDir dir;
    PosixFileSystem fs;
    LocalBlobStore blobs{fs, dir.path() + "/blobs"};
    std::vector<BundleEntry> evidence;
    std::uint64_t evidenceBytes = 0;
    long rssGrowthKb = -1;

    Fixture() {
        evidence = test::storeEvidence(blobs, kEvidenceBytes, 8u << 20);
        evidenceBytes = test::evidenceBytes(blobs, evidence);
        ::malloc_trim(0);
        rssGrowthKb = measureRssGrowth();
    }

    std::uint64_t writeEvidence() {
        CountingBuf sink;
        std::ostream out(&sink);
        BundleWriter(blobs).write(out, "广州精科医学检验所有限公司.zip", evidence, 1745917200);
        if (sink.count < evidenceBytes) throw std::runtime_error("the bundle came out short");
        return sink.count;
    }

    /// Peak RSS a forked child adds while streaming the evidence bundle once (-1 on failure).
    long measureRssGrowth() {
        int fds[2];
        if (::pipe(fds) != 0) return -1;
        pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fds[0]);
            long base = rssKb();
            int rc = 0;
            try {
                writeEvidence();
            } catch (...) {
                rc = 1;
            }
            (void)!::write(fds[1], &base, sizeof base);
            ::_exit(rc);
        }
        ::close(fds[1]);
        long base = 0;
        bool got = ::read(fds[0], &base, sizeof base) == static_cast<ssize_t>(sizeof base);
        ::close(fds[0]);
        int status = 0;
        rusage usage{};
        ::wait4(pid, &status, 0, &usage);
        if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
        return usage.ru_maxrss - base;
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void evidenceBundle(benchmark::State& state) {
    Fixture& f = fixture();
    if (f.rssGrowthKb < 0) throw std::runtime_error("the forked measurement failed");
    if (f.rssGrowthKb > kRssBoundKb) {
        throw std::runtime_error("RSS grew " + std::to_string(f.rssGrowthKb) +
                                 " KB streaming the bundle (bound 16 MB)");
    }
    std::uint64_t out = 0;
    for (auto _ : state) out = f.writeEvidence();
    state.SetBytesProcessed(static_cast<std::int64_t>(f.evidenceBytes) *
                            static_cast<std::int64_t>(state.iterations()));
    state.counters["entries"] = static_cast<double>(f.evidence.size());
    state.counters["evidence_MB"] = static_cast<double>(f.evidenceBytes) / (1 << 20);
    state.counters["zip_MB"] = static_cast<double>(out) / (1 << 20);
    state.counters["rss_growth_MB"] = static_cast<double>(f.rssGrowthKb) / 1024;
}

void textBundle(benchmark::State& state) {
    Fixture& f = fixture();
    std::vector<BundleEntry> entries;
    for (int i = 0; i < 4; ++i) {
        entries.push_back({"数据" + std::to_string(i) + ".json", "application/json", "",
                           [] { return std::make_unique<TextSource>(5u << 20); }});
    }
    std::uint64_t out = 0;
    for (auto _ : state) {
        CountingBuf sink;
        std::ostream os(&sink);
        BundleWriter(f.blobs).write(os, "x.zip", entries, 1745917200);
        out = sink.count;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(20u << 20) *
                            static_cast<std::int64_t>(state.iterations()));
    state.counters["zip_MB"] = static_cast<double>(out) / (1 << 20);
}

}  // namespace

int main(int argc, char** argv) {
    return dossier::bench::runBenchmarks(argc, argv, [] {
        dossier::bench::add("bundle/evidence_20MB", evidenceBundle)->Unit(benchmark::kMillisecond);
        dossier::bench::add("bundle/json_text_20MB", textBundle)->Unit(benchmark::kMillisecond);
    });
}
