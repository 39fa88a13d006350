#include "dossier/evidence/ImageVerifier.h"

// libjpeg's header needs FILE and size_t declared first.
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include <jpeglib.h>
// After jpeglib.h, which it needs: the message codes (JWRN_JPEG_EOF).
#include <jerror.h>
#include <png.h>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::evidence {
namespace {

[[noreturn]] void tooLarge(std::uint64_t w, std::uint64_t h, const ImageDecodeLimits& limits) {
    throw Error(codes::kImageTooLarge,
                "The image is " + std::to_string(w) + " × " + std::to_string(h) +
                    " pixels; at most " + std::to_string(limits.maxPixels / 1000000) +
                    " megapixels (" + std::to_string(limits.maxWidth) + " per side) are accepted.");
}

/// Zero pixels counts as outside: a header that says so is refused with its numbers.
bool isWithin(std::uint64_t w, std::uint64_t h, const ImageDecodeLimits& limits) {
    return w > 0 && h > 0 && w <= limits.maxWidth && h <= limits.maxHeight &&
           w * h <= limits.maxPixels;
}

// --- JPEG (libjpeg-turbo) -------------------------------------------------------------------

struct JpegFailure {
    jpeg_error_mgr base;  // first: libjpeg hands back a pointer to it
    std::jmp_buf jump;
    bool endedEarly = false;
    // Set between setjmp and longjmp, read after: kept here, in memory, not in locals.
    std::uint64_t width = 0, height = 0;
    bool within = true;
    char message[JMSG_LENGTH_MAX] = {};
};

[[noreturn]] void jpegFail(j_common_ptr cinfo) {
    auto* failure = reinterpret_cast<JpegFailure*>(cinfo->err);
    failure->endedEarly = failure->base.msg_code == JWRN_JPEG_EOF;
    failure->base.format_message(cinfo, failure->message);
    std::longjmp(failure->jump, 1);
}

/// A warning (level -1) is damaged data that libjpeg would paper over with grey; ImageMagick
/// refuses it (CorruptImageWarning), so this does too. Trace messages (level >= 0) are not.
void jpegMessage(j_common_ptr cinfo, int level) {
    if (level < 0) jpegFail(cinfo);
}

/// No C++ object with a destructor lives between setjmp and a longjmp to it.
void verifyJpeg(std::string_view bytes, const ImageDecodeLimits& limits) {
    jpeg_decompress_struct cinfo{};
    JpegFailure failure;
    cinfo.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpegFail;
    failure.base.emit_message = jpegMessage;
    if (setjmp(failure.jump) != 0) {
        jpeg_destroy_decompress(&cinfo);
        if (!failure.within) tooLarge(failure.width, failure.height, limits);
        if (failure.endedEarly) {
            throw Error(codes::kUploadTruncated,
                        "The JPEG image's data ends early. Upload the complete file.",
                        failure.message);
        }
        throw Error(codes::kUploadCorrupt,
                    "The JPEG image's data is damaged and does not decode. Upload an undamaged "
                    "copy.",
                    failure.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    failure.width = cinfo.image_width;
    failure.height = cinfo.image_height;
    failure.within = isWithin(failure.width, failure.height, limits);
    if (!failure.within) std::longjmp(failure.jump, 1);
    // Every coefficient is still entropy-decoded (where damage shows), but the inverse DCT
    // makes 1/8-size rows: the check costs a fraction of a full decode.
    cinfo.scale_num = 1;
    cinfo.scale_denom = 8;
    jpeg_start_decompress(&cinfo);
    JSAMPARRAY row = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                                cinfo.output_width * cinfo.output_components, 1);
    while (cinfo.output_scanline < cinfo.output_height) jpeg_read_scanlines(&cinfo, row, 1);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
}

// --- PNG (libpng) ---------------------------------------------------------------------------

struct PngReader {
    std::string_view bytes;
    std::size_t offset = 0;
    bool endedEarly = false;
    // Set between setjmp and longjmp, read after: kept here, in memory, not in locals.
    png_uint_32 width = 0, height = 0;
    bool within = true;
    png_bytep row = nullptr;  // png_malloc'd, freed on both paths
    std::string message;
};

void pngRead(png_structp png, png_bytep out, png_size_t n) {
    auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
    if (n > reader->bytes.size() - reader->offset) {
        reader->endedEarly = true;
        png_error(png, "the file ends early");
    }
    std::memcpy(out, reader->bytes.data() + reader->offset, n);
    reader->offset += n;
}

[[noreturn]] void pngFail(png_structp png, png_const_charp message) {
    static_cast<PngReader*>(png_get_error_ptr(png))->message = message;
    png_longjmp(png, 1);
}

void pngWarning(png_structp, png_const_charp) {}

/// No C++ object with a destructor is created between setjmp and a longjmp to it.
void verifyPng(std::string_view bytes, const ImageDecodeLimits& limits) {
    PngReader reader;
    reader.bytes = bytes;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, pngFail, pngWarning);
    if (png == nullptr) throw Error(codes::kInternal, "PNG decoder set-up failed.");
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png)) != 0) {
        if (reader.row != nullptr) png_free(png, reader.row);
        png_destroy_read_struct(&png, &info, nullptr);
        if (!reader.within) tooLarge(reader.width, reader.height, limits);
        if (reader.endedEarly) {
            throw Error(codes::kUploadTruncated,
                        "The PNG image's data ends early. Upload the complete file.",
                        reader.message);
        }
        throw Error(codes::kUploadCorrupt,
                    "The PNG image's data is damaged and does not decode. Upload an undamaged "
                    "copy.",
                    reader.message);
    }
    if (info == nullptr) png_error(png, "out of memory");
    png_set_read_fn(png, &reader, pngRead);
    // As ImageMagick reads: benign errors (extra data after the image) are warnings.
    png_set_benign_errors(png, 1);
    // png_read_info stops at the first IDAT: the dimensions are judged before any pixel data
    // is inflated or any row allocated.
    png_read_info(png, info);
    reader.width = png_get_image_width(png, info);
    reader.height = png_get_image_height(png, info);
    reader.within = isWithin(reader.width, reader.height, limits);
    if (!reader.within) png_longjmp(png, 1);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    reader.row = static_cast<png_bytep>(png_malloc(png, png_get_rowbytes(png, info)));
    for (int pass = 0; pass < passes; ++pass) {
        for (png_uint_32 y = 0; y < reader.height; ++y) png_read_row(png, reader.row, nullptr);
    }
    png_read_end(png, nullptr);  // the chunks after the image: their CRCs, IEND
    png_free(png, reader.row);
    png_destroy_read_struct(&png, &info, nullptr);
}

}  // namespace

void ImageVerifier::requireDecodable(std::string_view bytes, MediaType type,
                                     const ImageDecodeLimits& limits) {
    if (type == MediaType::Jpeg) {
        verifyJpeg(bytes, limits);
    } else if (type == MediaType::Png) {
        verifyPng(bytes, limits);
    } else {
        throw Error(codes::kInternal, "ImageVerifier takes JPEG and PNG only.");
    }
}

}  // namespace dossier::evidence
