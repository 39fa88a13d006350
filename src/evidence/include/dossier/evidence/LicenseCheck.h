#pragma once

#include <string>

#include "dossier/evidence/CheckResult.h"
#include "dossier/evidence/OcrEngine.h"
#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

/// What the organization filed, to compare the license with. Either may be empty.
struct DeclaredOrganization {
    std::string creditCode;
    std::string name;
};

/// Reads the 统一社会信用代码 and the name off a business-license scan and compares them
/// with the filing. A chi_sim pass over a reduced page finds the "统一社会信用代码" line; an
/// eng pass restricted to the code alphabet reads the code next to and below it; the code is
/// accepted only if it passes GB 32100. Pages are tried upright, then turned 90°, 270° and
/// 180° when nothing is found.
///
/// Outcomes (CheckResult::code): license.match, license.code_mismatch, license.name_mismatch,
/// license.code_invalid (read but fails the check character), license.code_not_found, and
/// license.code_read when nothing was declared to compare with. license.match is never
/// reported for a code that is invalid or differs from the declared one.
/// details: code_read, rotation (degrees clockwise applied), name_read, ocr_text.
class LicenseCheck {
  public:
    explicit LicenseCheck(OcrEngine& ocr) : ocr_(ocr) {}
    CheckResult run(const PageImage& page, const DeclaredOrganization& declared);

  private:
    OcrEngine& ocr_;
};

/// Company names compared as people write them: full-width forms and brackets （）/()
/// unified, blanks removed.
std::string normalizeOrganizationName(std::string_view name);

/// Levenshtein distance in code points.
std::size_t editDistance(std::u32string_view a, std::u32string_view b);

/// True if `needle` occurs in `haystack` with at most `maxEdits` character edits
/// (code points; Sellers' approximate substring matching).
bool approximatelyContains(std::u32string_view haystack, std::u32string_view needle, int maxEdits);

}  // namespace dossier::evidence
