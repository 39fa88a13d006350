#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dossier::sheets {

/// A calendar date (proleptic Gregorian).
struct CivilDate {
    int year = 0;
    int month = 0;
    int day = 0;
    /// "2023-05-06".
    std::string iso() const;
    friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

/// A cell's text as people mean it: NFKC (full-width digits, letters, spaces and punctuation
/// become their ASCII forms; U+3000 becomes a space), then trimmed of spaces, tabs and line
/// breaks at both ends. Invalid UTF-8 is returned unchanged (the caller's rules refuse it).
/// Thread-safe.
std::string normalizeCell(std::string_view text);

/// Whether the date exists.
bool isValidDate(int year, int month, int day);

/// An Excel date serial to its date: the 1900 system (1 = 1900-01-01; 60 is Lotus's
/// 1900-02-29, which does not exist: nullopt) or the 1904 system (0 = 1904-01-01). The time
/// of day (the fraction) is dropped. nullopt outside 1900-01-01..9999-12-31 or not finite.
std::optional<CivilDate> dateFromSerial(double serial, bool date1904);

/// A date typed as text (already normalized): 2023/5/6, 2023-05-06, 2023.5.6, 2023年5月6日
/// (日 optional), and an ISO date-time whose date part is one of those (2023-05-06T00:00:00,
/// as t="d" cells hold). nullopt for anything else or a date that does not exist.
std::optional<CivilDate> parseTextDate(std::string_view text);

}  // namespace dossier::sheets
