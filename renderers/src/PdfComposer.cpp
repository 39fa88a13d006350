#include "dossier/renderers/PdfComposer.h"

#include <Poco/DigestEngine.h>
#include <Poco/MD5Engine.h>
#include <hpdf_objects.h>
#include <qrencode.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/fonts/FontFace.h"
#include "dossier/fonts/HaruSupport.h"
#include "dossier/fonts/SubsetFont.h"
#include "dossier/renderers/LineBreaker.h"

namespace dossier::renderers {
namespace {

/// Whether a character puts ink on the page: control characters and the BOM (U+FEFF) are
/// left out of every font subset and of the text drawn.
bool drawn(char32_t cp) { return cp >= 0x20 && cp != 0xFEFF; }

using fonts::FontFace;
using fonts::HaruDocument;
using fonts::SubsetFont;
using fonts::TempFontFile;

/// One run of text in one face, placed on a page.
struct Run {
    int page;
    double x, y;  // baseline origin, points from bottom-left
    Face face;
    double size;
    std::u32string text;
    double angle = 0;    // radians, counter-clockwise about (x, y)
    double gray = 0;     // 0 black … 1 white
    bool under = false;  // drawn before everything else (a draft's stamp)
};

/// Gives the file the identifier PDF 32000-1 §14.4 asks for, made as it suggests (MD5) but
/// of the file's own bytes, so it stays the same for the same document. It goes into the
/// trailer, which follows the cross-reference table: no object moves, no offset changes.
std::string withFileIdentifier(std::string pdf) {
    const std::string trailer = "\ntrailer\n<<\n";
    auto at = pdf.rfind(trailer);
    if (at == std::string::npos || pdf.find("/ID", at) != std::string::npos) return pdf;
    Poco::MD5Engine md5;
    md5.update(pdf.data(), pdf.size());
    std::string hex = Poco::DigestEngine::digestToHex(md5.digest());
    pdf.insert(at + trailer.size(), "/ID [<" + hex + "> <" + hex + ">]\n");
    return pdf;
}

std::shared_ptr<const FontFace> faceOf(Face f) {
    switch (f) {
        case Face::Hei:
            return FontFace::hei();
        case Face::Symbol:
            return FontFace::symbol();
        case Face::RareA:
            return FontFace::rareA();
        case Face::RareB:
            return FontFace::rareB();
        case Face::Song:
            break;
    }
    return FontFace::song();
}
Face otherFace(Face f) { return f == Face::Hei ? Face::Song : Face::Hei; }

}  // namespace

/// A rectangle: stroked (a table cell's border, a frame) or filled (a QR module).
struct Box {
    int page;
    double x, y, w, h;  // bottom-left origin
    double lineWidth = 0.6;
    bool filled = false;
    double gray = 0;
    bool isLine = false;  // from (x, y) to (x + w, y + h)
};

struct Picture {
    int page;
    std::string png;
    double x, y, w, h;
};

struct PdfComposer::Impl {
    PageSetup page;
    DocumentInfo info;
    PageMarks marks;
    std::vector<Run> runs;
    std::vector<Box> boxes;
    std::vector<Picture> pictures;
    int currentPage = 0;
    double cursorY = 0;  // baseline of the next line, from the bottom

    double contentWidth() const { return page.width - page.marginLeft - page.marginRight; }
    double top() const { return page.height - page.marginTop; }

    /// The face that can draw `cp`: the style's, else the other CJK face, else the symbol
    /// face; else glyph_missing.
    Face faceFor(char32_t cp, Face wanted) const {
        // Never drawn (SubsetFont leaves them out): they must not pull in a face of their own,
        // whose subset would then be empty.
        if (!drawn(cp)) return wanted;
        if (faceOf(wanted)->hasGlyph(cp)) return wanted;
        if (faceOf(otherFace(wanted))->hasGlyph(cp)) return otherFace(wanted);
        if (faceOf(Face::Symbol)->hasGlyph(cp)) return Face::Symbol;
        for (Face rare : {Face::RareA, Face::RareB}) {
            auto face = faceOf(rare);
            if (face && face->hasGlyph(cp)) return rare;
        }
        throw Error(codes::kRenderGlyphMissing, "The character " + utf8::describe(cp) +
                                                    " cannot be printed with the available fonts.");
    }

