#include "dossier/http/HttpSemantics.h"

#include <cctype>
#include <charconv>

namespace dossier::http {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> parseNumber(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool isAttrChar(unsigned char c) {
    // RFC 8187 attr-char
    return std::isalnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '+' ||
           c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

RangeRequest parseRange(std::string_view header, std::uint64_t size) {
    RangeRequest out;
    header = trim(header);
    constexpr std::string_view kUnit = "bytes=";
    if (header.size() <= kUnit.size()) return out;
    for (std::size_t i = 0; i < kUnit.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header[i])) != kUnit[i]) return out;
    }
    std::string_view spec = trim(header.substr(kUnit.size()));
    if (spec.find(',') != std::string_view::npos) return out;  // multipart/byteranges: ignore
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return out;
    std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
    if (a.empty()) {
        auto suffix = parseNumber(b);
        if (!suffix) return out;
        if (*suffix == 0 || size == 0) {
            out.outcome = RangeOutcome::Unsatisfiable;
            return out;
        }
        std::uint64_t n = std::min(*suffix, size);
        out.outcome = RangeOutcome::Satisfiable;
        out.range = {size - n, size - 1};
        return out;
    }
    auto first = parseNumber(a);
    if (!first) return out;
    std::uint64_t last = size == 0 ? 0 : size - 1;
    if (!b.empty()) {
        auto l = parseNumber(b);
        if (!l || *l < *first) return out;  // invalid range-spec: ignore the header
        last = std::min(*l, last);
    }
    if (*first >= size) {
        out.outcome = RangeOutcome::Unsatisfiable;
        return out;
    }
    out.outcome = RangeOutcome::Satisfiable;
    out.range = {*first, last};
    return out;
}

bool ifNoneMatchMatches(std::string_view header, std::string_view etag) {
    header = trim(header);
    if (header == "*") return true;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view tag = trim(header.substr(0, comma));
        if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        if (tag == etag) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

std::string contentDisposition(std::string_view disposition, std::string_view utf8Name) {
    std::string fallback;
    for (unsigned char c : utf8Name) {
        if (c >= 0x80) {
            // One '_' per UTF-8 sequence, not per byte.
            if ((c & 0xC0) != 0x80) fallback += '_';
        } else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '%' || c == '/') {
            fallback += '_';
        } else {
            fallback += static_cast<char>(c);
        }
    }
    if (fallback.empty()) fallback = "download";
    std::string encoded;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : utf8Name) {
        if (isAttrChar(c)) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    std::string out(disposition);
    out += "; filename=\"" + fallback + "\"";
    if (!utf8Name.empty()) out += "; filename*=UTF-8''" + encoded;
    return out;
}

std::optional<std::string> decodeExtValue(std::string_view value) {
    auto q1 = value.find('\'');
    if (q1 == std::string_view::npos) return std::nullopt;
    auto q2 = value.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return std::nullopt;
    std::string charset(value.substr(0, q1));
    for (auto& c : charset) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (charset != "utf-8") return std::nullopt;
    std::string out;
    std::string_view enc = value.substr(q2 + 1);
    for (std::size_t i = 0; i < enc.size(); ++i) {
        if (enc[i] == '%') {
            if (i + 2 >= enc.size()) return std::nullopt;
            int hi = hexValue(enc[i + 1]), lo = hexValue(enc[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>((hi << 4) | lo);
            i += 2;
        } else {
            out += enc[i];
        }
    }
    return out;
}

std::string dispositionFileName(std::string_view value) {
    std::string plain;
    std::optional<std::string> extended;
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
        auto eq = value.find('=', i);
        if (eq == std::string_view::npos) break;
        std::string name(trim(value.substr(i, eq - i)));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t v = eq + 1;
        while (v < value.size() && value[v] == ' ') ++v;
        std::string text;
        if (v < value.size() && value[v] == '"') {
            auto close = value.find('"', v + 1);
            if (close == std::string_view::npos) close = value.size();
            text = std::string(value.substr(v + 1, close - v - 1));
            i = value.find(';', close);
        } else {
            auto semi = value.find(';', v);
            text = std::string(trim(
                value.substr(v, semi == std::string_view::npos ? value.size() - v : semi - v)));
            i = semi;
        }
        if (name == "filename") plain = text;
        if (name == "filename*") extended = decodeExtValue(text);
    }
    return extended ? *extended : plain;
}

bool isAcceptableRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (unsigned char c : id) {
        if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-')) return false;
    }
    return true;
}

}  // namespace dossier::http
