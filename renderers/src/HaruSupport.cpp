#include "HaruSupport.h"

#include <unistd.h>

#include <cstdio>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::renderers {

void throwOnHaruError(HPDF_STATUS error, HPDF_STATUS detail, void*) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "libharu error 0x%04X detail %u", static_cast<unsigned>(error),
                  static_cast<unsigned>(detail));
    throw Error(codes::kRenderFailed, "The PDF could not be rendered.", buf);
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

}  // namespace dossier::renderers
