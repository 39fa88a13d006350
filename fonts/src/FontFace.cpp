#include "dossier/fonts/FontFace.h"

#include <hb.h>

#include <map>
#include <mutex>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::fonts {

struct FontFace::Impl {
    hb_blob_t* blob = nullptr;
    hb_face_t* face = nullptr;
    hb_font_t* font = nullptr;
    unsigned upem = 1000;
    ~Impl() {
        hb_font_destroy(font);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
};

FontFace::FontFace(std::string path, unsigned face, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), face_(face), impl_(std::move(impl)) {}

FontFace::~FontFace() = default;

std::shared_ptr<const FontFace> FontFace::load(const std::string& path, unsigned face) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const FontFace>> cache;
    std::lock_guard lock(mutex);
    auto key = std::make_pair(path, face);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    auto impl = std::make_unique<Impl>();
    impl->blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (impl->blob == nullptr) {
        throw Error(codes::kRenderFont, "A font the renderer needs is missing.", path);
    }
    impl->face = hb_face_create(impl->blob, face);
    impl->font = hb_font_create(impl->face);
    impl->upem = hb_face_get_upem(impl->face);
    if (impl->upem == 0 || hb_face_get_glyph_count(impl->face) == 0) {
        throw Error(codes::kRenderFont, "A font the renderer needs cannot be read.", path);
    }
    std::shared_ptr<const FontFace> loaded(new FontFace(path, face, std::move(impl)));
    cache.emplace(key, loaded);
    return loaded;
}

bool FontFace::hasGlyph(char32_t cp) const {
    hb_codepoint_t glyph = 0;
    return hb_font_get_nominal_glyph(impl_->font, cp, &glyph);
}

double FontFace::advance(char32_t cp, double size) const {
    hb_codepoint_t glyph = 0;
    if (!hb_font_get_nominal_glyph(impl_->font, cp, &glyph)) return 0;
    return hb_font_get_glyph_h_advance(impl_->font, glyph) * size / impl_->upem;
}

std::shared_ptr<const FontFace> FontFace::song() {
    return load("/usr/share/fonts/truetype/arphic/uming.ttc", 0);
}

std::shared_ptr<const FontFace> FontFace::hei() {
    return load("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0);
}

namespace {

std::shared_ptr<const FontFace> optionalFace(const char* path) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const FontFace>> loaded;
    std::lock_guard lock(mutex);
    auto it = loaded.find(path);
    if (it != loaded.end()) return it->second;
    std::shared_ptr<const FontFace> face;
    try {
        face = FontFace::load(path, 0);
    } catch (const Error&) {
        // Not installed: the characters only it has are reported as missing.
    }
    return loaded[path] = face;
}

}  // namespace

std::shared_ptr<const FontFace> FontFace::rareA() {
    return optionalFace("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf");
}

std::shared_ptr<const FontFace> FontFace::rareB() {
    return optionalFace("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf");
}

bool FontFace::printable(char32_t cp) {
    if (song()->hasGlyph(cp) || hei()->hasGlyph(cp) || symbol()->hasGlyph(cp)) return true;
    auto a = rareA(), b = rareB();
    return (a && a->hasGlyph(cp)) || (b && b->hasGlyph(cp));
}

std::shared_ptr<const FontFace> FontFace::symbol() {
    return load("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0);
}

}  // namespace dossier::fonts
