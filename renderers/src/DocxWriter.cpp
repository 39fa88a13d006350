#include "DocxWriter.h"

#include <algorithm>
#include <cmath>

#include "DocxPackage.h"
#include "OoxmlPart.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

// The blocks TemplateLayout draws for the PDF, written as WordprocessingML: the same faces by
// name, sizes, exact line heights, indents, alignments, page breaks and tables, so Word lays
// the document out close to the PDF while the applicant can still edit it. Lengths arrive in
// points and leave as twips (1/20 pt), font sizes as half-points, borders as eighths of a point.
namespace dossier::renderers {

namespace {

constexpr double kSealBox = 116;  // a 42 mm 公章, as TemplateLayout draws it

std::string twips(double points) { return std::to_string(std::lround(points * 20)); }
std::string halfPoints(double points) { return std::to_string(std::lround(points * 2)); }

const char* fontName(Face face) { return face == Face::Hei ? "黑体" : "宋体"; }

/// Width of text in ems as 宋体 and 黑体 set it: CJK, full-width forms and symbols one em,
/// Latin, digits and ASCII punctuation half an em. For padding fill-in lines only.
double ems(const std::string& utf8) {
    double w = 0;
    for (char32_t cp : utf8::decode(utf8)) w += cp >= 0x2000 ? 1.0 : 0.5;
    return w;
}

/// A paragraph's properties, in points.
struct ParagraphFormat {
    const char* style = nullptr;  // Title, Heading1, Note
    Face face = Face::Song;
    double size = 14;
    double line = 0;  // exact line height; 0: single
    double spaceAfter = 0;
    double leftIndent = 0;
    double firstLineEm = 0;
    enum class Align { Left, Center, Right } align = Align::Left;
    bool keepNext = false;
};

class BodyWriter {
  public:
    BodyWriter(const PageSetup& page, OoxmlPart& x)
        : page_(page), x_(x), contentWidth_(page.width - page.marginLeft - page.marginRight) {}

    void block(const TemplateBlock& b) {
        switch (b.kind) {
            case TemplateBlock::Kind::Title:
            case TemplateBlock::Kind::Heading:
            case TemplateBlock::Kind::Paragraph:
            case TemplateBlock::Kind::Note:
                text(b);
                break;
            case TemplateBlock::Kind::Line:
                fillIn(b.lines.front(), b.lines.front().indent, false);
                break;
            case TemplateBlock::Kind::Signature: {
                double indent = b.indent >= 0 ? b.indent : contentWidth_ * 0.38;
                for (const auto& l : b.lines)
                    fillIn(l, l.indent >= 0 ? l.indent : indent, b.sealBox);  // kept together
                if (b.sealBox) sealBox(b.sealLabel);
                break;
            }
            case TemplateBlock::Kind::Spacer:
                spacer(b.height);
                break;
            case TemplateBlock::Kind::PageBreak:
                // As in the PDF: no blank page for a break at the top of a page.
                if (started_) breakPending_ = true;
                break;
            case TemplateBlock::Kind::Table:
                table(b.table);
                break;
        }
    }

    void sectionProperties(bool numbered, bool firstUnnumbered) {
        x_.open("w:sectPr");
        if (numbered) {
            x_.empty("w:footerReference", {{"w:type", "default"}, {"r:id", kDefaultFooterId}});
            if (firstUnnumbered)
                x_.empty("w:footerReference", {{"w:type", "first"}, {"r:id", kFirstPageFooterId}});
        }
        if (page_.width > page_.height) {
            x_.empty("w:pgSz", {{"w:w", twips(page_.width)},
                                {"w:h", twips(page_.height)},
                                {"w:orient", "landscape"}});
        } else {
            x_.empty("w:pgSz", {{"w:w", twips(page_.width)}, {"w:h", twips(page_.height)}});
        }
        // The PDF puts the page number's baseline halfway down the bottom margin.
        x_.empty("w:pgMar", {{"w:top", twips(page_.marginTop)},
                             {"w:right", twips(page_.marginRight)},
                             {"w:bottom", twips(page_.marginBottom)},
                             {"w:left", twips(page_.marginLeft)},
                             {"w:header", twips(page_.marginTop / 2)},
                             {"w:footer", twips(page_.marginBottom / 2 - 3)},
                             {"w:gutter", "0"}});
        if (numbered && firstUnnumbered) x_.empty("w:titlePg");
        x_.close();
    }

