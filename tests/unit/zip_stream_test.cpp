// The streaming ZIP writer (issue 12, bundle.zip): the record encoder's ZIP64 boundaries
// without writing 4 GiB, archives read back by Info-ZIP unzip and Python's zipfile (Chinese
// names, 𠮷, the Unix host and mode, ZIP64 forms, 65535 entries), a stream that cannot seek
// and one that fails, and the entry-name policy (paths, controls, NFC, clashes).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <streambuf>

#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/storage/Sha256.h"
#include "dossier/storage/ZipEntryNames.h"
#include "dossier/storage/ZipRecords.h"
#include "dossier/storage/ZipStreamWriter.h"

using namespace dossier;
using namespace dossier::storage;
using namespace dossier::test;

namespace {

const std::string kYoshi = "\xF0\xA0\xAE\xB7";  // 𠮷 U+20BB7, outside the BMP

std::uint16_t le16(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t le32(const std::string& s, std::size_t at) {
    return le16(s, at) | static_cast<std::uint32_t>(le16(s, at + 2)) << 16;
}
std::uint64_t le64(const std::string& s, std::size_t at) {
    return le32(s, at) | static_cast<std::uint64_t>(le32(s, at + 4)) << 32;
}

/// A sink that takes bytes and cannot seek (like a chunked HTTP response): it only counts,
/// keeps the bytes, and fails (badbit) once `failAfter` bytes were taken.
class SinkBuf final : public std::streambuf {
  public:
    explicit SinkBuf(std::uint64_t failAfter = UINT64_MAX) : failAfter_(failAfter) {}
    std::string bytes;
    std::uint64_t count = 0;

  protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (count + static_cast<std::uint64_t>(n) > failAfter_) return 0;
        bytes.append(s, static_cast<std::size_t>(n));
        count += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }
    // seekoff/seekpos keep std::streambuf's defaults: they fail, as a socket's do.

  private:
    std::uint64_t failAfter_;
};

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Python's view of an archive: one line per entry, "name|size|crc|create_system|mode|flags",
/// then "testzip=None" when every CRC checks.
std::string pythonListing(const std::string& path) {
    std::string script =
        "import sys, zipfile\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "for i in z.infolist():\n"
        "    print('%s|%d|%08x|%d|%o|%x' % (i.filename, i.file_size, i.CRC, i.create_system,"
        " i.external_attr >> 16, i.flag_bits))\n"
        "print('testzip=%s' % z.testzip())\n";
    return runCommand("PYTHONIOENCODING=utf-8 python3 -c " + shellQuote(script) + " " +
                      shellQuote(path) + " 2>&1");
}

std::string unzipList(const std::string& path) {
    return runCommand("LC_ALL=C.UTF-8 unzip -l " + shellQuote(path) + " 2>&1");
}

bool unzipTests(const std::string& path) {
    std::string out = runCommand("LC_ALL=C.UTF-8 unzip -tq " + shellQuote(path) + " 2>&1");
    return out.find("No errors detected") != std::string::npos;
}

std::string writeArchive(const std::string& dir, const std::string& name,
                         const std::string& bytes) {
    std::string path = dir + "/" + name;
    writeFile(path, bytes);
    return path;
}

std::string repeatedText(std::size_t bytes) {
    std::string text;
    while (text.size() < bytes)
        text += "{\"名称\": \"广州精科医学检验所有限公司\", \"n\": 12345},\n";
    text.resize(bytes);
    return text;
}

}  // namespace

// --- the record encoder ---------------------------------------------------------------

TEST(ZipRecords, Zip64IsDecidedAtTheFourGibibyteMarkerForStoredEntries) {
    EXPECT_FALSE(zip::entryNeedsZip64(0, zip::Method::Store));
    EXPECT_FALSE(zip::entryNeedsZip64(0xFFFFFFFEull, zip::Method::Store));
    // 0xFFFFFFFF itself is the "see the ZIP64 field" marker, so it needs ZIP64 too.
    EXPECT_TRUE(zip::entryNeedsZip64(0xFFFFFFFFull, zip::Method::Store));
    EXPECT_TRUE(zip::entryNeedsZip64(5ull << 30, zip::Method::Store));
}

