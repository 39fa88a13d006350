#include "dossier/core/MediaType.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace dossier {
namespace {

struct TypeInfo {
    MediaType type;
    std::string_view mime;
    std::string_view display;
    std::string_view extension;
};

constexpr std::array<TypeInfo, 7> kTypes{{
    {MediaType::Jpeg, "image/jpeg", "JPEG", "jpg"},
    {MediaType::Png, "image/png", "PNG", "png"},
    {MediaType::Pdf, "application/pdf", "PDF", "pdf"},
    {MediaType::Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "DOCX", "docx"},
    {MediaType::Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX",
     "xlsx"},
    {MediaType::Zip, "application/zip", "ZIP", "zip"},
    {MediaType::Unknown, "application/octet-stream", "unrecognised", ""},
}};

const TypeInfo& infoOf(MediaType type) {
    for (const auto& info : kTypes) {
        if (info.type == type) return info;
    }
    return kTypes.back();
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::string_view mimeOf(MediaType type) { return infoOf(type).mime; }
std::string_view displayNameOf(MediaType type) { return infoOf(type).display; }
std::string_view extensionOf(MediaType type) { return infoOf(type).extension; }

std::optional<MediaType> typeFromExtension(std::string_view fileName) {
    auto dot = fileName.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    std::string ext = lower(fileName.substr(dot + 1));
    if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif") return MediaType::Jpeg;
    if (ext == "png") return MediaType::Png;
    if (ext == "pdf") return MediaType::Pdf;
    if (ext == "docx") return MediaType::Docx;
    if (ext == "xlsx") return MediaType::Xlsx;
    if (ext == "zip") return MediaType::Zip;
    return std::nullopt;
}

std::optional<MediaType> typeFromMime(std::string_view mime) {
    std::string m = lower(mime.substr(0, mime.find(';')));
    while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.pop_back();
    if (m == "image/jpeg" || m == "image/jpg" || m == "image/pjpeg") return MediaType::Jpeg;
    if (m == "image/png") return MediaType::Png;
    if (m == "application/pdf") return MediaType::Pdf;
    for (const auto& info : kTypes) {
        if (info.type != MediaType::Unknown && m == info.mime) return info.type;
    }
    return std::nullopt;
}

MediaType mediaTypeFromMime(std::string_view mime) {
    for (const auto& info : kTypes) {
        if (mime == info.mime) return info.type;
    }
    return MediaType::Unknown;
}

}  // namespace dossier
