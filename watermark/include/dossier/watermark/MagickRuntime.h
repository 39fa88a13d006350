#pragma once

#include <string>

#include "dossier/watermark/ImageLimits.h"

namespace dossier::watermark {

/// Process-wide ImageMagick set-up, once, before any image is touched: the project policy
/// (MAGICK_CONFIGURE_PATH; it can only tighten the system's, which denies PDF/PS) and the
/// resource limits. Thread-safe; later calls return the limits in force.
class MagickRuntime {
  public:
    /// `policyDirectory` empty = the `etc/ImageMagick` directory beside the executable, if
    /// present. Returns the limits in force.
    static const ImageLimits& initialize(const ImageLimits& limits = {},
                                         const std::string& policyDirectory = {});
    static const ImageLimits& limits();
};

}  // namespace dossier::watermark