  private:
    void openParagraph(const ParagraphFormat& f) {
        x_.open("w:p");
        x_.open("w:pPr");  // children in the schema's order
        if (f.style) x_.empty("w:pStyle", {{"w:val", f.style}});
        if (f.keepNext) x_.empty("w:keepNext");
        if (breakPending_) x_.empty("w:pageBreakBefore");
        breakPending_ = false;
        started_ = true;
        if (f.line > 0) {
            x_.empty("w:spacing", {{"w:before", "0"},
                                   {"w:after", twips(f.spaceAfter)},
                                   {"w:line", twips(f.line)},
                                   {"w:lineRule", "exact"}});
        } else {
            x_.empty("w:spacing", {{"w:before", "0"}, {"w:after", twips(f.spaceAfter)}});
        }
        if (f.firstLineEm > 0) {
            // Chinese Word counts a first-line indent in characters (二字); the twips are for
            // readers that do not.
            x_.empty("w:ind",
                     {{"w:left", twips(f.leftIndent)},
                      {"w:firstLine", twips(f.firstLineEm * f.size)},
                      {"w:firstLineChars", std::to_string(std::lround(f.firstLineEm * 100))}});
        } else if (f.leftIndent > 0) {
            x_.empty("w:ind", {{"w:left", twips(f.leftIndent)}});
        }
        if (f.align == ParagraphFormat::Align::Center) x_.empty("w:jc", {{"w:val", "center"}});
        if (f.align == ParagraphFormat::Align::Right) x_.empty("w:jc", {{"w:val", "right"}});
        if (f.align == ParagraphFormat::Align::Left) x_.empty("w:jc", {{"w:val", "left"}});
        x_.close();
    }

    /// A run in `face` (by name, for East Asian and Latin text alike) and `size`; line breaks
    /// in the text become w:br, tabs w:tab.
    void run(const std::string& text, Face face, double size, bool underline = false) {
        if (text.empty()) return;
        x_.open("w:r");
        x_.open("w:rPr");
        const char* font = fontName(face);
        x_.empty("w:rFonts", {{"w:ascii", font},
                              {"w:hAnsi", font},
                              {"w:eastAsia", font},
                              {"w:cs", font},
                              {"w:hint", "eastAsia"}});
        x_.empty("w:sz", {{"w:val", halfPoints(size)}});
        x_.empty("w:szCs", {{"w:val", halfPoints(size)}});
        if (underline) x_.empty("w:u", {{"w:val", "single"}});
        x_.close();
        std::size_t from = 0;
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (i < text.size() && text[i] != '\n' && text[i] != '\t') continue;
            if (i > from)
                x_.element("w:t", text.substr(from, i - from), {{"xml:space", "preserve"}});
            if (i < text.size()) x_.empty(text[i] == '\n' ? "w:br" : "w:tab");
            from = i + 1;
        }
        x_.close();
    }

    void text(const TemplateBlock& b) {
        if (b.text.empty()) {  // the PDF prints nothing, but keeps the space after
            spacer(b.spaceAfter);
            return;
        }
        ParagraphFormat f;
        switch (b.kind) {
            case TemplateBlock::Kind::Title:
                f.style = "Title";
                f.keepNext = true;
                break;
            case TemplateBlock::Kind::Heading:
                f.style = "Heading1";
                f.keepNext = true;
                break;
            case TemplateBlock::Kind::Note:
                f.style = "Note";
                break;
            default:
                break;
        }
        f.face = b.style.face;
        f.size = b.style.size;
        f.line = b.style.size * b.style.lineHeight;
        f.spaceAfter = b.spaceAfter;
        f.firstLineEm = b.style.firstLineIndentEm;
        f.align = b.style.align == TextStyle::Align::Center ? ParagraphFormat::Align::Center
                                                            : ParagraphFormat::Align::Left;
        openParagraph(f);
        run(b.text, f.face, f.size);
        x_.close();
    }

