#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "dossier/core/ErrorCodes.h"

namespace dossier::http {

/// Prometheus counters and a latency histogram. Thread-safe (one mutex; an update is a few
/// map operations, far below the cost of a request).
class Metrics {
  public:
    static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    void recordRequest(const std::string& route, const std::string& method, int status,
                       double seconds);
    void recordUpload(std::uint64_t bytes);
    void recordRejectedUpload(ErrorCode code);
    /// Text exposition format 0.0.4.
    std::string render() const;

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::map<std::string, std::uint64_t> rejected_;
    std::uint64_t uploadBytes_ = 0;
    std::uint64_t uploads_ = 0;
};

}  // namespace dossier::http
