#include "dossier/core/JsonNumbers.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <system_error>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier {
namespace {

bool isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/// Whether the digits (no sign, no leading zeros) are at most `limit` as integers.
bool atMost(std::string_view digits, std::string_view limit) {
    if (digits.size() != limit.size()) return digits.size() < limit.size();
    return digits <= limit;
}

bool representable(std::string_view number) {
    const bool negative = !number.empty() && number[0] == '-';
    if (number.find_first_of(".eE") == std::string_view::npos) {
        std::string_view digits = number.substr(negative ? 1 : 0);
        while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
        return negative ? atMost(digits, "9223372036854775808")
                        : atMost(digits, "18446744073709551615");
    }
    double value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc::result_out_of_range)
        return true;  // well-formed, or the parser's to refuse
    // Out of range either way: too large (refused) or too small (reads as 0, accepted). The
    // decimal exponent of the first significant digit tells which: ≥ 0 means at least 1.
    std::string_view mantissa = number.substr(negative ? 1 : 0);
    long exponent = 0;
    if (auto e = mantissa.find_first_of("eE"); e != std::string_view::npos) {
        std::string_view text = mantissa.substr(e + 1);
        if (!text.empty() && text[0] == '+') text.remove_prefix(1);
        if (std::from_chars(text.data(), text.data() + text.size(), exponent).ec != std::errc{})
            return !text.empty() && text[0] == '-';  // an exponent beyond a long: ±huge
        mantissa = mantissa.substr(0, e);
    }
    const std::size_t point = mantissa.find('.');
    std::string_view integral = mantissa.substr(0, point);
    while (!integral.empty() && integral[0] == '0') integral.remove_prefix(1);
    long firstDigit = static_cast<long>(integral.size()) - 1;
    if (integral.empty() && point != std::string_view::npos) {
        std::string_view fraction = mantissa.substr(point + 1);
        firstDigit =
            -1 - static_cast<long>(std::min(fraction.find_first_not_of('0'), fraction.size()));
    }
    return exponent + firstDigit < 0;
}

}  // namespace

void requireRepresentableNumbers(std::string_view json) {
    for (std::size_t i = 0; i < json.size();) {
        char c = json[i];
        if (c == '"') {
            for (++i; i < json.size() && json[i] != '"'; ++i) {
                if (json[i] == '\\') ++i;
            }
            ++i;
            continue;
        }
        if (c != '-' && !(c >= '0' && c <= '9')) {
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < json.size() && isNumberChar(json[i])) ++i;
        std::string_view number = json.substr(start, i - start);
        if (!representable(number)) {
            std::string shown(number.substr(0, 40));
            if (number.size() > 40) shown += "…";
            throw Error(codes::kRequestNumberOutOfRange,
                        "The number " + shown + " (at byte " + std::to_string(start) +
                            ") is out of range: integers take at most 64 bits (−2^63 to "
                            "2^64−1), other numbers at most about 1.8e308.");
        }
    }
}

}  // namespace dossier