    double advance(char32_t cp, Face wanted, double size) const {
        return faceOf(faceFor(cp, wanted))->advance(cp, size);
    }

    void newPage() {
        ++currentPage;
        cursorY = top();
    }

    /// Places one laid-out line, split into runs per face.
    void placeLine(const std::u32string& line, double x, const TextStyle& style) {
        Run run{currentPage, x, cursorY, style.face, style.size, {}};
        double pen = x;
        for (char32_t cp : line) {
            Face f = faceFor(cp, style.face);
            if (f != run.face && !run.text.empty()) {
                runs.push_back(run);
                run = Run{currentPage, pen, cursorY, f, style.size, {}};
            }
            run.face = f;
            run.text += cp;
            pen += faceOf(f)->advance(cp, style.size);
        }
        if (!run.text.empty()) runs.push_back(run);
    }
};

PdfComposer::PdfComposer(PageSetup page, DocumentInfo info) : impl_(std::make_unique<Impl>()) {
    impl_->page = page;
    impl_->info = std::move(info);
    impl_->newPage();
}

PdfComposer::~PdfComposer() = default;

int PdfComposer::pageCount() const { return impl_->currentPage; }

void PdfComposer::setMarks(const PageMarks& marks) {
    for (char32_t cp : utf8::decode(marks.footer)) impl_->faceFor(cp, Face::Song);
    impl_->marks = marks;
}

void PdfComposer::table(const Table& t) {
    auto& im = *impl_;
    const std::size_t ncols = t.columns.size();
    if (ncols == 0 || t.rows.empty()) return;
    double total = 0;
    for (double c : t.columns) total += c;
    std::vector<double> colX(ncols + 1, im.page.marginLeft);
    for (std::size_t c = 0; c < ncols; ++c)
        colX[c + 1] = colX[c] + t.columns[c] / total * im.contentWidth();

    // Place cells on the grid, skipping columns still covered by row spans from above.
    struct Placed {
        std::size_t row, col;
        const TableCell* cell;
        std::vector<std::u32string> lines;
        double height;
    };
    std::vector<Placed> placed;
    std::vector<int> coveredUntil(ncols, -1);  // last row index a span from above covers
    const double lineHeight = t.fontSize * 1.35;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        std::size_t c = 0;
        for (const auto& cell : t.rows[r]) {
            while (c < ncols && coveredUntil[c] >= static_cast<int>(r)) ++c;
            if (c >= ncols) {
                throw Error(codes::kRenderFailed, "A table row has more cells than columns.",
                            "row " + std::to_string(r));
            }
            std::size_t span = std::min<std::size_t>(std::max(cell.colspan, 1), ncols - c);
            for (std::size_t k = c; k < c + span; ++k)
                coveredUntil[k] = static_cast<int>(r) + std::max(cell.rowspan, 1) - 1;
            Face face = cell.header ? Face::Hei : Face::Song;
            std::u32string text = utf8::decode(cell.text);
            auto measure = [&](char32_t cp) { return im.advance(cp, face, t.fontSize); };
            double width = colX[c + span] - colX[c] - 2 * t.padding;
            auto lines = LineBreaker(measure, std::max(width, t.fontSize)).breakLines(text);
            placed.push_back({r, c, &cell, lines,
                              std::max(lines.size() * lineHeight + 2 * t.padding, cell.minHeight)});
            c += span;
        }
    }
    // Row heights: the tallest single-row cell; a spanning cell stretches its last row.
    std::vector<double> rowH(t.rows.size(), t.fontSize + 2 * t.padding);
    for (const auto& p : placed) {
        if (p.cell->rowspan <= 1) rowH[p.row] = std::max(rowH[p.row], p.height);
    }
    for (const auto& p : placed) {
        int span = std::max(p.cell->rowspan, 1);
        if (span <= 1) continue;
        std::size_t last = std::min(p.row + span - 1, t.rows.size() - 1);
        double sum = 0;
        for (std::size_t r = p.row; r <= last; ++r) sum += rowH[r];
        if (sum < p.height) rowH[last] += p.height - sum;
    }
    // Groups of rows that must stay together (joined by row spans).
    std::vector<std::size_t> groupEnd(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) groupEnd[r] = r;
    for (const auto& p : placed) {
        std::size_t last = std::min(p.row + std::max(p.cell->rowspan, 1) - 1, t.rows.size() - 1);
        groupEnd[p.row] = std::max(groupEnd[p.row], last);
    }
    std::vector<double> rowTop(t.rows.size(), 0);
    std::vector<int> rowPage(t.rows.size(), 0);
    auto placeRow = [&](std::size_t r) {
        rowTop[r] = im.cursorY;
        rowPage[r] = im.currentPage;
        im.cursorY -= rowH[r];
    };
    auto emitRows = [&](std::size_t from, std::size_t to) {
        for (const auto& p : placed) {
            if (p.row < from || p.row > to) continue;
            std::size_t span = std::min<std::size_t>(std::max(p.cell->colspan, 1), ncols - p.col);
            std::size_t last = std::min(p.row + std::max(p.cell->rowspan, 1) - 1, to);
            double top = rowTop[p.row], bottom = rowTop[last] - rowH[last];
            double x0 = colX[p.col], x1 = colX[p.col + span];
            im.boxes.push_back({rowPage[p.row], x0, bottom, x1 - x0, top - bottom});
            Face face = p.cell->header ? Face::Hei : Face::Song;
            double textH = p.lines.size() * lineHeight;
            double y = p.cell->top ? top - t.padding
                                   : top - (top - bottom - textH) / 2;  // vertically centred
            for (const auto& line : p.lines) {
                double w = 0;
                for (char32_t cp : line) w += im.advance(cp, face, t.fontSize);
                TableCell::Align align = p.cell->align;
                if (align == TableCell::Align::Auto)
                    align = p.cell->header ? TableCell::Align::Center : TableCell::Align::Left;
                double x = x0 + t.padding;
                if (align == TableCell::Align::Center) x = x0 + (x1 - x0 - w) / 2;
                if (align == TableCell::Align::Right) x = x1 - t.padding - w;
                double saved = im.cursorY;
                int savedPage = im.currentPage;
                im.cursorY = y - t.fontSize - (lineHeight - t.fontSize) / 2;
                im.currentPage = rowPage[p.row];
                im.placeLine(line, x, {face, t.fontSize, 1.35, TextStyle::Align::Left, 0});
                im.cursorY = saved;
                im.currentPage = savedPage;
                y -= lineHeight;
            }
        }
    };
    auto heightOf = [&](std::size_t from, std::size_t to) {
        double h = 0;
        for (std::size_t r = from; r <= to; ++r) h += rowH[r];
        return h;
    };
    std::size_t headers = std::min<std::size_t>(std::max(t.headerRows, 0), t.rows.size());
    double headerHeight = headers ? heightOf(0, headers - 1) : 0;
    if (im.cursorY - (headerHeight + (headers < t.rows.size() ? rowH[headers] : 0)) <
        im.page.marginBottom) {
        im.newPage();
    }
    for (std::size_t r = 0; r < headers; ++r) placeRow(r);
    if (headers) emitRows(0, headers - 1);
    for (std::size_t r = headers; r < t.rows.size();) {
        std::size_t end = groupEnd[r];
        for (std::size_t k = r; k <= end; ++k) end = std::max(end, groupEnd[k]);
        double need = heightOf(r, end);
        if (im.cursorY - need < im.page.marginBottom &&
            im.cursorY < im.top() - headerHeight - 0.5) {
            im.newPage();
            // Repeat the header rows on the new page.
            for (std::size_t h = 0; h < headers; ++h) placeRow(h);
            if (headers) emitRows(0, headers - 1);
        }
        for (std::size_t k = r; k <= end; ++k) placeRow(k);
        emitRows(r, end);
        r = end + 1;
    }
    im.cursorY -= t.fontSize * 0.5;
}

