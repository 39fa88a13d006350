#pragma once

#include <hpdf.h>

#include <map>
#include <memory>
#include <string>
#include <type_traits>

namespace dossier::fonts {

/// libharu reports errors through a callback: this one throws dossier::Error(render.failed).
void throwOnHaruError(HPDF_STATUS error, HPDF_STATUS detail, void* userData);

using HaruDocument = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)>;
/// A new document with UTF-8 text, compression on, and throwing error handling.
HaruDocument newHaruDocument();
/// The document's bytes.
std::string saveHaruDocument(HPDF_Doc pdf);

/// libharu 2.3 gives a UTF-8 TrueType font a "ToUnicode" stream that is really its
/// encoding CMap (`begincidrange`, which readers reject); text then extracts only by luck.
/// Replaces it with a real one: each 2-byte code libharu writes (the BMP code point of the
/// UTF-8 given to it) → the character it stands for.
void writeToUnicode(HPDF_Font font, const std::map<char32_t, char32_t>& codeToUnicode);

/// libharu loads TrueType from files only: a private temp file, removed on destruction
/// (keep it alive until the document is saved).
class TempFontFile {
  public:
    explicit TempFontFile(const std::string& bytes);
    ~TempFontFile();
    TempFontFile(const TempFontFile&) = delete;
    TempFontFile& operator=(const TempFontFile&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace dossier::fonts
