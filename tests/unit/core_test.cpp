#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/FileName.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/core/LogValue.h"
#include "dossier/core/MediaType.h"
#include "dossier/core/PdfBytes.h"
#include "dossier/core/Project.h"
#include "dossier/core/Utf8.h"

using namespace dossier;

TEST(FileName, KeepsChineseAndRareCharacters) {
    EXPECT_EQ(sanitizeFileName("营业执照（副本）.jpg"), "营业执照（副本）.jpg");
    // 𠮷 is outside the BMP (U+20BB7) and appears in real company names.
    EXPECT_EQ(sanitizeFileName("\xF0\xA0\xAE\xB7野家承诺书.pdf"), "\xF0\xA0\xAE\xB7野家承诺书.pdf");
}

TEST(FileName, DropsDirectoryComponents) {
    EXPECT_EQ(sanitizeFileName("../../etc/passwd"), "passwd");
    EXPECT_EQ(sanitizeFileName("C:\\Users\\张三\\scan.png"), "scan.png");
    EXPECT_EQ(sanitizeFileName("/abs/path/a.pdf"), "a.pdf");
    EXPECT_EQ(sanitizeFileName(".."), "");
    EXPECT_EQ(sanitizeFileName("dir/.."), "");
    EXPECT_EQ(sanitizeFileName("///"), "");
}

TEST(FileName, DropsControlAndBidiCharacters) {
    EXPECT_EQ(sanitizeFileName(std::string("a\0b.jpg", 7)), "ab.jpg");
    EXPECT_EQ(sanitizeFileName("line\r\nbreak.png"), "linebreak.png");
    // RIGHT-TO-LEFT OVERRIDE used to disguise "gpj.exe" as "exe.jpg".
    EXPECT_EQ(sanitizeFileName("invoice\xE2\x80\xAEgpj.exe"), "invoicegpj.exe");
    EXPECT_EQ(sanitizeFileName("  spaced name.pdf  "), "spaced name.pdf");
}

TEST(FileName, RepairsMalformedUtf8) {
    std::string out = sanitizeFileName("bad\xC3(name.jpg");
    EXPECT_TRUE(utf8::isValid(out));
    EXPECT_EQ(out, "bad\xEF\xBF\xBD(name.jpg");
}

TEST(FileName, TruncatesOnCodePointBoundaryKeepingExtension) {
    std::string longName;
    for (int i = 0; i < 200; ++i) longName += "质";
    longName += ".pdf";
    std::string out = sanitizeFileName(longName);
    EXPECT_LE(out.size(), kMaxFileNameBytes);
    EXPECT_TRUE(utf8::isValid(out));
    EXPECT_EQ(out.substr(out.size() - 4), ".pdf");
    EXPECT_EQ(out.substr(0, 3), "质");
}

TEST(FileName, NormalizesToNfc) {
    // "Café" with a combining acute (as macOS sends it) is stored precomposed.
    EXPECT_EQ(sanitizeFileName("Cafe\xCC\x81_检测报告.pdf"), "Caf\xC3\xA9_检测报告.pdf");
    // Hangul jamo compose; a mark after a dropped control composes with its base.
    EXPECT_EQ(sanitizeFileName("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB.pdf"), "\xED\x95\x9C.pdf");
    EXPECT_EQ(sanitizeFileName(std::string("e\0\xCC\x81.pdf", 8)), "\xC3\xA9.pdf");
    // NFC, not NFKC: full-width parentheses stay full-width.
    EXPECT_EQ(sanitizeFileName("报告（终稿）.pdf"), "报告（终稿）.pdf");
}

TEST(FileName, FitKeepsSuffixAndExtensionAndCutsOnCharacters) {
    std::string stem;
    for (int i = 0; i < 84; ++i) stem += "质";  // 252 bytes
    std::string fitted = fitFileName(stem, "（备案水印）", ".pdf");
    EXPECT_LE(fitted.size(), kMaxFileNameBytes);
    EXPECT_TRUE(utf8::isValid(fitted));
    EXPECT_EQ(fitted.substr(fitted.size() - 22), "（备案水印）.pdf");
    EXPECT_EQ(fitted.size(), 77 * 3 + 22u);  // 77 whole characters: one more would not fit
    EXPECT_EQ(fitFileName("a", "-p1", ".png"), "a-p1.png");
    std::string emoji;
    for (int i = 0; i < 70; ++i) emoji += "\xF0\x9F\x8F\x86";  // 4-byte characters
    EXPECT_EQ(fitFileName(emoji, "", ".xlsx").size(), 62 * 4 + 5u);
}

