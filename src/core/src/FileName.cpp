#include "dossier/core/FileName.h"

#include "dossier/core/Utf8.h"

namespace dossier {
namespace {

bool isDropped(char32_t cp) {
    if (cp < 0x20 || cp == 0x7F) return true;       // C0 controls, DEL
    if (cp >= 0x80 && cp <= 0x9F) return true;      // C1 controls
    if (cp == 0x200E || cp == 0x200F) return true;  // LRM, RLM
    if (cp >= 0x202A && cp <= 0x202E) return true;  // bidi embeddings/overrides
    if (cp >= 0x2066 && cp <= 0x2069) return true;  // bidi isolates
    if (cp == 0xFEFF) return true;                  // BOM / ZWNBSP
    return false;
}

bool isBlank(char32_t cp) { return cp == U' ' || cp == 0x3000 || cp == 0xA0; }

}  // namespace

std::string sanitizeFileName(std::string_view raw) {
    std::u32string name = utf8::decode(raw);
    auto slash = name.find_last_of(U"/\\");
    if (slash != std::u32string::npos) name.erase(0, slash + 1);

    std::u32string kept;
    kept.reserve(name.size());
    for (char32_t cp : name) {
        if (!isDropped(cp)) kept.push_back(cp);
    }
    std::size_t b = 0, e = kept.size();
    while (b < e && isBlank(kept[b])) ++b;
    while (e > b && (isBlank(kept[e - 1]) || kept[e - 1] == U'.')) --e;
    kept = kept.substr(b, e - b);
    if (kept.empty() || kept == U"." || kept == U"..") return {};

    std::string out = utf8::encode(kept);
    if (out.size() <= kMaxFileNameBytes) return out;

    // Too long: keep a short extension and cut the stem on a code-point boundary.
    std::u32string ext;
    auto dot = kept.rfind(U'.');
    if (dot != std::u32string::npos && dot > 0 && kept.size() - dot <= 16) ext = kept.substr(dot);
    std::string extUtf8 = utf8::encode(ext);
    std::string stem;
    for (std::size_t i = 0; i < kept.size() - ext.size(); ++i) {
        std::string cp;
        utf8::append(cp, kept[i]);
        if (stem.size() + cp.size() + extUtf8.size() > kMaxFileNameBytes) break;
        stem += cp;
    }
    return stem + extUtf8;
}

}  // namespace dossier
