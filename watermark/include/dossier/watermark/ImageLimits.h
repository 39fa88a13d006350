#pragma once

#include <cstdint>

namespace dossier::watermark {

/// Bounds on decoding an untrusted image. A scan of an A4 page at 600 dpi is about
/// 4960 × 7016 = 35 Mpx; anything past these is refused before it is decoded.
struct ImageLimits {
    std::uint64_t maxWidth = 20000;
    std::uint64_t maxHeight = 20000;
    std::uint64_t maxPixels = 80'000'000;
    std::uint64_t memoryBytes = 512ull << 20;
    std::uint64_t mapBytes = 1ull << 30;
    std::uint64_t diskBytes = 1ull << 30;
};

}  // namespace dossier::watermark
