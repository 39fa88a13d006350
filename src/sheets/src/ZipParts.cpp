#include "dossier/sheets/ZipParts.h"

#include <zlib.h>

#include <algorithm>
#include <memory>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::sheets {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::uint64_t kMaxCentralDirectory = 16ull << 20;

std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }
std::uint32_t le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::uint64_t le64(const unsigned char* p) {
    return static_cast<std::uint64_t>(le32(p)) | static_cast<std::uint64_t>(le32(p + 4)) << 32;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<unsigned char> readRange(const ByteSource& src, std::uint64_t offset, std::size_t n) {
    std::vector<unsigned char> out(n);
    std::size_t got = src.readAt(offset, out.data(), n);
    out.resize(got);
    return out;
}

[[noreturn]] void notXlsx(const std::string& why, const std::string& detail = {}) {
    throw Error(codes::kImportNotXlsx, "The file is not a readable XLSX workbook: " + why, detail);
}

struct Inflater {
    z_stream z{};
    bool open = false;
    ~Inflater() {
        if (open) inflateEnd(&z);
    }
};

}  // namespace

ZipParts::ZipParts(const ByteSource& source, ZipLimits limits) : source_(source), limits_(limits) {
    const std::uint64_t size = source.size();
    std::size_t tailLen = static_cast<std::size_t>(std::min<std::uint64_t>(size, 65535 + 22));
    std::uint64_t tailStart = size - tailLen;
    auto tail = readRange(source, tailStart, tailLen);
    if (tail.size() < 22) notXlsx("it is not a ZIP package.");
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;) {
        if (le32(tail.data() + i) == 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string::npos) notXlsx("it has no ZIP directory (not a ZIP, or cut short).");
    const unsigned char* e = tail.data() + eocd;
    std::uint64_t count = le16(e + 10);
    std::uint64_t cdSize = le32(e + 12);
    std::uint64_t cdOffset = le32(e + 16);
    if ((count == 0xFFFF || cdOffset == 0xFFFFFFFFu || cdSize == 0xFFFFFFFFu) && eocd >= 20 &&
        le32(e - 20) == 0x07064b50) {
        auto rec = readRange(source, le64(e - 20 + 8), 56);
        if (rec.size() < 56 || le32(rec.data()) != 0x06064b50)
            notXlsx("its ZIP directory is damaged.");
        count = le64(rec.data() + 32);
        cdSize = le64(rec.data() + 40);
        cdOffset = le64(rec.data() + 48);
    }
    if (count > limits_.maxEntries) {
        throw Error(codes::kImportTooLarge,
                    "The workbook has more than " + std::to_string(limits_.maxEntries) + " parts.");
    }
    if (cdSize > kMaxCentralDirectory || cdOffset + cdSize > tailStart + eocd) {
        notXlsx("its ZIP directory is damaged.");
    }
    auto cd = readRange(source, cdOffset, static_cast<std::size_t>(cdSize));
    if (cd.size() != cdSize) notXlsx("its ZIP directory is damaged.");
    std::size_t p = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (p + 46 > cd.size() || le32(cd.data() + p) != 0x02014b50) {
            notXlsx("its ZIP directory is damaged.");
        }
        const unsigned char* h = cd.data() + p;
        std::size_t nameLen = le16(h + 28), extraLen = le16(h + 30), commentLen = le16(h + 32);
        if (p + 46 + nameLen + extraLen + commentLen > cd.size()) {
            notXlsx("its ZIP directory is damaged.");
        }
        Entry entry;
        entry.key = lower(std::string_view(reinterpret_cast<const char*>(h + 46), nameLen));
        entry.flags = le16(h + 8);
        entry.method = le16(h + 10);
        entry.crc32 = le32(h + 16);
        entry.compressedSize = le32(h + 20);
        entry.uncompressedSize = le32(h + 24);
        entry.localHeaderOffset = le32(h + 42);
        // ZIP64 extra field (id 1): the values whose 32-bit fields are saturated, in order.
        const unsigned char* x = h + 46 + nameLen;
        for (std::size_t q = 0; q + 4 <= extraLen;) {
            std::uint16_t id = le16(x + q), len = le16(x + q + 2);
            if (q + 4 + len > extraLen) break;
            if (id == 1) {
                const unsigned char* v = x + q + 4;
                std::size_t left = len;
                auto take = [&](std::uint64_t& field) {
                    if (field != 0xFFFFFFFFu || left < 8) return;
                    field = le64(v);
                    v += 8;
                    left -= 8;
                };
                take(entry.uncompressedSize);
                take(entry.compressedSize);
                take(entry.localHeaderOffset);
            }
            q += 4 + len;
        }
        entries_.push_back(std::move(entry));
        p += 46 + nameLen + extraLen + commentLen;
    }
}

