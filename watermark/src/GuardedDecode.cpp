#include "GuardedDecode.h"

#include <string>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/watermark/MagickRuntime.h"

namespace dossier::watermark {
namespace {

[[noreturn]] void tooLarge(std::uint64_t w, std::uint64_t h, const ImageLimits& limits) {
    throw Error(codes::kImageTooLarge,
                "The image is " + std::to_string(w) + " × " + std::to_string(h) +
                    " pixels; at most " + std::to_string(limits.maxPixels / 1000000) +
                    " megapixels (" + std::to_string(limits.maxWidth) + " per side) are accepted.");
}

MediaType typeOfMagick(const std::string& magick) {
    if (magick == "JPEG") return MediaType::Jpeg;
    if (magick == "PNG") return MediaType::Png;
    return MediaType::Unknown;
}

}  // namespace

// Our own reading of the JPEG/PNG header comes first: ImageMagick answers a refused bomb
// with an empty image and no reason.
ImageInfo pingGuarded(const Magick::Blob& blob) {
    const ImageLimits& limits = MagickRuntime::initialize();
    auto header =
        readImageHeader(std::string_view(static_cast<const char*>(blob.data()), blob.length()));
    if (!header) {
        throw Error(codes::kUploadTypeNotAllowed,
                    "Only complete JPEG and PNG images can be watermarked this way.");
    }
    if (header->width > limits.maxWidth || header->height > limits.maxHeight ||
        std::uint64_t(header->width) * header->height > limits.maxPixels) {
        tooLarge(header->width, header->height, limits);
    }
    Magick::Image probe;
    try {
        probe.quiet(true);
        probe.ping(blob);
    } catch (const Magick::Exception& e) {
        // ImageMagick says "width or height exceeds limit" or just "no images defined" for a
        // header it refused; a damaged header says something else.
        std::string what = e.what();
        if (what.find("security policy") != std::string::npos) {
            throw Error(codes::kUploadTypeNotAllowed,
                        "Only JPEG and PNG images can be watermarked this way.", what);
        }
        if (what.find("exceeds limit") != std::string::npos ||
            what.find("ResourceLimit") != std::string::npos) {
            throw Error(codes::kImageTooLarge,
                        "The image is larger than the largest accepted scan.", what);
        }
        throw Error(codes::kImageCorrupt, "The image cannot be read; it may be damaged.", what);
    }
    ImageInfo info{typeOfMagick(probe.magick()), probe.columns(), probe.rows()};
    if (info.type == MediaType::Unknown) {
        throw Error(codes::kImageCorrupt, "The image cannot be read; it may be damaged.",
                    "ping gave magick='" + probe.magick() + "'");
    }
    if (info.width == 0 || info.height == 0) {
        throw Error(codes::kImageCorrupt, "The image has no pixels.");
    }
    if (info.width > limits.maxWidth || info.height > limits.maxHeight ||
        info.width * info.height > limits.maxPixels) {
        tooLarge(info.width, info.height, limits);
    }
    return info;
}

Magick::Image decodeGuarded(std::string_view bytes, ImageInfo& info, std::size_t atLeastWidth) {
    Magick::Blob blob(bytes.data(), bytes.size());
    info = pingGuarded(blob);
    Magick::Image image;
    try {
        image.quiet(false);
        if (atLeastWidth > 0 && info.type == MediaType::Jpeg) {
            // libjpeg scales by the largest factor that keeps both sides at least as asked;
            // 1 for the other side lets the width decide. A sideways EXIF orientation makes
            // the stored height the width a viewer sees.
            auto header = readImageHeader(bytes);
            bool sideways = header && header->uprightQuarterTurns() % 2 == 1;
            std::string w = std::to_string(atLeastWidth);
            image.defineValue("jpeg", "size", sideways ? "1x" + w : w + "x1");
        }
        image.read(blob);
    } catch (const Magick::WarningCorruptImage& e) {
        throw Error(codes::kImageCorrupt, "The image is damaged or cut short.", e.what());
    } catch (const Magick::Warning&) {
        // Benign (unknown EXIF tags, sRGB profile notes): the image decoded.
    } catch (const Magick::ErrorResourceLimit& e) {
        throw Error(codes::kImageTooLarge, "The image needs more memory than a scan may.",
                    e.what());
    } catch (const Magick::Exception& e) {
        throw Error(codes::kImageCorrupt, "The image cannot be decoded; it may be damaged.",
                    e.what());
    }
    if (image.columns() == 0 || image.rows() == 0) {
        throw Error(codes::kImageCorrupt, "The image cannot be decoded; it may be damaged.");
    }
    return image;
}

EncodedImage encode(Magick::Image& image, MediaType type) {
    Magick::Blob out;
    image.write(&out);
    EncodedImage result;
    result.bytes.assign(static_cast<const char*>(out.data()), out.length());
    result.type = type;
    result.width = image.columns();
    result.height = image.rows();
    return result;
}

}  // namespace dossier::watermark