TEST(FileName, DownloadNameCarriesTheExtensionOfTheContent) {
    EXPECT_EQ(downloadFileName("营业执照.png", MediaType::Jpeg), "营业执照.jpg");
    EXPECT_EQ(downloadFileName("scan.jpeg", MediaType::Jpeg), "scan.jpeg");
    EXPECT_EQ(downloadFileName("SCAN.JPG", MediaType::Jpeg), "SCAN.JPG");
    EXPECT_EQ(downloadFileName("scan", MediaType::Jpeg), "scan.jpg");
    EXPECT_EQ(downloadFileName("证照.jpg", MediaType::Pdf), "证照.pdf");
    EXPECT_EQ(downloadFileName("总结.doc", MediaType::Docx), "总结.docx");
    EXPECT_EQ(downloadFileName("总结.ZIP", MediaType::Docx), "总结.docx");
    EXPECT_EQ(downloadFileName("名单.xls", MediaType::Xlsx), "名单.xlsx");
    EXPECT_EQ(downloadFileName("报告v2.1", MediaType::Pdf), "报告v2.1.pdf");
    EXPECT_EQ(downloadFileName(".pdf", MediaType::Pdf), ".pdf");
    std::string longName;
    for (int i = 0; i < 84; ++i) longName += "质";
    std::string fixed = downloadFileName(longName + ".png", MediaType::Jpeg);
    EXPECT_LE(fixed.size(), kMaxFileNameBytes);
    EXPECT_EQ(fixed.substr(fixed.size() - 4), ".jpg");
    std::string appended = downloadFileName(longName + "abc", MediaType::Pdf);
    EXPECT_LE(appended.size(), kMaxFileNameBytes);
    EXPECT_EQ(appended.substr(appended.size() - 4), ".pdf");
}

