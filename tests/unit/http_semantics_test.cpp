#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dossier/core/Utf8.h"
#include "dossier/http/HttpSemantics.h"

using namespace dossier::http;

TEST(Range, SingleRanges) {
    auto r = parseRange("bytes=0-99", 1000);
    ASSERT_EQ(r.outcome, RangeOutcome::Satisfiable);
    EXPECT_EQ(r.range.first, 0u);
    EXPECT_EQ(r.range.last, 99u);
    r = parseRange("bytes=900-", 1000);
    EXPECT_EQ(r.range.first, 900u);
    EXPECT_EQ(r.range.last, 999u);
    r = parseRange("bytes=-100", 1000);
    EXPECT_EQ(r.range.first, 900u);
    EXPECT_EQ(r.range.length(), 100u);
    r = parseRange("bytes=-5000", 1000);  // suffix longer than the file: whole file
    EXPECT_EQ(r.range.first, 0u);
    r = parseRange("bytes=990-5000", 1000);  // end clamps
    EXPECT_EQ(r.range.last, 999u);
    EXPECT_EQ(parseRange("Bytes=1-2", 10).outcome, RangeOutcome::Satisfiable);
}

TEST(Range, UnsatisfiableAndIgnored) {
    EXPECT_EQ(parseRange("bytes=1000-", 1000).outcome, RangeOutcome::Unsatisfiable);
    EXPECT_EQ(parseRange("bytes=-0", 1000).outcome, RangeOutcome::Unsatisfiable);
    EXPECT_EQ(parseRange("bytes=0-1,5-6", 1000).outcome, RangeOutcome::Ignore);
    EXPECT_EQ(parseRange("bytes=5-1", 1000).outcome, RangeOutcome::Ignore);
    EXPECT_EQ(parseRange("items=0-1", 1000).outcome, RangeOutcome::Ignore);
    EXPECT_EQ(parseRange("bytes=abc", 1000).outcome, RangeOutcome::Ignore);
    EXPECT_EQ(parseRange("bytes=99999999999999999999-", 1000).outcome, RangeOutcome::Ignore);
}

TEST(ETag, IfNoneMatch) {
    std::string tag = "\"abc\"";
    EXPECT_TRUE(ifNoneMatchMatches("\"abc\"", tag));
    EXPECT_TRUE(ifNoneMatchMatches("\"x\", \"abc\"", tag));
    EXPECT_TRUE(ifNoneMatchMatches("W/\"abc\"", tag));
    EXPECT_TRUE(ifNoneMatchMatches("*", tag));
    EXPECT_FALSE(ifNoneMatchMatches("\"abcd\"", tag));
    EXPECT_FALSE(ifNoneMatchMatches("abc", tag));
}

TEST(ContentDisposition, ChineseNameUsesRfc5987AndAsciiFallback) {
    std::string h = contentDisposition("attachment", "营业执照 副本.jpg");
    EXPECT_EQ(h,
              "attachment; filename=\"download.jpg\"; filename*=UTF-8''"
              "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC.jpg");
    auto decoded = decodeExtValue(h.substr(h.find("UTF-8''")));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, "营业执照 副本.jpg");
    EXPECT_EQ(contentDisposition("inline", "a\"b\\c.pdf"),
              "inline; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf");
}

TEST(ContentDisposition, FallbackKeepsOnlyCharactersThatNeedNoQuoting) {
    EXPECT_EQ(contentDisposition("attachment", "合同;终稿=v2.pdf"),
              "attachment; filename=\"v2.pdf\"; "
              "filename*=UTF-8''%E5%90%88%E5%90%8C%3B%E7%BB%88%E7%A8%BF%3Dv2.pdf");
    EXPECT_EQ(contentDisposition("attachment", "'a',b;c%d.pdf").substr(0, 34),
              "attachment; filename=\"a_b_c_d.pdf\"");
    EXPECT_EQ(contentDisposition("attachment", ".pdf").substr(0, 35),
              "attachment; filename=\"download.pdf\"");
    EXPECT_EQ(contentDisposition("attachment", ""), "attachment; filename=\"download\"");
}

TEST(ContentDisposition, FallbackNeverStartsWithADash) {
    // The leader certificate's name: with curl -OJ the fallback is the saved file's name.
    EXPECT_EQ(contentDisposition("inline", "领跑者证书-LP2026-4Z2ZV9PPJ3PP-无章.pdf").substr(0, 44),
              "inline; filename=\"LP2026-4Z2ZV9PPJ3PP.pdf\"; ");
    EXPECT_EQ(contentDisposition("attachment", "-rf.pdf").substr(0, 31),
              "attachment; filename=\"rf.pdf\"; ");
    EXPECT_EQ(contentDisposition("attachment", "---.pdf").substr(0, 35),
              "attachment; filename=\"download.pdf\"");
}

