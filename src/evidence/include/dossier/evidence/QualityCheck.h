#pragma once

#include "dossier/evidence/CheckResult.h"
#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

/// The `quality` check of a scanned page: resolution (warn below the equivalent of 150 dpi
/// on A4, i.e. a long side under 1754 px), blank or near-blank page (fail), and extreme skew
/// (warn past 5°), a negative (warn: light text on a dark ground, as a scanner's or a
/// phone's invert gives; ink and skew are then measured on the page turned back).
/// Codes: quality.ok, quality.low_resolution, quality.blank_page, quality.skewed,
/// quality.inverted. details: width, height, dpi_equivalent, ink_ratio, skew_degrees,
/// inverted.
CheckResult checkQuality(const PageImage& page);

}  // namespace dossier::evidence
