#include "dossier/sheets/CellValues.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstdio>

#include "dossier/core/Utf8.h"

namespace dossier::sheets {
namespace {

bool isAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

bool isTrimmed(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string trimAscii(std::string s) {
    std::size_t first = 0, last = s.size();
    while (first < last && isTrimmed(s[first])) ++first;
    while (last > first && isTrimmed(s[last - 1])) --last;
    return s.substr(first, last - first);
}

// Days from 1970-01-01 to a civil date and back (H. Hinnant's algorithms).
long long daysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy =
        (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

CivilDate civilFromDays(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

/// Reads 1–`maxDigits` ASCII digits at `pos`; -1 when there are none.
int digits(std::string_view s, std::size_t& pos, std::size_t maxDigits) {
    int value = 0;
    std::size_t start = pos;
    while (pos < s.size() && pos - start < maxDigits && s[pos] >= '0' && s[pos] <= '9') {
        value = value * 10 + (s[pos] - '0');
        ++pos;
    }
    if (pos == start) return -1;
    if (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') return -1;  // too many digits
    return value;
}

bool eat(std::string_view s, std::size_t& pos, std::string_view token) {
    if (s.substr(pos, token.size()) != token) return false;
    pos += token.size();
    return true;
}

}  // namespace

std::string CivilDate::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string normalizeCell(std::string_view text) {
    // NFKC leaves ASCII as it is: the common case needs no ICU round trip.
    if (isAscii(text)) return trimAscii(std::string(text));
    // Invalid UTF-8 is kept as sent, for the caller's rules to see and refuse.
    if (!utf8::isValid(text)) return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return trimAscii(std::string(text));
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString normalized = nfkc->normalize(source, status);
    if (U_FAILURE(status)) return trimAscii(std::string(text));
    std::string out;
    normalized.toUTF8String(out);
    return trimAscii(std::move(out));
}

bool isValidDate(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = kDays[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) max = 29;
    return day <= max;
}

std::optional<CivilDate> dateFromSerial(double serial, bool date1904) {
    if (!std::isfinite(serial) || serial < 0 || serial > 3e6) return std::nullopt;
    long long whole = static_cast<long long>(std::floor(serial));
    long long days;
    if (date1904) {
        days = daysFromCivil(1904, 1, 1) + whole;
    } else {
        // Excel keeps Lotus 1-2-3's 1900-02-29 (serial 60): serials after it are one higher
        // than the days they count; 0 is Excel's "1900-01-00".
        if (whole == 0 || whole == 60) return std::nullopt;
        days = daysFromCivil(1899, 12, 31) + whole - (whole > 60 ? 1 : 0);
    }
    CivilDate d = civilFromDays(days);
    if (d.year < 1900 || d.year > 9999) return std::nullopt;
    return d;
}

std::optional<CivilDate> parseTextDate(std::string_view s) {
    std::size_t pos = 0;
    int y = digits(s, pos, 4);
    if (y < 0 || pos != 4) return std::nullopt;
    int m = -1, d = -1;
    if (eat(s, pos, "年")) {
        m = digits(s, pos, 2);
        if (m < 0 || !eat(s, pos, "月")) return std::nullopt;
        d = digits(s, pos, 2);
        if (d < 0) return std::nullopt;
        eat(s, pos, "日") || eat(s, pos, "号");
    } else {
        if (pos >= s.size()) return std::nullopt;
        char sep = s[pos];
        if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
        ++pos;
        m = digits(s, pos, 2);
        if (m < 0 || pos >= s.size() || s[pos] != sep) return std::nullopt;
        ++pos;
        d = digits(s, pos, 2);
        if (d < 0) return std::nullopt;
        // A time after the date (an ISO date-time, or "2023/5/6 0:00"): midnight or any time,
        // the date is what counts.
        if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
            std::size_t t = pos + 1;
            int hh = digits(s, t, 2);
            if (hh < 0 || hh > 23 || t >= s.size() || s[t] != ':') return std::nullopt;
            pos = s.size();
        }
    }
    if (pos != s.size()) return std::nullopt;
    if (!isValidDate(y, m, d)) return std::nullopt;
    return CivilDate{y, m, d};
}

}  // namespace dossier::sheets