TEST(ZipRecords, DeflatedEntriesLeaveRoomForExpansion) {
    // Incompressible data grows under deflate: an entry just under 4 GiB may not fit.
    EXPECT_FALSE(zip::entryNeedsZip64(1ull << 30, zip::Method::Deflate));
    EXPECT_FALSE(zip::entryNeedsZip64(0xFFFFFFFEull, zip::Method::Store));
    EXPECT_TRUE(zip::entryNeedsZip64(0xFFFFFFFEull, zip::Method::Deflate));
    EXPECT_TRUE(zip::entryNeedsZip64(0xFFF00000ull, zip::Method::Deflate));
}

TEST(ZipRecords, LocalHeaderCarriesTheStreamingAndUtf8FlagsAndZip64OnlyWhenAsked) {
    std::string name = "营业执照.jpg";
    auto modified = zip::DosDateTime::fromCivil(2025, 4, 1, 9, 0, 0);
    std::string plain = zip::localHeader(name, zip::Method::Store, modified, false);
    ASSERT_EQ(plain.size(), 30 + name.size());
    EXPECT_EQ(le32(plain, 0), 0x04034b50u);
    EXPECT_EQ(le16(plain, 4), 20);      // version needed 2.0
    EXPECT_EQ(le16(plain, 6), 0x0808);  // bit 3 data descriptor, bit 11 UTF-8
    EXPECT_EQ(le16(plain, 8), 0);       // stored
    EXPECT_EQ(le32(plain, 14), 0u);     // CRC and sizes follow the data
    EXPECT_EQ(le32(plain, 18), 0u);
    EXPECT_EQ(le16(plain, 28), 0);  // no extra field
    EXPECT_EQ(plain.substr(30), name);

    std::string big = zip::localHeader(name, zip::Method::Deflate, modified, true);
    ASSERT_EQ(big.size(), 30 + name.size() + 20);
    EXPECT_EQ(le16(big, 4), 45);  // version needed 4.5
    EXPECT_EQ(le16(big, 8), 8);   // deflate
    EXPECT_EQ(le32(big, 18), 0xFFFFFFFFu);
    EXPECT_EQ(le32(big, 22), 0xFFFFFFFFu);
    EXPECT_EQ(le16(big, 28), 20);
    std::size_t extra = 30 + name.size();
    EXPECT_EQ(le16(big, extra), 0x0001);
    EXPECT_EQ(le16(big, extra + 2), 16);
}

TEST(ZipRecords, DataDescriptorHasEightByteSizesOnlyAfterAZip64LocalHeader) {
    std::string small = zip::dataDescriptor(0xDEADBEEF, 10, 20, false);
    ASSERT_EQ(small.size(), 16u);
    EXPECT_EQ(le32(small, 0), 0x08074b50u);
    EXPECT_EQ(le32(small, 4), 0xDEADBEEFu);
    EXPECT_EQ(le32(small, 8), 10u);
    EXPECT_EQ(le32(small, 12), 20u);
    std::string big = zip::dataDescriptor(1, 6ull << 30, 7ull << 30, true);
    ASSERT_EQ(big.size(), 24u);
    EXPECT_EQ(le64(big, 8), 6ull << 30);
    EXPECT_EQ(le64(big, 16), 7ull << 30);
}

TEST(ZipRecords, CentralHeaderIsMadeByUnixWithMode0644AndTheUtf8Flag) {
    zip::CentralEntry e;
    e.name = "营业执照.jpg";
    e.uncompressedSize = 0xFFFFFFFEull;
    e.compressedSize = 0xFFFFFFFEull;
    e.localHeaderOffset = 0xFFFFFFFEull;
    std::string h = zip::centralHeader(e);
    ASSERT_EQ(h.size(), 46 + e.name.size());  // everything fits: no ZIP64 field
    EXPECT_EQ(le32(h, 0), 0x02014b50u);
    EXPECT_EQ(le16(h, 4) >> 8, 3);  // host: Unix
    EXPECT_EQ(le16(h, 6), 20);
    EXPECT_EQ(le16(h, 8), 0x0808);
    EXPECT_EQ(le32(h, 20), 0xFFFFFFFEu);
    EXPECT_EQ(le32(h, 24), 0xFFFFFFFEu);
    EXPECT_EQ(le32(h, 38) >> 16, 0100644u);
    EXPECT_EQ(le32(h, 42), 0xFFFFFFFEu);
}

