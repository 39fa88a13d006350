#include "dossier/core/PdfBytes.h"

namespace dossier {

std::string_view pdfWithoutTrailingJunk(std::string_view pdf) {
    auto startxref = pdf.rfind("startxref");
    if (startxref == std::string_view::npos) return pdf;
    auto eof = pdf.find("%%EOF", startxref);
    if (eof == std::string_view::npos) return pdf;
    std::size_t end = eof + 5;
    // Keep the end-of-line that closes the marker.
    if (end < pdf.size() && pdf[end] == '\r') ++end;
    if (end < pdf.size() && pdf[end] == '\n') ++end;
    return pdf.substr(0, end);
}

}  // namespace dossier
