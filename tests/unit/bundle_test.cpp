// The application bundle (issue 12, bundle.zip): a ZIP named after the organization, its
// entries named safely and uniquely, manifest.json last with every entry's SHA-256, read
// back by Info-ZIP unzip and Python's zipfile; the same bytes on every run; a blob that no
// longer matches its digest leaves no finished archive; 20 MB of evidence streamed through
// a counting sink with flat memory (a forked child's peak RSS).
#include <gtest/gtest.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <streambuf>

#include "EvidenceBundle.h"
#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/storage/BundleWriter.h"
#include "dossier/storage/FileSystem.h"
#include "dossier/storage/LocalBlobStore.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::storage;
using namespace dossier::test;

namespace {

const std::string kYoshi = "\xF0\xA0\xAE\xB7";   // 𠮷 U+20BB7
constexpr std::int64_t kSubmitted = 1745917200;  // 2025-04-29 09:00:00 UTC, 17:00 Beijing

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string put(BlobStore& blobs, const std::string& bytes) {
    auto staged = blobs.stage();
    staged->write(bytes.data(), bytes.size());
    staged->finish();
    return blobs.commit(*staged).sha256;
}

/// Counts what it is given and keeps nothing, like a socket.
class CountingBuf final : public std::streambuf {
  public:
    std::uint64_t count = 0;

  protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        count += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) ++count;
        return traits_type::not_eof(c);
    }
};

class BundleTest : public ::testing::Test {
  protected:
    TempDir dir;
    PosixFileSystem fs;
    LocalBlobStore blobs{fs, dir.path() + "/blobs"};
    BundleWriter writer{blobs};

    std::string jpeg = readFile(fixturePath("real/sealhacker_test_photo.jpg"));
    std::string png = readFile(fixturePath("real/paddlex_table_recognition.png"));
    std::string pdf = readFile(fixturePath("pdf/signed_commitment.pdf"));

    /// The entries of a small application: clashes, a path, 𠮷, a decomposed name, an
    /// empty file, a file named like the manifest.
    std::vector<BundleEntry> applicationEntries() {
        std::string jpegSha = put(blobs, jpeg);
        std::string pngSha = put(blobs, png);
        std::string pdfSha = put(blobs, pdf);
        auto memory = [](std::string bytes) {
            return [bytes] { return std::make_unique<MemorySource>(bytes); };
        };
        return {
            {"申报书.pdf", "application/pdf", "", memory(makeTextPdf(3))},
            {"营业执照.jpg", "image/jpeg", jpegSha, {}},
            {"营业执照.jpg", "image/jpeg", jpegSha, {}},
            {"../../etc/passwd", "image/png", pngSha, {}},
            {"C:\\Users\\张三\\" + kYoshi + "野家承诺书.pdf", "application/pdf", pdfSha, {}},
            {"Cafe\xCC\x81 证明.pdf", "application/pdf", pdfSha, {}},  // NFD é
            {"空白说明.txt", "text/plain", "", memory("")},
            {"manifest.json", "application/json", "", memory("{\"not\": \"the manifest\"}")},
            {"..", "application/pdf", pdfSha, {}},
        };
    }

    std::string writeBundle(const std::vector<BundleEntry>& entries,
                            BundleSummary* summary = nullptr) {
        std::ostringstream out;
        BundleSummary s = writer.write(out, "广州精科医学检验所有限公司.zip", entries, kSubmitted);
        if (summary != nullptr) *summary = s;
        return out.str();
    }
};

const std::vector<std::string> kExpectedNames = {
    "申报书.pdf",
    "营业执照.jpg",
    "营业执照（2）.jpg",
    "passwd",
    kYoshi + "野家承诺书.pdf",
    "Caf\xC3\xA9 证明.pdf",
    "空白说明.txt",
    "manifest（2）.json",
    "未命名.pdf",
    "manifest.json",
};

}  // namespace

