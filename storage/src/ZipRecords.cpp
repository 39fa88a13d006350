#include "dossier/storage/ZipRecords.h"

#include <algorithm>

namespace dossier::storage::zip {
namespace {

constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::uint32_t kDescriptorSignature = 0x08074b50;
constexpr std::uint32_t kCentralSignature = 0x02014b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kEndSignature = 0x06054b50;

constexpr std::uint16_t kFlagDataDescriptor = 1u << 3;
constexpr std::uint16_t kFlagUtf8Name = 1u << 11;
constexpr std::uint16_t kFlags = kFlagDataDescriptor | kFlagUtf8Name;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
// Version needed: 2.0 for deflate and data descriptors, 4.5 for ZIP64 (APPNOTE 4.4.3.2).
constexpr std::uint16_t kVersionNeeded = 20;
constexpr std::uint16_t kVersionNeededZip64 = 45;
// Made by: host 3 (Unix) in the high byte, APPNOTE version 6.3 (UTF-8 names) in the low.
constexpr std::uint16_t kVersionMadeBy = (3u << 8) | 63u;
// Unix mode in the high 16 bits: S_IFREG | 0644. Info-ZIP restores it; a host of 0 (MS-DOS)
// would make unzip read the name in an OEM code page instead.
constexpr std::uint32_t kExternalAttributes = (0100644u) << 16;

void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

void put64(std::string& out, std::uint64_t v) {
    for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

std::uint32_t field32(std::uint64_t v) {
    return v >= kMax32 ? static_cast<std::uint32_t>(kMax32) : static_cast<std::uint32_t>(v);
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
void civilFromDays(std::int64_t z, int& year, int& month, int& day) {
    z += 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    auto doe = static_cast<std::uint32_t>(z - era * 146097);
    std::uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    std::uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::uint32_t mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(y + (month <= 2 ? 1 : 0));
}

}  // namespace

DosDateTime DosDateTime::fromCivil(int year, int month, int day, int hour, int minute, int second) {
    if (year < 1980) return DosDateTime{};
    if (year > 2107) return fromCivil(2107, 12, 31, 23, 59, 58);
    month = std::clamp(month, 1, 12);
    day = std::clamp(day, 1, 31);
    hour = std::clamp(hour, 0, 23);
    minute = std::clamp(minute, 0, 59);
    second = std::clamp(second, 0, 59);
    DosDateTime t;
    t.date = static_cast<std::uint16_t>(((year - 1980) << 9) | (month << 5) | day);
    t.time = static_cast<std::uint16_t>((hour << 11) | (minute << 5) | (second / 2));
    return t;
}

DosDateTime DosDateTime::fromUnixSeconds(std::int64_t unixSeconds, std::int32_t utcOffsetSeconds) {
    std::int64_t local = unixSeconds + utcOffsetSeconds;
    std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    auto secondOfDay = static_cast<int>(local - days * 86400);
    int year = 0, month = 0, day = 0;
    civilFromDays(days, year, month, day);
    return fromCivil(year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60);
}

bool entryNeedsZip64(std::uint64_t size, Method method) {
    if (size >= kMax32) return true;
    if (method == Method::Store) return false;
    // zlib's deflateBound() for the default memLevel, plus its worst-case block overhead.
    std::uint64_t bound = size + (size >> 12) + (size >> 14) + (size >> 25) + 13;
    return bound >= kMax32;
}

std::string localHeader(std::string_view name, Method method, DosDateTime modified, bool zip64) {
    std::string out;
    out.reserve(30 + name.size() + 20);
    put32(out, kLocalSignature);
    put16(out, zip64 ? kVersionNeededZip64 : kVersionNeeded);
    put16(out, kFlags);
    put16(out, static_cast<std::uint16_t>(method));
    put16(out, modified.time);
    put16(out, modified.date);
    put32(out, 0);  // CRC-32: in the data descriptor
    put32(out, zip64 ? static_cast<std::uint32_t>(kMax32) : 0);
    put32(out, zip64 ? static_cast<std::uint32_t>(kMax32) : 0);
    put16(out, static_cast<std::uint16_t>(name.size()));
    put16(out, zip64 ? 20 : 0);
    out.append(name);
    if (zip64) {
        // Both sizes, zero here (APPNOTE 4.5.3: the local extra holds both or neither).
        put16(out, kZip64ExtraId);
        put16(out, 16);
        put64(out, 0);
        put64(out, 0);
    }
    return out;
}

std::string dataDescriptor(std::uint32_t crc32, std::uint64_t compressedSize,
                           std::uint64_t uncompressedSize, bool zip64) {
    std::string out;
    put32(out, kDescriptorSignature);
    put32(out, crc32);
    if (zip64) {
        put64(out, compressedSize);
        put64(out, uncompressedSize);
    } else {
        put32(out, static_cast<std::uint32_t>(compressedSize));
        put32(out, static_cast<std::uint32_t>(uncompressedSize));
    }
    return out;
}

std::string centralHeader(const CentralEntry& e) {
    std::string extra;
    if (e.uncompressedSize >= kMax32) put64(extra, e.uncompressedSize);
    if (e.compressedSize >= kMax32) put64(extra, e.compressedSize);
    if (e.localHeaderOffset >= kMax32) put64(extra, e.localHeaderOffset);
    bool zip64 = !extra.empty();

    std::string out;
    out.reserve(46 + e.name.size() + 4 + extra.size());
    put32(out, kCentralSignature);
    put16(out, kVersionMadeBy);
    put16(out, zip64 || e.localZip64 ? kVersionNeededZip64 : kVersionNeeded);
    put16(out, kFlags);
    put16(out, static_cast<std::uint16_t>(e.method));
    put16(out, e.modified.time);
    put16(out, e.modified.date);
    put32(out, e.crc32);
    put32(out, field32(e.compressedSize));
    put32(out, field32(e.uncompressedSize));
    put16(out, static_cast<std::uint16_t>(e.name.size()));
    put16(out, static_cast<std::uint16_t>(zip64 ? 4 + extra.size() : 0));
    put16(out, 0);  // comment
    put16(out, 0);  // disk number start
    put16(out, 0);  // internal attributes
    put32(out, kExternalAttributes);
    put32(out, field32(e.localHeaderOffset));
    out.append(e.name);
    if (zip64) {
        put16(out, kZip64ExtraId);
        put16(out, static_cast<std::uint16_t>(extra.size()));
        out += extra;
    }
    return out;
}

std::string endOfArchive(std::uint64_t entries, std::uint64_t centralOffset,
                         std::uint64_t centralSize) {
    // 0xFFFF and 0xFFFFFFFF are the "see the ZIP64 record" markers, so a count or size equal
    // to one of them moves to the ZIP64 record as well (APPNOTE 4.4.21-4.4.24).
    bool zip64 = entries >= kMax16 || centralOffset >= kMax32 || centralSize >= kMax32;
    std::string out;
    if (zip64) {
        std::uint64_t recordOffset = centralOffset + centralSize;
        put32(out, kZip64EndSignature);
        put64(out, 44);  // the record's size after this field
        put16(out, kVersionMadeBy);
        put16(out, kVersionNeededZip64);
        put32(out, 0);  // this disk
        put32(out, 0);  // the disk where the central directory starts
        put64(out, entries);
        put64(out, entries);
        put64(out, centralSize);
        put64(out, centralOffset);
        put32(out, kZip64LocatorSignature);
        put32(out, 0);
        put64(out, recordOffset);
        put32(out, 1);  // total disks
    }
    auto count = static_cast<std::uint16_t>(entries >= kMax16 ? kMax16 : entries);
    put32(out, kEndSignature);
    put16(out, 0);
    put16(out, 0);
    put16(out, count);
    put16(out, count);
    put32(out, field32(centralSize));
    put32(out, field32(centralOffset));
    put16(out, 0);  // comment
    return out;
}

}  // namespace dossier::storage::zip
