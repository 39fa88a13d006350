#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dossier/evidence/CheckResult.h"
#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

enum class SealShape { Round, Square };

struct Seal {
    PixelRect box;  // in the page's pixels (after EXIF orientation)
    SealShape shape = SealShape::Round;
    double ringCoverage = 0;  // share of the outline found red, 0-1
};

/// Finds red seals (公章) with classical image processing, no model: red pixels by HSV with
/// hue wrapping around 0 (faded pinks and dark reds included), a morphological close that
/// joins ring, star and arc text, connected components, then filters on size, aspect, fill
/// and — what tells a seal from red text — a red outline (ellipse or square ring) around
/// most of the component. Red text lines and underlines are too long and thin to pass.
/// Thread-safe (no state).
class SealDetector {
  public:
    /// JPEG or PNG bytes (limits as PageImage::decode). `page`, when not null (the caller's
    /// own), gets the upright page's size in pixels: the frame of the seals' boxes.
    static std::vector<Seal> detect(std::string_view bytes, PixelRect* page = nullptr);
};

/// Cuts the largest red seal out of a stamped scan (JPEG or PNG): a PNG of its box with
/// the ink kept and everything else transparent, to lay over a certificate's seal box.
/// Throws seal.not_found when the scan has no seal, image.* for unreadable images.
std::string extractSealPng(std::string_view bytes);

/// The `seals` check over the pages of a document (JPEG/PNG bytes each): pass when at least
/// `expected` seals are found in all (one per completing unit: 1 by default, up to 3 for
/// 质量技术奖 project awards), else seals.missing. Regions carry their page number and that
/// page's size in pixels.
CheckResult checkSeals(const std::vector<std::string>& pages, int expected);
inline CheckResult checkSeals(std::string_view bytes, int expected) {
    return checkSeals(std::vector<std::string>{std::string(bytes)}, expected);
}

}  // namespace dossier::evidence