TEST_F(BundleTest, UnzipAndPythonShowTheNamesAndTheManifestMatchesTheFiles) {
    BundleSummary summary;
    std::string bytes = writeBundle(applicationEntries(), &summary);
    std::string path = dir.path() + "/广州精科医学检验所有限公司.zip";
    writeFile(path, bytes);
    EXPECT_EQ(summary.bytes, bytes.size());
    ASSERT_EQ(summary.files.size(), kExpectedNames.size() - 1);

    std::string listing = runCommand("LC_ALL=C.UTF-8 unzip -l " + shellQuote(path) + " 2>&1");
    for (const auto& name : kExpectedNames) {
        EXPECT_NE(listing.find("  " + name + "\n"), std::string::npos) << name << "\n" << listing;
    }
    EXPECT_NE(listing.find("2025-04-29 17:00"), std::string::npos) << listing;
    std::string test = runCommand("LC_ALL=C.UTF-8 unzip -t " + shellQuote(path) + " 2>&1");
    EXPECT_NE(test.find("No errors detected"), std::string::npos) << test;

    // Python lists the names in order, extracts every file into a fresh directory (nothing
    // lands outside it), and checks each against the manifest, which is the last entry.
    std::string out = dir.path() + "/out";
    std::string script =
        "import sys, os, json, zipfile, hashlib\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "for n in z.namelist(): print(n)\n"
        "z.extractall(sys.argv[2])\n"
        "m = json.loads(z.read('manifest.json'))\n"
        "print('archive', m['archive'], m['created'])\n"
        "ok = True\n"
        "for e in m['entries']:\n"
        "    data = open(os.path.join(sys.argv[2], e['name']), 'rb').read()\n"
        "    if len(data) != e['size'] or hashlib.sha256(data).hexdigest() != e['sha256']:\n"
        "        ok = False; print('MISMATCH', e['name'])\n"
        "print('entries', len(m['entries']), 'files', len(os.listdir(sys.argv[2])), 'ok', ok)\n";
    std::string py = runCommand("PYTHONIOENCODING=utf-8 python3 -c " + shellQuote(script) + " " +
                                shellQuote(path) + " " + shellQuote(out) + " 2>&1");
    std::string expected;
    for (const auto& name : kExpectedNames) expected += name + "\n";
    expected += "archive 广州精科医学检验所有限公司.zip 2025-04-29T09:00:00Z\n";
    expected += "entries 9 files 10 ok True\n";
    EXPECT_EQ(py, expected);

    // The manifest says what the bytes are: the digests of the stored files, sizes, types.
    EXPECT_EQ(summary.files[1].sha256, Sha256::of(jpeg));
    EXPECT_EQ(summary.files[2].sha256, Sha256::of(jpeg));
    EXPECT_EQ(summary.files[3].sha256, Sha256::of(png));
    EXPECT_EQ(summary.files[3].mediaType, "image/png");
    EXPECT_EQ(summary.files[6].size, 0u);
    EXPECT_EQ(summary.files[6].sha256, Sha256::of(""));
    EXPECT_EQ(readFile(out + "/营业执照（2）.jpg"), jpeg);
}

TEST_F(BundleTest, TheSameApplicationGivesTheSameBytes) {
    auto entries = applicationEntries();
    std::string first = writeBundle(entries);
    EXPECT_EQ(first, writeBundle(entries));
}

TEST_F(BundleTest, AStoredFileThatNoLongerMatchesItsDigestLeavesNoFinishedArchive) {
    auto entries = applicationEntries();
    std::string jpegSha = entries[1].blobSha256;
    std::string blobPath =
        dir.path() + "/blobs/" + jpegSha.substr(0, 2) + "/" + jpegSha.substr(2, 2) + "/" + jpegSha;
    std::string damaged = jpeg;
    damaged[damaged.size() / 2] ^= 0x20;
    ::chmod(blobPath.c_str(), 0644);
    writeFile(blobPath, damaged);
    std::ostringstream out;
    try {
        writer.write(out, "x.zip", entries, kSubmitted);
        FAIL() << "a damaged blob went out as whole";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kBlobCorrupt);
    }
    // No end of central directory: unzip and Python refuse it rather than take part of it.
    EXPECT_EQ(out.str().find(std::string("PK\x05\x06", 4)), std::string::npos);
    std::string path = dir.path() + "/cut.zip";
    writeFile(path, out.str());
    std::string py =
        runCommand("python3 -c " +
                   shellQuote("import sys,zipfile\ntry:\n zipfile.ZipFile(sys.argv[1]); "
                              "print('read')\nexcept zipfile.BadZipFile: print('refused')") +
                   " " + shellQuote(path) + " 2>&1");
    EXPECT_EQ(py, "refused\n");
}

