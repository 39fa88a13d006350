#pragma once

#include <string>

namespace dossier::watermark {

/// Finds the CJK fonts Debian ships (fonts-wqy-zenhei, fonts-arphic-uming). Throws
/// dossier::Error(config.invalid) naming the package when none is installed.
class FontLocator {
  public:
    /// A Hei (sans) face: WenQuanYi Zen Hei, else Micro Hei. Face 0 of the .ttc is the
    /// proportional face, which is what we want.
    static std::string heiFont();
    /// A Song/Ming (serif) face: AR PL UMing.
    static std::string songFont();
};

}  // namespace dossier::watermark
