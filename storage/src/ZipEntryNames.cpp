#include "dossier/storage/ZipEntryNames.h"

#include <vector>

#include "dossier/core/FileName.h"
#include "dossier/core/Utf8.h"

namespace dossier::storage {
namespace {

bool isWindowsReserved(char32_t c) {
    return c == U'<' || c == U'>' || c == U':' || c == U'"' || c == U'|' || c == U'?' || c == U'*';
}

/// One component made into a name: what sanitizeFileName (core) keeps of it — NFC,
/// controls dropped, trimmed, cut to 255 bytes — after the characters no text of Dossier
/// takes are dropped and those Windows refuses replaced.
std::string cleanComponent(std::u32string_view part) {
    std::u32string kept;
    kept.reserve(part.size());
    for (char32_t c : part) {
        if (c < 0x20 || utf8::isRefusedInText(c)) continue;
        kept.push_back(isWindowsReserved(c) ? U'_' : c);
    }
    return sanitizeFileName(utf8::encode(kept));
}

}  // namespace

std::string ZipEntryNames::safeName(std::string_view raw) {
    std::u32string text = utf8::decode(raw);
    std::vector<std::u32string_view> parts;
    std::u32string_view rest = text;
    while (true) {
        auto cut = rest.find_first_of(U"/\\");
        parts.push_back(rest.substr(0, cut));
        if (cut == std::u32string_view::npos) break;
        rest.remove_prefix(cut + 1);
    }
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        std::u32string_view part = *it;
        // A drive ("C:", or "C:name", relative to that drive's current directory).
        if (part.size() >= 2 && part[1] == U':' &&
            ((part[0] >= U'A' && part[0] <= U'Z') || (part[0] >= U'a' && part[0] <= U'z'))) {
            part.remove_prefix(2);
        }
        std::string name = cleanComponent(part);
        if (!name.empty() && name != "." && name != "..") return name;
    }
    return {};
}

std::string ZipEntryNames::clashKey(std::string_view name) {
    std::string key(name);
    for (char& c : key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
}

void ZipEntryNames::reserve(std::string_view name) { taken_.insert(clashKey(name)); }

std::string ZipEntryNames::assign(std::string_view raw, std::string_view fallback) {
    std::string name = safeName(raw);
    if (name.empty()) name = std::string(fallback);
    if (taken_.insert(clashKey(name)).second) return name;
    auto [stem, extension] = splitExtension(name);
    for (unsigned n = 2;; ++n) {
        std::string candidate = fitFileName(stem, "（" + std::to_string(n) + "）", extension);
        if (taken_.insert(clashKey(candidate)).second) return candidate;
    }
}

}  // namespace dossier::storage