TEST(ExtValue, Malformed) {
    EXPECT_FALSE(decodeExtValue("no-quotes").has_value());
    EXPECT_FALSE(decodeExtValue("iso-8859-1''abc").has_value());
    EXPECT_FALSE(decodeExtValue("UTF-8''%E8%9").has_value());
    EXPECT_EQ(decodeExtValue("utf-8'zh'%E8%90%A5").value(), "营");
}

TEST(RequestId, OnlySafeIdsAreEchoed) {
    EXPECT_TRUE(isAcceptableRequestId("abc-123_X.y"));
    EXPECT_FALSE(isAcceptableRequestId(""));
    EXPECT_FALSE(isAcceptableRequestId("a b"));
    EXPECT_FALSE(isAcceptableRequestId("x\r\nSet-Cookie: a=b"));
    EXPECT_FALSE(isAcceptableRequestId(std::string(65, 'a')));
}

TEST(PartFileName, LiteralBackslashesAndExtendedNames) {
    auto name = [](std::string_view header) {
        auto parsed = partFileName(header);
        EXPECT_EQ(parsed.status, PartFileName::Status::Present) << header;
        return parsed.name;
    };
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"scan.jpg\""), "scan.jpg");
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"C:\\Users\\张三\\a.jpg\""),
              "C:\\Users\\张三\\a.jpg");
    EXPECT_EQ(name("form-data; name=file; filename=plain.pdf"), "plain.pdf");
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"a.jpg\"; filename*=UTF-8''%E8%90%A5.jpg"),
              "营.jpg");
    EXPECT_EQ(name("form-data; name=\"file\"; filename*=UTF-8''%E8%90%A5.jpg"), "营.jpg");
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"unterminated"), "unterminated");
    // Browsers percent-encode '"', CR and LF (WHATWG HTML); curl backslash-escapes '"'.
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"5%22 x 7%22%0D%0A 100%.pdf\""),
              "5\" x 7\"\r\n 100%.pdf");
    EXPECT_EQ(name("form-data; name=\"file\"; filename=\"5\\\" x.pdf\""), "5\" x.pdf");
    EXPECT_EQ(partFileName("form-data; name=\"kind\"").status, PartFileName::Status::Absent);
}

TEST(PartFileName, BrokenExtendedNamesAreInvalidWithAReason) {
    // The reason goes back to the client as JSON: it never echoes raw bytes it was sent.
    auto odd = partFileName("form-data; name=file; filename*=\xFF\xFE''a.pdf");
    EXPECT_EQ(odd.status, PartFileName::Status::Invalid);
    EXPECT_TRUE(dossier::utf8::isValid(odd.problem)) << odd.problem;
    auto cut = partFileName("form-data; name=file; filename*=UTF-8''%E8%AF%\xE8");
    EXPECT_EQ(cut.status, PartFileName::Status::Invalid);
    EXPECT_TRUE(dossier::utf8::isValid(cut.problem)) << cut.problem;
    for (std::string_view header : {
             "form-data; name=file; filename*=ISO-8859-1''caf%E9.pdf",
             "form-data; name=file; filename*=UTF-8''%E8%9",
             "form-data; name=file; filename*=UTF-8''%ZZ.pdf",
             "form-data; name=file; filename*=UTF-8''%FF.pdf",
             "form-data; name=file; filename*=UTF-8''a b.pdf",
             "form-data; name=file; filename=\"ok.pdf\"; filename*=%E8.pdf",
         }) {
        auto parsed = partFileName(header);
        EXPECT_EQ(parsed.status, PartFileName::Status::Invalid) << header;
        EXPECT_FALSE(parsed.problem.empty()) << header;
    }
}

TEST(JsonString, EscapesWhatJsonRequiresAndKeepsTheRest) {
    auto json = [](std::string_view s) {
        std::string out;
        appendJsonString(out, s);
        return out;
    };
    EXPECT_EQ(json(""), "\"\"");
    EXPECT_EQ(json("营业执照 (1).jpg"), "\"营业执照 (1).jpg\"");
    EXPECT_EQ(json("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    EXPECT_EQ(json("x\ny\r\tz"), "\"x\\ny\\r\\tz\"");
    EXPECT_EQ(json(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
    // What a JSON parser reads back is the original string, whatever it holds.
    std::string nasty = "名\"称\\\n\x02 𠮷 </script>";
    auto parsed = Poco::JSON::Parser().parse("{\"v\":" + json(nasty) + "}");
    EXPECT_EQ(parsed.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("v"), nasty);
}
