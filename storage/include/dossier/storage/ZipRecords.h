#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// The byte layout of the ZIP records a streaming writer emits (PKWARE APPNOTE 6.3.10),
/// as pure functions, so the ZIP64 boundaries are tested without writing 4 GiB.
/// ZipStreamWriter is the only production caller. Every function is pure and thread-safe;
/// none throws except std::bad_alloc.
namespace dossier::storage::zip {

/// Sizes and offsets at or above this do not fit a 32-bit field: the field then holds
/// 0xFFFFFFFF and the value moves to the ZIP64 extra field (APPNOTE 4.5.3).
inline constexpr std::uint64_t kMax32 = 0xFFFFFFFFu;
/// Entry counts at or above this need the ZIP64 end of central directory.
inline constexpr std::uint64_t kMax16 = 0xFFFFu;

/// Compression methods (APPNOTE 4.4.5).
enum class Method : std::uint16_t { Store = 0, Deflate = 8 };

/// An MS-DOS date and time (the only timestamp every unzip reads), two-second resolution,
/// 1980-01-01 to 2107-12-31; no time zone: the caller picks the local time to show.
struct DosDateTime {
    std::uint16_t time = 0;
    std::uint16_t date = (1 << 5) | 1;  // 1980-01-01 00:00:00

    /// Civil date and time; out-of-range values are clamped to the DOS range, seconds are
    /// rounded down to even.
    static DosDateTime fromCivil(int year, int month, int day, int hour, int minute, int second);
    /// The instant `unixSeconds` (UTC) as wall-clock time at `utcOffsetSeconds` (Beijing: 8 h).
    static DosDateTime fromUnixSeconds(std::int64_t unixSeconds, std::int32_t utcOffsetSeconds);
};

/// What the central directory records of one entry.
struct CentralEntry {
    std::string_view name;  // UTF-8
    Method method = Method::Store;
    DosDateTime modified;
    std::uint32_t crc32 = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t uncompressedSize = 0;
    std::uint64_t localHeaderOffset = 0;
    /// Whether the local header carried a ZIP64 extra field (the version needed is then 4.5).
    bool localZip64 = false;
};

/// Whether an entry whose uncompressed size is `size` must be written with ZIP64 sizes:
/// decided before its data, since the local header comes first and a streamed entry cannot
/// be rewritten. Deflate can expand incompressible data slightly; the bound is zlib's.
bool entryNeedsZip64(std::uint64_t size, Method method);

/// The local file header of a streamed entry: general-purpose bits 3 (CRC and sizes follow
/// the data, in a data descriptor) and 11 (the name is UTF-8); CRC and sizes zero. With
/// `zip64`, the sizes read 0xFFFFFFFF and a ZIP64 extra field is present, which tells
/// readers that the data descriptor carries 8-byte sizes.
std::string localHeader(std::string_view name, Method method, DosDateTime modified, bool zip64);

/// The data descriptor after an entry's data (signed): 16 bytes, or 24 with 8-byte sizes
/// when the local header was ZIP64.
std::string dataDescriptor(std::uint32_t crc32, std::uint64_t compressedSize,
                           std::uint64_t uncompressedSize, bool zip64);

/// The central directory header: made by Unix (host 3, so Info-ZIP and Python take the
/// name as it is rather than converting from an MS-DOS code page), a regular file with mode
/// 0644, bits 3 and 11 as in the local header; a ZIP64 extra field with exactly the values
/// that do not fit 32 bits (uncompressed size, compressed size, offset, in that order).
std::string centralHeader(const CentralEntry& entry);

/// The end of the archive: the end of central directory record, preceded by the ZIP64 end
/// of central directory record and its locator when the entry count reaches 65535 or the
/// directory's size or offset does not fit 32 bits (the ZIP64 record then starts at
/// `centralOffset + centralSize`).
std::string endOfArchive(std::uint64_t entries, std::uint64_t centralOffset,
                         std::uint64_t centralSize);

}  // namespace dossier::storage::zip
