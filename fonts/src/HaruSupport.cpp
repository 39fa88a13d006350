#include "dossier/fonts/HaruSupport.h"

#include <unistd.h>

#include <cstdio>
#include <vector>

#include <hpdf_font.h>
#include <hpdf_streams.h>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::fonts {

void throwOnHaruError(HPDF_STATUS error, HPDF_STATUS detail, void*) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "libharu error 0x%04X detail %u", static_cast<unsigned>(error),
                  static_cast<unsigned>(detail));
    throw Error(codes::kRenderFailed, "The PDF could not be rendered.", buf);
}

void writeToUnicode(HPDF_Font font, const std::map<char32_t, char32_t>& codeToUnicode) {
    auto* attr = static_cast<HPDF_FontAttr>(font->attr);
    if (attr == nullptr || attr->cmap_stream == nullptr || attr->cmap_stream->stream == nullptr)
        return;
    std::vector<std::pair<char32_t, char32_t>> entries;
    for (const auto& [code, cp] : codeToUnicode) {
        if (code <= 0xFFFF && (code < 0xD800 || code > 0xDFFF) && cp <= 0x10FFFF)
            entries.emplace_back(code, cp);
    }
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    for (std::size_t i = 0; i < entries.size(); i += 100) {  // at most 100 entries per block
        std::size_t n = std::min<std::size_t>(100, entries.size() - i);
        cmap += std::to_string(n) + " beginbfchar\n";
        for (std::size_t k = i; k < i + n; ++k) {
            char entry[40];
            auto [code, cp] = entries[k];
            if (cp <= 0xFFFF) {
                std::snprintf(entry, sizeof entry, "<%04X> <%04X>\n", unsigned(code), unsigned(cp));
            } else {  // UTF-16BE surrogate pair
                unsigned v = unsigned(cp) - 0x10000;
                std::snprintf(entry, sizeof entry, "<%04X> <%04X%04X>\n", unsigned(code),
                              0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            }
            cmap += entry;
        }
        cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    HPDF_MemStream_FreeData(attr->cmap_stream->stream);
    if (HPDF_Stream_WriteStr(attr->cmap_stream->stream, cmap.c_str()) != HPDF_OK) {
        throw Error(codes::kRenderFailed, "The PDF could not be rendered.", "ToUnicode");
    }
}

HaruDocument newHaruDocument() {
    HaruDocument doc(HPDF_New(throwOnHaruError, nullptr), [](HPDF_Doc d) { HPDF_Free(d); });
    if (!doc) throw Error(codes::kRenderFailed, "Out of memory rendering a PDF.");
    HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCurrentEncoder(doc.get(), "UTF-8");
    return doc;
}

std::string saveHaruDocument(HPDF_Doc pdf) {
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 length = HPDF_GetStreamSize(pdf);
    std::string out(length, '\0');
    HPDF_UINT32 read = length;
    HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(out.data()), &read);
    out.resize(read);
    return out;
}

TempFontFile::TempFontFile(const std::string& bytes) {
    char tmpl[] = "/tmp/dossier-font-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) throw Error(codes::kRenderFailed, "No temporary space for a font.");
    path_ = tmpl;
    bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    ::close(fd);
    if (!ok) {
        ::unlink(path_.c_str());
        throw Error(codes::kRenderFailed, "No temporary space for a font.");
    }
}

TempFontFile::~TempFontFile() { ::unlink(path_.c_str()); }

}  // namespace dossier::fonts
