#pragma once

#include <cstdint>
#include <string>

namespace dossier::test {

/// The `n`-th of a family of distinct, valid 统一社会信用代码 (GB 32100: a company, 91, in
/// 广州市番禺区 440113, with a GB 11714 organization code and both check characters right),
/// for tests and benches that register many organizations. Distinct for n < 10^8.
std::string makeCreditCode(std::uint32_t n);

}  // namespace dossier::test
