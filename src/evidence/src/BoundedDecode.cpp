#include "BoundedDecode.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <string>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::evidence {
namespace {

[[noreturn]] void tooLarge(const ImageHeader& h, const std::string& why) {
    throw Error(codes::kImageTooLarge, "The image is " + std::to_string(h.width) + " × " +
                                           std::to_string(h.height) + " pixels, " + why + ".");
}

[[noreturn]] void corrupt() {
    throw Error(codes::kImageCorrupt, "The image cannot be decoded; it may be damaged.");
}

std::uint64_t shrunkPixels(const ImageHeader& h, std::uint64_t factor) {
    return ((h.width + factor - 1) / factor) * ((h.height + factor - 1) / factor);
}

/// 8 bpp or 32 bpp as asked; takes ownership of `pix`.
Pix* toDepth(Pix* pix, bool gray) {
    if (pix == nullptr) corrupt();
    int depth = pixGetDepth(pix);
    if ((gray && depth == 8 && pixGetColormap(pix) == nullptr) || (!gray && depth == 32)) {
        return pix;
    }
    Pix* out = gray ? pixConvertTo8(pix, 0) : pixConvertTo32(pix);
    pixDestroy(&pix);
    if (out == nullptr) corrupt();
    return out;
}

Pix* decodeJpeg(std::string_view bytes, const ImageHeader& h, std::uint64_t maxPixels, bool gray) {
    int reduction = 1;
    while (shrunkPixels(h, std::uint64_t(reduction)) > maxPixels) {
        if (reduction == 8) tooLarge(h, "more than can be read even at an eighth of its size");
        reduction *= 2;
    }
    auto data = reinterpret_cast<const l_uint8*>(bytes.data());
    l_int32 warnings = 0;
    // Luminance straight from the decoder saves the colour planes; a CMYK JPEG cannot give
    // it, so it is read in colour and converted.
    Pix* pix =
        gray ? pixReadMemJpeg(data, bytes.size(), 0, reduction, &warnings, L_JPEG_READ_LUMINANCE)
             : nullptr;
    if (pix == nullptr) pix = pixReadMemJpeg(data, bytes.size(), 0, reduction, &warnings, 0);
    return toDepth(pix, gray);
}

/// Reader state for libpng from memory.
struct MemoryReader {
    std::string_view bytes;
    std::size_t at = 0;
};

void readFromMemory(png_structp png, png_bytep out, png_size_t n) {
    auto* in = static_cast<MemoryReader*>(png_get_io_ptr(png));
    if (in->bytes.size() - in->at < n) png_error(png, "cut short");
    std::memcpy(out, in->bytes.data() + in->at, n);
    in->at += n;
}

void ignoreWarning(png_structp, png_const_charp) {}

/// Area average of `factor` × `factor` blocks, one source row at a time: memory is one
/// source row plus one row of sums, whatever the height.
struct Shrinker {
    int factor;
    png_uint_32 width;
    Pix* out;
    bool gray;
    std::vector<std::uint32_t> sums;  // r, g, b per output column
    std::vector<std::uint32_t> counts;
    int rowsSummed = 0;
    png_uint_32 outRow = 0;

    void add(const png_byte* rgb) {
        for (png_uint_32 x = 0; x < width; ++x) {
            std::size_t o = x / static_cast<png_uint_32>(factor);
            sums[3 * o] += rgb[3 * x];
            sums[3 * o + 1] += rgb[3 * x + 1];
            sums[3 * o + 2] += rgb[3 * x + 2];
            ++counts[o];
        }
        if (++rowsSummed == factor) emit();
    }

