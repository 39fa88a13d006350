#pragma once

#include <string_view>

namespace dossier {

/// The part of a PDF file a reader parses: up to the end-of-file marker that follows the
/// last `startxref`. Mail gateways, download managers and scanners append junk after it
/// (MIME trailers, zero padding); poppler skips it, but qpdf looks for `startxref` only in
/// the last kilobyte and then cannot open the file. Every step that parses an uploaded PDF
/// (the upload's validation, previews, checks, marks) reads this view of it, so they all
/// see the same document; the stored original keeps its bytes. A file without that marker
/// is returned whole. Pure; O(size) at worst, the tail only in practice.
std::string_view pdfWithoutTrailingJunk(std::string_view pdf);

}  // namespace dossier
