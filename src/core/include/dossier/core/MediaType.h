#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dossier {

/// The file types Dossier recognises from their bytes.
enum class MediaType { Jpeg, Png, Pdf, Docx, Xlsx, Zip, Unknown };

/// IANA media type, e.g. "image/jpeg".
std::string_view mimeOf(MediaType type);
/// Short name for messages, e.g. "JPEG".
std::string_view displayNameOf(MediaType type);
/// Canonical file extension without the dot ("jpg"), empty for Unknown.
std::string_view extensionOf(MediaType type);
/// The type a file-name extension claims, if it is one we know ("JPEG" for ".jpeg").
std::optional<MediaType> typeFromExtension(std::string_view fileName);
/// The type a declared Content-Type claims, if specific (octet-stream claims nothing).
std::optional<MediaType> typeFromMime(std::string_view mime);
/// Inverse of mimeOf for stored rows.
MediaType mediaTypeFromMime(std::string_view mime);

}  // namespace dossier
