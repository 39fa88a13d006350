#include "dossier/core/LogValue.h"

#include <cstdio>

#include "dossier/core/Utf8.h"

namespace dossier {
namespace {

/// Length of the well-formed UTF-8 sequence at `i`, or 0 when the byte there starts none.
std::size_t sequenceLength(std::string_view s, std::size_t i) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80                 ? 1
                      : b >= 0xC2 && b <= 0xDF ? 2
                      : b >= 0xE0 && b <= 0xEF ? 3
                      : b >= 0xF0 && b <= 0xF4 ? 4
                                               : 0;
    if (len == 0 || i + len > s.size()) return 0;
    return utf8::isValid(s.substr(i, len)) ? len : 0;
}

bool mustEscape(char32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

/// One character (or one stray byte) of `value` as the log writes it.
std::string escaped(std::string_view value, std::size_t i, std::size_t len) {
    char buf[16];
    if (len == 0) {
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(value[i]));
        return buf;
    }
    char32_t cp = utf8::decode(value.substr(i, len))[0];
    if (cp == '\\') return "\\\\";
    if (cp == '"') return "\\\"";
    if (cp == '\n') return "\\n";
    if (cp == '\r') return "\\r";
    if (cp == '\t') return "\\t";
    if (mustEscape(cp)) {
        std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
        return buf;
    }
    return std::string(value.substr(i, len));
}

}  // namespace

std::string logValue(std::string_view value, std::size_t cap) {
    std::string body;
    bool quote = value.empty();
    bool cut = false;
    for (std::size_t i = 0; i < value.size();) {
        std::size_t len = sequenceLength(value, i);
        char c = value[i];
        if (c == ' ' || c == '"' || c == '=') quote = true;
        std::string piece = escaped(value, i, len);
        if (body.size() + piece.size() > cap) {
            cut = true;
            break;
        }
        body += piece;
        i += len == 0 ? 1 : len;
    }
    if (cut) {
        body += "…(cut, " + std::to_string(value.size()) + " bytes)";
        quote = true;
    }
    return quote ? "\"" + body + "\"" : body;
}

std::string logField(std::string_view key, std::string_view value, std::size_t cap) {
    std::string out = " ";
    out += key;
    out += '=';
    out += logValue(value, cap);
    return out;
}

}  // namespace dossier