void PdfComposer::textAt(double x, double y, const std::string& utf8Text, const TextStyle& style) {
    auto& im = *impl_;
    std::u32string text = utf8::decode(utf8Text);
    if (style.align == TextStyle::Align::Center) x -= textWidth(utf8Text, style) / 2;
    double saved = im.cursorY;
    im.cursorY = y;
    im.placeLine(text, x, style);
    im.cursorY = saved;
}

double PdfComposer::textWidth(const std::string& utf8Text, const TextStyle& style) const {
    double w = 0;
    for (char32_t cp : utf8::decode(utf8Text)) w += impl_->advance(cp, style.face, style.size);
    return w;
}

void PdfComposer::strokeRect(double x, double y, double w, double h, double lineWidth,
                             double gray) {
    impl_->boxes.push_back({impl_->currentPage, x, y, w, h, lineWidth, false, gray});
}

void PdfComposer::line(double x0, double y0, double x1, double y1, double lineWidth) {
    impl_->boxes.push_back(
        {impl_->currentPage, x0, y0, x1 - x0, y1 - y0, lineWidth, false, 0, true});
}

double PdfComposer::cursor() const { return impl_->cursorY; }

void PdfComposer::ensureSpace(double points) {
    if (impl_->cursorY - points < impl_->page.marginBottom) impl_->newPage();
}

