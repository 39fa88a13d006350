#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dossier::test {

/// A render route and the sample data the README and tests use with it.
struct RenderSample {
    std::string target;  // "/api/v1/render/book?template=benchmark-2022"
    std::string json;
    int weight = 4;  // how often the fuzzer picks it, relative to the others
};

/// Every sample of templates/samples with the routes that take it (book, experience book,
/// the three forms, certificate, label as PDF and PNG), and the drafts.
std::vector<RenderSample> renderSamples();

/// Every value's path in the JSON object `json` ("product.name", "competitors.3"), members
/// and list items, containers as well as what they hold.
std::vector<std::string> valuePaths(const std::string& json);

/// `json` with the value at `path` replaced by the JSON text `raw` (kept as written, so
/// 99999999999999999999999 reaches the server as those digits).
std::string withValueAt(const std::string& json, const std::string& path, const std::string& raw);

/// Random JSON values of every type, as text: null, booleans, numbers small, huge, negative,
/// fractional, beyond 64 bits and beyond doubles (1e400, -0), strings with 𠮷, control
/// characters, U+2028, escapes and 10 KB of text, lists and objects, nested. Deterministic for
/// a seed (its own generator, not the standard library's distributions).
class RandomJson {
  public:
    explicit RandomJson(std::uint64_t seed) : state_(seed) {}
    std::string next() { return value(0); }
    std::uint64_t below(std::uint64_t n);  // uniform enough in [0, n)

  private:
    std::uint64_t bits();
    std::string value(int depth);
    std::string number();
    std::string text();
    std::uint64_t state_;
};

struct FuzzReport {
    int cases = 0;
    std::map<int, int> statuses;        // status → how many
    std::map<std::string, int> codes;   // problem code → how many
    std::vector<std::string> failures;  // the first 20, each with its route, path and value
};

/// Substitutes random values (RandomJson(seed)) into every path of every sample, one at a time,
/// round-robin, and posts each to the server on 127.0.0.1:`port` as `token`, until `maxCases`
/// or `budget` is reached. A failure is a 5xx, no answer, or a 4xx that is not
/// application/problem+json with a registered code whose status it carries (and registered
/// Field codes in `errors`), or a 200 that is not a PDF/PNG.
FuzzReport fuzzRenderRoutes(std::uint16_t port, const std::string& token, std::uint64_t seed,
                            int maxCases, std::chrono::milliseconds budget);

}  // namespace dossier::test
