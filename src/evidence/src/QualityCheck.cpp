#include "dossier/evidence/QualityCheck.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "PageImageImpl.h"

namespace dossier::evidence {
namespace {

constexpr double kA4LongInches = 297.0 / 25.4;

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Measures are stored to the precision they are meaningful at, so the JSON reads 0.0123,
/// not 0.012345678.
double rounded(double v, int decimals) {
    double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

}  // namespace

CheckResult checkQuality(const PageImage& page) {
    CheckResult r;
    r.check = "quality";
    int w = page.width(), h = page.height();
    double dpi = std::max(w, h) / kA4LongInches;
    r.details["width"] = w;
    r.details["height"] = h;
    r.details["dpi_equivalent"] = static_cast<int>(std::lround(dpi));

    // Ink: share of dark pixels after a global threshold, on a reduced copy, turned back to
    // dark on light first when the page is a negative (otherwise it is nearly all "ink").
    const bool negative = page.looksNegative();
    r.details["inverted"] = negative;
    PageImage small = page.scaled(std::min(1.0, 1000.0 / std::max(w, h)));
    if (negative) small = small.inverted();
    Pix* gray = small.impl().pix;
    Pix* binary = pixThresholdToBinary(gray, 140);
    l_int32 dark = 0;
    pixCountPixels(binary, &dark, nullptr);
    double ink = double(dark) / (double(pixGetWidth(binary)) * pixGetHeight(binary));
    r.details["ink_ratio"] = rounded(ink, 4);
    l_float32 angle = 0, confidence = 0;
    double skew = 0;
    if (pixFindSkew(binary, &angle, &confidence) == 0 && confidence > 2.5) skew = angle;
    pixDestroy(&binary);
    r.details["skew_degrees"] = rounded(skew, 1);

    if (ink < 0.002) {
        r.status = CheckStatus::Fail;
        r.code = codes::kQualityBlankPage;
        r.message = "The page is blank or nearly blank.";
    } else if (negative) {
        r.status = CheckStatus::Warn;
        r.code = codes::kQualityInverted;
        r.message =
            "The page is a negative (light text on a dark ground); scan it again as a normal "
            "copy, dark on light.";
    } else if (dpi < 150) {
        r.status = CheckStatus::Warn;
        r.code = codes::kQualityLowResolution;
        r.message = "The scan is about " + fixed(dpi, 0) +
                    " dpi for an A4 page; 150 dpi or more reads reliably.";
    } else if (std::abs(skew) > 5) {
        r.status = CheckStatus::Warn;
        r.code = codes::kQualitySkewed;
        r.message = "The page is skewed by about " + fixed(skew, 1) + "°.";
    } else {
        r.status = CheckStatus::Pass;
        r.code = codes::kQualityOk;
        r.message = "Resolution and contrast are fine.";
    }
    return r;
}

}  // namespace dossier::evidence
