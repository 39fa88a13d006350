#include "dossier/core/PdfBytes.h"

namespace dossier {
namespace {

bool isPdfSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

}  // namespace

std::string_view pdfWithoutTrailingJunk(std::string_view pdf, std::string& rebuilt) {
    auto startxref = pdf.rfind("startxref");
    if (startxref == std::string_view::npos) return pdf;
    std::size_t i = startxref + 9;
    while (i < pdf.size() && isPdfSpace(pdf[i])) ++i;
    std::size_t digits = i;
    while (i < pdf.size() && pdf[i] >= '0' && pdf[i] <= '9') ++i;
    if (i == digits || i - digits > 19) return pdf;  // no offset: nothing to rebuild from
    std::string_view offset = pdf.substr(digits, i - digits);
    std::size_t eof = i;
    while (eof < pdf.size() && isPdfSpace(pdf[eof])) ++eof;
    if (pdf.substr(eof, 5) == "%%EOF") {
        std::size_t end = eof + 5;
        // Keep the end-of-line that closes the marker.
        if (end < pdf.size() && pdf[end] == '\r') ++end;
        if (end < pdf.size() && pdf[end] == '\n') ++end;
        return pdf.substr(0, end);
    }
    rebuilt.assign(pdf.substr(0, startxref));
    rebuilt.append("startxref\n").append(offset).append("\n%%EOF\n");
    return rebuilt;
}

}  // namespace dossier
