#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace dossier::storage {

/// The names entries get in an archive that applicants unzip on Windows, macOS and Linux:
/// one file name each, no folders, no two alike. Not thread-safe (one object per archive).
class ZipEntryNames {
  public:
    /// The file name that `raw` (an uploaded name, a display name) is reduced to: its last
    /// component that is a usable name once `/`, `\` and a drive letter ("C:") split it and
    /// `.`/`..` parts are dropped ("../../etc/passwd" → "passwd", "C:\\a\\营业执照.jpg" →
    /// "营业执照.jpg", "证照/.." → "证照"); without control, bidi or zero-width characters;
    /// `<>:"|?*` (which Windows refuses in names) as '_'; NFC; trimmed; at most 255 bytes.
    /// "" when nothing usable is left. Pure; ICU does the normalization.
    static std::string safeName(std::string_view raw);

    /// The key two names clash under: NFC already, then ASCII letters folded to lower case
    /// (Windows and macOS file systems ignore their case; other scripts are left as they are).
    static std::string clashKey(std::string_view name);

    /// Keeps `name` (already safe) from being given to any entry, e.g. "manifest.json".
    void reserve(std::string_view name);

    /// The name the next entry is stored under: safeName(raw), or `fallback` when that is
    /// empty; then, if an earlier entry (or a reserved name) clashes with it, the first free
    /// of "stem（2）.ext", "stem（3）.ext", … (full-width parentheses, before the extension:
    /// 营业执照.jpg, 营业执照（2）.jpg). `fallback` must be a safe name.
    std::string assign(std::string_view raw, std::string_view fallback);

  private:
    std::unordered_set<std::string> taken_;
};

}  // namespace dossier::storage
