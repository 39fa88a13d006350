#pragma once

#include <string>
#include <string_view>

namespace dossier {

/// The bytes of a PDF as every step that parses an uploaded PDF reads them (the upload's
/// validation, previews, checks, marks), so they all see the same document; the stored
/// original keeps its bytes. Mail gateways, download managers and scanners leave junk after
/// the end-of-file marker (MIME trailers, zero padding) or between the last `startxref`
/// offset and the marker; poppler skips it, but qpdf looks for `startxref` only in the last
/// kilobyte and then cannot open the file. Returns `pdf` up to the marker after the last
/// `startxref` when nothing but line ends sits between; otherwise, when that `startxref`
/// has an offset, a copy in `rebuilt` ending "startxref\n<offset>\n%%EOF\n" (the returned
/// view then points into `rebuilt`, which must outlive it); else `pdf` unchanged. Pure;
/// reads the tail only, copies only a damaged file.
std::string_view pdfWithoutTrailingJunk(std::string_view pdf, std::string& rebuilt);

}  // namespace dossier
