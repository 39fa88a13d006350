#pragma once

#include <leptonica/allheaders.h>

#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

/// Owns one 8-bpp Pix.
struct PageImage::Impl {
    explicit Impl(Pix* p) : pix(p) {}
    ~Impl() { pixDestroy(&pix); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Pix* pix;
};

}  // namespace dossier::evidence
