#pragma once

#include <string>

namespace dossier::watermark {

/// The filing watermark applicants used to add by hand: "仅用于{activity}备案审核" and a
/// date, tiled diagonally and semi-transparent.
struct FilingMark {
    std::string text;  // e.g. "仅用于2025年全国质量标杆备案审核"
    std::string date;  // e.g. "2026-11-20"; empty for none

    /// The default text for an activity name ("" → "仅用于备案审核").
    static FilingMark forActivity(const std::string& activity, const std::string& date);
};

/// The per-viewer trace mark: who opened the file and when, lighter than the filing mark,
/// so a leaked copy names its viewer.
struct TraceMark {
    std::string viewerName;
    std::string accountId;
    std::string timestamp;  // e.g. "2026-11-20 08:00 UTC"

    std::string text() const;
};

}  // namespace dossier::watermark
