#include "dossier/fonts/SubsetFont.h"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier::fonts {
namespace {

template <typename T, void (*Destroy)(T*)>
struct HbDeleter {
    void operator()(T* p) const { Destroy(p); }
};
using BlobPtr = std::unique_ptr<hb_blob_t, HbDeleter<hb_blob_t, hb_blob_destroy>>;
using FacePtr = std::unique_ptr<hb_face_t, HbDeleter<hb_face_t, hb_face_destroy>>;
using FontPtr = std::unique_ptr<hb_font_t, HbDeleter<hb_font_t, hb_font_destroy>>;
using InputPtr =
    std::unique_ptr<hb_subset_input_t, HbDeleter<hb_subset_input_t, hb_subset_input_destroy>>;

void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>((v >> 8) & 0xFF);
    out += static_cast<char>(v & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, v >> 16);
    put16(out, v & 0xFFFF);
}

std::uint32_t get16(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 8) | std::uint8_t(s[at + 1]);
}

std::uint32_t get32(const std::string& s, std::size_t at) {
    return (get16(s, at) << 16) | get16(s, at + 2);
}

std::uint32_t checksum(const std::string& data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 4) {
        std::uint32_t word = 0;
        for (std::size_t k = 0; k < 4; ++k)
            word = (word << 8) | (i + k < data.size() ? std::uint8_t(data[i + k]) : 0u);
        sum += word;
    }
    return sum;
}

/// A cmap with one (3,1) format-4 subtable: codes first .. first + glyphs - 2 → glyphs 1 ...
std::string sequentialCmap(std::uint32_t first, std::uint32_t glyphs) {
    std::string sub;
    const std::uint32_t segments = 2;
    put16(sub, 4);                  // format
    put16(sub, 16 + 8 * segments);  // length
    put16(sub, 0);                  // language
    put16(sub, segments * 2);
    put16(sub, 4);                   // searchRange = 2 * 2^floor(log2(segments))
    put16(sub, 1);                   // entrySelector
    put16(sub, 0);                   // rangeShift
    put16(sub, first + glyphs - 2);  // endCode
    put16(sub, 0xFFFF);
    put16(sub, 0);      // reservedPad
    put16(sub, first);  // startCode
    put16(sub, 0xFFFF);
    put16(sub, (1 - first) & 0xFFFF);  // idDelta: glyph = code + delta
    put16(sub, 1);
    put16(sub, 0);  // idRangeOffset
    put16(sub, 0);
    std::string cmap;
    put16(cmap, 0);  // version
    put16(cmap, 1);  // one encoding record
    put16(cmap, 3);  // Windows
    put16(cmap, 1);  // Unicode BMP
    put32(cmap, 12);
    return cmap + sub;
}

/// The font with its cmap table replaced; offsets, table checksums and the head
/// checkSumAdjustment recomputed.
std::string replaceCmap(const std::string& ttf, const std::string& cmap) {
    if (ttf.size() < 12) throw Error(codes::kRenderFont, "The font subset is malformed.");
    std::uint32_t tables = get16(ttf, 4);
    struct Table {
        std::uint32_t tag;
        std::string data;
    };
    std::vector<Table> list;
    for (std::uint32_t i = 0; i < tables; ++i) {
        std::size_t rec = 12 + 16 * i;
        if (rec + 16 > ttf.size()) throw Error(codes::kRenderFont, "The font subset is malformed.");
        std::uint32_t tag = get32(ttf, rec), offset = get32(ttf, rec + 8),
                      length = get32(ttf, rec + 12);
        if (std::uint64_t(offset) + length > ttf.size())
            throw Error(codes::kRenderFont, "The font subset is malformed.");
        list.push_back({tag, tag == 0x636D6170 /* cmap */ ? cmap : ttf.substr(offset, length)});
    }
    // libharu 2.3 writes the tables it needs in a fixed order ending with 'prep'; a missing
    // one is written empty, and an empty table that ends its buffer exactly at a 4096-byte
    // boundary makes its MemStream seek fail (HPDF_INVALID_OBJECT at save, about one font in
    // a thousand; WenQuanYi Zen Hei has no 'prep'). A two-instruction program (PUSHB 0; POP)
    // does nothing and keeps the table non-empty.
    constexpr std::uint32_t kPrep = 0x70726570;
    if (std::none_of(list.begin(), list.end(), [](const Table& t) { return t.tag == kPrep; })) {
        list.push_back({kPrep, std::string("\xB0\x00\x21", 3)});
    }
    std::sort(list.begin(), list.end(),
              [](const Table& a, const Table& b) { return a.tag < b.tag; });
    std::string out = ttf.substr(0, 4);
    std::uint32_t count = static_cast<std::uint32_t>(list.size()), power = 1, log2 = 0;
    while (power * 2 <= count) {
        power *= 2;
        ++log2;
    }
    put16(out, count);
    put16(out, power * 16);               // searchRange
    put16(out, log2);                     // entrySelector
    put16(out, count * 16 - power * 16);  // rangeShift
    std::size_t offset = 12 + 16 * list.size();
    std::size_t headAt = 0;
    std::string body;
    for (auto& t : list) {
        if (t.tag == 0x68656164 /* head */ && t.data.size() >= 12) {
            t.data.replace(8, 4, std::string(4, '\0'));  // checkSumAdjustment, set below
            headAt = offset + body.size();
        }
        put32(out, t.tag);
        put32(out, checksum(t.data));
        put32(out, static_cast<std::uint32_t>(offset + body.size()));
        put32(out, static_cast<std::uint32_t>(t.data.size()));
        body += t.data;
        body.append((4 - body.size() % 4) % 4, '\0');
    }
    out += body;
    if (headAt) {
        std::string adjustment;
        put32(adjustment, 0xB1B0AFBAu - checksum(out));
        out.replace(headAt + 8, 4, adjustment);
    }
    return out;
}

}  // namespace

