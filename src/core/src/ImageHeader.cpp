#include "dossier/core/ImageHeader.h"

namespace dossier {
namespace {

std::uint32_t be16(std::string_view s, std::size_t at) {
    return (std::uint32_t(static_cast<unsigned char>(s[at])) << 8) |
           std::uint32_t(static_cast<unsigned char>(s[at + 1]));
}

std::uint32_t be32(std::string_view s, std::size_t at) { return (be16(s, at) << 16) | be16(s, at + 2); }

std::optional<ImageHeader> jpeg(std::string_view s) {
    std::size_t p = 2;
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
        if (sof) {
            if (p + 9 > s.size()) return std::nullopt;
            return ImageHeader{MediaType::Jpeg, be16(s, p + 7), be16(s, p + 5)};
        }
        p += 2 + len;
    }
    return std::nullopt;
}

}  // namespace

std::optional<ImageHeader> readImageHeader(std::string_view s) {
    if (s.size() >= 4 && s.substr(0, 3) == "\xFF\xD8\xFF") return jpeg(s);
    if (s.size() >= 24 && s.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8) &&
        s.substr(12, 4) == "IHDR") {
        return ImageHeader{MediaType::Png, be32(s, 16), be32(s, 20)};
    }
    return std::nullopt;
}

}  // namespace dossier