TEST(ZipRecords, CentralHeaderMovesExactlyTheOverflowingValuesToZip64InOrder) {
    zip::CentralEntry e;
    e.name = "a";
    // Only the offset overflows (an entry after 4 GiB of others).
    e.uncompressedSize = 100;
    e.compressedSize = 90;
    e.localHeaderOffset = 0xFFFFFFFFull;
    std::string h = zip::centralHeader(e);
    ASSERT_EQ(h.size(), 46u + 1 + 4 + 8);
    EXPECT_EQ(le16(h, 6), 45);
    EXPECT_EQ(le32(h, 20), 90u);
    EXPECT_EQ(le32(h, 24), 100u);
    EXPECT_EQ(le32(h, 42), 0xFFFFFFFFu);
    EXPECT_EQ(le16(h, 47), 0x0001);
    EXPECT_EQ(le16(h, 49), 8);
    EXPECT_EQ(le64(h, 51), 0xFFFFFFFFull);

    // All three: uncompressed, compressed, offset.
    e.uncompressedSize = 5ull << 30;
    e.compressedSize = 4ull << 30;
    e.localHeaderOffset = 9ull << 30;
    h = zip::centralHeader(e);
    ASSERT_EQ(h.size(), 46u + 1 + 4 + 24);
    EXPECT_EQ(le32(h, 20), 0xFFFFFFFFu);
    EXPECT_EQ(le32(h, 24), 0xFFFFFFFFu);
    EXPECT_EQ(le64(h, 51), 5ull << 30);
    EXPECT_EQ(le64(h, 59), 4ull << 30);
    EXPECT_EQ(le64(h, 67), 9ull << 30);

    // A small entry whose local header was ZIP64 still says version 4.5.
    zip::CentralEntry forced;
    forced.name = "a";
    forced.localZip64 = true;
    EXPECT_EQ(le16(zip::centralHeader(forced), 6), 45);
}

TEST(ZipRecords, EndOfArchiveTurnsZip64At65535EntriesOrFourGibibytes) {
    std::string end = zip::endOfArchive(65534, 1000, 2000);
    ASSERT_EQ(end.size(), 22u);
    EXPECT_EQ(le32(end, 0), 0x06054b50u);
    EXPECT_EQ(le16(end, 10), 65534);
    EXPECT_EQ(le32(end, 12), 2000u);
    EXPECT_EQ(le32(end, 16), 1000u);

    end = zip::endOfArchive(65535, 1000, 2000);
    ASSERT_EQ(end.size(), 56u + 20 + 22);
    EXPECT_EQ(le32(end, 0), 0x06064b50u);
    EXPECT_EQ(le64(end, 4), 44u);
    EXPECT_EQ(le64(end, 24), 65535u);
    EXPECT_EQ(le64(end, 32), 65535u);
    EXPECT_EQ(le64(end, 40), 2000u);
    EXPECT_EQ(le64(end, 48), 1000u);
    EXPECT_EQ(le32(end, 56), 0x07064b50u);
    EXPECT_EQ(le64(end, 64), 3000u);  // where the ZIP64 record starts
    EXPECT_EQ(le32(end, 72), 1u);
    EXPECT_EQ(le16(end, 76 + 10), 0xFFFF);

    EXPECT_EQ(zip::endOfArchive(3, 0xFFFFFFFEull, 10).size(), 22u);
    end = zip::endOfArchive(3, 0xFFFFFFFFull, 10);
    ASSERT_EQ(end.size(), 98u);
    EXPECT_EQ(le16(end, 76 + 10), 3);  // the count fits and stays
    EXPECT_EQ(le32(end, 76 + 16), 0xFFFFFFFFu);
    EXPECT_EQ(zip::endOfArchive(3, 10, 0xFFFFFFFFull).size(), 98u);
}

