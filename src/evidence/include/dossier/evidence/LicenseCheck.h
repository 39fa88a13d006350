#pragma once

#include <optional>
#include <string>
#include <vector>

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
/// 180° when nothing is found; a negative (light text on dark) is read as its positive.
/// Only when the code read fails its check character does it try harder: the code's line
/// read again at other scales and binarizations, the other orientations (unless the label
/// was found), then the characters OCR confuses, settled by the check characters alone
/// (resolveConfusables). The declared code never steers a reading. A name the page text does
/// not hold closely has its line read again at full resolution (found by its 名称 label, else
/// as the line holding a piece of the filed name, else one line above 类型); ink in the blank
/// bands around that line means a seal over it.
///
/// Outcomes (CheckResult::code): license.match, license.code_mismatch, license.name_mismatch
/// (a clearly different name: four characters or more, or what shows beside a seal
/// contradicts it), license.name_obscured (warn: a seal hides part of the name and what shows
/// agrees), license.code_invalid (read but fails the check character after every attempt),
/// license.code_not_found, and license.code_read when nothing was declared to compare with.
/// license.match is never reported for a code that is invalid or differs from the declared
/// one. details: code_read, code_read_by (first_reading, second_reading, orientation,
/// confusables), code_as_read (what OCR gave before confusables were settled), rotation
/// (degrees clockwise applied), inverted, name_read, name_obscured, ocr_text. Regions
/// (credit_code, credit_code_label) are in the pixels of `page` as given, whatever turn the
/// reading needed, with `page`'s size.
class LicenseCheck {
  public:
    explicit LicenseCheck(OcrEngine& ocr) : ocr_(ocr) {}
    CheckResult run(const PageImage& page, const DeclaredOrganization& declared);

  private:
    /// run() with the regions on the page as it was read (turned by details' rotation).
    CheckResult read(const PageImage& page, const DeclaredOrganization& declared);

    OcrEngine& ocr_;
};

/// Readings of a credit code that fail GB 32100, repaired: every code that differs from one of
/// `reads` (18 characters each) by the characters OCR confuses (8/B, 0/D/Q, 1/7/T, 6/G, ...)
/// — a letter where only a digit may stand, plus at most one more — and passes both the
/// GB 32100 check character and the GB 11714 check of positions 9-17. Returns that code
/// only when there is exactly one over all reads; never looks at what was declared.
std::optional<std::string> resolveConfusables(const std::vector<std::string>& reads);

/// Company names compared as people write them: full-width forms and brackets （）/()
/// unified, blanks removed.
std::string normalizeOrganizationName(std::string_view name);

/// Levenshtein distance in code points.
std::size_t editDistance(std::u32string_view a, std::u32string_view b);

/// True if `needle` occurs in `haystack` with at most `maxEdits` character edits
/// (code points; Sellers' approximate substring matching).
bool approximatelyContains(std::u32string_view haystack, std::u32string_view needle, int maxEdits);

}  // namespace dossier::evidence
