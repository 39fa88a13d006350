#pragma once

#include <string>
#include <string_view>

namespace dossier::renderers {

/// A TrueType font cut down (harfbuzz-subset) to the code points one document uses, so the
/// embedded font is kilobytes, not megabytes (libharu alone keeps whole tables), and the
/// composite-glyph bug of wqy-microhei in libharu disappears. Immutable.
class SubsetFont {
public:
    /// `path` may be a .ttc; `faceIndex` picks the face. Throws render.glyph_missing naming
    /// the first character the face lacks, render.font for an unreadable font.
    static SubsetFont create(const std::string& path, unsigned faceIndex, std::u32string_view text);

    /// The subset as a standalone .ttf.
    const std::string& ttf() const { return ttf_; }

private:
    explicit SubsetFont(std::string ttf) : ttf_(std::move(ttf)) {}
    std::string ttf_;
};

}  // namespace dossier::renderers
