#include "dossier/core/FileName.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>

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

/// NFC through ICU (the composition tables are Unicode's, not ours). The input is valid
/// UTF-8 (it comes from utf8::encode); ICU cannot fail on it short of running out of
/// memory, in which case the name is kept as it is rather than refusing the upload.
std::string toNfc(const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return utf8;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
    if (nfc->isNormalized(text, status) && U_SUCCESS(status)) return utf8;
    status = U_ZERO_ERROR;
    icu::UnicodeString composed = nfc->normalize(text, status);
    if (U_FAILURE(status)) return utf8;
    std::string out;
    composed.toUTF8String(out);
    return out;
}

/// Extensions that name a file type (ours or another), replaced rather than kept when the
/// content is of another type. Anything else after a dot ("v2.1", "final") is part of the
/// name, and the right extension is added after it.
constexpr std::array<std::string_view, 30> kFileTypeExtensions{
    "jpg", "jpeg", "jpe",  "jfif", "png", "pdf",  "docx", "xlsx", "zip", "doc",
    "xls", "ppt",  "pptx", "wps",  "et",  "dps",  "ofd",  "txt",  "rtf", "odt",
    "ods", "tif",  "tiff", "gif",  "bmp", "webp", "heic", "heif", "rar", "7z"};

bool namesFileType(std::string_view extensionWithDot) {
    std::string ext(extensionWithDot.substr(1));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(kFileTypeExtensions.begin(), kFileTypeExtensions.end(), ext) !=
           kFileTypeExtensions.end();
}

}  // namespace

std::pair<std::string_view, std::string_view> splitExtension(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return {name, {}};
    return {name.substr(0, dot), name.substr(dot)};
}

std::string fitFileName(std::string_view stem, std::string_view suffix,
                        std::string_view extension) {
    std::size_t tail = suffix.size() + extension.size();
    std::string out;
    if (stem.size() + tail <= kMaxFileNameBytes) {
        out.append(stem);
    } else {
        // Whole code points only: a cut inside a UTF-8 sequence would leave a byte that
        // browsers show as U+FFFD (and PostgreSQL refuses).
        std::u32string points = utf8::decode(stem);
        for (char32_t cp : points) {
            std::string one;
            utf8::append(one, cp);
            if (out.size() + one.size() + tail > kMaxFileNameBytes) break;
            out += one;
        }
    }
    out.append(suffix);
    out.append(extension);
    return out;
}

std::string sanitizeFileName(std::string_view raw) {
    std::u32string name = utf8::decode(raw);
    auto slash = name.find_last_of(U"/\\");
    if (slash != std::u32string::npos) name.erase(0, slash + 1);

    std::u32string kept;
    kept.reserve(name.size());
    for (char32_t cp : name) {
        if (!isDropped(cp)) kept.push_back(cp);
    }
    // After dropping: a combining mark that followed a dropped character composes now.
    kept = utf8::decode(toNfc(utf8::encode(kept)));
    std::size_t b = 0, e = kept.size();
    while (b < e && isBlank(kept[b])) ++b;
    while (e > b && (isBlank(kept[e - 1]) || kept[e - 1] == U'.')) --e;
    kept = kept.substr(b, e - b);
    if (kept.empty() || kept == U"." || kept == U"..") return {};

    std::string out = utf8::encode(kept);
    if (out.size() <= kMaxFileNameBytes) return out;
    // Too long: keep a short extension and cut the stem.
    auto [stem, ext] = splitExtension(out);
    if (ext.size() > 16 || stem.empty()) return fitFileName(out, "", "");
    return fitFileName(stem, "", ext);
}

std::string downloadFileName(std::string_view storedName, MediaType content) {
    std::string_view wanted = extensionOf(content);
    if (wanted.empty()) return std::string(storedName);
    auto [stem, ext] = splitExtension(storedName);
    if (!ext.empty() && typeFromExtension(storedName) == content) return std::string(storedName);
    std::string right = "." + std::string(wanted);
    if (!ext.empty() && namesFileType(ext)) return fitFileName(stem, "", right);
    return fitFileName(storedName, "", right);
}

}  // namespace dossier
