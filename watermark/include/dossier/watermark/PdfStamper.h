#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/watermark/WatermarkOverlay.h"

namespace dossier::watermark {

/// A page's visible area (CropBox within MediaBox) as displayed, after its /Rotate.
struct PdfPageBox {
    double width = 0;  // points
    double height = 0;
};

/// What upload limits judge, read from the page tree and the resource dictionaries only
/// (no content stream is decoded).
struct PdfFacts {
    std::size_t pageCount = 0;
    /// Displayed boxes, all pages (empty when pageCount exceeded the `maxPages` asked for).
    std::vector<PdfPageBox> pages;
    /// Width × height of the largest image XObject on any page (forms followed).
    std::uint64_t largestImagePixels = 0;
    /// Whether it carries a digital signature: a signature field with a value, or /Perms.
    bool signatures = false;
};

/// Lays page i of an overlay PDF over page i of a document (qpdf, as its --overlay does):
/// the overlay becomes a form XObject drawn after the page's own content, which is kept
/// intact (text stays extractable, vectors stay vectors). Each overlay page is scaled onto
/// its page's visible area and turned with the page's /Rotate (any multiple of 90, negative
/// or inherited too), so the mark reads upright as the page is displayed and covers it.
/// Thread-safe.
class PdfStamper {
  public:
    /// Displayed page sizes of a PDF. Throws pdf.corrupt / pdf.encrypted.
    static std::vector<PdfPageBox> pageBoxes(std::string_view pdf);
    /// The facts of a PDF, reading no page past `maxPages` (only the count then). Opens the
    /// file as stamp() does (so a PDF this accepts can be marked) but never rebuilds a
    /// cross-reference table that does not match the file: that is pdf.corrupt here, in
    /// milliseconds, where the rebuild could take minutes. Throws pdf.corrupt / pdf.encrypted.
    static PdfFacts inspect(std::string_view pdf, std::size_t maxPages);
    /// `overlay` must have at least as many pages as `pdf`. `deterministic` fixes the
    /// document /ID (golden tests). The result is a copy and says so: its signature fields
    /// (and their widgets), /Perms and the AcroForm's SigFlags are removed — a signature
    /// cannot survive a changed file, and readers would show it as broken — and its
    /// document information carries /DossierCopy.
    static std::string stamp(std::string_view pdf, std::string_view overlay,
                             bool deterministic = false);
    /// A vector mark of `lines` (WatermarkOverlay, in `style`) over every page of `pdf`.
    /// Pages of one displayed size share one drawing of the mark, so the cost grows with the
    /// pages' count only by qpdf's reading and writing of them.
    static std::string mark(std::string_view pdf, const std::vector<std::string>& lines,
                            const OverlayStyle& style = OverlayStyle::filing());
};

}  // namespace dossier::watermark
