#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/fonts/FontFace.h"

namespace dossier::watermark {

struct PageSize {
    double width = 595.28;  // points
    double height = 841.89;
};

/// How an overlay draws its mark.
struct OverlayStyle {
    float alpha = 0.28f;  // fill opacity
    float red = 0.78f, green = 0.12f, blue = 0.12f;
    /// × the base size: 1/20 of the page's shorter side, at least 12 pt.
    double sizeFactor = 1.0;
    /// Counter-clockwise from the page's horizontal.
    double angleDegrees = 30.0;
    /// Space the tiles by the text's measured width (true), or by one em per character
    /// (false: the filing mark's spacing, kept so its output does not change; it spreads
    /// a mostly-ASCII line such as a trace mark far apart).
    bool measuredWidth = false;

    /// The filing mark (仅用于…备案审核): red, 28 % opaque, 30°. The default.
    static OverlayStyle filing();
    /// The per-viewer trace mark: gray, 22 % opaque, half the size, −25° (the other way),
    /// so it reads apart from the filing mark it is laid over.
    static OverlayStyle trace();
};

/// A stretch of a mark's text that one face draws.
struct MarkRun {
    std::shared_ptr<const fonts::FontFace> face;
    std::u32string text;
};

/// A PDF with one transparent page per given size, carrying tiled diagonal text in an
/// embedded, subset CJK font (libharu): the vector watermark that is laid over each page of
/// an uploaded PDF, so its text layer and vectors survive. Thread-safe.
class WatermarkOverlay {
  public:
    /// libharu's page size range (points) and a mark size well inside its font size limit
    /// (600 pt): a 200-inch page gets 300-pt text, never an error.
    static constexpr double kMinPageSide = 3, kMaxPageSide = 14400, kMaxFontPoints = 300;

    /// The size an overlay page for `page` is drawn at: the same proportions, the longer side
    /// at most kMaxPageSide, each side at least kMinPageSide. PdfStamper::stamp scales an
    /// overlay page onto its page's visible area, so the difference never shows.
    static PageSize drawableSize(PageSize page);

    /// `lines`: the mark's lines (e.g. "仅用于备案审核", "2026-11-21"). `fontPath`/`face`: the
    /// TrueType face to draw with (empty = WenQuanYi Zen Hei); characters it lacks are drawn
    /// with HanaMin A/B (see fontRuns), so a rare character in a name never fails a mark.
    /// Each page is drawn at drawableSize(its size); the text is at most kMaxFontPoints.
    static std::string render(const std::vector<PageSize>& pages,
                              const std::vector<std::string>& lines,
                              const std::string& fontPath = {}, unsigned face = 0,
                              const OverlayStyle& style = OverlayStyle::filing());

    /// Splits one line of a mark into runs by face: `main` wherever it has the character,
    /// else HanaMin A, then HanaMin B (fonts-hanazono: the rare characters, 生僻字, of CJK
    /// Extensions A–D, 𠮷 among them). A character no face has becomes its "U+XXXX" notation
    /// rather than an error: a mark must never fail a download. Control characters and
    /// U+FEFF are dropped. Adjacent characters of one face share a run.
    static std::vector<MarkRun> fontRuns(std::u32string_view line,
                                         const std::shared_ptr<const fonts::FontFace>& main);
};

}  // namespace dossier::watermark