TEST(ZipRecords, DosTimeIsTheCallersWallClock) {
    // 2025-04-01 01:00:00 UTC is 09:00 in Beijing.
    auto t = zip::DosDateTime::fromUnixSeconds(1743469200, 8 * 3600);
    EXPECT_EQ(t.date, (45 << 9) | (4 << 5) | 1);
    EXPECT_EQ(t.time, 9 << 11);
    auto odd = zip::DosDateTime::fromCivil(2024, 2, 29, 23, 59, 59);
    EXPECT_EQ(odd.date, (44 << 9) | (2 << 5) | 29);
    EXPECT_EQ(odd.time, (23 << 11) | (59 << 5) | 29);
    // Before 1980 there is no DOS time: the earliest one.
    auto early = zip::DosDateTime::fromUnixSeconds(0, 0);
    EXPECT_EQ(early.date, (0 << 9) | (1 << 5) | 1);
    EXPECT_EQ(early.time, 0);
}

// --- the writer, read back by unzip and Python -----------------------------------------

TEST(ZipStreamWriter, ChineseNamesReadBackExactlyInUnzipAndPython) {
    TempDir dir;
    std::string jpeg = readFile(fixturePath("real/sealhacker_test_photo.jpg"));
    std::string text = repeatedText(300000);
    SinkBuf sink;
    std::ostream out(&sink);
    ZipStreamWriter writer(out, zip::DosDateTime::fromCivil(2025, 4, 1, 9, 0, 0));
    writer.addEntry("营业执照.jpg", zip::Method::Store, MemorySource(jpeg));
    // Written as it is added, not at finish(): the sink already holds the whole entry.
    EXPECT_GE(sink.count, jpeg.size());
    const auto& json =
        writer.addEntry(kYoshi + "野家数据.json", zip::Method::Deflate, MemorySource(text));
    EXPECT_LT(json.compressedSize, text.size() / 10);
    writer.addEntry("空文件.txt", zip::Method::Deflate, MemorySource(""));
    writer.addEntry("empty-stored.bin", zip::Method::Store, MemorySource(""));
    writer.finish();
    EXPECT_EQ(writer.bytesWritten(), sink.count);

    std::string path = writeArchive(dir.path(), "names.zip", sink.bytes);
    std::string listing = unzipList(path);
    EXPECT_NE(listing.find("营业执照.jpg"), std::string::npos) << listing;
    EXPECT_NE(listing.find(kYoshi + "野家数据.json"), std::string::npos) << listing;
    EXPECT_NE(listing.find("空文件.txt"), std::string::npos) << listing;
    EXPECT_NE(listing.find("2025-04-01 09:00"), std::string::npos) << listing;
    EXPECT_TRUE(unzipTests(path)) << runCommand("unzip -t " + shellQuote(path) + " 2>&1");

    std::string py = pythonListing(path);
    std::istringstream lines(py);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);) rows.push_back(line);
    ASSERT_EQ(rows.size(), 5u) << py;
    EXPECT_EQ(rows[0].substr(0, rows[0].find('|')), "营业执照.jpg");
    EXPECT_NE(rows[0].find("|" + std::to_string(jpeg.size()) + "|"), std::string::npos);
    EXPECT_EQ(rows[1].substr(0, rows[1].find('|')), kYoshi + "野家数据.json");
    EXPECT_EQ(rows[2].substr(0, rows[2].find('|')), "空文件.txt");
    for (int i = 0; i < 4; ++i) {
        // create_system 3 (Unix), mode 100644, flags 0x808 (data descriptor, UTF-8)
        EXPECT_NE(rows[static_cast<std::size_t>(i)].find("|3|100644|808"), std::string::npos)
            << rows[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(rows[4], "testzip=None");

    // The bytes come back: Python extracts the deflated entry unchanged.
    std::string extracted =
        runCommand("PYTHONIOENCODING=utf-8 python3 -c " +
                   shellQuote("import sys,zipfile,hashlib; z=zipfile.ZipFile(sys.argv[1]); "
                              "print(hashlib.sha256(z.read(sys.argv[2])).hexdigest())") +
                   " " + shellQuote(path) + " " + shellQuote(kYoshi + "野家数据.json"));
    EXPECT_EQ(extracted, Sha256::of(text) + "\n");
}

TEST(ZipStreamWriter, Zip64FormIsReadByUnzipAndPython) {
    TempDir dir;
    SinkBuf sink;
    std::ostream out(&sink);
    ZipStreamWriter::Options options;
    options.forceZip64 = true;
    ZipStreamWriter writer(out, zip::DosDateTime::fromCivil(2025, 4, 1, 9, 0, 0), options);
    const auto& a =
        writer.addEntry("说明.txt", zip::Method::Deflate, MemorySource(repeatedText(5000)));
    EXPECT_TRUE(a.zip64);
    writer.addEntry("证照.jpg", zip::Method::Store,
                    MemorySource(readFile(fixturePath("real/sealhacker_test_photo.jpg"))));
    writer.finish();
    std::string path = writeArchive(dir.path(), "zip64.zip", sink.bytes);
    // 24-byte descriptors after a ZIP64 local header.
    EXPECT_EQ(le32(sink.bytes, 30 + std::string("说明.txt").size() + 20 + a.compressedSize),
              0x08074b50u);
    EXPECT_EQ(le64(sink.bytes, 30 + std::string("说明.txt").size() + 20 + a.compressedSize + 16),
              5000u);
    EXPECT_TRUE(unzipTests(path)) << runCommand("unzip -t " + shellQuote(path) + " 2>&1");
    EXPECT_NE(pythonListing(path).find("testzip=None"), std::string::npos) << pythonListing(path);
}

TEST(ZipStreamWriter, SixtyFiveThousandFiveHundredThirtyFiveEntriesUseTheZip64End) {
    TempDir dir;
    SinkBuf sink;
    std::ostream out(&sink);
    ZipStreamWriter writer(out, zip::DosDateTime::fromCivil(2025, 4, 1, 9, 0, 0));
    for (int i = 0; i < 65535; ++i) {
        writer.beginEntry(std::to_string(i), zip::Method::Store);
        writer.endEntry();
    }
    writer.finish();
    ASSERT_EQ(le32(sink.bytes, sink.bytes.size() - 22), 0x06054b50u);
    EXPECT_EQ(le16(sink.bytes, sink.bytes.size() - 22 + 10), 0xFFFF);
    EXPECT_EQ(le32(sink.bytes, sink.bytes.size() - 22 - 20), 0x07064b50u);
    std::string path = writeArchive(dir.path(), "many.zip", sink.bytes);
    std::string count =
        runCommand("python3 -c " +
                   shellQuote("import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
                              "n=z.namelist(); print(len(n), n[0], n[-1], z.testzip())") +
                   " " + shellQuote(path) + " 2>&1");
    EXPECT_EQ(count, "65535 0 65534 None\n");
    EXPECT_TRUE(unzipTests(path));
}

TEST(ZipStreamWriter, SameEntriesAndTimeGiveTheSameBytes) {
    auto once = [] {
        SinkBuf sink;
        std::ostream out(&sink);
        ZipStreamWriter writer(out, zip::DosDateTime::fromCivil(2025, 4, 29, 17, 0, 0));
        writer.addEntry("a.json", zip::Method::Deflate, MemorySource(repeatedText(100000)));
        writer.addEntry("b.jpg", zip::Method::Store, MemorySource(std::string(1000, 'x')));
        writer.finish();
        return sink.bytes;
    };
    std::string first = once();
    EXPECT_EQ(first, once());
}

TEST(ZipStreamWriter, AStreamThatStopsTakingBytesFailsTheArchiveForGood) {
    SinkBuf sink(100000);
    std::ostream out(&sink);
    ZipStreamWriter writer(out, zip::DosDateTime{});
    writer.addEntry("a.bin", zip::Method::Store, MemorySource(std::string(50000, 'a')));
    try {
        writer.addEntry("b.bin", zip::Method::Store, MemorySource(std::string(80000, 'b')));
        FAIL() << "the writer went on past a failed stream";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kArchiveWriteFailed);
    }
    EXPECT_THROW(writer.finish(), std::logic_error);
    EXPECT_THROW(writer.beginEntry("c.bin", zip::Method::Store), std::logic_error);
}

