#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>

namespace dossier::bench {

using BenchmarkFunction = std::function<void(benchmark::State&)>;

/// Registers a benchmark. An exception escaping `function` fails that benchmark (reported,
/// and the program then exits 1) instead of aborting the run. `minSeconds` > 0 sets its
/// minimum run time. In smoke mode it runs exactly one iteration instead (so never call
/// MinTime or Iterations on the result: Google Benchmark aborts on both). The returned object
/// is owned by Google Benchmark's registry.
benchmark::internal::Benchmark* add(const std::string& name, BenchmarkFunction function,
                                    double minSeconds = 0);

/// True after runBenchmarks() saw `--smoke`, before it calls its registration function.
bool smoke();

/// main() of a Google Benchmark program. Removes `--smoke` from the arguments (it runs each
/// benchmark for one iteration: seconds, for the test command), calls `registerAll`, which
/// registers with add(), hands the other arguments to Google Benchmark, runs.
/// Returns the exit status: 0; 1 when a benchmark reported an error or none ran; 2 for an
/// unknown argument.
int runBenchmarks(int argc, char** argv, const std::function<void()>& registerAll);

}  // namespace dossier::bench
