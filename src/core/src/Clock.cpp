#include "dossier/core/Clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace dossier {

std::int64_t SystemClock::nowMicros() const {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string formatTimestamp(std::int64_t micros) {
    std::int64_t secs = micros / 1000000;
    std::int64_t rem = micros % 1000000;
    if (rem < 0) {
        rem += 1000000;
        --secs;
    }
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(rem / 1000));
    return buf;
}

std::string formatBeijingMinute(std::int64_t micros) {
    std::string t = formatTimestamp(micros + 8LL * 3600 * 1000000);
    return t.substr(0, 10) + " " + t.substr(11, 5) + " 北京时间";
}

}  // namespace dossier
