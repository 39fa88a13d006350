#pragma once

#include <string>
#include <vector>

namespace dossier::renderers {

struct PageSize {
    double width = 595.28;  // points
    double height = 841.89;
};

/// A PDF with one transparent page per given size, carrying tiled diagonal text in an
/// embedded, subset CJK font (libharu): the vector watermark that is laid over each page of
/// an uploaded PDF, so its text layer and vectors survive. Thread-safe.
class WatermarkOverlay {
public:
    /// `lines`: the mark's lines (e.g. "仅用于备案审核", "2026-11-21"). `fontPath`/`face`: a
    /// TrueType face that has every character (empty = WenQuanYi Zen Hei).
    static std::string render(const std::vector<PageSize>& pages, const std::vector<std::string>& lines,
                              const std::string& fontPath = {}, unsigned face = 0);
};

}  // namespace dossier::renderers
