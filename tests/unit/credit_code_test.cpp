#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "CreditCodes.h"
#include "TestSupport.h"
#include "dossier/core/CreditCode.h"

using namespace dossier;
using dossier::test::fixturePath;

namespace {

std::vector<std::string> realCodes() {
    std::ifstream in(fixturePath("real/uscc/valid_uscc_python_stdnum.txt"));
    std::vector<std::string> codes;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') codes.push_back(line);
    }
    return codes;
}

}  // namespace

TEST(CreditCode, All383RealCodesAreValid) {
    auto codes = realCodes();
    ASSERT_EQ(codes.size(), 383u);
    for (const auto& code : codes) {
        auto c = CreditCode::check(code);
        EXPECT_TRUE(c.valid) << code << " " << CreditCode::problemName(c.problem);
        EXPECT_EQ(c.expectedCheck, code[17]);
    }
}

TEST(CreditCode, EverySingleCharacterChangeOfARealCodeIsCaught) {
    // The mod-31 check detects every single substitution: no one-character OCR misread
    // of a real code can pass as valid.
    for (const auto& code : realCodes()) {
        for (std::size_t pos = 0; pos < 18; ++pos) {
            for (char ch : CreditCode::kAlphabet) {
                if (ch == code[pos]) continue;
                std::string changed = code;
                changed[pos] = ch;
                ASSERT_FALSE(CreditCode::isValid(changed)) << changed;
            }
        }
    }
}

TEST(CreditCode, PythonStdnumNegativeCases) {
    EXPECT_EQ(CreditCode::check("12345").problem, CreditCodeProblem::Length);
    EXPECT_FALSE(CreditCode::isValid("A1110000600037341L"));
    EXPECT_EQ(CreditCode::check("9111000060003IOZSV").problem, CreditCodeProblem::Alphabet);
    auto c = CreditCode::check("91110000600037341N");
    EXPECT_EQ(c.problem, CreditCodeProblem::CheckCharacter);
    EXPECT_EQ(c.expectedCheck, 'L');
}

TEST(CreditCode, OrganizationCodeIsChecked) {
    // A code whose mod-31 check character is right but whose embedded organization code is
    // not: change position 17 (the org check) and recompute position 18.
    std::string code = "91440116MA59B21T31";
    ASSERT_TRUE(CreditCode::isValid(code));
    std::string body = code.substr(0, 16) + "4";
    std::string forged = body + CreditCode::checkCharacterFor(body);
    EXPECT_EQ(CreditCode::check(forged).problem, CreditCodeProblem::OrganizationCode);
    EXPECT_TRUE(CreditCode::isValidOrganizationCode("MA59B21T3"));
    EXPECT_FALSE(CreditCode::isValidOrganizationCode("MA59B21T4"));
}

TEST(CreditCode, NormalizesWhatPeopleTypeAndOcrReads) {
    EXPECT_EQ(CreditCode::normalize("９１４４０１１６ＭＡ５９Ｂ２１Ｔ３１"), "91440116MA59B21T31");
    EXPECT_EQ(CreditCode::normalize(" 9144 0116-ma59 b21t31\n"), "91440116MA59B21T31");
    EXPECT_EQ(CreditCode::normalize("91110OOO6OOO37341L"), "91110000600037341L");
    EXPECT_EQ(CreditCode::normalize("9I11"), "9111");
    EXPECT_TRUE(CreditCode::isValid("9111OOOO6OOO37341l"));
    EXPECT_TRUE(CreditCode::isValid("９１１１００００６０００３７３４１Ｌ"));
    // Letters the alphabet does use are never rewritten: D stays D, B stays B.
    EXPECT_EQ(CreditCode::normalize("DB"), "DB");
    EXPECT_FALSE(CreditCode::isValid(""));
    EXPECT_FALSE(CreditCode::isValid("营业执照统一社会信用代码"));
}

// The codes tests and benches register organizations with are valid and distinct.
TEST(CreditCode, TestCodesAreValidAndDistinct) {
    std::set<std::string> seen;
    for (std::uint32_t n : {0u, 1u, 2u, 9u, 10u, 99u, 12345u, 99999999u}) {
        auto code = dossier::test::makeCreditCode(n);
        EXPECT_TRUE(dossier::CreditCode::isValid(code)) << n << " " << code;
        EXPECT_TRUE(seen.insert(code).second) << code;
    }
    for (std::uint32_t n = 0; n < 5000; ++n) {
        ASSERT_TRUE(dossier::CreditCode::isValid(dossier::test::makeCreditCode(n))) << n;
    }
}
