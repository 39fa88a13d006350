#include "dossier/renderers/SubsetFont.h"

#include <hb-subset.h>
#include <hb.h>

#include <cstdio>
#include <memory>
#include <set>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier::renderers {
namespace {

template <typename T, void (*Destroy)(T*)>
struct HbDeleter {
    void operator()(T* p) const { Destroy(p); }
};
using BlobPtr = std::unique_ptr<hb_blob_t, HbDeleter<hb_blob_t, hb_blob_destroy>>;
using FacePtr = std::unique_ptr<hb_face_t, HbDeleter<hb_face_t, hb_face_destroy>>;
using FontPtr = std::unique_ptr<hb_font_t, HbDeleter<hb_font_t, hb_font_destroy>>;
using InputPtr = std::unique_ptr<hb_subset_input_t, HbDeleter<hb_subset_input_t, hb_subset_input_destroy>>;

}  // namespace

SubsetFont SubsetFont::create(const std::string& path, unsigned faceIndex, std::u32string_view text) {
    BlobPtr blob(hb_blob_create_from_file_or_fail(path.c_str()));
    if (!blob) throw Error(codes::kRenderFont, "A font the renderer needs is missing.", path);
    FacePtr face(hb_face_create(blob.get(), faceIndex));
    FontPtr font(hb_font_create(face.get()));
    std::set<char32_t> wanted;
    for (char32_t cp : text) {
        if (cp < 0x20 || cp == 0xFEFF) continue;
        wanted.insert(cp);
    }
    for (char32_t cp : wanted) {
        hb_codepoint_t glyph = 0;
        if (!hb_font_get_nominal_glyph(font.get(), cp, &glyph)) {
            throw Error(codes::kRenderGlyphMissing,
                        "The character " + utf8::describe(cp) + " cannot be printed with the available fonts.",
                        path);
        }
    }
    InputPtr input(hb_subset_input_create_or_fail());
    if (!input) throw Error(codes::kInternal, "Out of memory subsetting a font.");
    hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
    for (char32_t cp : wanted) hb_set_add(unicodes, cp);
    FacePtr subset(hb_subset_or_fail(face.get(), input.get()));
    if (!subset) throw Error(codes::kRenderFont, "The font could not be prepared for embedding.", path);
    BlobPtr out(hb_face_reference_blob(subset.get()));
    unsigned length = 0;
    const char* data = hb_blob_get_data(out.get(), &length);
    return SubsetFont(std::string(data, length));
}

}  // namespace dossier::renderers