TEST_F(BundleTest, AMissingBlobIsAnError) {
    std::vector<BundleEntry> entries = {
        {"营业执照.jpg", "image/jpeg", std::string(64, 'a'), {}},
    };
    std::ostringstream out;
    try {
        writer.write(out, "x.zip", entries, kSubmitted);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kBlobMissing);
    }
}

TEST_F(BundleTest, AnEntryWithoutBytesIsRefused) {
    std::ostringstream out;
    EXPECT_THROW(writer.write(out, "x.zip", {{"a.pdf", "application/pdf", "", {}}}, kSubmitted),
                 std::invalid_argument);
}

TEST_F(BundleTest, AnEmptyBundleHoldsOnlyItsManifest) {
    std::string bytes = writeBundle({});
    std::string path = dir.path() + "/empty.zip";
    writeFile(path, bytes);
    std::string py = runCommand(
        "python3 -c " +
        shellQuote("import sys,zipfile,json; z=zipfile.ZipFile(sys.argv[1]); "
                   "print(z.namelist(), json.loads(z.read('manifest.json'))['entries'])") +
        " " + shellQuote(path) + " 2>&1");
    EXPECT_EQ(py, "['manifest.json'] []\n");
}

TEST(BundleArchiveName, IsTheOrganizationsFullNameAsAFileName) {
    EXPECT_EQ(BundleWriter::archiveName("广州精科医学检验所有限公司"),
              "广州精科医学检验所有限公司.zip");
    EXPECT_EQ(BundleWriter::archiveName(kYoshi + "野家（中国）有限公司"),
              kYoshi + "野家（中国）有限公司.zip");
    EXPECT_EQ(BundleWriter::archiveName("甲/乙\\丙公司"), "甲_乙_丙公司.zip");
    EXPECT_EQ(BundleWriter::archiveName("Cafe\xCC\x81 公司"), "Caf\xC3\xA9 公司.zip");
    EXPECT_EQ(BundleWriter::archiveName(" \x01 "), "bundle.zip");
    std::string longName;
    for (int i = 0; i < 100; ++i) longName += "长";
    std::string archive = BundleWriter::archiveName(longName);
    EXPECT_LE(archive.size(), 255u);
    EXPECT_EQ(archive.substr(archive.size() - 4), ".zip");
}

namespace {

long rssKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

}  // namespace

TEST_F(BundleTest, TwentyMegabytesOfEvidenceStreamWithFlatMemory) {
    // A 17 MB scan (bigger than the bound, so buffering one entry whole fails the test too)
    // and real fixtures up to 20 MB, stored before the child is forked.
    auto entries = storeEvidence(blobs, 20u << 20, 17u << 20);
    std::uint64_t evidence = evidenceBytes(blobs, entries);
    ASSERT_GE(evidence, 20u << 20);
    ::malloc_trim(0);

    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        long base = rssKb();
        std::string msg;
        try {
            CountingBuf sink;
            std::ostream out(&sink);
            BundleSummary s = writer.write(out, "x.zip", entries, kSubmitted);
            msg = std::to_string(base) + " " + std::to_string(sink.count) + " " +
                  std::to_string(s.files.size());
        } catch (const std::exception& e) {
            msg = std::string("0 0 0 ") + e.what();
        }
        (void)!::write(fds[1], msg.data(), msg.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, std::size_t(n));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    std::istringstream in(msg);
    long base = 0;
    std::uint64_t written = 0;
    std::size_t files = 0;
    in >> base >> written >> files;
    ASSERT_GT(base, 0) << msg;
    EXPECT_EQ(files, entries.size());
    EXPECT_GT(written, evidence);  // stored, plus headers
    long grewKb = usage.ru_maxrss - base;
    std::printf("20 MB bundle: %llu bytes out, peak RSS growth %ld KB\n",
                static_cast<unsigned long long>(written), grewKb);
    EXPECT_LE(grewKb, 16 * 1024);
}
