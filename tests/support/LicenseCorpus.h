#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ScanGenerator.h"
#include "dossier/evidence/CheckResult.h"

namespace dossier::test {

/// One generated license scan, what its organization declared, and which outcomes of the
/// license check count as right for it.
struct CorpusItem {
    std::string fileName;
    std::string kind;  // "clean", "rot90", "photo", "seal_name", "wrong_name", ...
    LicenseScanSpec spec;
    std::string declaredCode;
    std::string declaredName;
    /// Outcome codes (CheckResult::code) that are right: license.match for a genuine scan
    /// (license.name_obscured too when a seal covers the name), license.name_mismatch or
    /// license.code_mismatch when the declaration is wrong. license.match is right only as a
    /// pass: a warning that the name could not be read is not.
    std::vector<std::string> right;
    /// The declaration is the license's own code and name: only then may it match.
    bool genuine() const { return declaredCode == spec.code && declaredName == spec.name; }
    bool isRight(const evidence::CheckResult& result) const;
    /// license.match for a declaration the license does not carry: never allowed.
    bool isFalseMatch(const evidence::CheckResult& result) const {
        return result.code == "license.match" && !genuine();
    }
};

constexpr std::uint32_t kLicenseCorpusSeed = 20250401;

/// `count` license scans, deterministic for a seed (std::mt19937, whose output the standard
/// fixes). Items cycle through twelve kinds so any 12 in a row hold one of each: clean,
/// rotated 90° / 270° / 180°, photographed (uneven light, blur, grain, heavy JPEG, askew),
/// a company seal over the name, a declared name differing in four characters, a wrong
/// declared code, a negative (inverted) scan, skewed at a low resolution, a seal over a wrong
/// name, rotated and photographed. Layout, code face, resolution (150-300 dpi, or `dpi` when
/// not 0), small skews, credit codes (fixtures/real/uscc) and names vary with the seed.
std::vector<CorpusItem> licenseCorpus(int count, std::uint32_t seed = kLicenseCorpusSeed,
                                      int dpi = 0);

}  // namespace dossier::test