char32_t SubsetFont::codeFor(char32_t cp) const {
    if (codeOf_.empty()) return cp;
    auto it = codeOf_.find(cp);
    return it == codeOf_.end() ? 0 : it->second;
}

SubsetFont SubsetFont::createSequential(const std::string& path, unsigned faceIndex,
                                        std::u32string_view text) {
    constexpr char32_t kFirst = 0x100;
    SubsetFont plain = create(path, faceIndex, text);
    BlobPtr blob(hb_blob_create(plain.ttf_.data(), static_cast<unsigned>(plain.ttf_.size()),
                                HB_MEMORY_MODE_READONLY, nullptr, nullptr));
    FacePtr face(hb_face_create(blob.get(), 0));
    FontPtr font(hb_font_create(face.get()));
    unsigned glyphs = hb_face_get_glyph_count(face.get());
    if (glyphs < 2 || kFirst + glyphs > 0xD000) {
        throw Error(codes::kRenderFont, "The font subset has too many glyphs for one segment.",
                    path);
    }
    SubsetFont sequential(replaceCmap(plain.ttf_, sequentialCmap(kFirst, glyphs)));
    for (char32_t cp : text) {
        if (cp < 0x20 || cp == 0xFEFF || sequential.codeOf_.count(cp)) continue;
        hb_codepoint_t glyph = 0;
        if (!hb_font_get_nominal_glyph(font.get(), cp, &glyph) || glyph == 0) {
            throw Error(codes::kRenderGlyphMissing,
                        "The character " + utf8::describe(cp) +
                            " cannot be printed with the available fonts.",
                        path);
        }
        char32_t code = kFirst + glyph - 1;
        sequential.codeOf_[cp] = code;
        sequential.unicodeOf_.emplace(code, cp);  // two characters on one glyph: the first
    }
    return sequential;
}

SubsetFont SubsetFont::create(const std::string& path, unsigned faceIndex,
                              std::u32string_view text) {
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
                        "The character " + utf8::describe(cp) +
                            " cannot be printed with the available fonts.",
                        path);
        }
    }
    InputPtr input(hb_subset_input_create_or_fail());
    if (!input) throw Error(codes::kInternal, "Out of memory subsetting a font.");
    hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
    for (char32_t cp : wanted) hb_set_add(unicodes, cp);
    FacePtr subset(hb_subset_or_fail(face.get(), input.get()));
    if (!subset)
        throw Error(codes::kRenderFont, "The font could not be prepared for embedding.", path);
    BlobPtr out(hb_face_reference_blob(subset.get()));
    unsigned length = 0;
    const char* data = hb_blob_get_data(out.get(), &length);
    return SubsetFont(std::string(data, length));
}

}  // namespace dossier::fonts
