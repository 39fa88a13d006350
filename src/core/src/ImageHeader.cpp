#include "dossier/core/ImageHeader.h"

namespace dossier {
namespace {

std::uint32_t be16(std::string_view s, std::size_t at) {
    return (std::uint32_t(static_cast<unsigned char>(s[at])) << 8) |
           std::uint32_t(static_cast<unsigned char>(s[at + 1]));
}

std::uint32_t be32(std::string_view s, std::size_t at) {
    return (be16(s, at) << 16) | be16(s, at + 2);
}

std::uint32_t le16(std::string_view s, std::size_t at) {
    return std::uint32_t(static_cast<unsigned char>(s[at])) |
           (std::uint32_t(static_cast<unsigned char>(s[at + 1])) << 8);
}

/// Orientation tag (0x0112) of IFD0 in an APP1 "Exif\0\0" segment body; 1 if absent.
int exifOrientation(std::string_view app1) {
    if (app1.size() < 14 || app1.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 1;
    std::string_view tiff = app1.substr(6);
    bool little = tiff.substr(0, 2) == "II";
    if (!little && tiff.substr(0, 2) != "MM") return 1;
    auto u16 = [&](std::size_t at) { return little ? le16(tiff, at) : be16(tiff, at); };
    auto u32 = [&](std::size_t at) {
        return little ? (le16(tiff, at) | (le16(tiff, at + 2) << 16)) : be32(tiff, at);
    };
    std::size_t ifd = u32(4);
    if (ifd + 2 > tiff.size()) return 1;
    std::uint32_t count = u16(ifd);
    for (std::uint32_t i = 0; i < count; ++i) {
        std::size_t e = ifd + 2 + i * 12;
        if (e + 12 > tiff.size()) return 1;
        if (u16(e) == 0x0112) {
            std::uint32_t v = u16(e + 8);
            return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
        }
    }
    return 1;
}

std::optional<ImageHeader> jpeg(std::string_view s) {
    std::size_t p = 2;
    int orientation = 1;
    while (p + 4 <= s.size()) {
        if (static_cast<unsigned char>(s[p]) != 0xFF) return std::nullopt;
        auto m = static_cast<unsigned char>(s[p + 1]);
        if (m == 0xFF) {
            ++p;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            p += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA) return std::nullopt;  // no frame header before the scan
        std::uint32_t len = be16(s, p + 2);
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (m == 0xE1 && p + 2 + len <= s.size() && len > 2) {
            int o = exifOrientation(s.substr(p + 4, len - 2));
            if (o != 1) orientation = o;
        }
        if (sof) {
            if (p + 9 > s.size()) return std::nullopt;
            return ImageHeader{MediaType::Jpeg, be16(s, p + 7), be16(s, p + 5), orientation};
        }
        p += 2 + len;
    }
    return std::nullopt;
}

}  // namespace

int ImageHeader::uprightQuarterTurns() const {
    switch (orientation) {
        case 3:
        case 4:
            return 2;
        case 5:
        case 6:
            return 1;
        case 7:
        case 8:
            return 3;
        default:
            return 0;
    }
}

std::optional<ImageHeader> readImageHeader(std::string_view s) {
    if (s.size() >= 4 && s.substr(0, 3) == "\xFF\xD8\xFF") return jpeg(s);
    if (s.size() >= 24 && s.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8) &&
        s.substr(12, 4) == "IHDR") {
        return ImageHeader{MediaType::Png, be32(s, 16), be32(s, 20), 1};
    }
    return std::nullopt;
}

}  // namespace dossier
