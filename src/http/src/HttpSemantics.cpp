#include "dossier/http/HttpSemantics.h"

#include <cctype>
#include <charconv>

#include "dossier/core/Utf8.h"

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
    // The fallback: attr-chars kept, every run of anything else (non-ASCII included) one '_'.
    std::string fallback;
    for (unsigned char c : utf8Name) {
        if (c < 0x80 && isAttrChar(c)) {
            fallback += static_cast<char>(c);
        } else if (c >= 0x80 && (c & 0xC0) == 0x80) {
            continue;  // continuation byte of a sequence already replaced
        } else if (fallback.empty() || fallback.back() != '_') {
            fallback += '_';
        }
    }
    auto dot = fallback.rfind('.');
    std::string ext = dot == std::string::npos ? std::string() : fallback.substr(dot);
    std::string stem = fallback.substr(0, fallback.size() - ext.size());
    // No leading '-' either: a client that saves under the fallback (curl -OJ) would write a
    // file that every command line then reads as an option (领跑者证书-LP2026-… gave
    // "-LP2026-….pdf"); nor a '-' or '_' left dangling before the extension.
    auto edge = [](char c) { return c == '_' || c == '.' || c == '-'; };
    while (!stem.empty() && edge(stem.front())) stem.erase(0, 1);
    while (!stem.empty() && (stem.back() == '_' || stem.back() == '-')) stem.pop_back();
    if (ext == "." || ext == "._") ext.clear();
    fallback = (stem.empty() ? "download" : stem) + ext;

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

namespace {

/// RFC 8187 ext-value → UTF-8, or the reason it is not one (for the client).
std::string decodeExtValueOrWhy(std::string_view value, std::string& why) {
    auto q1 = value.find('\'');
    auto q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) {
        why = "The file name (filename*) must have the form UTF-8''<percent-encoded name>.";
        return {};
    }
    std::string charset(value.substr(0, q1));
    for (auto& c : charset) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (charset != "utf-8") {
        // The charset is echoed only if it looks like one: the message goes back as JSON.
        std::string_view sent = value.substr(0, q1);
        bool plain = !sent.empty() && sent.size() <= 40;
        for (unsigned char c : sent) plain = plain && (std::isalnum(c) || c == '-' || c == '_');
        why = "The file name (filename*) is in charset " +
              (plain ? "'" + std::string(sent) + "'" : std::string("other than UTF-8")) +
              "; only UTF-8 names are accepted (UTF-8''<percent-encoded name>).";
        return {};
    }
    std::string out;
    std::string_view enc = value.substr(q2 + 1);
    for (std::size_t i = 0; i < enc.size(); ++i) {
        auto c = static_cast<unsigned char>(enc[i]);
        if (c == '%') {
            int hi = i + 2 < enc.size() ? hexValue(enc[i + 1]) : -1;
            int lo = i + 2 < enc.size() ? hexValue(enc[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                why = "The file name (filename*) has a broken percent-encoding at character " +
                      std::to_string(q2 + 2 + i) + ": every % must be followed by two hex digits.";
                return {};
            }
            out += static_cast<char>((hi << 4) | lo);
            i += 2;
        } else if (isAttrChar(c)) {
            out += static_cast<char>(c);
        } else {
            why =
                "The file name (filename*) must be percent-encoded: characters other than "
                "letters, digits and !#$&+-.^_`|~ are sent as %XX.";
            return {};
        }
    }
    if (!utf8::isValid(out)) {
        why = "The file name (filename*) does not decode to valid UTF-8.";
        return {};
    }
    return out;
}

/// WHATWG HTML's multipart encoding of '"', CR and LF in a file name, undone.
std::string undoBrowserEscapes(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
            int v = hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
            if (v == '"' || v == '\r' || v == '\n') {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace

std::optional<std::string> decodeExtValue(std::string_view value) {
    std::string why;
    std::string out = decodeExtValueOrWhy(value, why);
    if (!why.empty()) return std::nullopt;
    return out;
}

PartFileName partFileName(std::string_view value) {
    std::optional<std::string> plain, extended;
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
            // Literal up to the closing quote; only \" is an escape (see the header).
            std::size_t k = v + 1;
            for (; k < value.size() && value[k] != '"'; ++k) {
                if (value[k] == '\\' && k + 1 < value.size() && value[k + 1] == '"') {
                    text += '"';
                    ++k;
                } else {
                    text += value[k];
                }
            }
            i = value.find(';', k);
        } else {
            auto semi = value.find(';', v);
            text = std::string(trim(
                value.substr(v, semi == std::string_view::npos ? value.size() - v : semi - v)));
            i = semi;
        }
        if (name == "filename") plain = undoBrowserEscapes(text);
        if (name == "filename*") extended = text;
    }
    PartFileName out;
    if (extended) {
        out.name = decodeExtValueOrWhy(*extended, out.problem);
        out.status =
            out.problem.empty() ? PartFileName::Status::Present : PartFileName::Status::Invalid;
        return out;
    }
    if (plain) {
        out.status = PartFileName::Status::Present;
        out.name = *plain;
    }
    return out;
}

bool isAcceptableRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (unsigned char c : id) {
        if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-')) return false;
    }
    return true;
}

}  // namespace dossier::http