    /// "label value suffix" with the value on an underline as wide as the PDF's: the value,
    /// then full-width spaces up to the width, underlined together.
    void fillIn(const FillInLine& l, double indent, bool keepNext) {
        double labelW = ems(l.label) * l.size, suffixW = ems(l.suffix) * l.size;
        double area = l.width > 0 ? l.width : contentWidth_ - indent - labelW - suffixW;
        area = std::max(area, l.size * 2);
        // As in the PDF, the value shrinks to fit its line (down to 8 pt) before it wraps.
        double valueSize = l.size, valueEms = ems(l.value);
        while (valueSize > 8 && valueEms * valueSize > area - 4) valueSize -= 0.5;
        double rest = (area - valueEms * valueSize) / valueSize;
        std::string blank;
        for (; rest >= 1; rest -= 1) blank += "\u3000";
        if (rest >= 0.5) blank += ' ';
        ParagraphFormat f;
        f.size = l.size;
        f.line = l.size * 2.0;
        f.leftIndent = l.center ? 0 : indent;
        f.align = l.center ? ParagraphFormat::Align::Center : ParagraphFormat::Align::Left;
        f.keepNext = keepNext;
        openParagraph(f);
        run(l.label, Face::Song, l.size);
        run(l.value + blank, Face::Song, valueSize, l.underline);
        run(l.suffix, Face::Song, l.size);
        x_.close();
    }

    /// The seal box: a gray 42 mm square at the right with its label at the bottom, as a
    /// one-cell table (a row that never splits).
    void sealBox(const std::string& label) {
        pendingBreakParagraph();
        x_.open("w:tbl");
        x_.open("w:tblPr");
        x_.empty("w:tblW", {{"w:w", twips(kSealBox)}, {"w:type", "dxa"}});
        x_.empty("w:jc", {{"w:val", "right"}});
        borders("w:tblBorders", "999999");
        x_.empty("w:tblLayout", {{"w:type", "fixed"}});
        x_.close();
        x_.open("w:tblGrid");
        x_.empty("w:gridCol", {{"w:w", twips(kSealBox)}});
        x_.close();
        x_.open("w:tr");
        x_.open("w:trPr");
        x_.empty("w:cantSplit");
        x_.empty("w:trHeight", {{"w:val", twips(kSealBox)}, {"w:hRule", "exact"}});
        x_.close();
        x_.open("w:tc");
        x_.open("w:tcPr");
        x_.empty("w:tcW", {{"w:w", twips(kSealBox)}, {"w:type", "dxa"}});
        x_.empty("w:vAlign", {{"w:val", "bottom"}});
        x_.close();
        ParagraphFormat f;
        f.size = 9;
        f.line = 9 * 1.2;
        f.align = ParagraphFormat::Align::Center;
        openParagraph(f);
        run(label, Face::Song, 9);
        x_.close();
        x_.close();  // tc
        x_.close();  // tr
        x_.close();  // tbl
        spacer(8);
    }

    /// An empty paragraph exactly `height` points high (Word needs one between two tables,
    /// or it joins them).
    void spacer(double height) {
        if (height <= 0) return;
        ParagraphFormat f;
        f.line = height;
        openParagraph(f);
        x_.close();
    }

    /// A table cannot carry "page break before": a 1 pt paragraph does, before it.
    void pendingBreakParagraph() {
        if (breakPending_) spacer(1);
    }

