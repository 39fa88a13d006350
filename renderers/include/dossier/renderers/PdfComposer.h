#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dossier::renderers {

/// Song and Hei are the document faces; the others only draw what neither has: Symbol
/// (DejaVu Sans) the checkboxes ☐ ☑, RareA/RareB (HanaMin) the 生僻字 such as 𠮷.
enum class Face { Song, Hei, Symbol, RareA, RareB };

struct TextStyle {
    Face face = Face::Song;
    double size = 14;  // 四号 body (seed 004 writing rules); 小二号 titles are 18
    double lineHeight = 1.5;
    enum class Align { Left, Center } align = Align::Left;
    double firstLineIndentEm = 0;
};

struct TableCell {
    std::string text;
    int colspan = 1;
    int rowspan = 1;
    bool header = false;  // 黑体, centred
    enum class Align {
        Auto,
        Left,
        Center,
        Right
    } align = Align::Auto;  // Auto: header centred, else left
    double minHeight = 0;   // points, e.g. a large box to write an opinion in by hand
    bool top = false;       // text at the top of the cell instead of centred vertically
};

/// A table: column widths as fractions of the text width (normalised), rows of cells with
/// column and row spans. The first `headerRows` rows repeat at the top of every page the
/// table continues on. Rows tied together by a row span never split across pages.
struct Table {
    std::vector<double> columns;
    std::vector<std::vector<TableCell>> rows;
    int headerRows = 0;
    double fontSize = 12;  // 小四
    double padding = 4;
};

struct PageSetup {
    double width = 595.28;  // A4 portrait, points
    double height = 841.89;
    double marginTop = 72, marginBottom = 72, marginLeft = 79.4, marginRight = 79.4;
    bool pageNumbers = true;
    int firstNumberedPage = 1;  // e.g. 2: no number on a cover
};

struct DocumentInfo {
    std::string title;
    std::string author;
    /// The PDF's CreationDate (microseconds since the epoch, UTC). The caller supplies it, so
    /// the same input and instant give the same bytes (a submitted book: its submission).
    std::int64_t createdMicros = 0;
};

/// What is printed on every page besides the layout, e.g. on an application book.
struct PageMarks {
    /// A draft's mark: "草稿" large, light grey and diagonal across the middle of every page,
    /// drawn under everything else so it hides no text, and "草稿" in the top margin.
    bool draft = false;
    /// One line centred at the foot of every page, under the page number (Song 9 pt, grey),
    /// e.g. a submitted book's application number and submission instant. Shrinks (down to
    /// 5 pt) to fit between the margins. Empty: none.
    std::string footer;
};

/// A small flow layout on libharu: paragraphs and headings broken per code point
/// (LineBreaker) with real font metrics, flowing over A4 pages, page numbers, UTF-8 document
/// info. Text is embedded in fonts subset to the document's characters (harfbuzz), so files
/// stay small and text extracts. A character the chosen face lacks is drawn with the other
/// face; one no face has fails with render.glyph_missing naming it — nothing vanishes.
/// Deterministic: no clock, no random, no file name reaches the output; the same calls give
/// the same bytes, with a file identifier (/ID) derived from them. Not thread-safe; one per
/// document.
class PdfComposer {
  public:
    explicit PdfComposer(PageSetup page = {}, DocumentInfo info = {});
    ~PdfComposer();
    PdfComposer(const PdfComposer&) = delete;
    PdfComposer& operator=(const PdfComposer&) = delete;

    void paragraph(const std::string& utf8, const TextStyle& style = {});
    void table(const Table& table);

    // Absolute placement on the current page (points, origin bottom-left), for fixed
    // layouts such as certificates.
    /// Text with its baseline at y; Center aligns on x.
    void textAt(double x, double y, const std::string& utf8, const TextStyle& style);
    /// `gray`: 0 black … 1 white.
    void strokeRect(double x, double y, double w, double h, double lineWidth = 0.6,
                    double gray = 0);
    void line(double x0, double y0, double x1, double y1, double lineWidth = 0.6);
    void fillRect(double x, double y, double w, double h);
    /// A PNG (transparency kept), drawn into the box.
    void pngImage(const std::string& png, double x, double y, double w, double h);
    /// A QR code of `text` (libqrencode, level M) as vector modules in the square (x, y, size),
    /// with a quiet zone of `quietModules` on each side. Throws render.failed if it cannot be
    /// encoded.
    void qrCode(const std::string& text, double x, double y, double size, int quietModules = 4);
    /// Width of `utf8` in `style` (points).
    double textWidth(const std::string& utf8, const TextStyle& style) const;
    void space(double points);
    /// The flow position: where the next paragraph's first line starts (points from the bottom).
    double cursor() const;
    /// Starts a new page unless `points` still fit above the bottom margin.
    void ensureSpace(double points);
    const PageSetup& page() const;
    void pageBreak();
    int pageCount() const;
    /// Marks for every page, drawn by finish(). Throws render.glyph_missing (naming the
    /// character) if the footer has one no font can print.
    void setMarks(const PageMarks& marks);
    /// Renders the PDF.
    std::string finish();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::renderers
