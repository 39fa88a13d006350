#pragma once

#include <cstdint>
#include <string>

namespace dossier::filing {

/// "5 MB", "10.5 MB", "812 KB", "17 bytes" (MB = 2^20 bytes, as the limits are written).
std::string formatBytes(std::uint64_t bytes);

}  // namespace dossier::filing