const ZipParts::Entry* ZipParts::find(std::string_view name) const {
    std::string key = lower(name);
    if (!key.empty() && key.front() == '/') key.erase(0, 1);
    for (const auto& e : entries_)
        if (e.key == key) return &e;
    return nullptr;
}

bool ZipParts::has(std::string_view name) const { return find(name) != nullptr; }

void ZipParts::read(std::string_view name,
                    const std::function<void(const char*, std::size_t)>& sink) {
    const Entry* e = find(name);
    if (!e) notXlsx("it has no part " + std::string(name) + ".");
    if ((e->flags & 1) != 0) notXlsx("it is encrypted (save it without a password).");
    if (e->method != 0 && e->method != 8) notXlsx("a part uses an unsupported compression.");
    // Declared sizes are refused early when they already break a limit; the counts below
    // hold whatever the headers claim.
    if (e->uncompressedSize > limits_.maxPartBytes) {
        throw Error(codes::kImportTooLarge,
                    "The part " + std::string(name) + " inflates to more than " +
                        std::to_string(limits_.maxPartBytes >> 20) + " MiB.");
    }
    auto lh = readRange(source_, e->localHeaderOffset, 30);
    if (lh.size() < 30 || le32(lh.data()) != 0x04034b50) notXlsx("a part's header is damaged.");
    std::uint64_t data = e->localHeaderOffset + 30 + le16(lh.data() + 26) + le16(lh.data() + 28);
    if (data + e->compressedSize > source_.size()) notXlsx("a part is cut short.");

    std::uint64_t produced = 0;
    uLong crc = crc32(0L, Z_NULL, 0);
    auto emit = [&](const char* bytes, std::size_t n, std::uint64_t consumed) {
        produced += n;
        total_ += n;
        if (produced > limits_.maxPartBytes) {
            throw Error(codes::kImportTooLarge,
                        "The part " + std::string(name) + " inflates to more than " +
                            std::to_string(limits_.maxPartBytes >> 20) + " MiB.");
        }
        if (total_ > limits_.maxTotalBytes) {
            throw Error(codes::kImportTooLarge, "The workbook's parts inflate to more than " +
                                                    std::to_string(limits_.maxTotalBytes >> 20) +
                                                    " MiB in all.");
        }
        if (produced > limits_.ratioFloor &&
            produced > limits_.maxRatio * std::max<std::uint64_t>(consumed, 1)) {
            throw Error(codes::kImportZipBomb,
                        "The part " + std::string(name) + " inflates more than " +
                            std::to_string(limits_.maxRatio) +
                            " times its compressed size: refused as a decompression bomb.");
        }
        crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes), static_cast<uInt>(n));
        sink(bytes, n);
    };

    std::vector<char> in(kChunk), out(kChunk);
    std::uint64_t offset = data, left = e->compressedSize, consumed = 0;
    if (e->method == 0) {
        while (left > 0) {
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
            if (source_.readAt(offset, in.data(), n) != n) notXlsx("a part is cut short.");
            offset += n;
            left -= n;
            consumed += n;
            emit(in.data(), n, consumed);
        }
    } else {
        Inflater inf;
        if (inflateInit2(&inf.z, -MAX_WBITS) != Z_OK) notXlsx("a part could not be inflated.");
        inf.open = true;
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            if (inf.z.avail_in == 0 && left > 0) {
                std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
                if (source_.readAt(offset, in.data(), n) != n) notXlsx("a part is cut short.");
                offset += n;
                left -= n;
                inf.z.next_in = reinterpret_cast<Bytef*>(in.data());
                inf.z.avail_in = static_cast<uInt>(n);
            }
            inf.z.next_out = reinterpret_cast<Bytef*>(out.data());
            inf.z.avail_out = static_cast<uInt>(out.size());
            rc = inflate(&inf.z, Z_NO_FLUSH);
            if (rc == Z_BUF_ERROR && inf.z.avail_in == 0 && left == 0) {
                notXlsx("a part's compressed data ends early.");
            }
            if (rc != Z_OK && rc != Z_STREAM_END) {
                notXlsx("a part's compressed data is damaged.", inf.z.msg ? inf.z.msg : "");
            }
            std::size_t n = out.size() - inf.z.avail_out;
            consumed = e->compressedSize - left - inf.z.avail_in;
            if (n > 0) emit(out.data(), n, consumed);
        }
    }
    if (produced != e->uncompressedSize || crc != e->crc32) {
        notXlsx("a part's data does not match its directory entry (damaged file).");
    }
}

std::string ZipParts::readAll(std::string_view name) {
    std::string out;
    read(name, [&out](const char* p, std::size_t n) { out.append(p, n); });
    return out;
}

}  // namespace dossier::sheets
