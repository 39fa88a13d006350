#pragma once

#include <string>
#include <string_view>

namespace dossier {

inline constexpr std::size_t kMaxFileNameBytes = 255;

/// Makes a client-supplied file name safe to keep as metadata (never as a path): drops any
/// directory part (`/` and `\`), control and bidi-override characters, repairs malformed
/// UTF-8, trims blanks, and cuts to 255 bytes on a code-point boundary keeping the
/// extension. Returns "" when nothing usable is left ("..", "", "///").
std::string sanitizeFileName(std::string_view raw);

}  // namespace dossier