namespace {
/// Says it holds more bytes than it gives (a blob truncated on disk).
class ShortSource final : public ByteSource {
  public:
    std::uint64_t size() const override { return 200000; }
    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override {
        if (offset >= 100000) return 0;
        std::size_t k = std::min<std::size_t>(n, 100000 - offset);
        std::memset(out, 'x', k);
        return k;
    }
};
}  // namespace

TEST(ZipStreamWriter, ASourceShorterThanItsSizeLeavesNoCentralDirectory) {
    SinkBuf sink;
    std::ostream out(&sink);
    ZipStreamWriter writer(out, zip::DosDateTime{});
    try {
        writer.addEntry("short.pdf", zip::Method::Store, ShortSource());
        FAIL() << "a short source was taken as whole";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kBlobCorrupt);
    }
    EXPECT_THROW(writer.finish(), std::logic_error);
    EXPECT_EQ(sink.bytes.find(std::string("PK\x05\x06", 4)), std::string::npos);
}

TEST(ZipStreamWriter, RefusesNamesThatAreNotPlainRelativeUtf8Names) {
    SinkBuf sink;
    std::ostream out(&sink);
    for (std::string bad :
         {std::string(""), std::string("../x"), std::string("a/../b"), std::string("/etc/passwd"),
          std::string("a\\b"), std::string("C:x"), std::string("dir/"), std::string("a\nb"),
          std::string("\xFF\xFE"), std::string(65536, 'a')}) {
        ZipStreamWriter writer(out, zip::DosDateTime{});
        EXPECT_THROW(writer.beginEntry(bad, zip::Method::Store), std::invalid_argument) << bad;
    }
    ZipStreamWriter writer(out, zip::DosDateTime{});
    writer.beginEntry("docs/营业执照.jpg", zip::Method::Store);  // a folder is a plain path
    writer.endEntry();
    EXPECT_THROW(writer.beginEntry("docs/营业执照.jpg", zip::Method::Store), std::invalid_argument);
    // A refused name writes nothing: the archive goes on.
    writer.beginEntry("docs/营业执照（2）.jpg", zip::Method::Store);
    writer.endEntry();
    EXPECT_NO_THROW(writer.finish());
    EXPECT_EQ(writer.entries().size(), 2u);
}