    void emit() {
        if (rowsSummed == 0) return;
        l_uint32* line = pixGetData(out) + std::size_t(outRow) * pixGetWpl(out);
        for (std::size_t o = 0; o < counts.size(); ++o) {
            std::uint32_t n = counts[o] ? counts[o] : 1;
            int r = int(sums[3 * o] / n), g = int(sums[3 * o + 1] / n),
                b = int(sums[3 * o + 2] / n);
            if (gray) {
                // The weights pixConvertRGBToLuminance uses, so both paths see the same gray.
                int v = int(L_RED_WEIGHT * r + L_GREEN_WEIGHT * g + L_BLUE_WEIGHT * b + 0.5);
                SET_DATA_BYTE(line, int(o), std::min(v, 255));
            } else {
                composeRGBPixel(r, g, b, line + o);
            }
        }
        std::fill(sums.begin(), sums.end(), 0);
        std::fill(counts.begin(), counts.end(), 0);
        rowsSummed = 0;
        ++outRow;
    }
};

// The two functions below return false when libpng failed (its longjmp to their setjmp);
// they create no C++ object, so the jump skips no destructor.

bool readPngInfo(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_info(png, info);
    png_set_strip_16(png);
    png_set_packing(png);
    png_set_palette_to_rgb(png);
    png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
    png_set_strip_alpha(png);
    png_read_update_info(png, info);
    return true;
}

bool readPngShrunk(png_structp png, png_infop info, Shrinker& shrink, png_bytep row) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_uint_32 height = png_get_image_height(png, info);
    for (png_uint_32 y = 0; y < height; ++y) {
        png_read_row(png, row, nullptr);
        shrink.add(row);
    }
    shrink.emit();
    return true;
}

Pix* decodePngShrunk(std::string_view bytes, const ImageHeader& h, std::uint64_t maxPixels,
                     bool gray) {
    int factor =
        static_cast<int>(std::ceil(std::sqrt(double(h.width) * h.height / double(maxPixels))));
    while (shrunkPixels(h, std::uint64_t(factor)) > maxPixels) ++factor;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, ignoreWarning);
    if (png == nullptr) corrupt();
    png_infop info = png_create_info_struct(png);
    MemoryReader reader{bytes, 0};
    struct Cleanup {
        png_structp* png;
        png_infop* info;
        ~Cleanup() { png_destroy_read_struct(png, info, nullptr); }
    } cleanup{&png, &info};
    if (info == nullptr) corrupt();
    png_set_read_fn(png, &reader, readFromMemory);
    if (!readPngInfo(png, info)) corrupt();
    bool interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    png_uint_32 width = png_get_image_width(png, info);
    if (interlaced) tooLarge(h, "interlaced, and too large to decode whole");
    if (width != h.width || png_get_rowbytes(png, info) != std::size_t(width) * 3) corrupt();
    int outW = int((h.width + factor - 1) / factor), outH = int((h.height + factor - 1) / factor);
    Pix* out = pixCreate(outW, outH, gray ? 8 : 32);
    if (out == nullptr) throw Error(codes::kInternal, "Out of memory decoding an image.");
    Shrinker shrink{factor,
                    width,
                    out,
                    gray,
                    std::vector<std::uint32_t>(3 * std::size_t(outW)),
                    std::vector<std::uint32_t>(std::size_t(outW))};
    std::vector<png_byte> row(std::size_t(width) * 3);
    if (!readPngShrunk(png, info, shrink, row.data())) {
        pixDestroy(&out);
        corrupt();
    }
    return out;
}

}  // namespace

Pix* decodeBounded(std::string_view bytes, const ImageHeader& h, std::uint64_t maxPixels,
                   bool gray) {
    if (h.width == 0 || h.height == 0) tooLarge(h, "which is not an image");
    if (std::uint64_t(h.width) * h.height > kMaxSourcePixels) {
        tooLarge(h, "more than a scan may have");
    }
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica would print to stderr
    if (h.type == MediaType::Jpeg) return decodeJpeg(bytes, h, maxPixels, gray);
    if (std::uint64_t(h.width) * h.height <= maxPixels) {
        return toDepth(pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size()),
                       gray);
    }
    return decodePngShrunk(bytes, h, maxPixels, gray);
}

}  // namespace dossier::evidence