TEST(Utf8, RejectsOverlongAndSurrogates) {
    EXPECT_FALSE(utf8::isValid("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(utf8::isValid("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(utf8::isValid("\xF4\x90\x80\x80"));  // > U+10FFFF
    EXPECT_TRUE(utf8::isValid("质量标杆\xF0\xA0\xAE\xB7"));
    EXPECT_EQ(utf8::decode("\xF0\xA0\xAE\xB7"), std::u32string(1, U'\U00020BB7'));
    EXPECT_EQ(utf8::encode(U"质量"), "质量");
}

TEST(DocumentKind, LimitsAndTypesFollowTheRules) {
    constexpr std::uint64_t MiB = 1 << 20;
    EXPECT_EQ(defaultLimitOf(DocumentKind::License), 5 * MiB);
    EXPECT_EQ(defaultLimitOf(DocumentKind::Commitment), 10 * MiB);
    EXPECT_EQ(defaultLimitOf(DocumentKind::Proof), 10 * MiB);
    EXPECT_EQ(defaultLimitOf(DocumentKind::Evidence), 20 * MiB);
    EXPECT_EQ(defaultLimitOf(DocumentKind::Summary), 20 * MiB);
    EXPECT_EQ(defaultLimitOf(DocumentKind::Import), 20 * MiB);
    EXPECT_TRUE(isAllowed(DocumentKind::License, MediaType::Pdf));
    EXPECT_FALSE(isAllowed(DocumentKind::License, MediaType::Docx));
    EXPECT_TRUE(isAllowed(DocumentKind::Summary, MediaType::Docx));
    EXPECT_FALSE(isAllowed(DocumentKind::Summary, MediaType::Jpeg));
    EXPECT_TRUE(isAllowed(DocumentKind::Import, MediaType::Xlsx));
    EXPECT_FALSE(isAllowed(DocumentKind::Import, MediaType::Zip));
    for (DocumentKind k : kAllDocumentKinds) {
        EXPECT_FALSE(isAllowed(k, MediaType::Zip));
        EXPECT_FALSE(isAllowed(k, MediaType::Unknown));
        EXPECT_EQ(parseDocumentKind(nameOf(k)), k);
    }
    EXPECT_FALSE(parseDocumentKind("License").has_value());
    EXPECT_FALSE(parseDocumentKind("license'; DROP TABLE documents;--").has_value());
    KindLimits limits;
    limits.setLimit(DocumentKind::License, 1024);
    EXPECT_EQ(limits.limitOf(DocumentKind::License), 1024u);
    EXPECT_EQ(limits.largest(), 20 * MiB);
}

TEST(MediaType, ExtensionsAndDeclaredTypes) {
    EXPECT_EQ(typeFromExtension("scan.JPEG"), MediaType::Jpeg);
    EXPECT_EQ(typeFromExtension("a.b.Pdf"), MediaType::Pdf);
    EXPECT_FALSE(typeFromExtension("noext").has_value());
    EXPECT_FALSE(typeFromExtension("x.exe").has_value());
    EXPECT_EQ(typeFromMime("image/png; charset=binary"), MediaType::Png);
    EXPECT_FALSE(typeFromMime("application/octet-stream").has_value());
    EXPECT_EQ(mediaTypeFromMime(mimeOf(MediaType::Xlsx)), MediaType::Xlsx);
}

TEST(IdGenerator, UniqueWellFormedAndTimeOrdered) {
    FixedClock clock(1'700'000'000'000'000);
    IdGenerator ids(clock);
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
        auto id = ids.next();
        ASSERT_TRUE(IdGenerator::isWellFormed(id)) << id;
        ASSERT_TRUE(seen.insert(id).second);
    }
    std::string early = ids.next();
    clock.set(1'700'000'000'001'000);  // one millisecond later
    EXPECT_LT(early.substr(0, 10), ids.next().substr(0, 10));
    EXPECT_FALSE(IdGenerator::isWellFormed("../../etc/passwd"));
    EXPECT_FALSE(IdGenerator::isWellFormed("01M7XMRVRA91WWN6HJCHNX0H4"));   // 25 chars
    EXPECT_FALSE(IdGenerator::isWellFormed("01M7XMRVRA91WWN6HJCHNX0H4U"));  // U not in alphabet
}

// Rows written in one instant (a state change and its audit entries; FixedClock in tests)
// must keep their order when sorted by id, from any thread.
TEST(IdGenerator, StrictlyIncreasingWithinOneMillisecondAndWhenTheClockStepsBack) {
    FixedClock clock(1'700'000'000'000'000);
    IdGenerator ids(clock);
    std::string previous = ids.next();
    for (int i = 0; i < 10000; ++i) {
        std::string id = ids.next();
        ASSERT_LT(previous, id) << i;
        previous = id;
    }
    clock.set(1'699'999'999'000'000);  // one second back (an NTP step)
    EXPECT_LT(previous, ids.next());

    std::vector<std::vector<std::string>> made(4);
    std::vector<std::thread> threads;
    for (auto& mine : made) {
        threads.emplace_back([&ids, &mine] {
            for (int i = 0; i < 2000; ++i) mine.push_back(ids.next());
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& mine : made) {
        EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
        EXPECT_EQ(std::adjacent_find(mine.begin(), mine.end()), mine.end());
        all.insert(mine.begin(), mine.end());
    }
    EXPECT_EQ(all.size(), 8000u);
}

TEST(Clock, FormatsRfc3339Utc) {
    EXPECT_EQ(formatTimestamp(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(formatTimestamp(1'743'469'200'123'456), "2025-04-01T01:00:00.123Z");
}

#include "TestSupport.h"
#include "dossier/core/ImageHeader.h"

TEST(ImageHeader, ReadsDimensionsWithoutDecoding) {
    auto jpeg = readImageHeader(dossier::test::readFile(
        dossier::test::fixturePath("real/yyzz_template_generator-tools.jpg")));
    ASSERT_TRUE(jpeg.has_value());
    EXPECT_EQ(jpeg->type, MediaType::Jpeg);
    EXPECT_EQ(jpeg->width, 1091u);
    EXPECT_EQ(jpeg->height, 767u);
    auto png = readImageHeader(
        dossier::test::readFile(dossier::test::fixturePath("real/paddlex_table_recognition.png")));
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(png->type, MediaType::Png);
    EXPECT_GT(png->width, 0u);
    EXPECT_FALSE(readImageHeader("\xFF\xD8\xFF").has_value());
    EXPECT_FALSE(readImageHeader("%PDF-1.7").has_value());
}

TEST(PdfBytes, JunkAfterTheLastOffsetIsLeftOut) {
    std::string rebuilt;
    std::string body = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\nxref\n0 1\ntrailer\n<<>>\n";
    std::string pdf = body + "startxref\n40\n%%EOF\n";
    EXPECT_EQ(pdfWithoutTrailingJunk(pdf, rebuilt), pdf);
    EXPECT_TRUE(rebuilt.empty()) << "an intact file is not copied";
    // After the marker: a MIME trailer, zero padding.
    EXPECT_EQ(
        pdfWithoutTrailingJunk(pdf + "\r\n------=_Part_0--\r\n" + std::string(3000, '\0'), rebuilt),
        pdf);
    // Between the offset and the marker (qpdf looks for startxref in the last 1 KB only).
    std::string shifted = body + "startxref\n40\n" + std::string(4000, 'a') + "%%EOF\n";
    EXPECT_EQ(pdfWithoutTrailingJunk(shifted, rebuilt), pdf);
    EXPECT_EQ(rebuilt, pdf);
    // Nothing to go by: unchanged.
    std::string noOffset = body + "startxref\n%%EOF\n" + std::string(2000, 'x');
    EXPECT_EQ(pdfWithoutTrailingJunk(noOffset, rebuilt), noOffset);
    EXPECT_EQ(pdfWithoutTrailingJunk("%PDF-1.4\n", rebuilt), "%PDF-1.4\n");
}

// A password with one of these is refused (PBKDF2 took "pw\0" for "pw"); other bytes, UTF-8
// or not, are left to the password rules.
TEST(AccountRules, ControlCharactersInPasswords) {
    using account_rules::hasControlCharacter;
    EXPECT_FALSE(hasControlCharacter("Secret-2025"));
    EXPECT_FALSE(hasControlCharacter("密码 ~!"));
    EXPECT_FALSE(hasControlCharacter("\xc2\xa0\xc3\x85\xff"));  // U+00A0, U+00C5, a stray byte
    EXPECT_FALSE(hasControlCharacter("\xc2"));                  // cut short, not C1
    for (std::string bad :
         {std::string("pw\0", 3), std::string("\x01pw"), std::string("p\tw"), std::string("pw\x1f"),
          std::string("pw\x7f"), std::string("pw\xc2\x80"), std::string("pw\xc2\x9f")}) {
        EXPECT_TRUE(hasControlCharacter(bad)) << bad.size();
    }
    std::vector<FieldProblem> problems;
    account_rules::checkPassword("password", std::string("Secret-2025\0", 12), "jingke01",
                                 problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].code, codes::kFieldControlCharacter);
}

TEST(LogValue, EscapesWhatWouldEndOrForgeALine) {
    const std::string forged =
        "https://x.example/v\n2026-01-01T00:00:00.000Z E dossier.http request_id=FORGED";
    std::string v = logValue(forged);
    EXPECT_EQ(v.find('\n'), std::string::npos);
    EXPECT_EQ(v,
              "\"https://x.example/v\\n2026-01-01T00:00:00.000Z E dossier.http "
              "request_id=FORGED\"");
    EXPECT_EQ(logValue("a\rb\tc\x01\x7F"), "a\\rb\\tc\\u0001\\u007F");
    // C1 controls, the line/paragraph separators and bidi overrides, as \uXXXX.
    EXPECT_EQ(logValue("a\xC2\x85"
                       "b\xE2\x80\xA8"
                       "c\xE2\x80\xA9"
                       "d\xE2\x80\xAE"
                       "e"),
              "a\\u0085b\\u2028c\\u2029d\\u202Ee");
    EXPECT_EQ(logValue("bad\xFF\xC3("), "bad\\xFF\\xC3(");
    EXPECT_EQ(logValue("back\\slash"), "back\\\\slash");
    // Chinese and 𠮷 stay readable; a value that could pass for more fields is quoted.
    EXPECT_EQ(logValue("广州\xF0\xA0\xAE\xB7"), "广州\xF0\xA0\xAE\xB7");
    EXPECT_EQ(logValue("x status=200"), "\"x status=200\"");
    EXPECT_EQ(logValue("say \"hi\""), "\"say \\\"hi\\\"\"");
    EXPECT_EQ(logValue(""), "\"\"");
    EXPECT_EQ(logField("detail", "a b"), " detail=\"a b\"");
}

TEST(LogValue, CutsLongValuesOnACharacterBoundaryAndSaysSo) {
    std::string v = logValue(std::string(100000, 'a'));
    EXPECT_EQ(v, "\"" + std::string(kLogValueCap, 'a') + "…(cut, 100000 bytes)\"");
    std::string chinese;
    for (int i = 0; i < 200; ++i) chinese += "字";  // 3 bytes each
    std::string c = logValue(chinese);
    EXPECT_TRUE(utf8::isValid(c));
    EXPECT_EQ(c.substr(1, c.find("…") - 1).size(), kLogValueCap / 3 * 3);
    // Escapes count toward the cap: 10,000 newlines stay a short single line.
    std::string n = logValue(std::string(10000, '\n'));
    EXPECT_EQ(n.find('\n'), std::string::npos);
    EXPECT_LE(n.size(), kLogValueCap + 40);
    EXPECT_EQ(logValue(std::string(kLogValueCap, 'b')), std::string(kLogValueCap, 'b'));
}

TEST(JsonNumbers, RefusesWhatNoParserOfOursCanRepresent) {
    auto refused = [](const std::string& json) {
        try {
            requireRepresentableNumbers(json);
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), codes::kRequestNumberOutOfRange) << json;
            return true;
        }
        return false;
    };
    // The 64-bit bounds themselves are fine, one past them is not.
    EXPECT_FALSE(refused(R"({"a": 18446744073709551615, "b": -9223372036854775808})"));
    EXPECT_TRUE(refused(R"({"a": 18446744073709551616})"));
    EXPECT_TRUE(refused(R"({"a": -9223372036854775809})"));
    EXPECT_TRUE(refused(R"([99999999999999999999999])"));
    EXPECT_FALSE(refused(R"([00000000000000000000001, -0, 0, 9223372036854775809])"));
    // Beyond the largest double, however it is written; tiny numbers read as 0.
    EXPECT_TRUE(refused("[1e400]"));
    EXPECT_TRUE(refused("[-1.8e308]"));
    EXPECT_TRUE(refused("[0.1e400]"));
    EXPECT_TRUE(refused("[1e99999999999999999999999]"));
    EXPECT_FALSE(refused("[1.7976931348623157e308, 1e-400, 0.0001e-400, 1e-99999999999999999999]"));
    EXPECT_FALSE(refused("[123456789012345678901234567890.5, 1E5, 2.5e-310]"));
    // Digits inside strings are text, whatever they look like.
    EXPECT_FALSE(refused(R"({"a": "99999999999999999999999", "b\"1e400": "\\"})"));
    EXPECT_TRUE(refused(R"({"a": "\"", "b": 1e999})"));
    try {
        requireRepresentableNumbers(R"({"star_level": 99999999999999999999999})");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.message().find("99999999999999999999999 (at byte 15)"), std::string::npos)
            << e.message();
    }
}

TEST(JsonNumbers, DecimalPlacesOfTheExactValueOfALiteral) {
    EXPECT_EQ(decimalPlaces("0"), 0);
    EXPECT_EQ(decimalPlaces("-0.00"), 0);
    EXPECT_EQ(decimalPlaces("100"), 0);
    EXPECT_EQ(decimalPlaces("100.0"), 0);
    EXPECT_EQ(decimalPlaces("4.000"), 0);
    EXPECT_EQ(decimalPlaces("1.5e1"), 0);
    EXPECT_EQ(decimalPlaces("1E2"), 0);
    EXPECT_EQ(decimalPlaces("12.34"), 2);
    EXPECT_EQ(decimalPlaces("-12.340"), 2);
    EXPECT_EQ(decimalPlaces("1.230"), 2);
    EXPECT_EQ(decimalPlaces("1e-2"), 2);
    EXPECT_EQ(decimalPlaces("100e-2"), 0);
    EXPECT_EQ(decimalPlaces("0.125"), 3);
    EXPECT_EQ(decimalPlaces("0.10000000000000001"), 17);
    EXPECT_EQ(decimalPlaces("4.0000000000000001"), 16);
    EXPECT_EQ(decimalPlaces("1e-400"), 400);
    EXPECT_EQ(decimalPlaces("0e-400"), 0);
    EXPECT_GE(decimalPlaces("1e-99999999999999999999"), 1'000'000'000'000'000);
    EXPECT_EQ(decimalPlaces("1e+99999999999999999999"), 0);
    EXPECT_EQ(decimalPlaces("abc"), -1);
    EXPECT_EQ(decimalPlaces("1."), -1);
    EXPECT_EQ(decimalPlaces("1e"), -1);
}

TEST(JsonNumbers, InspectingABodyGivesEachNumbersTextByItsPath) {
    auto numbers = inspectJsonBody(
        R"({"a": 1, "b": {"c": [0.10000000000000001, {"d": 1e-400}], "e": "7"},
            "rows": [{"x": 100.0}, {"x": -2}], "f": [[1, 2], [3]], "g": true, "h": null})");
    JsonNumberTexts expected{{"a", "1"},
                             {"b.c[0]", "0.10000000000000001"},
                             {"b.c[1].d", "1e-400"},
                             {"rows[0].x", "100.0"},
                             {"rows[1].x", "-2"},
                             {"f[0][0]", "1"},
                             {"f[0][1]", "2"},
                             {"f[1][0]", "3"}};
    EXPECT_EQ(numbers, expected);
    // Numbers inside strings (keys or values, escaped quotes too) are text.
    EXPECT_TRUE(inspectJsonBody(R"({"1e999": "2e999 \" 3e999", "x\"y": "-5"})").empty());
    // Out of range is still refused.
    EXPECT_THROW(inspectJsonBody(R"({"n": 1e999})"), Error);
}

TEST(JsonNumbers, AKeyGivenTwiceInOneObjectIsRefused) {
    auto refusal = [](const std::string& json) -> std::string {
        try {
            inspectJsonBody(json);
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), codes::kRequestMalformed) << json;
            return e.message();
        }
        return {};
    };
    EXPECT_NE(refusal(R"({"name": "a", "name": "b"})").find("\"name\" appears twice in the body"),
              std::string::npos);
    // Escapes are read before keys are compared: \u0061 is a.
    EXPECT_NE(refusal(R"({"a": 1, "\u0061": 2})").find("\"a\""), std::string::npos);
    EXPECT_NE(refusal(R"({"𠮷": 1, "\ud842\udfb7": 2})").find("\"𠮷\""), std::string::npos);
    EXPECT_NE(refusal(R"({"rows": [{"x": 1}, {"x": 1, "y": {}, "x": 2}]})")
                  .find("\"x\" appears twice in rows[1]"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"a": {"b": {}, "b": []}})").find("in a "), std::string::npos);
    // The same key in different objects, and a key equal to a value, are fine.
    EXPECT_EQ(refusal(R"({"x": {"x": "x"}, "rows": [{"x": 1}, {"x": 2}], "y": "x"})"), "");
    EXPECT_EQ(refusal(R"({"a": 1, "A": 2, "a ": 3})"), "");
    // Malformed JSON is left for the parser.
    EXPECT_EQ(refusal(R"({"a": 1, "b)"), "");
    EXPECT_EQ(refusal(R"({"a": 1, "a\q": 2})"), "");
}

namespace {
std::vector<std::string> dateCodes(const std::string& value, const std::string& today) {
    std::vector<FieldProblem> out;
    project_rules::checkPastDate("d", value, today, out);
    std::vector<std::string> codes;
    for (const auto& p : out) codes.emplace_back(p.code.text());
    return codes;
}
}  // namespace

TEST(ProjectRules, DatesAreRealDaysNotInTheFuture) {
    using V = std::vector<std::string>;
    EXPECT_EQ(dateCodes("2024-02-29", "2026-12-01"), V{});
    EXPECT_EQ(dateCodes("2000-02-29", "2026-12-01"), V{});              // divisible by 400: leap
    EXPECT_EQ(dateCodes("1900-02-29", "2026-12-01"), V{"field.date"});  // by 100: not leap
    EXPECT_EQ(dateCodes("2023-02-29", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("2023-02-30", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("2023-04-31", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("2023-13-01", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("2023-00-10", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("2023-5-16", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("２０２３-05-16", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("1899-12-31", "2026-12-01"), V{"field.date"});
    EXPECT_EQ(dateCodes("1900-01-01", "2026-12-01"), V{});
    EXPECT_EQ(dateCodes("2026-12-01", "2026-12-01"), V{});
    EXPECT_EQ(dateCodes("2026-12-02", "2026-12-01"), V{"field.future_date"});
    // Today is Beijing's: 16:00 UTC is already the next day there.
    EXPECT_EQ(project_rules::beijingDate(1796054400LL * 1000000), "2026-12-01");  // 16:00Z
    EXPECT_EQ(project_rules::beijingDate(1796054399LL * 1000000), "2026-11-30");  // 15:59:59Z
}

TEST(ProjectRules, KeywordsComparedTrimmedAndCaseFolded) {
    EXPECT_EQ(project_rules::keywordKey(" AI "), project_rules::keywordKey("ai"));
    EXPECT_EQ(project_rules::keywordKey("ＡＩ"), project_rules::keywordKey("ai"));
    EXPECT_EQ(project_rules::keywordKey("\u3000质量追溯"), project_rules::keywordKey("质量追溯"));
    EXPECT_NE(project_rules::keywordKey("质量"), project_rules::keywordKey("质量追溯"));
    EXPECT_EQ(project_rules::trim("\u3000 𠮷 \u00a0"), "𠮷");
    EXPECT_TRUE(project_rules::hasListSeparator("质量追溯、互联网+"));
    EXPECT_TRUE(project_rules::hasListSeparator("a，b"));
    EXPECT_TRUE(project_rules::hasListSeparator("a;b"));
    EXPECT_FALSE(project_rules::hasListSeparator("互联网+"));
}

TEST(ProjectRules, TextCountsCharactersAndKnowsItsLines) {
    auto codes = [](const std::string& v, std::size_t max, bool multiline) {
        std::vector<FieldProblem> out;
        project_rules::checkText("t", v, max, multiline, true, out);
        std::vector<std::string> c;
        for (const auto& p : out) c.emplace_back(p.code.text());
        return c;
    };
    using V = std::vector<std::string>;
    std::string yoshi = "𠮷";  // four bytes, one character
    EXPECT_EQ(codes(yoshi + yoshi, 2, false), V{});
    EXPECT_EQ(codes(yoshi + yoshi + yoshi, 2, false), V{"field.too_long"});
    EXPECT_EQ(codes("a\nb", 10, false), V{"field.line_break"});
    EXPECT_EQ(codes("a\nb\tc", 10, true), V{});
    EXPECT_EQ(codes("a\rb", 10, true), V{"field.control_character"});
    EXPECT_EQ(codes("a\r\nb\r\n", 10, true), V{});
    EXPECT_EQ(codes("a\n\rb", 10, true), V{"field.control_character"});
    EXPECT_EQ(codes("a\r\nb", 10, false), V{"field.line_break"});
    EXPECT_EQ(codes("a\u2028b", 10, false), V{"field.line_break"});
    EXPECT_EQ(codes("\u3000 ", 10, false), V{"field.required"});
    EXPECT_EQ(codes("\xff", 10, false), V{"field.encoding"});
}

// Text fields refuse what would make a reviewer read another text than the one stored:
// bidi overrides and isolates ("Trojan Source"), and names of nothing visible.
TEST(TextRules, BidiControlsAndInvisibleCharactersAreRefusedInNames) {
    for (const char* bad : {"精科\u202E司公限有", "\u2066精科\u2069", "\u200B",
                            "\u200B\u200C\u200D", "精科\u200F", "\uFEFF精科", "精科\u2028检验"}) {
        std::vector<dossier::FieldProblem> problems;
        dossier::account_rules::checkName("name", bad, 100, problems);
        ASSERT_EQ(problems.size(), 1u) << bad;
        EXPECT_EQ(problems[0].code, "field.control_character") << bad;
        problems.clear();
        dossier::project_rules::checkText("name", bad, 100, false, true, problems);
        EXPECT_FALSE(problems.empty()) << bad;
    }
    std::vector<dossier::FieldProblem> problems;
    dossier::account_rules::checkName("name", "广州精科（𠮷）医学检验所", 100, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_FALSE(dossier::utf8::isRefusedInText(U'𠮷'));
    EXPECT_FALSE(dossier::utf8::isRefusedInText(0x3000));  // the ideographic space is text
    EXPECT_TRUE(dossier::utf8::isRefusedInText(0x202E));
}