    void borders(const char* element, const char* color) {
        x_.open(element);
        for (const char* side :
             {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
            // 0.5 pt, as the PDF strokes its cells (sz in eighths of a point).
            x_.empty(side,
                     {{"w:val", "single"}, {"w:sz", "4"}, {"w:space", "0"}, {"w:color", color}});
        }
        x_.close();
    }

    /// A table as the PDF lays it out: fixed column widths from the template's fractions of
    /// the text width, merged cells (w:gridSpan for colspan, w:vMerge for rowspan), header
    /// rows repeated on each page, rows that never split and rows joined by a row span kept
    /// on one page, 0.5 pt borders, the PDF's cell padding.
    void table(const Table& t) {
        const std::size_t ncols = t.columns.size();
        if (ncols == 0 || t.rows.empty()) return;
        pendingBreakParagraph();
        double total = 0;
        for (double c : t.columns) total += c;
        std::vector<long> colTwips(ncols);
        long contentTwips = std::lround(contentWidth_ * 20), used = 0;
        for (std::size_t c = 0; c < ncols; ++c) {
            colTwips[c] = c + 1 == ncols ? contentTwips - used
                                         : std::lround(t.columns[c] / total * contentTwips);
            used += colTwips[c];
        }
        auto widthOf = [&](std::size_t from, std::size_t span) {
            long w = 0;
            for (std::size_t c = from; c < from + span; ++c) w += colTwips[c];
            return std::to_string(w);
        };

        x_.open("w:tbl");
        x_.open("w:tblPr");
        x_.empty("w:tblW", {{"w:w", std::to_string(contentTwips)}, {"w:type", "dxa"}});
        x_.empty("w:jc", {{"w:val", "center"}});
        borders("w:tblBorders", "000000");
        x_.empty("w:tblLayout", {{"w:type", "fixed"}});
        x_.open("w:tblCellMar");
        for (const char* side : {"w:top", "w:left", "w:bottom", "w:right"})
            x_.empty(side, {{"w:w", twips(t.padding)}, {"w:type", "dxa"}});
        x_.close();
        x_.close();  // tblPr
        x_.open("w:tblGrid");
        for (long w : colTwips) x_.empty("w:gridCol", {{"w:w", std::to_string(w)}});
        x_.close();

        const std::size_t nrows = t.rows.size();
        // Per column: the last row a row span from above covers, and that span's width (at
        // its first column), as PdfComposer places cells.
        std::vector<long> coveredUntil(ncols, -1);
        std::vector<std::size_t> spanWidth(ncols, 1);
        // A row joined to the next by a row span stays on its page (keep with next).
        std::vector<std::size_t> groupEnd(nrows);
        for (std::size_t r = 0; r < nrows; ++r) groupEnd[r] = r;
        for (std::size_t r = 0; r < nrows; ++r) {
            for (const auto& cell : t.rows[r]) {
                std::size_t last = std::min(r + std::max(cell.rowspan, 1) - 1, nrows - 1);
                for (std::size_t k = r; k < last; ++k) groupEnd[k] = std::max(groupEnd[k], last);
            }
        }
        const double line = t.fontSize * 1.35;
        for (std::size_t r = 0; r < nrows; ++r) {
            const auto& cells = t.rows[r];
            bool keep = groupEnd[r] > r;
            double minHeight = 0;
            for (const auto& cell : cells) {
                if (cell.rowspan <= 1) minHeight = std::max(minHeight, cell.minHeight);
            }
            x_.open("w:tr");
            x_.open("w:trPr");
            x_.empty("w:cantSplit");
            if (minHeight > 0)
                x_.empty("w:trHeight", {{"w:val", twips(minHeight)}, {"w:hRule", "atLeast"}});
            if (static_cast<int>(r) < t.headerRows) x_.empty("w:tblHeader");
            x_.close();
            std::size_t next = 0;
            for (std::size_t c = 0; c < ncols;) {
                if (coveredUntil[c] >= static_cast<long>(r)) {  // under a row span: continue it
                    std::size_t span = std::min(spanWidth[c], ncols - c);
                    x_.open("w:tc");
                    x_.open("w:tcPr");
                    x_.empty("w:tcW", {{"w:w", widthOf(c, span)}, {"w:type", "dxa"}});
                    if (span > 1) x_.empty("w:gridSpan", {{"w:val", std::to_string(span)}});
                    x_.empty("w:vMerge");
                    x_.close();
                    x_.empty("w:p");
                    x_.close();
                    c += span;
                    continue;
                }
                if (next >= cells.size()) {  // a short row: empty cells to the right edge
                    x_.open("w:tc");
                    x_.open("w:tcPr");
                    x_.empty("w:tcW", {{"w:w", widthOf(c, 1)}, {"w:type", "dxa"}});
                    x_.close();
                    x_.empty("w:p");
                    x_.close();
                    ++c;
                    continue;
                }
                const TableCell& cell = cells[next++];
                std::size_t span = std::min<std::size_t>(std::max(cell.colspan, 1), ncols - c);
                std::size_t rows = std::min<std::size_t>(std::max(cell.rowspan, 1), nrows - r);
                if (rows > 1) {
                    for (std::size_t k = c; k < c + span; ++k)
                        coveredUntil[k] = static_cast<long>(r + rows - 1);
                    spanWidth[c] = span;
                }
                x_.open("w:tc");
                x_.open("w:tcPr");
                x_.empty("w:tcW", {{"w:w", widthOf(c, span)}, {"w:type", "dxa"}});
                if (span > 1) x_.empty("w:gridSpan", {{"w:val", std::to_string(span)}});
                if (rows > 1) x_.empty("w:vMerge", {{"w:val", "restart"}});
                x_.empty("w:vAlign", {{"w:val", cell.top ? "top" : "center"}});
                x_.close();
                ParagraphFormat f;
                f.face = cell.header ? Face::Hei : Face::Song;
                f.size = t.fontSize;
                f.line = line;
                f.keepNext = keep;
                TableCell::Align align = cell.align;
                if (align == TableCell::Align::Auto)
                    align = cell.header ? TableCell::Align::Center : TableCell::Align::Left;
                if (align == TableCell::Align::Center) f.align = ParagraphFormat::Align::Center;
                if (align == TableCell::Align::Right) f.align = ParagraphFormat::Align::Right;
                openParagraph(f);
                run(cell.text, f.face, f.size);
                x_.close();  // p
                x_.close();  // tc
                c += span;
            }
            if (next < cells.size()) {
                throw Error(codes::kRenderFailed, "A table row has more cells than columns.",
                            "row " + std::to_string(r));
            }
            x_.close();  // tr
        }
        x_.close();                // tbl
        spacer(t.fontSize * 0.5);  // the PDF's gap below a table
    }

    const PageSetup& page_;
    OoxmlPart& x_;
    double contentWidth_;
    bool started_ = false;       // something is on the first page
    bool breakPending_ = false;  // the next paragraph starts a page
};

}  // namespace

std::string writeDocx(const std::vector<TemplateBlock>& blocks, const PageSetup& page,
                      const DocumentInfo& info) {
    OoxmlPart x({{"w", kWordNamespace}, {"r", kRelationshipsNamespace}});
    x.open("w:document");
    x.open("w:body");
    BodyWriter body(page, x);
    for (const auto& b : blocks) body.block(b);
    bool numbered = page.pageNumbers;
    // Word numbers every page or all but the first (w:titlePg): the templates start at page 1
    // or 2; a later first number starts at page 2 as well.
    bool firstUnnumbered = page.firstNumberedPage >= 2;
    body.sectionProperties(numbered, firstUnnumbered);
    DocxPackageParts parts;
    parts.documentXml = x.finish();
    parts.info = info;
    parts.pageNumbers = numbered;
    parts.firstPageUnnumbered = numbered && firstUnnumbered;
    return packageDocx(parts);
}

}  // namespace dossier::renderers
