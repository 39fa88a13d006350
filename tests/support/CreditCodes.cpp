#include "CreditCodes.h"

#include <cstdio>

#include "dossier/core/CreditCode.h"

namespace dossier::test {

std::string makeCreditCode(std::uint32_t n) {
    char body[9];
    std::snprintf(body, sizeof body, "%08u", n % 100'000'000u);
    // GB 11714: weights 3 7 9 10 5 8 4 2, check = 11 - sum mod 11 (10 → X, 11 → 0).
    static constexpr int kWeights[] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (body[i] - '0') * kWeights[i];
    int c = 11 - sum % 11;
    char organizationCheck = c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
    std::string first17 = std::string("91440113") + body + organizationCheck;
    return first17 + CreditCode::checkCharacterFor(first17);
}

}  // namespace dossier::test
