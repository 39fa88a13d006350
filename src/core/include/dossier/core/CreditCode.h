#pragma once

#include <string>
#include <string_view>

namespace dossier {

/// Why a 统一社会信用代码 (unified social credit code, GB 32100-2015) is not valid.
enum class CreditCodeProblem {
    None,
    Length,                 // not 18 characters
    Alphabet,               // a character outside 0-9 A-H J-N P-R T U W-Y
    RegistrationAuthority,  // position 1 is not a registering authority (1-9, A, N, Y)
    CheckCharacter,         // position 18 fails the weighted mod-31 check
    OrganizationCode,       // positions 9-17 fail the GB 11714 mod-11 check
};

struct CreditCodeCheck {
    bool valid = false;
    CreditCodeProblem problem = CreditCodeProblem::Length;
    std::string code;           // the normalized input that was checked
    char expectedCheck = '\0';  // the check character positions 1-17 call for, when computable
};

/// GB 32100-2015 credit codes: 18 characters over the 31-symbol alphabet
/// `0123456789ABCDEFGHJKLMNPQRTUWXY` (value = index), position 18 a weighted mod-31 check
/// character, positions 9-17 a GB 11714 organization code with its own mod-11 check.
class CreditCode {
  public:
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// What people type and OCR reads, made comparable: full-width forms to half-width,
    /// lower to upper case, blanks and hyphens removed, and O→0, I→1 (letters the alphabet
    /// never uses, so the change cannot turn a valid code into another valid one).
    static std::string normalize(std::string_view text);
    /// Normalizes, then checks; never throws.
    static CreditCodeCheck check(std::string_view text);
    static bool isValid(std::string_view text) { return check(text).valid; }
    /// The check character for 17 alphabet characters; '\0' if they are not.
    static char checkCharacterFor(std::string_view first17);
    /// GB 11714 check of a 9-character organization code (8 body characters + check).
    static bool isValidOrganizationCode(std::string_view code9);
    /// Stable problem names for results and messages ("check_character", ...).
    static std::string_view problemName(CreditCodeProblem problem);
};

}  // namespace dossier