TEST(ZipStreamWriter, StoresWhatIsCompressedAndDeflatesText) {
    using M = zip::Method;
    EXPECT_EQ(ZipStreamWriter::methodFor("image/jpeg"), M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor("image/png"), M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor("application/pdf"), M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor(
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor("application/zip"), M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor("application/octet-stream"), M::Store);
    EXPECT_EQ(ZipStreamWriter::methodFor("application/json"), M::Deflate);
    EXPECT_EQ(ZipStreamWriter::methodFor("Application/JSON; charset=utf-8"), M::Deflate);
    EXPECT_EQ(ZipStreamWriter::methodFor("text/plain"), M::Deflate);
    EXPECT_EQ(ZipStreamWriter::methodFor("text/csv"), M::Deflate);
    EXPECT_EQ(ZipStreamWriter::methodFor("application/xml"), M::Deflate);
    EXPECT_EQ(ZipStreamWriter::methodFor("image/svg+xml"), M::Deflate);
}

// --- entry names ------------------------------------------------------------------------

TEST(ZipEntryNames, PathsAreReducedToTheirLastSafeComponent) {
    EXPECT_EQ(ZipEntryNames::safeName("营业执照.jpg"), "营业执照.jpg");
    EXPECT_EQ(ZipEntryNames::safeName("../../etc/passwd"), "passwd");
    EXPECT_EQ(ZipEntryNames::safeName("..\\..\\Windows\\win.ini"), "win.ini");
    EXPECT_EQ(ZipEntryNames::safeName("C:\\Users\\张三\\营业执照.jpg"), "营业执照.jpg");
    EXPECT_EQ(ZipEntryNames::safeName("C:营业执照.jpg"), "营业执照.jpg");
    EXPECT_EQ(ZipEntryNames::safeName("/abs/path/承诺书.pdf"), "承诺书.pdf");
    EXPECT_EQ(ZipEntryNames::safeName("证照/.."), "证照");
    EXPECT_EQ(ZipEntryNames::safeName("证照/./"), "证照");
    EXPECT_EQ(ZipEntryNames::safeName(".."), "");
    EXPECT_EQ(ZipEntryNames::safeName("../.."), "");
    EXPECT_EQ(ZipEntryNames::safeName(""), "");
    EXPECT_EQ(ZipEntryNames::safeName("C:"), "");
}

TEST(ZipEntryNames, ControlsAndInvisibleCharactersGoAndWindowsReservedOnesAreReplaced) {
    EXPECT_EQ(ZipEntryNames::safeName("营业\x01执照\n.jpg"), "营业执照.jpg");
    EXPECT_EQ(ZipEntryNames::safeName("invoice\xE2\x80\xAEgpj.exe"), "invoicegpj.exe");  // RLO
    EXPECT_EQ(ZipEntryNames::safeName("a\xE2\x80\x8B"
                                      "b.pdf"),
              "ab.pdf");  // zero-width space
    EXPECT_EQ(ZipEntryNames::safeName("报告: 2025? \"终稿\" <1>|*.pdf"),
              "报告_ 2025_ _终稿_ _1___.pdf");
    EXPECT_EQ(ZipEntryNames::safeName(kYoshi + "野家承诺书.pdf"), kYoshi + "野家承诺书.pdf");
}

TEST(ZipEntryNames, DecomposedNamesComeOutComposed) {
    // "Café" with e + U+0301 (as macOS sends it) and ガ as カ + U+3099.
    EXPECT_EQ(ZipEntryNames::safeName("Cafe\xCC\x81.pdf"), "Caf\xC3\xA9.pdf");
    EXPECT_EQ(ZipEntryNames::safeName("\xE3\x82\xAB\xE3\x82\x99.txt"), "\xE3\x82\xAC.txt");
}

TEST(ZipEntryNames, ClashesGetAFullWidthNumberBeforeTheExtension) {
    ZipEntryNames names;
    names.reserve("manifest.json");
    EXPECT_EQ(names.assign("营业执照.jpg", "x"), "营业执照.jpg");
    EXPECT_EQ(names.assign("营业执照.jpg", "x"), "营业执照（2）.jpg");
    EXPECT_EQ(names.assign("scans/营业执照.jpg", "x"), "营业执照（3）.jpg");
    EXPECT_EQ(names.assign("营业执照（2）.jpg", "x"), "营业执照（2）（2）.jpg");
    // ASCII case does not make two names on Windows.
    EXPECT_EQ(names.assign("Report.PDF", "x"), "Report.PDF");
    EXPECT_EQ(names.assign("report.pdf", "x"), "report（2）.pdf");
    // The same text composed and decomposed is one name.
    EXPECT_EQ(names.assign("Caf\xC3\xA9.pdf", "x"), "Caf\xC3\xA9.pdf");
    EXPECT_EQ(names.assign("Cafe\xCC\x81.pdf", "x"), "Caf\xC3\xA9（2）.pdf");
    // The manifest's name is kept for the manifest.
    EXPECT_EQ(names.assign("MANIFEST.json", "x"), "MANIFEST（2）.json");
    // Nothing usable: the fallback, numbered like any other.
    EXPECT_EQ(names.assign("../..", "未命名.pdf"), "未命名.pdf");
    EXPECT_EQ(names.assign("", "未命名.pdf"), "未命名（2）.pdf");
    EXPECT_EQ(names.assign("README", "x"), "README");
    EXPECT_EQ(names.assign("readme", "x"), "readme（2）");
}

TEST(ZipEntryNames, ANumberedNameStillFitsTwoHundredFiftyFiveBytes) {
    ZipEntryNames names;
    std::string longName;
    for (int i = 0; i < 84; ++i) longName += "长";  // 252 bytes
    longName += ".pdf";                             // 256: cut to fit
    std::string first = names.assign(longName, "x");
    std::string second = names.assign(longName, "x");
    EXPECT_LE(first.size(), 255u);
    EXPECT_LE(second.size(), 255u);
    EXPECT_NE(first, second);
    EXPECT_EQ(second.substr(second.size() - std::string("（2）.pdf").size()), "（2）.pdf");
}
