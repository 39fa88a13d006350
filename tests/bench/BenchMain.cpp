#include "BenchMain.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

namespace dossier::bench {
namespace {

bool gSmoke = false;

/// The console output, plus a note of every run that reported an error.
class CheckingReporter final : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            ++runs_;
            if (run.error_occurred) {
                ++errors_;
                std::fprintf(stderr, "benchmark %s failed: %s\n", run.benchmark_name().c_str(),
                             run.error_message.c_str());
            }
        }
        ConsoleReporter::ReportRuns(runs);
    }
    int runs() const { return runs_; }
    int errors() const { return errors_; }

  private:
    int runs_ = 0;
    int errors_ = 0;
};

}  // namespace

bool smoke() { return gSmoke; }

benchmark::internal::Benchmark* add(const std::string& name, BenchmarkFunction function,
                                    double minSeconds) {
    auto* b = benchmark::RegisterBenchmark(
        name.c_str(), [function = std::move(function)](benchmark::State& state) {
            try {
                function(state);
            } catch (const std::exception& e) {
                state.SkipWithError(e.what());
            } catch (...) {
                state.SkipWithError("unknown exception");
            }
        });
    if (gSmoke) {
        b->Iterations(1);
    } else if (minSeconds > 0) {
        b->MinTime(minSeconds);
    }
    return b;
}

int runBenchmarks(int argc, char** argv, const std::function<void()>& registerAll) {
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (i > 0 && std::strcmp(argv[i], "--smoke") == 0) {
            gSmoke = true;
        } else {
            args.push_back(argv[i]);
        }
    }
    registerAll();
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
    CheckingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    if (reporter.runs() == 0) {
        std::fprintf(stderr, "no benchmark ran (check --benchmark_filter)\n");
        return 1;
    }
    return reporter.errors() > 0 ? 1 : 0;
}

}  // namespace dossier::bench
