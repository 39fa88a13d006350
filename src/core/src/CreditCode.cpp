#include "dossier/core/CreditCode.h"

#include <array>

#include "dossier/core/Utf8.h"

namespace dossier {
namespace {

constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 8> kOrganizationWeights{3, 7, 9, 10, 5, 8, 4, 2};

int valueOf(char c) {
    auto pos = CreditCode::kAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

/// GB 11714: digits are 0-9, letters A-Z are 10-35.
int organizationValueOf(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string CreditCode::normalize(std::string_view text) {
    std::string out;
    for (char32_t cp : utf8::decode(text)) {
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
        if (cp == U' ' || cp == U'\t' || cp == 0x3000 || cp == 0xA0 || cp == U'-' || cp == 0x2010 ||
            cp == 0x2013 || cp == 0x2014 || cp == U'\r' || cp == U'\n') {
            continue;
        }
        if (cp >= U'a' && cp <= U'z') cp -= 32;
        if (cp == U'O') cp = U'0';
        if (cp == U'I') cp = U'1';
        utf8::append(out, cp);
    }
    return out;
}

char CreditCode::checkCharacterFor(std::string_view first17) {
    if (first17.size() != 17) return '\0';
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        int v = valueOf(first17[i]);
        if (v < 0) return '\0';
        sum += v * kWeights[i];
    }
    return kAlphabet[(31 - sum % 31) % 31];
}

bool CreditCode::isValidOrganizationCode(std::string_view code) {
    if (code.size() != 9) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        int v = organizationValueOf(code[i]);
        if (v < 0) return false;
        sum += v * kOrganizationWeights[i];
    }
    int r = 11 - sum % 11;
    char expected = r == 10 ? 'X' : r == 11 ? '0' : static_cast<char>('0' + r);
    return code[8] == expected;
}

CreditCodeCheck CreditCode::check(std::string_view text) {
    CreditCodeCheck result;
    result.code = normalize(text);
    const std::string& c = result.code;
    if (c.size() != 18) {
        result.problem = CreditCodeProblem::Length;
        return result;
    }
    for (char ch : c) {
        if (valueOf(ch) < 0) {
            result.problem = CreditCodeProblem::Alphabet;
            return result;
        }
    }
    result.expectedCheck = checkCharacterFor(std::string_view(c).substr(0, 17));
    if (std::string_view("123456789ANY").find(c[0]) == std::string_view::npos) {
        result.problem = CreditCodeProblem::RegistrationAuthority;
        return result;
    }
    if (c[17] != result.expectedCheck) {
        result.problem = CreditCodeProblem::CheckCharacter;
        return result;
    }
    if (!isValidOrganizationCode(std::string_view(c).substr(8, 9))) {
        result.problem = CreditCodeProblem::OrganizationCode;
        return result;
    }
    result.valid = true;
    result.problem = CreditCodeProblem::None;
    return result;
}

std::string_view CreditCode::problemName(CreditCodeProblem problem) {
    switch (problem) {
        case CreditCodeProblem::None:
            return "none";
        case CreditCodeProblem::Length:
            return "length";
        case CreditCodeProblem::Alphabet:
            return "alphabet";
        case CreditCodeProblem::RegistrationAuthority:
            return "registration_authority";
        case CreditCodeProblem::CheckCharacter:
            return "check_character";
        case CreditCodeProblem::OrganizationCode:
            return "organization_code";
    }
    return "none";
}

}  // namespace dossier
