// Random JSON values of every type in every field of every render sample, against the real
// server: never a 5xx, every refusal a problem+json with a registered code. Seeded and bounded
// (DOSSIER_FUZZ_SEED to replay another seed); tests/bench/render_fuzz_bench runs it longer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "RenderFuzz.h"
#include "RenderServerFixture.h"

using namespace dossier::test;

namespace {

class RenderFuzzTest : public RenderServerFixture {};

}  // namespace

TEST_F(RenderFuzzTest, OddValuesInEveryFieldNeverGetA5xx) {
    std::uint64_t seed = 20261129;
    if (const char* s = std::getenv("DOSSIER_FUZZ_SEED")) seed = std::strtoull(s, nullptr, 10);
    // At most 4,000 cases or 18 s, whichever comes first: ~1,500 cases on an idle machine (a
    // valid render takes milliseconds; most refusals well under one), fewer while ctest runs
    // OCR tests beside it. render_fuzz_bench runs it for as long as asked.
    auto report = fuzzRenderRoutes(server->port(), token, seed, 4000, std::chrono::seconds(18));
    std::string summary =
        "seed " + std::to_string(seed) + ": " + std::to_string(report.cases) + " cases;";
    for (const auto& [status, n] : report.statuses)
        summary += " " + std::to_string(status) + "×" + std::to_string(n);
    RecordProperty("cases", report.cases);
    std::cout << summary << "\n";
    for (const auto& f : report.failures) ADD_FAILURE() << f;
    EXPECT_GE(report.cases, 400) << summary;
    // The values reach the checks, not just the parser: refusals of several kinds, and some
    // substitutions that are still valid data render.
    EXPECT_GT(report.statuses[422], report.cases / 4) << summary;
    EXPECT_GT(report.statuses[200], 0) << summary;
    EXPECT_GT(report.codes["request.number_out_of_range"], 0) << summary;
}
