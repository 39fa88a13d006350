#pragma once

#include <cstdint>
#include <string>

namespace dossier {

/// Time source, injectable so tests and golden renders can fix the time.
class Clock {
  public:
    virtual ~Clock() = default;
    /// Microseconds since the Unix epoch, UTC.
    virtual std::int64_t nowMicros() const = 0;
};

class SystemClock final : public Clock {
  public:
    std::int64_t nowMicros() const override;
};

class FixedClock final : public Clock {
  public:
    explicit FixedClock(std::int64_t micros) : micros_(micros) {}
    std::int64_t nowMicros() const override { return micros_; }
    void set(std::int64_t micros) { micros_ = micros; }

  private:
    std::int64_t micros_;
};

/// RFC 3339 UTC with milliseconds: "2026-11-20T23:25:00.123Z".
std::string formatTimestamp(std::int64_t micros);
/// The minute in Asia/Shanghai (UTC+8, no daylight saving), as marks print it:
/// "2026-11-21 07:25 北京时间".
std::string formatBeijingMinute(std::int64_t micros);

}  // namespace dossier
