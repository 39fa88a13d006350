#pragma once

#include <cstdint>

namespace dossier::watermark {

/// Bounds on decoding an untrusted image. A scan of an A4 page at 600 dpi is about
/// 4960 × 7016 = 35 Mpx; anything past these is refused before it is decoded.
///
/// The byte limits are ImageMagick's, for the whole process: its pixel caches (8 bytes a
/// pixel in this Q16 build) take at most `memoryBytes` of the heap together; a cache that
/// does not fit goes to a temporary file (slower, but not resident memory). `mapBytes` is 0
/// because a memory-mapped cache is resident too. A 600-dpi A4 scan (280 MB) still fits
/// in memory; an 80-million-pixel one (640 MB) is marked through the disk (README, "Memory").
struct ImageLimits {
    std::uint64_t maxWidth = 20000;
    std::uint64_t maxHeight = 20000;
    std::uint64_t maxPixels = 80'000'000;
    std::uint64_t memoryBytes = 384ull << 20;
    std::uint64_t mapBytes = 0;
    std::uint64_t diskBytes = 2ull << 30;
};

}  // namespace dossier::watermark