const PageSetup& PdfComposer::page() const { return impl_->page; }

void PdfComposer::fillRect(double x, double y, double w, double h) {
    impl_->boxes.push_back({impl_->currentPage, x, y, w, h, 0, true});
}

void PdfComposer::pngImage(const std::string& png, double x, double y, double w, double h) {
    if (png.size() < 8 || png.compare(0, 8, std::string("\x89PNG\r\n\x1A\n", 8)) != 0) {
        throw Error(codes::kRenderFailed, "The seal image must be a PNG file.");
    }
    impl_->pictures.push_back({impl_->currentPage, png, x, y, w, h});
}

void PdfComposer::qrCode(const std::string& text, double x, double y, double size,
                         int quietModules) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!qr) {
        throw Error(codes::kRenderFailed, "The QR code could not be made.",
                    std::to_string(text.size()) + " bytes");
    }
    const double module = size / (qr->width + 2 * quietModules);
    for (int row = 0; row < qr->width; ++row) {
        for (int col = 0; col < qr->width; ++col) {
            if (qr->data[row * qr->width + col] & 1) {
                fillRect(x + (col + quietModules) * module,
                         y + size - (row + quietModules + 1) * module, module, module);
            }
        }
    }
}

void PdfComposer::space(double points) {
    impl_->cursorY -= points;
    if (impl_->cursorY < impl_->page.marginBottom) impl_->newPage();
}

void PdfComposer::pageBreak() { impl_->newPage(); }

void PdfComposer::paragraph(const std::string& utf8Text, const TextStyle& style) {
    auto& im = *impl_;
    std::u32string text = utf8::decode(utf8Text);
    for (char32_t cp : text) {
        if (cp != U'\n') im.faceFor(cp, style.face);  // fail before anything is laid out
    }
    double indent = style.firstLineIndentEm * style.size;
    auto measure = [&](char32_t cp) { return im.advance(cp, style.face, style.size); };
    auto lines =
        LineBreaker(measure, im.contentWidth(), im.contentWidth() - indent).breakLines(text);
    double lineHeight = style.size * style.lineHeight;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (im.cursorY - style.size < im.page.marginBottom) im.newPage();
        double baseline = im.cursorY - style.size;
        double width = 0;
        for (char32_t cp : lines[i]) width += measure(cp);
        double x = im.page.marginLeft + (i == 0 ? indent : 0);
        if (style.align == TextStyle::Align::Center)
            x = im.page.marginLeft + (im.contentWidth() - width) / 2;
        double saved = im.cursorY;
        im.cursorY = baseline;
        im.placeLine(lines[i], x, style);
        im.cursorY = saved - lineHeight;
    }
}

