#include "dossier/watermark/ImagePreviewer.h"

#include <algorithm>

#include "GuardedDecode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::watermark {

int ImagePreviewer::snapWidth(int requested) {
    for (int w : kWidths) {
        if (requested <= w) return w;
    }
    return kMaxWidth;
}

EncodedImage ImagePreviewer::render(std::string_view bytes, int width) {
    ImageInfo info;
    auto target = static_cast<std::size_t>(std::clamp(width, kMinWidth, kMaxWidth));
    Magick::Image image = decodeGuarded(bytes, info, target);
    try {
        image.autoOrient();
        if (image.columns() > target) {
            auto height = std::max<std::size_t>(1, image.rows() * target / image.columns());
            image.filterType(MagickCore::TriangleFilter);
            Magick::Geometry size(target, height);
            size.aspect(true);  // exactly this size: the height already keeps the ratio
            image.resize(size);
        }
        image.strip();
        image.magick("PNG");
        return encode(image, MediaType::Png);
    } catch (const Magick::Exception& e) {
        throw Error(codes::kInternal, "The preview could not be made.", e.what());
    }
}

}  // namespace dossier::watermark
