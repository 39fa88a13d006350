#include "dossier/evidence/TypeSniffer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

namespace dossier::evidence {
namespace {

constexpr std::size_t kChunk = 1 << 16;

std::vector<unsigned char> readRange(const ByteSource& src, std::uint64_t offset, std::size_t n) {
    std::vector<unsigned char> buf(n);
    buf.resize(src.readAt(offset, buf.data(), n));
    return buf;
}

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           p[3];
}
std::uint16_t le16(const unsigned char* p) { return std::uint16_t(p[0] | (p[1] << 8)); }
std::uint32_t le32(const unsigned char* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
std::uint64_t le64(const unsigned char* p) {
    return std::uint64_t(le32(p)) | (std::uint64_t(le32(p + 4)) << 32);
}

SniffResult result(MediaType type, Integrity integrity = Integrity::Intact, std::string note = {}) {
    return SniffResult{type, integrity, std::move(note)};
}

/// Sequential buffered reads over a ByteSource.
class Cursor {
  public:
    explicit Cursor(const ByteSource& src, std::uint64_t pos) : src_(src), pos_(pos) {}

    /// Next byte, or -1 at the end.
    int get() {
        if (at_ == buf_.size() && !refill()) return -1;
        return buf_[at_++];
    }
    bool skip(std::uint64_t n) {
        std::uint64_t inBuf = buf_.size() - at_;
        if (n <= inBuf) {
            at_ += n;
            return true;
        }
        pos_ += buf_.size() + (n - inBuf);
        buf_.clear();
        at_ = 0;
        return pos_ <= src_.size();
    }
    /// Advances to the next 0xFF byte and consumes it; false at the end.
    bool seekFF() {
        for (;;) {
            if (at_ == buf_.size() && !refill()) return false;
            auto* p = static_cast<const unsigned char*>(
                std::memchr(buf_.data() + at_, 0xFF, buf_.size() - at_));
            if (p != nullptr) {
                at_ = static_cast<std::size_t>(p - buf_.data()) + 1;
                return true;
            }
            at_ = buf_.size();
        }
    }

  private:
    bool refill() {
        pos_ += buf_.size();
        buf_.resize(kChunk);
        buf_.resize(src_.readAt(pos_, buf_.data(), kChunk));
        at_ = 0;
        return !buf_.empty();
    }

    const ByteSource& src_;
    std::uint64_t pos_;  // file offset of buf_[0]
    std::vector<unsigned char> buf_;
    std::size_t at_ = 0;
};

SniffResult sniffJpeg(const ByteSource& src) {
    Cursor c(src, 2);  // after SOI
    auto truncated = [] {
        return result(MediaType::Jpeg, Integrity::Truncated,
                      "The JPEG file ends before its end marker.");
    };
    auto corrupt = [] {
        return result(MediaType::Jpeg, Integrity::Corrupt, "The JPEG file's structure is damaged.");
    };
    int marker = -1;
    for (;;) {
        if (marker < 0) {
            int b = c.get();
            if (b < 0) return truncated();
            if (b != 0xFF) return corrupt();
            do {
                marker = c.get();
            } while (marker == 0xFF);
            if (marker < 0) return truncated();
        }
        int m = marker;
        marker = -1;
        if (m == 0xD9) return result(MediaType::Jpeg);
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;
        if (m == 0x00 || m == 0xD8) return corrupt();
        int hi = c.get(), lo = c.get();
        if (lo < 0) return truncated();
        int len = (hi << 8) | lo;
        if (len < 2) return corrupt();
        if (!c.skip(static_cast<std::uint64_t>(len - 2))) return truncated();
        if (m != 0xDA) continue;
        // Entropy-coded data: runs until a marker other than stuffing (FF00) or RSTn.
        for (;;) {
            if (!c.seekFF()) return truncated();
            int b = c.get();
            while (b == 0xFF) b = c.get();
            if (b < 0) return truncated();
            if (b == 0x00 || (b >= 0xD0 && b <= 0xD7)) continue;
            marker = b;
            break;
        }
    }
}

SniffResult sniffPng(const ByteSource& src) {
    const std::uint64_t size = src.size();
    std::uint64_t pos = 8;
    bool first = true;
    for (;;) {
        auto head = readRange(src, pos, 8);
        if (head.size() < 8) {
            return result(MediaType::Png, Integrity::Truncated,
                          "The PNG file ends before its IEND chunk.");
        }
        std::uint32_t len = be32(head.data());
        std::string_view type(reinterpret_cast<const char*>(head.data() + 4), 4);
        if (len > 0x7FFFFFFFu || (first && (type != "IHDR" || len != 13))) {
            return result(MediaType::Png, Integrity::Corrupt,
                          "The PNG file's structure is damaged.");
        }
        first = false;
        std::uint64_t next = pos + 12 + len;
        if (next > size) {
            return result(MediaType::Png, Integrity::Truncated,
                          "The PNG file ends before its IEND chunk.");
        }
        if (type == "IEND") return result(MediaType::Png);
        pos = next;
    }
}

SniffResult sniffPdf(const ByteSource& src) {
    std::uint64_t size = src.size();
    std::size_t tailLen = static_cast<std::size_t>(std::min<std::uint64_t>(size, 2048));
    auto tail = readRange(src, size - tailLen, tailLen);
    std::string_view t(reinterpret_cast<const char*>(tail.data()), tail.size());
    if (t.find("%%EOF") == std::string_view::npos) {
        return result(MediaType::Pdf, Integrity::Truncated,
                      "The PDF file has no end-of-file marker (%%EOF).");
    }
    return result(MediaType::Pdf);
}

struct ZipEntry {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t localHeaderOffset = 0;
};

constexpr std::uint64_t kMaxCentralDirectory = 16u << 20;
constexpr std::size_t kMaxContentTypes = 1u << 20;

/// Inflates (or copies) one small entry, stopping at `cap` bytes; empty on any problem.
std::string readSmallEntry(const ByteSource& src, const ZipEntry& e, std::size_t cap) {
    if ((e.flags & 1) != 0 || (e.method != 0 && e.method != 8)) return {};
    if (e.compressedSize > cap) return {};
    auto lh = readRange(src, e.localHeaderOffset, 30);
    if (lh.size() < 30 || le32(lh.data()) != 0x04034b50) return {};
    std::uint64_t data = e.localHeaderOffset + 30 + le16(lh.data() + 26) + le16(lh.data() + 28);
    auto raw = readRange(src, data, static_cast<std::size_t>(e.compressedSize));
    if (raw.size() != e.compressedSize) return {};
    std::string compressed(raw.begin(), raw.end());
    if (e.method == 0) return compressed;
    // Raw deflate, output capped: a bomb stops at `cap` bytes.
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return {};
    std::string out(cap, '\0');
    z.next_in = reinterpret_cast<Bytef*>(compressed.data());
    z.avail_in = static_cast<uInt>(compressed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_FINISH);
    std::size_t produced = out.size() - z.avail_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END && rc != Z_BUF_ERROR && rc != Z_OK) return {};
    out.resize(produced);
    return out;
}

SniffResult sniffZip(const ByteSource& src) {
    const std::uint64_t size = src.size();
    auto truncated = [] {
        return result(MediaType::Zip, Integrity::Truncated,
                      "The ZIP-based file has no central directory; it was cut short.");
    };
    auto corrupt = [] {
        return result(MediaType::Zip, Integrity::Corrupt,
                      "The ZIP-based file's directory is damaged.");
    };
    std::size_t tailLen = static_cast<std::size_t>(std::min<std::uint64_t>(size, 65535 + 22));
    std::uint64_t tailStart = size - tailLen;
    auto tail = readRange(src, tailStart, tailLen);
    if (tail.size() < 22) return truncated();
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;) {
        if (le32(tail.data() + i) == 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string::npos) return truncated();
    const unsigned char* e = tail.data() + eocd;
    std::uint64_t entries = le16(e + 10);
    std::uint64_t cdSize = le32(e + 12);
    std::uint64_t cdOffset = le32(e + 16);
    if ((entries == 0xFFFF || cdOffset == 0xFFFFFFFFu || cdSize == 0xFFFFFFFFu) && eocd >= 20 &&
        le32(e - 20) == 0x07064b50) {
        std::uint64_t z64 = le64(e - 20 + 8);
        auto rec = readRange(src, z64, 56);
        if (rec.size() < 56 || le32(rec.data()) != 0x06064b50) return corrupt();
        entries = le64(rec.data() + 32);
        cdSize = le64(rec.data() + 40);
        cdOffset = le64(rec.data() + 48);
    }
    if (cdSize > kMaxCentralDirectory || cdOffset + cdSize > tailStart + eocd) return corrupt();
    auto cd = readRange(src, cdOffset, static_cast<std::size_t>(cdSize));
    if (cd.size() != cdSize) return corrupt();

    std::vector<ZipEntry> found;
    std::size_t p = 0;
    for (std::uint64_t i = 0; i < entries; ++i) {
        if (p + 46 > cd.size() || le32(cd.data() + p) != 0x02014b50) return corrupt();
        const unsigned char* h = cd.data() + p;
        std::size_t nameLen = le16(h + 28), extraLen = le16(h + 30), commentLen = le16(h + 32);
        if (p + 46 + nameLen + extraLen + commentLen > cd.size()) return corrupt();
        ZipEntry z;
        z.name.assign(reinterpret_cast<const char*>(h + 46), nameLen);
        z.flags = le16(h + 8);
        z.method = le16(h + 10);
        z.compressedSize = le32(h + 20);
        z.localHeaderOffset = le32(h + 42);
        std::transform(z.name.begin(), z.name.end(), z.name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (z.name == "[content_types].xml") found.push_back(std::move(z));
        p += 46 + nameLen + extraLen + commentLen;
    }
    if (found.empty()) return result(MediaType::Zip);
    std::string types = readSmallEntry(src, found.front(), kMaxContentTypes);
    if (types.find(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") !=
        std::string::npos) {
        return result(MediaType::Docx);
    }
    if (types.find("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml") !=
        std::string::npos) {
        return result(MediaType::Xlsx);
    }
    return result(
        MediaType::Zip, Integrity::Intact,
        "an Office Open XML package that is neither a Word document nor an Excel workbook");
}

}  // namespace

SniffResult TypeSniffer::sniff(const ByteSource& src) {
    auto head = readRange(src, 0, 1024);
    auto starts = [&](std::string_view magic) {
        return head.size() >= magic.size() &&
               std::memcmp(head.data(), magic.data(), magic.size()) == 0;
    };
    if (starts("\xFF\xD8\xFF")) return sniffJpeg(src);
    if (starts("\x89PNG\r\n\x1A\n")) return sniffPng(src);
    if (starts("PK\x03\x04") || starts("PK\x05\x06")) return sniffZip(src);
    std::string_view h(reinterpret_cast<const char*>(head.data()), head.size());
    // PDF readers accept up to 1 KiB of junk before the header.
    if (h.find("%PDF-") != std::string_view::npos) return sniffPdf(src);
    if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
        return result(MediaType::Unknown, Integrity::Intact,
                      "a legacy Office file (.doc/.xls); save it as DOCX or XLSX");
    }
    return result(MediaType::Unknown);
}

}  // namespace dossier::evidence
