#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "dossier/core/MediaType.h"

namespace dossier {

/// Longest file name served or stored, in bytes of UTF-8: what most file systems allow.
inline constexpr std::size_t kMaxFileNameBytes = 255;

/// Makes a client-supplied file name safe to keep as metadata (never as a path): drops any
/// directory part (`/` and `\`), control and bidi-override characters, repairs malformed
/// UTF-8, normalizes to NFC (macOS and some phones send decomposed accents: "e" + U+0301),
/// trims blanks, and cuts to 255 bytes on a code-point boundary keeping the extension.
/// Returns "" when nothing usable is left ("..", "", "///").
std::string sanitizeFileName(std::string_view raw);

/// `stem + suffix + extension` (extension with its dot, or empty), the stem cut on a
/// code-point boundary as far as needed for the whole to fit kMaxFileNameBytes. Suffix and
/// extension are kept whole; both are expected to be short.
std::string fitFileName(std::string_view stem, std::string_view suffix, std::string_view extension);

/// The name a download of content of type `content` is saved under, given the stored
/// (sanitized) name: the name itself when its extension already says that type (".jpeg"
/// and ".JPG" both say JPEG); otherwise the name with the extension of the content in place
/// of one naming another file type (营业执照.png holding a JPEG → 营业执照.jpg, 总结.doc
/// holding a DOCX → 总结.docx), or added when there is none (scan → scan.jpg; 报告v2.1 →
/// 报告v2.1.pdf). At most kMaxFileNameBytes.
std::string downloadFileName(std::string_view storedName, MediaType content);

/// The stem and the extension (with its dot; "" if none) of a file name: "a.b.pdf" →
/// {"a.b", ".pdf"}; ".pdf" → {"", ".pdf"}.
std::pair<std::string_view, std::string_view> splitExtension(std::string_view name);

}  // namespace dossier
