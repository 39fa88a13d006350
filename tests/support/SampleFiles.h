#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dossier::test {

/// A ZIP archive (deflated entries) of the given name → content pairs.
std::string makeZip(const std::vector<std::pair<std::string, std::string>>& entries);
/// Minimal but well-formed OOXML packages.
std::string makeDocx();
std::string makeXlsx();
/// An OOXML package whose main part is a PowerPoint deck (a ZIP that is neither).
std::string makePptx();
/// A small valid single-page PDF.
std::string makePdf();
/// A PDF with real text (Helvetica): "Dossier page one", "Dossier page two", then
/// "Dossier page N"; portrait A4, the second page landscape.
std::string makeTextPdf(int pages = 2);
/// A PDF whose pages are the given JPEG scans (DCTDecode images, as scanners write them),
/// each page sized so that `dpi` renders it at the JPEG's own pixel size.
std::string makeScannedPdf(const std::vector<std::string>& jpegs, double dpi = 200);
/// A valid PDF of about `bytes` bytes (at least a few KB): `pages` A4 pages, each drawing one
/// uncompressed 8-bit grey image of pseudo-random samples, unique per `seed` (nothing is
/// deduplicated) and incompressible, as scans nearly are. Its cross-reference table is exact.
std::string makeSizedPdf(std::size_t bytes, int seed, int pages = 40);

}  // namespace dossier::test
