#pragma once

#include <functional>
#include <string>
#include <vector>

namespace dossier::renderers {

/// Breaks text into lines that fit a width, per code point (libharu has no line breaking
/// for text without spaces), with the usual rules for Chinese:
/// - a line never starts with closing or pausing punctuation ，。、；：！？）」』》 …;
///   one such mark hangs past the end of the previous line; when a second would, the last
///   character moves down with the marks instead (a line overflows by one mark at most);
/// - a line never ends with opening punctuation （「『《 …; it moves to the next line;
/// - runs of Latin letters and digits (a credit code, a standard number "GB/T 19580-2012",
///   a URL) are kept whole unless longer than a line;
/// - an explicit '\n' ends a line; spaces at a break are dropped.
/// Thread-safe (pure).
class LineBreaker {
  public:
    using Measure = std::function<double(char32_t)>;

    /// `measure(cp)` gives a code point's advance in the same unit as `width`; the first line
    /// may be narrower (a first-line indent): `firstWidth`, default `width`.
    LineBreaker(Measure measure, double width, double firstWidth = -1)
        : measure_(std::move(measure)),
          width_(width),
          firstWidth_(firstWidth < 0 ? width : firstWidth) {}

    std::vector<std::u32string> breakLines(std::u32string_view text) const;

    static bool mayNotStartLine(char32_t cp);
    static bool mayNotEndLine(char32_t cp);
    /// Part of a run kept whole: ASCII letters and digits and the marks inside codes and
    /// numbers (. - / _ % : + # @ & =).
    static bool isWordChar(char32_t cp);

  private:
    Measure measure_;
    double width_;
    double firstWidth_;
};

}  // namespace dossier::renderers
