#include <gtest/gtest.h>

#include "dossier/core/Utf8.h"
#include "dossier/fonts/FontFace.h"
#include "dossier/renderers/LineBreaker.h"

using namespace dossier;
using dossier::renderers::LineBreaker;

namespace {

/// CJK one em wide, ASCII half.
double fixed(char32_t cp) { return cp < 0x80 ? 0.5 : 1.0; }

std::vector<std::string> lines(std::string_view text, double width) {
    std::vector<std::string> out;
    for (const auto& l : LineBreaker(fixed, width).breakLines(utf8::decode(text)))
        out.push_back(utf8::encode(l));
    return out;
}

}  // namespace

TEST(LineBreaker, BreaksChineseAnywhereWithinTheWidth) {
    EXPECT_EQ(lines("全国质量标杆申报书", 4),
              (std::vector<std::string>{"全国质量", "标杆申报", "书"}));
    EXPECT_EQ(lines("", 4), (std::vector<std::string>{""}));
    EXPECT_EQ(lines("第一段\n\n第二段", 10), (std::vector<std::string>{"第一段", "", "第二段"}));
}

TEST(LineBreaker, ClosingPunctuationNeverStartsALine) {
    // "，" would start line 2: it hangs on line 1 instead.
    auto l = lines("质量标杆，申报书。", 4);
    EXPECT_EQ(l, (std::vector<std::string>{"质量标杆，", "申报书。"}));
    for (const char* p : {"。", "、", "；", "：", "！", "？", "）", "」", "』", "》"}) {
        auto ls = lines(std::string("一二三四") + p + "五六", 4);
        ASSERT_GE(ls.size(), 2u);
        for (std::size_t i = 1; i < ls.size(); ++i) {
            EXPECT_FALSE(LineBreaker::mayNotStartLine(utf8::decode(ls[i]).front()))
                << p << " starts a line";
        }
    }
}

TEST(LineBreaker, ConsecutiveMarksPushTheLastCharacterDown) {
    // "，" hangs after 四; "」" would hang a second mark: 四，」 move down together.
    EXPECT_EQ(lines("一二三四，」五六", 4), (std::vector<std::string>{"一二三", "四，」五", "六"}));
    // A column narrower than one character terminates and loses nothing.
    auto narrow = lines("。。。，，", 0.5);
    std::string joined;
    for (const auto& l : narrow) joined += l;
    EXPECT_EQ(joined, "。。。，，");
}

TEST(LineBreaker, OpeningPunctuationNeverEndsALine) {
    auto l = lines("一二三（四五）", 4);
    EXPECT_EQ(l, (std::vector<std::string>{"一二三", "（四五）"}));
    for (const char* p : {"（", "「", "『", "《"}) {
        auto ls = lines(std::string("一二三") + p + "四五六七", 4);
        for (std::size_t i = 0; i + 1 < ls.size(); ++i) {
            EXPECT_FALSE(LineBreaker::mayNotEndLine(utf8::decode(ls[i]).back()))
                << p << " ends a line";
        }
    }
}

TEST(LineBreaker, LatinAndDigitRunsStayWhole) {
    // 18-character credit code (9 em) does not split while it fits a line.
    auto l = lines("统一社会信用代码91440116MA59B21T31号", 12);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[1].substr(0, 18), "91440116MA59B21T31");
    auto g = lines("执行标准GB/T 19580-2012卓越绩效", 8);
    bool whole = false;
    for (const auto& s : g) whole = whole || s.find("19580-2012") != std::string::npos;
    EXPECT_TRUE(whole);
    // Longer than a line: split, nothing lost.
    auto url = lines("http://www.gsxt.gov.cn/very/long/path/that/cannot/fit", 6);
    std::string joined;
    for (const auto& s : url) joined += s;
    EXPECT_EQ(joined, "http://www.gsxt.gov.cn/very/long/path/that/cannot/fit");
}

TEST(LineBreaker, EightThousandCharactersOfImplementationProcess) {
    // 实施过程 may be 8000 characters: every character kept, every line within the width
    // (a hanging punctuation mark may pass it by one), no line starts with closing punctuation.
    std::u32string text;
    const std::u32string phrase =
        U"围绕卓越绩效模式，建立质量管理体系（ISO 9001:2015）并持续改进；";
    while (text.size() < 8000) text += phrase;
    text.resize(8000);
    auto result = LineBreaker(fixed, 30).breakLines(text);
    std::size_t kept = 0;
    for (const auto& l : result) {
        double w = 0;
        for (char32_t cp : l) w += fixed(cp);
        EXPECT_LE(w, 31.0);
        if (&l != &result.front()) {
            EXPECT_FALSE(LineBreaker::mayNotStartLine(l.front()));
        }
        for (char32_t cp : l) kept += cp != U' ';
    }
    std::size_t expected = 0;
    for (char32_t cp : text) expected += cp != U' ';
    EXPECT_EQ(kept, expected);
}

TEST(FontFace, RealMetricsAndCoverage) {
    auto song = fonts::FontFace::song();
    EXPECT_TRUE(song->hasGlyph(U'质'));
    EXPECT_FALSE(song->hasGlyph(U'\U00020BB7'));        // 𠮷 outside the BMP
    EXPECT_NEAR(song->advance(U'质', 14), 14.0, 0.01);  // CJK: one em
    EXPECT_GT(song->advance(U'1', 14), 3.0);
    EXPECT_LT(song->advance(U'1', 14), 10.0);
    EXPECT_EQ(fonts::FontFace::song().get(), song.get());  // loaded once
    // Breaking with real metrics: 四号 (14 pt) body on an A4 text block (156 mm ≈ 442 pt).
    LineBreaker breaker([&](char32_t cp) { return song->advance(cp, 14); }, 442);
    auto ls = breaker.breakLines(
        U"经验材料应采用A4幅面纵向编辑。文章题目为黑体小二号居中，以“一、”“(一)”“1.”“(1)"
        U"”等为各级标题，标题字号自选，正文为宋体四号字，单倍行距。");
    EXPECT_GE(ls.size(), 2u);
    for (const auto& l : ls) {
        double w = 0;
        for (char32_t cp : l) w += song->advance(cp, 14);
        EXPECT_LE(w, 442 + 14);  // one hanging mark at most
    }
}
