#include "dossier/core/JsonNumbers.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

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

void refuseUnrepresentable(std::string_view number, std::size_t start) {
    if (representable(number)) return;
    std::string shown(number.substr(0, 40));
    if (number.size() > 40) shown += "…";
    throw Error(codes::kRequestNumberOutOfRange,
                "The number " + shown + " (at byte " + std::to_string(start) +
                    ") is out of range: integers take at most 64 bits (−2^63 to "
                    "2^64−1), other numbers at most about 1.8e308.");
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::optional<unsigned> hex4(std::string_view json, std::size_t at) {
    if (at + 4 > json.size()) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(json.data() + at, json.data() + at + 4, value, 16);
    if (ec != std::errc{} || end != json.data() + at + 4) return std::nullopt;
    return value;
}

/// Reads the string starting at json[i] == '"' with its escapes; moves i past it. nullopt
/// for a string the parser will refuse anyway.
std::optional<std::string> readString(std::string_view json, std::size_t& i) {
    std::string out;
    for (++i; i < json.size(); ++i) {
        char c = json[i];
        if (c == '"') {
            ++i;
            return out;
        }
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= json.size()) return std::nullopt;
        switch (json[i]) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                auto unit = hex4(json, i + 1);
                if (!unit) return std::nullopt;
                i += 4;
                char32_t c32 = *unit;
                if (c32 >= 0xD800 && c32 < 0xDC00 && i + 2 < json.size() && json[i + 1] == '\\' &&
                    json[i + 2] == 'u') {
                    auto low = hex4(json, i + 3);
                    if (low && *low >= 0xDC00 && *low < 0xE000) {
                        c32 = 0x10000 + ((c32 - 0xD800) << 10) + (*low - 0xDC00);
                        i += 6;
                    }
                }
                appendUtf8(out, c32);
                break;
            }
            default:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

/// An object or list being read: its members so far (objects), the member being read, or
/// how many elements have started (lists).
struct Frame {
    bool object = false;
    std::set<std::string> keys;
    std::string key;
    std::size_t count = 0;
};

std::string pathOf(const std::vector<Frame>& frames) {
    std::string path;
    for (const auto& f : frames) {
        if (f.object) {
            if (!path.empty()) path += '.';
            path += f.key;
        } else {
            path += "[" + std::to_string(f.count - 1) + "]";
        }
    }
    return path;
}

}  // namespace

JsonNumberTexts inspectJsonBody(std::string_view json) {
    JsonNumberTexts numbers;
    std::vector<Frame> frames;
    bool expectKey = false;  // after '{' or a ',' inside an object
    // A value starts: in a list, it is the next element.
    auto valueStarts = [&frames] {
        if (!frames.empty() && !frames.back().object) ++frames.back().count;
    };
    for (std::size_t i = 0; i < json.size();) {
        char c = json[i];
        switch (c) {
            case ' ':
            case '\t':
            case '\n':
            case '\r':
            case ':':
                ++i;
                continue;
            case '{':
            case '[':
                valueStarts();
                frames.push_back(Frame{c == '{', {}, {}, 0});
                expectKey = c == '{';
                ++i;
                continue;
            case '}':
            case ']':
                if (frames.empty()) return numbers;
                frames.pop_back();
                expectKey = false;
                ++i;
                continue;
            case ',':
                expectKey = !frames.empty() && frames.back().object;
                ++i;
                continue;
            case '"': {
                std::size_t start = i;
                auto text = readString(json, i);
                if (!text) return numbers;
                if (expectKey && !frames.empty() && frames.back().object) {
                    Frame& f = frames.back();
                    if (!f.keys.insert(*text).second) {
                        std::string where =
                            pathOf(std::vector<Frame>(frames.begin(), frames.end() - 1));
                        std::string shown = text->size() > 40 ? text->substr(0, 40) + "…" : *text;
                        throw Error(codes::kRequestMalformed,
                                    "The key \"" + shown + "\" appears twice in " +
                                        (where.empty() ? std::string("the body") : where) +
                                        " (at byte " + std::to_string(start) +
                                        "): each member may be given once.");
                    }
                    f.key = std::move(*text);
                    expectKey = false;
                } else {
                    valueStarts();
                }
                continue;
            }
            default:
                break;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t start = i;
            while (i < json.size() && isNumberChar(json[i])) ++i;
            std::string_view number = json.substr(start, i - start);
            refuseUnrepresentable(number, start);
            valueStarts();
            numbers.insert_or_assign(pathOf(frames), std::string(number));
            continue;
        }
        if (c >= 'a' && c <= 'z') {  // true, false, null
            while (i < json.size() && json[i] >= 'a' && json[i] <= 'z') ++i;
            valueStarts();
            continue;
        }
        return numbers;  // not JSON: the parser says so
    }
    return numbers;
}

std::int64_t decimalPlaces(std::string_view literal) {
    constexpr std::int64_t kHuge = 1'000'000'000'000'000;
    std::string_view s = literal;
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
    std::size_t e = s.find_first_of("eE");
    std::string_view mantissa = s.substr(0, e);
    std::int64_t exponent = 0;
    if (e != std::string_view::npos) {
        std::string_view text = s.substr(e + 1);
        bool negative = false;
        if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
            negative = text[0] == '-';
            text.remove_prefix(1);
        }
        if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
            return -1;
        while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
        if (text.size() > 15) {
            exponent = kHuge;
        } else {
            std::from_chars(text.data(), text.data() + text.size(), exponent);
        }
        if (negative) exponent = -exponent;
    }
    std::size_t point = mantissa.find('.');
    std::string_view integral = mantissa.substr(0, point);
    std::string_view fraction =
        point == std::string_view::npos ? std::string_view{} : mantissa.substr(point + 1);
    auto digits = [](std::string_view t) {
        return !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (!digits(integral) || (point != std::string_view::npos && !digits(fraction))) return -1;
    // value = (integral fraction as one integer) × 10^(exponent − |fraction|)
    std::string all = std::string(integral) + std::string(fraction);
    if (all.find_first_not_of('0') == std::string::npos) return 0;
    std::int64_t scale = static_cast<std::int64_t>(fraction.size()) - exponent;
    while (!all.empty() && all.back() == '0') {
        all.pop_back();
        --scale;
    }
    return std::max<std::int64_t>(scale, 0);
}

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
        refuseUnrepresentable(json.substr(start, i - start), start);
    }
}

}  // namespace dossier
