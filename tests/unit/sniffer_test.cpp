#include <gtest/gtest.h>

#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/evidence/TypeSniffer.h"

using namespace dossier;
using namespace dossier::test;
using evidence::Integrity;
using evidence::TypeSniffer;

namespace {

evidence::SniffResult sniffBytes(const std::string& bytes) {
    return TypeSniffer::sniff(MemorySource(bytes));
}

std::string realJpeg() { return readFile(fixturePath("real/yyzz_template_generator-tools.jpg")); }
std::string realPng() { return readFile(fixturePath("real/paddlex_table_recognition.png")); }

}  // namespace

TEST(TypeSniffer, RealScans) {
    for (const char* name :
         {"real/yyzz_template_generator-tools.jpg", "real/sealhacker_test_photo.jpg"}) {
        auto r = sniffBytes(readFile(fixturePath(name)));
        EXPECT_EQ(r.type, MediaType::Jpeg) << name;
        EXPECT_EQ(r.integrity, Integrity::Intact) << name << ": " << r.note;
    }
    for (const char* name :
         {"real/paddlex_table_recognition.png", "real/getseal_source_beijing_zhongdao.png"}) {
        auto r = sniffBytes(readFile(fixturePath(name)));
        EXPECT_EQ(r.type, MediaType::Png) << name;
        EXPECT_EQ(r.integrity, Integrity::Intact) << name << ": " << r.note;
    }
}

TEST(TypeSniffer, OfficeDocumentsAreToldApartByContent) {
    EXPECT_EQ(sniffBytes(makeDocx()).type, MediaType::Docx);
    EXPECT_EQ(sniffBytes(makeXlsx()).type, MediaType::Xlsx);
    EXPECT_EQ(sniffBytes(makePptx()).type, MediaType::Zip);
    EXPECT_EQ(sniffBytes(makeZip({{"readme.txt", "hello"}})).type, MediaType::Zip);
    // A ZIP that merely has a word/ folder but no content types is not a DOCX.
    EXPECT_EQ(sniffBytes(makeZip({{"word/document.xml", "<w/>"}})).type, MediaType::Zip);
}

TEST(TypeSniffer, Pdf) {
    auto r = sniffBytes(makePdf());
    EXPECT_EQ(r.type, MediaType::Pdf);
    EXPECT_EQ(r.integrity, Integrity::Intact);
}

TEST(TypeSniffer, TruncatedFilesAreDetected) {
    std::string jpeg = realJpeg();
    auto r = sniffBytes(jpeg.substr(0, jpeg.size() / 2));
    EXPECT_EQ(r.type, MediaType::Jpeg);
    EXPECT_EQ(r.integrity, Integrity::Truncated);
    EXPECT_EQ(sniffBytes(jpeg.substr(0, jpeg.size() - 2)).integrity, Integrity::Truncated);
    EXPECT_EQ(sniffBytes(jpeg.substr(0, 3)).integrity, Integrity::Truncated);

    std::string png = realPng();
    auto p = sniffBytes(png.substr(0, png.size() - 100));
    EXPECT_EQ(p.type, MediaType::Png);
    EXPECT_EQ(p.integrity, Integrity::Truncated);

    std::string pdf = makePdf();
    EXPECT_EQ(sniffBytes(pdf.substr(0, pdf.size() - 10)).integrity, Integrity::Truncated);

    std::string docx = makeDocx();
    auto z = sniffBytes(docx.substr(0, docx.size() - 30));
    EXPECT_EQ(z.integrity, Integrity::Truncated);
}

TEST(TypeSniffer, TrailingBytesAfterJpegEndAreTolerated) {
    auto r = sniffBytes(realJpeg() + std::string(5000, 'x'));
    EXPECT_EQ(r.type, MediaType::Jpeg);
    EXPECT_EQ(r.integrity, Integrity::Intact);
}

TEST(TypeSniffer, CorruptStructure) {
    EXPECT_EQ(sniffBytes("\xFF\xD8\xFF" + std::string(100, '\x00')).integrity, Integrity::Corrupt);
    std::string png = realPng();
    png[12] = 'X';  // first chunk is not IHDR
    EXPECT_EQ(sniffBytes(png).integrity, Integrity::Corrupt);
}

TEST(TypeSniffer, WrongTypesUnderRightExtensionsAreUnknown) {
    EXPECT_EQ(sniffBytes("MZ\x90\x00 this is a Windows executable").type, MediaType::Unknown);
    EXPECT_EQ(sniffBytes("<html><script>alert(1)</script></html>").type, MediaType::Unknown);
    EXPECT_EQ(sniffBytes("GIF89a......").type, MediaType::Unknown);
    EXPECT_EQ(sniffBytes("Rar!\x1A\x07\x00").type, MediaType::Unknown);
    auto ole =
        sniffBytes(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
    EXPECT_EQ(ole.type, MediaType::Unknown);
    EXPECT_NE(ole.note.find("DOCX"), std::string::npos);
    EXPECT_EQ(sniffBytes("").type, MediaType::Unknown);
}

TEST(TypeSniffer, ZipBombContentTypesIsNotInflatedPastTheCap) {
    // [Content_Types].xml inflating to 64 MiB of zeros: the sniffer stops at 1 MiB.
    std::string huge(64u << 20, ' ');
    std::string bomb = makeZip({{"[Content_Types].xml", huge}});
    ASSERT_LT(bomb.size(), 1u << 20);
    auto r = sniffBytes(bomb);
    EXPECT_EQ(r.type, MediaType::Zip);
}
