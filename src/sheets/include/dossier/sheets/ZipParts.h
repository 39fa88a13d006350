#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/ByteSource.h"

namespace dossier::sheets {

/// What reading one uploaded package may cost. Every byte inflated counts, so a refused file
/// costs at most `maxTotalBytes` of inflating and one 64 KiB buffer of memory.
struct ZipLimits {
    /// Uncompressed bytes of one part (a 20,000-row sheet is ~8 MB).
    std::uint64_t maxPartBytes = 48ull << 20;
    /// Uncompressed bytes of every part read, together.
    std::uint64_t maxTotalBytes = 96ull << 20;
    /// Uncompressed ÷ compressed bytes a part may reach once past `ratioFloor` bytes: sheets
    /// of repeated rows deflate ~20–60×; a bomb of zeros ~1000×.
    std::uint64_t maxRatio = 200;
    std::uint64_t ratioFloor = 1ull << 20;
    /// Entries in the central directory.
    std::uint64_t maxEntries = 10'000;
};

/// The parts of a ZIP package (an OOXML workbook), read from its central directory and
/// inflated on demand with zlib, under ZipLimits counted while inflating (not trusted from the
/// headers). Poco's ZipStreamBuf is not used: for an entry with a data descriptor (bit 3, as
/// streaming writers emit) it finds the entry's end by scanning the compressed bytes for the
/// descriptor's signature, which deflate output may contain, and it skips the CRC check.
/// Part names are matched ASCII case-insensitively, as OPC requires. Not thread-safe; `source`
/// must outlive the reader.
class ZipParts {
  public:
    /// Reads the central directory. Throws Error import.not_xlsx when there is none or it is
    /// damaged, import.too_large beyond maxEntries.
    ZipParts(const ByteSource& source, ZipLimits limits);

    bool has(std::string_view name) const;
    /// Streams the part's uncompressed bytes to `sink` in chunks of at most 64 KiB. Throws
    /// import.not_xlsx (no such part, encrypted, unknown method, damaged data or CRC),
    /// import.too_large (maxPartBytes, maxTotalBytes), import.zip_bomb (maxRatio); whatever
    /// `sink` throws passes through after the inflater is released.
    void read(std::string_view name, const std::function<void(const char*, std::size_t)>& sink);
    /// The whole part in memory (small parts: workbook, relationships).
    std::string readAll(std::string_view name);
    /// Uncompressed bytes produced so far, all parts together.
    std::uint64_t inflatedTotal() const { return total_; }

  private:
    struct Entry {
        std::string key;  // the name, ASCII-lowercased
        std::uint16_t flags = 0;
        std::uint16_t method = 0;
        std::uint32_t crc32 = 0;
        std::uint64_t compressedSize = 0;
        std::uint64_t uncompressedSize = 0;
        std::uint64_t localHeaderOffset = 0;
    };
    const Entry* find(std::string_view name) const;

    const ByteSource& source_;
    ZipLimits limits_;
    std::vector<Entry> entries_;
    std::uint64_t total_ = 0;
};

}  // namespace dossier::sheets
