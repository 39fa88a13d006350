#pragma once

#include <memory>
#include <string>

namespace dossier::fonts {

/// One face of a font file, for metrics and coverage (harfbuzz). Loaded once per
/// (path, face) and shared; thread-safe (read-only after load).
class FontFace {
  public:
    /// Throws render.font if the file cannot be read.
    static std::shared_ptr<const FontFace> load(const std::string& path, unsigned face = 0);
    ~FontFace();
    FontFace(const FontFace&) = delete;
    FontFace& operator=(const FontFace&) = delete;

    const std::string& path() const { return path_; }
    unsigned faceIndex() const { return face_; }
    bool hasGlyph(char32_t cp) const;
    /// Advance width of `cp` at `size` points (0 when the face lacks it).
    double advance(char32_t cp, double size) const;

    /// The faces Debian ships for the writing rules of seed 004: 宋体 (AR PL UMing) for body
    /// text, 黑体 (WenQuanYi Zen Hei) for titles.
    static std::shared_ptr<const FontFace> song();
    static std::shared_ptr<const FontFace> hei();
    /// DejaVu Sans: the symbols the CJK faces lack (☐ ☑ ✓), used only as a fallback.
    static std::shared_ptr<const FontFace> symbol();
    /// HanaMin A and B (fonts-hanazono): the rare characters (生僻字) of CJK Extensions A–D
    /// that people and companies have in their names, 𠮷 among them — the last fallback.
    /// Null when the font is not installed.
    static std::shared_ptr<const FontFace> rareA();
    static std::shared_ptr<const FontFace> rareB();
    /// Whether any face above can draw `cp`.
    static bool printable(char32_t cp);

  private:
    struct Impl;
    FontFace(std::string path, unsigned face, std::unique_ptr<Impl> impl);
    std::string path_;
    unsigned face_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::fonts
