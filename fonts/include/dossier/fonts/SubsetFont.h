#pragma once

#include <map>
#include <string>
#include <string_view>

namespace dossier::fonts {

/// A TrueType font cut down (harfbuzz-subset) to the code points one document uses, so the
/// embedded font is kilobytes, not megabytes (libharu alone keeps whole tables), and the
/// composite-glyph bug of wqy-microhei in libharu disappears. Immutable.
class SubsetFont {
  public:
    /// `path` may be a .ttc; `faceIndex` picks the face. Throws render.glyph_missing naming
    /// the first character the face lacks, render.font for an unreadable font.
    static SubsetFont create(const std::string& path, unsigned faceIndex, std::u32string_view text);

    /// The same subset with its characters on sequential codes from U+0100 (code = 0x100 +
    /// glyph id - 1; one cmap segment) instead of their Unicode values. libharu looks every
    /// one of 65,536 codes up in the cmap, segment by segment, and sizes its CIDToGIDMap and
    /// widths by the highest code: with one segment and small codes a document renders in
    /// about half the time and its PDF is smaller. Text drawn with the font must be written
    /// in codes (codeFor) and needs a ToUnicode map back (codes()).
    static SubsetFont createSequential(const std::string& path, unsigned faceIndex,
                                       std::u32string_view text);

    /// The subset as a standalone .ttf.
    const std::string& ttf() const { return ttf_; }
    /// For a sequential subset: the code of a character of the text (the character itself
    /// for a plain subset).
    char32_t codeFor(char32_t cp) const;
    /// For a sequential subset: code → character.
    const std::map<char32_t, char32_t>& codes() const { return unicodeOf_; }

  private:
    explicit SubsetFont(std::string ttf) : ttf_(std::move(ttf)) {}
    std::string ttf_;
    std::map<char32_t, char32_t> codeOf_, unicodeOf_;
};

}  // namespace dossier::fonts
