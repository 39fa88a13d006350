#include "dossier/core/OrganizationName.h"

namespace dossier::organization_name {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
constexpr std::string_view kFullWidthOpen = "\xEF\xBC\x88";   // （ U+FF08
constexpr std::string_view kFullWidthClose = "\xEF\xBC\x89";  // ） U+FF09

/// The width of the blank that starts at `at`, or 0.
std::size_t blankAt(std::string_view s, std::size_t at) {
    if (s[at] == ' ' || s[at] == '\t') return 1;
    if (s.substr(at, 3) == kIdeographicSpace) return 3;
    return 0;
}

/// The width of the blank that ends at `end` (exclusive), or 0.
std::size_t blankBefore(std::string_view s, std::size_t end) {
    if (s[end - 1] == ' ' || s[end - 1] == '\t') return 1;
    if (end >= 3 && s.substr(end - 3, 3) == kIdeographicSpace) return 3;
    return 0;
}

}  // namespace

std::string trim(std::string_view name) {
    std::size_t begin = 0, end = name.size();
    while (begin < end) {
        std::size_t w = blankAt(name, begin);
        if (w == 0) break;
        begin += w;
    }
    while (end > begin) {
        std::size_t w = blankBefore(name, end);
        if (w == 0 || end - w < begin) break;
        end -= w;
    }
    return std::string(name.substr(begin, end - begin));
}

std::string key(std::string_view name) {
    std::string trimmed = trim(name), out;
    out.reserve(trimmed.size());
    std::string_view s = trimmed;
    for (std::size_t i = 0; i < s.size();) {
        if (s.substr(i, 3) == kFullWidthOpen) {
            out += '(';
            i += 3;
        } else if (s.substr(i, 3) == kFullWidthClose) {
            out += ')';
            i += 3;
        } else {
            out += s[i++];
        }
    }
    return out;
}

}  // namespace dossier::organization_name