std::string PdfComposer::finish() {
    auto& im = *impl_;
    // Page numbers: "— n —" centred in the bottom margin, Song 10.5 pt (五号).
    if (im.page.pageNumbers) {
        for (int p = std::max(im.page.firstNumberedPage, 1); p <= im.currentPage; ++p) {
            std::u32string label = U"— " + utf8::decode(std::to_string(p)) + U" —";
            double w = 0;
            for (char32_t cp : label) w += im.advance(cp, Face::Song, 10.5);
            im.runs.push_back(
                Run{p, (im.page.width - w) / 2, im.page.marginBottom / 2, Face::Song, 10.5, label});
        }
    }
    if (im.marks.draft) {
        // Across the page's diagonal, centred: the baseline starts half the text's width back
        // along it and a third of the size below it (CJK glyphs sit about 0.12 em low).
        const std::u32string stamp = U"草稿";
        const double size = 150;
        double w = 0;
        for (char32_t cp : stamp) w += im.advance(cp, Face::Hei, size);
        const double angle = std::atan2(im.page.height, im.page.width);
        const double c = std::cos(angle), s = std::sin(angle);
        const double x = im.page.width / 2 - c * w / 2 + s * size * 0.38;
        const double y = im.page.height / 2 - s * w / 2 - c * size * 0.38;
        double headerW = 0;
        for (char32_t cp : stamp) headerW += im.advance(cp, Face::Hei, 12);
        for (int p = 1; p <= im.currentPage; ++p) {
            im.runs.push_back(Run{p, x, y, Face::Hei, size, stamp, angle, 0.88, true});
            im.runs.push_back(Run{p, im.page.width - im.page.marginRight - headerW,
                                  im.page.height - im.page.marginTop / 2, Face::Hei, 12, stamp, 0,
                                  0.4, false});
        }
    }
    if (!im.marks.footer.empty()) {
        std::u32string footer = utf8::decode(im.marks.footer);
        double size = 9, w = 0;
        auto measure = [&] {
            w = 0;
            for (char32_t cp : footer) w += im.advance(cp, Face::Song, size);
        };
        const double room = im.page.width - im.page.marginLeft - im.page.marginRight;
        for (measure(); w > room && size > 5; measure()) size -= 0.5;
        const double baseline = std::max(im.page.marginBottom / 2 - 16, 12.0);
        const int savedPage = im.currentPage;
        const double savedY = im.cursorY;
        for (int p = 1; p <= savedPage; ++p) {
            std::size_t first = im.runs.size();
            im.currentPage = p;
            im.cursorY = baseline;
            im.placeLine(footer, (im.page.width - w) / 2,
                         {Face::Song, size, 1.2, TextStyle::Align::Left, 0});
            for (std::size_t i = first; i < im.runs.size(); ++i) im.runs[i].gray = 0.3;
        }
        im.currentPage = savedPage;
        im.cursorY = savedY;
    }
    // Runs with nothing to draw (only a BOM, say) are left out, so every face embedded has
    // characters to subset.
    std::erase_if(im.runs,
                  [](const Run& r) { return std::none_of(r.text.begin(), r.text.end(), drawn); });
    // One subset per face, of exactly the characters drawn with it.
    std::map<Face, std::u32string> used;
    for (const auto& r : im.runs) used[r.face] += r.text;

    HaruDocument doc = fonts::newHaruDocument();
    HPDF_Doc pdf = doc.get();
    std::map<Face, HPDF_Font> fonts;
    std::map<Face, SubsetFont> subsets;
    std::vector<std::unique_ptr<TempFontFile>> files;  // live until the document is saved
    for (auto& [face, chars] : used) {
        auto source = faceOf(face);
        auto& subset = subsets
                           .emplace(face, SubsetFont::createSequential(source->path(),
                                                                       source->faceIndex(), chars))
                           .first->second;
        files.push_back(std::make_unique<TempFontFile>(subset.ttf()));
        const char* name = HPDF_LoadTTFontFromFile(pdf, files.back()->path().c_str(), HPDF_TRUE);
        fonts[face] = HPDF_GetFont(pdf, name, "UTF-8");
        fonts::writeToUnicode(fonts[face], subset.codes());
    }
    if (!im.info.title.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, im.info.title.c_str());
    if (!im.info.author.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, im.info.author.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Dossier");
    std::time_t t = static_cast<std::time_t>(im.info.createdMicros / 1000000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    HPDF_Date date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   tm.tm_sec,         'Z',           0,          0};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);

    std::vector<HPDF_Page> pages;
    for (int p = 0; p < im.currentPage; ++p) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(im.page.width));
        HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(im.page.height));
        pages.push_back(page);
    }
    auto draw = [&](const Run& r) {
        HPDF_Page page = pages[static_cast<std::size_t>(r.page - 1)];
        if (r.gray != 0) HPDF_Page_SetGrayFill(page, static_cast<HPDF_REAL>(r.gray));
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, fonts[r.face], static_cast<HPDF_REAL>(r.size));
        const SubsetFont& subset = subsets.at(r.face);
        std::u32string codes;
        for (char32_t cp : r.text) {
            if (drawn(cp)) codes += subset.codeFor(cp);
        }
        if (r.angle != 0) {
            const auto c = static_cast<HPDF_REAL>(std::cos(r.angle));
            const auto s = static_cast<HPDF_REAL>(std::sin(r.angle));
            HPDF_Page_SetTextMatrix(page, c, s, -s, c, static_cast<HPDF_REAL>(r.x),
                                    static_cast<HPDF_REAL>(r.y));
            HPDF_Page_ShowText(page, utf8::encode(codes).c_str());
        } else {
            HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(r.x), static_cast<HPDF_REAL>(r.y),
                              utf8::encode(codes).c_str());
        }
        HPDF_Page_EndText(page);
        if (r.gray != 0) HPDF_Page_SetGrayFill(page, 0);
    };
    for (const auto& r : im.runs) {
        if (r.under) draw(r);
    }
    for (const auto& b : im.boxes) {
        HPDF_Page page = pages[static_cast<std::size_t>(b.page - 1)];
        // Graphics state first: libharu refuses it once a path is open.
        if (!b.filled) HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(b.lineWidth));
        if (b.gray != 0) HPDF_Page_SetGrayStroke(page, static_cast<HPDF_REAL>(b.gray));
        if (b.isLine) {
            HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(b.x), static_cast<HPDF_REAL>(b.y));
            HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(b.x + b.w),
                             static_cast<HPDF_REAL>(b.y + b.h));
        } else {
            HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(b.x), static_cast<HPDF_REAL>(b.y),
                                static_cast<HPDF_REAL>(b.w), static_cast<HPDF_REAL>(b.h));
        }
        if (b.filled) {
            HPDF_Page_Fill(page);
        } else {
            HPDF_Page_Stroke(page);
        }
        if (b.gray != 0) HPDF_Page_SetGrayStroke(page, 0);
    }
    for (const auto& p : im.pictures) {
        HPDF_Image image =
            HPDF_LoadPngImageFromMem(pdf, reinterpret_cast<const HPDF_BYTE*>(p.png.data()),
                                     static_cast<HPDF_UINT>(p.png.size()));
        // libharu compresses the colour stream but writes a PNG's alpha (SMask) raw.
        auto* smask = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT));
        if (smask != nullptr) smask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Page_DrawImage(pages[static_cast<std::size_t>(p.page - 1)], image,
                            static_cast<HPDF_REAL>(p.x), static_cast<HPDF_REAL>(p.y),
                            static_cast<HPDF_REAL>(p.w), static_cast<HPDF_REAL>(p.h));
    }
    for (const auto& r : im.runs) {
        if (!r.under) draw(r);
    }
    return withFileIdentifier(fonts::saveHaruDocument(pdf));
}

}  // namespace dossier::renderers
