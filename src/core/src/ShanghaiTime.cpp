#include "dossier/core/ShanghaiTime.h"

#include <cstdio>

#include "dossier/core/Clock.h"

namespace dossier {
namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kShanghaiOffset = 8 * 3600 * kSecond;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (int i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<std::int64_t> parseInstant(std::string_view s) {
    std::size_t pos = 0;
    int year, month, day, hour, minute, second = 0;
    if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
        !expect(s, pos, '-') || !digits(s, pos, 2, day) || !expect(s, pos, 'T') ||
        !digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute)) {
        return std::nullopt;
    }
    std::int64_t fraction = 0;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!digits(s, pos, 2, second)) return std::nullopt;
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            int n = 0;
            std::int64_t scale = 100000;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (++n > 6) return std::nullopt;
                fraction += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
            if (n == 0) return std::nullopt;
        }
    }
    std::int64_t offset = 0;
    if (pos < s.size() && s[pos] == 'Z') {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int oh, om;
        if (!digits(s, pos, 2, oh) || !expect(s, pos, ':') || !digits(s, pos, 2, om) || oh > 14 ||
            om > 59) {
            return std::nullopt;
        }
        offset = sign * (oh * 3600LL + om * 60LL) * kSecond;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
        second > 59) {
        return std::nullopt;
    }
    int monthDays = kDays[month - 1] + (month == 2 && isLeap(year) ? 1 : 0);
    if (day > monthDays) return std::nullopt;
    std::int64_t days =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    std::int64_t local = ((days * 24 + hour) * 60 + minute) * 60 + second;
    return local * kSecond + fraction - offset;
}

std::string formatShanghai(std::int64_t micros) {
    // formatTimestamp gives "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC; shifted, it is the local time.
    std::string local = formatTimestamp(micros + kShanghaiOffset);
    return local.substr(0, 19) + "+08:00";
}

}  // namespace dossier
