#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dossier {

/// Instants as people enter and read them (Asia/Shanghai, UTC+8 all year: China has kept no
/// daylight saving since 1991), stored as microseconds since the epoch, UTC. Pure functions.

/// ISO-8601 with its offset: "2025-04-01T09:00:00+08:00", "2025-04-01T01:00:00Z",
/// "2025-04-01T09:00+08:00", with up to six fractional digits of a second. A date or time that
/// does not exist (02-30, 24:00), a missing offset (the instant would be ambiguous) or any
/// other form is nullopt. Years 1970–9999.
std::optional<std::int64_t> parseInstant(std::string_view text);
/// "2025-04-01T09:00:00+08:00" (seconds; fractions dropped).
std::string formatShanghai(std::int64_t micros);

}  // namespace dossier
