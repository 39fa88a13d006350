// The full sample application book (templates/benchmark-2022 + samples/benchmark-2022-book.json)
// rendered by us, side by side with LibreOffice headless converting the same content to PDF.
// Issue 4 targets for our render: <= 50 ms and <= 300 KB on one core.
//
//   taskset -c 0 build/bench/tests/bench/book_bench [--runs N] [--lo-runs N] [--out DIR] [--no-lo]
//   book_bench --smoke: one render, no LibreOffice (for the test command)
//
// Ours: N renders in this process (after one warm-up), median and min per render, PDF size.
// LibreOffice: the document as flatten() gives it (same text, tables with the same merged
// cells, page breaks, A4 with the template's margins, the same faces and sizes, page numbers
// from page 2) written as a flat ODF text document (.fodt); the table column widths, table
// font sizes and repeated header rows, which flatten() does not carry, are taken from the
// template. Not carried over: spacers, fill-in underlines and the seal box outline. Then
// `soffice --headless --convert-to pdf` cold — a fresh process per document, what a server
// shelling out would pay — with its own new user profile (one warm-up run creates the
// profile, then --lo-runs timed runs). Under taskset, soffice inherits the
// affinity: it runs on the same single core. Without soffice the LibreOffice side is skipped.
// scripts/install-deps.sh installs it (libreoffice-writer-nogui; the Word versions' test
// converts with it too).
// The PDFs and the .fodt stay in the output directory (printed at the end).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "dossier/renderers/DocumentTemplate.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using dossier::renderers::DocumentTemplate;
using Item = DocumentTemplate::Item;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

void writeFile(const fs::path& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string quote(const std::string& s) {
    std::string r = "'";
    for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return r + "'";
}

/// Runs `cmd` through the shell, returns its standard output (nullopt if it could not run
/// or exited non-zero).
std::optional<std::string> capture(const std::string& cmd) {
    FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p) return std::nullopt;
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = pclose(p);
    if (status != 0) return std::nullopt;
    return out;
}

std::optional<std::string> findInPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        fs::path p = fs::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
    return std::nullopt;
}

// --- PDF facts (poppler-utils) ------------------------------------------------------------

struct PdfFacts {
    std::string pages = "n/a";
    std::string fonts = "n/a";  // "3 fonts, all embedded, all subset"
    std::vector<std::string> fontLines;
};

PdfFacts pdfFacts(const fs::path& pdf) {
    PdfFacts f;
    if (auto info = capture("pdfinfo " + quote(pdf.string()))) {
        std::istringstream in(*info);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("Pages:", 0) == 0) {
                auto b = line.find_first_not_of(' ', 6);
                f.pages = b == std::string::npos ? "?" : line.substr(b);
            }
        }
    }
    if (auto fonts = capture("pdffonts " + quote(pdf.string()))) {
        // name  type (may contain spaces)  encoding  emb sub uni objnum gen
        std::istringstream in(*fonts);
        std::string line;
        int n = 0, emb = 0, sub = 0, lineNo = 0;
        while (std::getline(in, line)) {
            if (++lineNo <= 2) continue;
            std::istringstream words(line);
            std::vector<std::string> w;
            for (std::string s; words >> s;) w.push_back(s);
            if (w.size() < 7) continue;
            ++n;
            emb += w[w.size() - 5] == "yes";
            sub += w[w.size() - 4] == "yes";
            f.fontLines.push_back(line);
        }
        auto part = [n](int k, const char* what) {
            if (k == n) return std::string("all ") + what;
            if (k == 0) return std::string("none ") + what;
            return std::to_string(k) + "/" + std::to_string(n) + " " + what;
        };
        f.fonts =
            std::to_string(n) + " fonts, " + part(emb, "embedded") + ", " + part(sub, "subset");
    }
    return f;
}

// --- Flat ODF text document from flatten() ---------------------------------------------------

/// One character of XML text or attribute: the five entities escaped, control characters
/// (which XML 1.0 forbids) dropped.
void appendEscaped(std::string& r, char ch) {
    switch (ch) {
        case '&':
            r += "&amp;";
            break;
        case '<':
            r += "&lt;";
            break;
        case '>':
            r += "&gt;";
            break;
        case '"':
            r += "&quot;";
            break;
        case '\'':
            r += "&apos;";
            break;
        default:
            if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
            break;
    }
}

/// Text content of a paragraph: XML-escaped; runs of spaces, tabs and line breaks written
/// as ODF elements (ODF collapses white space); characters XML 1.0 forbids dropped.
std::string odfText(std::string_view s) {
    std::string r;
    r.reserve(s.size() + 16);
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ') {
            std::size_t j = i;
            while (j < s.size() && s[j] == ' ') ++j;
            std::size_t n = j - i;
            bool inner = i > 0 && j < s.size() && n == 1;  // a single space between words
            if (inner)
                r += ' ';
            else if (n == 1)
                r += "<text:s/>";
            else
                r += "<text:s text:c=\"" + std::to_string(n) + "\"/>";
            i = j;
            continue;
        }
        if (c == '\t') {
            r += "<text:tab/>";
        } else if (c == '\n') {
            r += "<text:line-break/>";
        } else if (c != '\r') {
            appendEscaped(r, static_cast<char>(c));
        }
        ++i;
    }
    return r;
}

/// Attribute values (style and font names).
std::string xmlAttr(std::string_view s) {
    std::string r;
    for (char ch : s) appendEscaped(r, ch);
    return r;
}

constexpr const char* kHei = "WenQuanYi Zen Hei";  // 黑体
constexpr const char* kSong = "AR PL UMing CN";    // 宋体
// The template's page (PageSetup defaults): A4, 72 pt top and bottom, 79.4 pt left and right.
constexpr double kPageW = 595.28, kPageH = 841.89, kMarginTB = 72, kMarginLR = 79.4;

struct FodtStats {
    int paragraphs = 0, tables = 0, hinted = 0, rows = 0, cells = 0, coveredCells = 0,
        pageBreaks = 0;
};

/// A table's relative column widths, font size and repeated header rows (flatten() gives
/// them on TableStart).
struct TableHint {
    std::vector<double> columns;
    double fontSize = 12;
    int headerRows = 0;
};

class FodtWriter {
  public:
    std::string write(const std::vector<Item>& items, FodtStats& stats) {
        stats_ = &stats;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Item& it = items[i];
            switch (it.kind) {
                case Item::Kind::Title:
                    paragraph("Title", it.text, true);
                    break;
                case Item::Kind::Heading:
                    paragraph("Heading", it.text, true);
                    break;
                case Item::Kind::Paragraph:
                    paragraph("Body", it.text, true);
                    break;
                case Item::Kind::Note:
                    paragraph("Note", it.text, true);
                    break;
                case Item::Kind::Line:
                    paragraph("Line", it.text, false);
                    break;
                case Item::Kind::PageBreak:
                    // Like our layout: no blank page for a break at the top of a page (consecutive
                    // breaks, or one before anything is written).
                    if (started_) breakPending_ = true;
                    break;
                case Item::Kind::TableStart: {
                    std::size_t end = i + 1;
                    while (end < items.size() && items[end].kind != Item::Kind::TableEnd) ++end;
                    table(items, i + 1, end);
                    i = end;
                    break;
                }
                case Item::Kind::Row:
                case Item::Kind::Cell:
                case Item::Kind::TableEnd:
                    break;  // only inside TableStart … TableEnd
            }
        }
        return document();
    }

  private:
    // Paragraph style for the next block: common style `parent`, plus a page break before it
    // or the cover's master page (no page number) when it is the first block.
    std::string paragraphStyle(const std::string& parent) {
        std::string name = "Dossier" + parent;
        if (!started_) {
            name = "P_First_" + parent;
            auto& s = automatic_[name];
            s = "<style:style style:name=\"" + name +
                "\" style:family=\"paragraph\" style:parent-style-name=\"Dossier" + parent +
                "\" style:master-page-name=\"Cover\"/>";
        } else if (breakPending_) {
            name = "P_Break_" + parent;
            automatic_[name] =
                "<style:style style:name=\"" + name +
                "\" style:family=\"paragraph\" style:parent-style-name=\"Dossier" + parent +
                "\"><style:paragraph-properties fo:break-before=\"page\"/></style:style>";
            ++stats_->pageBreaks;
        }
        started_ = true;
        breakPending_ = false;
        return name;
    }

    void paragraph(const std::string& style, const std::string& text, bool skipEmpty) {
        if (skipEmpty && text.empty()) return;  // our layout prints nothing for those either
        std::string name = paragraphStyle(style);
        body_ += "<text:p text:style-name=\"" + name + "\">" + odfText(text) + "</text:p>\n";
        ++stats_->paragraphs;
    }

    struct Slot {
        enum class Kind { Cell, Covered, Empty } kind = Kind::Empty;
        const Item* cell = nullptr;
        int colspan = 1, rowspan = 1;
    };

    // Items [from, to) of one table: Row and Cell entries.
    void table(const std::vector<Item>& items, std::size_t from, std::size_t to) {
        std::vector<std::vector<const Item*>> rows;
        for (std::size_t i = from; i < to; ++i) {
            if (items[i].kind == Item::Kind::Row)
                rows.emplace_back();
            else if (items[i].kind == Item::Kind::Cell) {
                if (rows.empty()) rows.emplace_back();
                rows.back().push_back(&items[i]);
            }
        }
        if (rows.empty()) return;
        const int nrows = static_cast<int>(rows.size());

        // Place cells on the grid as our table layout does: a cell goes to the next column
        // not covered by a row span from above; its spans cover the positions right of it
        // and below it. Covered positions become table:covered-table-cell.
        std::vector<std::vector<Slot>> grid(rows.size());
        std::vector<int> coveredUntil;  // per column: last row a span from above covers
        auto coveredAt = [&](std::size_t c, int r) {
            return c < coveredUntil.size() && coveredUntil[c] >= r;
        };
        for (int r = 0; r < nrows; ++r) {
            auto& out = grid[static_cast<std::size_t>(r)];
            std::size_t c = 0;
            for (const Item* cell : rows[static_cast<std::size_t>(r)]) {
                while (coveredAt(c, r)) {
                    out.push_back({Slot::Kind::Covered});
                    ++c;
                }
                int colspan = std::max(cell->colspan, 1);
                int rowspan = std::clamp(cell->rowspan, 1, nrows - r);  // not past the table's end
                out.push_back({Slot::Kind::Cell, cell, colspan, rowspan});
                for (int k = 1; k < colspan; ++k) out.push_back({Slot::Kind::Covered});
                if (coveredUntil.size() < c + static_cast<std::size_t>(colspan)) {
                    coveredUntil.resize(c + static_cast<std::size_t>(colspan), -1);
                }
                for (int k = 0; k < colspan; ++k)
                    coveredUntil[c + static_cast<std::size_t>(k)] = r + rowspan - 1;
                c += static_cast<std::size_t>(colspan);
            }
            // Positions to the right still covered from above (with empty cells before them).
            for (std::size_t k = c; k < coveredUntil.size(); ++k) {
                if (coveredUntil[k] < r) continue;
                while (c < k) {
                    out.push_back({Slot::Kind::Empty});
                    ++c;
                }
                out.push_back({Slot::Kind::Covered});
                ++c;
            }
        }
        std::size_t ncols = 0;
        for (const auto& row : grid) ncols = std::max(ncols, row.size());
        if (ncols == 0) return;
        for (auto& row : grid) row.resize(ncols);  // short rows: empty cells

        // The header rows repeat on every page: the template's header_rows, or without the
        // template the leading rows of header cells; none if a row span reaches out of them.
        const Item& start = items[from - 1];  // the TableStart
        const TableHint startHint{start.columns, start.fontSize, start.headerRows};
        const TableHint* hint = start.columns.size() == ncols ? &startHint : nullptr;
        int headerRows = 0;
        while (!hint && headerRows < nrows) {
            const auto& row = rows[static_cast<std::size_t>(headerRows)];
            bool allHeader = !row.empty() && std::all_of(row.begin(), row.end(),
                                                         [](const Item* c) { return c->header; });
            if (!allHeader) break;
            ++headerRows;
        }
        if (hint) headerRows = std::max(hint->headerRows, 0);
        if (headerRows >= nrows) headerRows = 0;
        for (int r = 0; r < headerRows; ++r) {
            for (const auto& s : grid[static_cast<std::size_t>(r)]) {
                if (s.kind == Slot::Kind::Cell && r + s.rowspan > headerRows) headerRows = 0;
            }
        }

        std::string style = "Table";
        if (!started_) {
            style = "TableFirst";
            automatic_[style] =
                "<style:style style:name=\"TableFirst\" style:family=\"table\" "
                "style:master-page-name=\"Cover\">" +
                tableProperties("") + "</style:style>";
        } else if (breakPending_) {
            style = "TableBreak";
            automatic_[style] = "<style:style style:name=\"TableBreak\" style:family=\"table\">" +
                                tableProperties(" fo:break-before=\"page\"") + "</style:style>";
            ++stats_->pageBreaks;
        }
        started_ = true;
        breakPending_ = false;
        // Column widths and font size from the template when its table has this many columns;
        // otherwise equal columns and the template default (12 pt).
        std::vector<double> widths(ncols, 1.0);
        if (hint) widths = hint->columns;
        double total = 0;
        for (double w : widths) total += w;
        const double fontSize = hint ? hint->fontSize : 12;
        ++stats_->tables;
        stats_->hinted += hint != nullptr;
        const std::string t = "T" + std::to_string(stats_->tables);
        body_ += "<table:table table:name=\"Table" + std::to_string(stats_->tables) +
                 "\" table:style-name=\"" + style + "\">\n";
        for (std::size_t k = 0; k < ncols; ++k) {
            std::string column = t + "C" + std::to_string(k + 1);
            char width[32];
            std::snprintf(width, sizeof width, "%.3fpt",
                          (kPageW - 2 * kMarginLR) * widths[k] / total);
            automatic_[column] = "<style:style style:name=\"" + column +
                                 "\" style:family=\"table-column\"><style:table-column-properties "
                                 "style:column-width=\"" +
                                 width + "\"/></style:style>";
            body_ += "<table:table-column table:style-name=\"" + column + "\"/>";
        }
        body_ += "\n";
        // Cell paragraph styles at this table's size (line height 1.35, as our table layout).
        std::string cellStyle = "DossierCell", headerStyle = "DossierCellHeader";
        if (fontSize != 12) {
            char sz[16], lh[24];
            std::snprintf(sz, sizeof sz, "%g", fontSize);
            std::snprintf(lh, sizeof lh, "%.2fpt", fontSize * 1.35);
            cellStyle = std::string("Cell_") + sz;
            headerStyle = std::string("CellHeader_") + sz;
            for (const auto& [name, parent, face] :
                 {std::tuple{cellStyle, "DossierCell", kSong},
                  std::tuple{headerStyle, "DossierCellHeader", kHei}}) {
                automatic_[name] = "<style:style style:name=\"" + name +
                                   "\" style:family=\"paragraph\" style:parent-style-name=\"" +
                                   parent + "\"><style:paragraph-properties fo:line-height=\"" +
                                   lh + "\"/>" + textProps(face, fontSize, false) +
                                   "</style:style>";
            }
        }
        for (int r = 0; r < nrows; ++r) {
            if (r == 0 && headerRows > 0) body_ += "<table:table-header-rows>\n";
            body_ += "<table:table-row>";
            for (const auto& s : grid[static_cast<std::size_t>(r)]) {
                switch (s.kind) {
                    case Slot::Kind::Covered:
                        body_ += "<table:covered-table-cell/>";
                        ++stats_->coveredCells;
                        break;
                    case Slot::Kind::Empty:
                        body_ +=
                            "<table:table-cell table:style-name=\"Cell\" "
                            "office:value-type=\"string\">"
                            "<text:p text:style-name=\"" +
                            cellStyle + "\"/></table:table-cell>";
                        ++stats_->cells;
                        break;
                    case Slot::Kind::Cell: {
                        body_ +=
                            "<table:table-cell table:style-name=\"Cell\" "
                            "office:value-type=\"string\"";
                        if (s.colspan > 1)
                            body_ += " table:number-columns-spanned=\"" +
                                     std::to_string(s.colspan) + "\"";
                        if (s.rowspan > 1)
                            body_ +=
                                " table:number-rows-spanned=\"" + std::to_string(s.rowspan) + "\"";
                        body_ += "><text:p text:style-name=\"";
                        body_ += s.cell->header ? headerStyle : cellStyle;
                        body_ += "\">" + odfText(s.cell->text) + "</text:p></table:table-cell>";
                        ++stats_->cells;
                        break;
                    }
                }
            }
            body_ += "</table:table-row>\n";
            ++stats_->rows;
            if (headerRows > 0 && r == headerRows - 1) body_ += "</table:table-header-rows>\n";
        }
        body_ += "</table:table>\n";
    }

    static std::string tableProperties(const std::string& extra) {
        char width[32];
        std::snprintf(width, sizeof width, "%.3fpt", kPageW - 2 * kMarginLR);
        return std::string("<style:table-properties style:width=\"") + width +
               "\" table:align=\"margins\"" + extra + "/>";
    }

    static std::string textProps(const char* face, double size, bool bold,
                                 const std::string& extra = "") {
        char sz[16];
        std::snprintf(sz, sizeof sz, "%gpt", size);
        std::string f = xmlAttr(face);
        std::string r = "<style:text-properties style:font-name=\"" + f +
                        "\" style:font-name-asian=\"" + f + "\" fo:font-size=\"" + sz +
                        "\" style:font-size-asian=\"" + sz + "\"" + extra;
        if (bold) r += " fo:font-weight=\"bold\" style:font-weight-asian=\"bold\"";
        return r + "/>";
    }

    // A common paragraph style: the template's defaults for that kind of block (face, size,
    // line height as a multiple of the size, space after).
    static std::string paragraphStyleDef(const std::string& name, const char* face, double size,
                                         double lineHeight, bool center, bool bold,
                                         double spaceAfter, bool keepWithNext = false) {
        char lh[24], sa[24];
        std::snprintf(lh, sizeof lh, "%.2fpt", size * lineHeight);
        std::snprintf(sa, sizeof sa, "%gpt", spaceAfter);
        return "<style:style style:name=\"Dossier" + name +
               "\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
               "<style:paragraph-properties fo:line-height=\"" +
               lh + "\" fo:margin-top=\"0pt\" fo:margin-bottom=\"" + sa + "\"" +
               (center ? " fo:text-align=\"center\"" : " fo:text-align=\"start\"") +
               (keepWithNext ? " fo:keep-with-next=\"always\"" : "") + "/>" +
               textProps(face, size, bold) + "</style:style>\n";
    }

    std::string document() const {
        char pw[16], ph[16], mtb[16], mlr[16], footerBottom[16], footerHeight[16],
            footerSpacing[16];
        std::snprintf(pw, sizeof pw, "%.2fpt", kPageW);
        std::snprintf(ph, sizeof ph, "%.2fpt", kPageH);
        std::snprintf(mtb, sizeof mtb, "%.2fpt", kMarginTB);
        std::snprintf(mlr, sizeof mlr, "%.2fpt", kMarginLR);
        // The page number sits in the bottom margin: page margin + footer line + spacing add
        // up to the template's bottom margin, so the text area stays the template's.
        const double bottom = 24, line = 10.5 * 1.2;  // DossierFooter: 10.5 pt, line 1.2
        std::snprintf(footerBottom, sizeof footerBottom, "%.2fpt", bottom);
        std::snprintf(footerHeight, sizeof footerHeight, "%.2fpt", line);
        std::snprintf(footerSpacing, sizeof footerSpacing, "%.2fpt", kMarginTB - bottom - line);
        std::string d;
        d.reserve(body_.size() + 8192);
        d += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
             " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
             " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
             " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
             " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
             " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""
             " office:version=\"1.3\" "
             "office:mimetype=\"application/vnd.oasis.opendocument.text\">\n";
        d += "<office:font-face-decls>\n";
        for (const char* face : {kHei, kSong}) {
            std::string f = xmlAttr(face);
            d += "<style:font-face style:name=\"" + f + "\" svg:font-family=\"&apos;" + f +
                 "&apos;\" style:font-pitch=\"variable\"/>\n";
        }
        d += "</office:font-face-decls>\n<office:styles>\n"
             "<style:default-style style:family=\"paragraph\"><style:paragraph-properties "
             "fo:orphans=\"2\" fo:widows=\"2\"/>";
        d += textProps(kSong, 14, false,
                       " fo:language=\"zh\" fo:country=\"CN\" style:language-asian=\"zh\" "
                       "style:country-asian=\"CN\"");
        d += "</style:default-style>\n"
             "<style:style style:name=\"Standard\" style:family=\"paragraph\"/>\n";
        //                                  face   size  line  centre bold  after
        d += paragraphStyleDef("Title", kHei, 18, 1.6, true, true, 12, true);   // 小二号
        d += paragraphStyleDef("Heading", kHei, 16, 1.6, true, true, 6, true);  // 三号
        d += paragraphStyleDef("Body", kSong, 14, 1.6, false, false, 0);        // 四号
        d += paragraphStyleDef("Note", kSong, 10.5, 1.5, false, false, 8);      // 五号
        d += paragraphStyleDef("Line", kSong, 14, 2.0, false, false, 0);
        d += paragraphStyleDef("Cell", kSong, 12, 1.35, false, false, 0);      // 小四
        d += paragraphStyleDef("CellHeader", kHei, 12, 1.35, true, false, 0);  // 黑体, centred
        d += paragraphStyleDef("Footer", kSong, 10.5, 1.2, true, false, 0);
        d += "</office:styles>\n<office:automatic-styles>\n";
        d += std::string(
                 "<style:page-layout style:name=\"A4\"><style:page-layout-properties "
                 "fo:page-width=\"") +
             pw + "\" fo:page-height=\"" + ph +
             "\" style:print-orientation=\"portrait\" fo:margin-top=\"" + mtb +
             "\" fo:margin-bottom=\"" + footerBottom + "\" fo:margin-left=\"" + mlr +
             "\" fo:margin-right=\"" + mlr +
             "\"/><style:footer-style><style:header-footer-properties fo:min-height=\"" +
             footerHeight + "\" fo:margin-top=\"" + footerSpacing +
             "\"/></style:footer-style></style:page-layout>\n";
        d += std::string(
                 "<style:page-layout style:name=\"A4Cover\"><style:page-layout-properties "
                 "fo:page-width=\"") +
             pw + "\" fo:page-height=\"" + ph +
             "\" style:print-orientation=\"portrait\" fo:margin-top=\"" + mtb +
             "\" fo:margin-bottom=\"" + mtb + "\" fo:margin-left=\"" + mlr +
             "\" fo:margin-right=\"" + mlr + "\"/></style:page-layout>\n";
        d += "<style:style style:name=\"Cell\" "
             "style:family=\"table-cell\"><style:table-cell-properties"
             " style:vertical-align=\"middle\" fo:padding=\"4pt\" fo:border=\"0.5pt solid "
             "#000000\"/></style:style>\n";
        d += "<style:style style:name=\"Table\" style:family=\"table\">" + tableProperties("") +
             "</style:style>\n";
        for (const auto& [name, def] : automatic_) d += def + "\n";
        d += "</office:automatic-styles>\n<office:master-styles>\n"
             "<style:master-page style:name=\"Standard\" "
             "style:page-layout-name=\"A4\"><style:footer>"
             "<text:p text:style-name=\"DossierFooter\"><text:page-number "
             "text:select-page=\"current\"/></text:p>"
             "</style:footer></style:master-page>\n"
             "<style:master-page style:name=\"Cover\" style:page-layout-name=\"A4Cover\" "
             "style:next-style-name=\"Standard\"/>\n"
             "</office:master-styles>\n<office:body>\n<office:text>\n";
        d += body_;
        d += "</office:text>\n</office:body>\n</office:document>\n";
        return d;
    }

    FodtStats* stats_ = nullptr;
    std::string body_;
    std::map<std::string, std::string> automatic_;
    bool started_ = false;
    bool breakPending_ = false;
};

// --- soffice ------------------------------------------------------------------------------

/// Runs argv (own process group, output to `log`), waits at most `timeout`. Returns the
/// wall time in seconds, or nullopt if it failed or timed out.
std::optional<double> runTimed(const std::vector<std::string>& args, const fs::path& log,
                               std::chrono::seconds timeout, std::string& error) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    auto t0 = Clock::now();
    int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        error = std::string("cannot start ") + args[0] + ": " + std::strerror(rc);
        return std::nullopt;
    }
    int status = 0;
    while (true) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0) {
            error = std::string("waitpid: ") + std::strerror(errno);
            return std::nullopt;
        }
        if (Clock::now() - t0 > timeout) {
            ::kill(-pid, SIGKILL);  // the group we started: soffice and its soffice.bin
            waitpid(pid, &status, 0);
            error = "timed out after " + std::to_string(timeout.count()) + " s";
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error =
            "exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return std::nullopt;
    }
    return s;
}

struct Row {
    std::string renderer, time, size, pages, fonts;
};

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

void usage() {
    std::fprintf(
        stderr,
        "usage: book_bench [--runs N] [--lo-runs N] [--out DIR] [--no-lo] [--soffice PATH] "
        "[--smoke]\n");
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 50, loRuns = 3;
    bool lo = true, smoke = false;
    std::string outArg, sofficeArg;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--runs")
            runs = std::max(1, std::atoi(next().c_str()));
        else if (a == "--lo-runs")
            loRuns = std::max(1, std::atoi(next().c_str()));
        else if (a == "--out")
            outArg = next();
        else if (a == "--soffice")
            sofficeArg = next();
        else if (a == "--no-lo")
            lo = false;
        else if (a == "--smoke")
            runs = 1, lo = false, smoke = true;
        else {
            usage();
            return 2;
        }
    }

    try {
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1) {
            std::printf("note: running on %d CPUs; the figures are for one core: taskset -c 0 %s\n",
                        CPU_COUNT(&set), argv[0]);
        }
        fs::path out;
        if (outArg.empty()) {
            std::string tmpl = (fs::temp_directory_path() / "book_bench.XXXXXX").string();
            if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
            out = tmpl;
        } else {
            out = fs::absolute(outArg);
            fs::create_directories(out);
        }

        const std::string source = DOSSIER_SOURCE_DIR;
        const std::string json = readFile(source + "/templates/samples/benchmark-2022-book.json");
        const std::int64_t created = 1'700'000'000'000'000;

        // --- ours ------------------------------------------------------------------------
        auto t0 = Clock::now();
        auto tmpl = DocumentTemplate::load(source + "/templates", "benchmark-2022");
        double loadMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        std::string pdf = tmpl->render(json, created);  // warm-up: fonts, caches
        std::vector<double> ms;
        ms.reserve(static_cast<std::size_t>(runs));
        for (int i = 0; i < runs; ++i) {
            auto s = Clock::now();
            std::string p = tmpl->render(json, created);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
            if (p.size() != pdf.size()) throw std::runtime_error("render is not deterministic");
        }
        fs::path ours = out / "ours.pdf";
        writeFile(ours, pdf);
        double oursMedian = median(ms), oursMin = *std::min_element(ms.begin(), ms.end());
        double oursKb = static_cast<double>(pdf.size()) / 1024.0;
        auto oursFacts = pdfFacts(ours);
        std::printf(
            "ours: benchmark-2022 + samples/benchmark-2022-book.json, %d renders: median %.2f ms, "
            "min %.2f ms, "
            "%.1f KB, %s pages (template load %.1f ms, once)  [targets <= 50 ms, <= 300 KB: %s]\n",
            runs, oursMedian, oursMin, oursKb, oursFacts.pages.c_str(), loadMs,
            oursMedian <= 50 && oursKb <= 300 ? "met" : "MISSED");
        std::vector<Row> table;
        table.push_back({"dossier (in-process)", fmt("%.1f ms", oursMedian), fmt("%.1f KB", oursKb),
                         oursFacts.pages, oursFacts.fonts});

        // --- the same content for LibreOffice -------------------------------------------------
        auto f0 = Clock::now();
        auto items = tmpl->flatten(json);
        FodtStats stats;
        std::string fodt = FodtWriter().write(items, stats);
        double fodtMs = std::chrono::duration<double, std::milli>(Clock::now() - f0).count();
        fs::path fodtPath = out / "book.fodt";
        writeFile(fodtPath, fodt);
        std::printf(
            "book.fodt: %zu items -> %d paragraphs, %d tables (%d with the template's column "
            "widths and size; %d rows, %d cells, %d covered), %d page breaks, "
            "%.1f KB (flatten + write %.1f ms)\n",
            items.size(), stats.paragraphs, stats.tables, stats.hinted, stats.rows, stats.cells,
            stats.coveredCells, stats.pageBreaks, static_cast<double>(fodt.size()) / 1024.0,
            fodtMs);

        std::optional<std::string> soffice;
        if (lo)
            soffice =
                sofficeArg.empty() ? findInPath("soffice") : std::optional<std::string>(sofficeArg);
        if (!lo) {
            std::printf("libreoffice: skipped (--no-lo)\n");
        } else if (!soffice) {
            std::printf(
                "libreoffice: soffice is not installed (not on PATH); skipped. To compare: apt-get "
                "install -y "
                "--no-install-recommends libreoffice-writer-nogui\n");
        } else {
            std::string version = capture(quote(*soffice) + " --version").value_or("");
            while (!version.empty() && (version.back() == '\n' || version.back() == ' '))
                version.pop_back();
            fs::path profile = fs::temp_directory_path() /
                               ("lo-profile-" + std::to_string(::getpid()) + "-" +
                                std::to_string(Clock::now().time_since_epoch().count()));
            fs::path loOut = out / "lo";
            fs::create_directories(loOut);
            fs::path loPdf = loOut / "book.pdf";
            fs::path log = out / "soffice.log";
            std::vector<std::string> args = {
                *soffice,         "-env:UserInstallation=file://" + profile.string(),
                "--headless",     "--norestore",
                "--convert-to",   "pdf",
                "--outdir",       loOut.string(),
                fodtPath.string()};
            std::vector<double> secs;
            std::string error;
            double warmup = 0;
            bool ok = true;
            for (int i = 0; i <= loRuns && ok; ++i) {  // run 0: warm-up, creates the profile
                fs::remove(loPdf);
                auto s = runTimed(args, log, std::chrono::seconds(300), error);
                if (!s || !fs::exists(loPdf) || fs::file_size(loPdf) == 0) {
                    if (error.empty()) error = "no PDF written (see " + log.string() + ")";
                    ok = false;
                    break;
                }
                if (i == 0)
                    warmup = *s;
                else
                    secs.push_back(*s);
            }
            std::error_code ec;
            fs::remove_all(profile, ec);
            if (!ok) {
                std::printf("libreoffice: conversion failed: %s\n", error.c_str());
                table.push_back({"libreoffice (soffice, cold)", "failed", "-", "-", "-"});
            } else {
                double loMedian = median(secs);
                double loKb = static_cast<double>(fs::file_size(loPdf)) / 1024.0;
                auto loFacts = pdfFacts(loPdf);
                std::printf(
                    "libreoffice: %s\n  --convert-to pdf, a fresh process per run: warm-up (new "
                    "profile) %.2f s; "
                    "%d runs: median %.2f s, min %.2f s; %.1f KB, %s pages\n",
                    (version.empty() ? *soffice : version).c_str(), warmup, loRuns, loMedian,
                    *std::min_element(secs.begin(), secs.end()), loKb, loFacts.pages.c_str());
                std::printf("  pdffonts %s: %s\n", loPdf.c_str(), loFacts.fonts.c_str());
                for (const auto& l : loFacts.fontLines) std::printf("    %s\n", l.c_str());
                table.push_back({"libreoffice (soffice, cold)", fmt("%.2f s", loMedian),
                                 fmt("%.1f KB", loKb), loFacts.pages, loFacts.fonts});
                std::printf(
                    "  ratio: LibreOffice takes %.0fx our time, its PDF is %.2fx our size\n",
                    loMedian * 1000 / oursMedian, loKb / oursKb);
            }
        }

        std::printf("\n%-28s %-12s %-12s %-6s %s\n", "renderer", "median", "size", "pages",
                    "fonts");
        for (const auto& r : table) {
            std::printf("%-28s %-12s %-12s %-6s %s\n", r.renderer.c_str(), r.time.c_str(),
                        r.size.c_str(), r.pages.c_str(), r.fonts.c_str());
        }
        if (smoke && outArg.empty()) {
            fs::remove_all(out);  // a test run leaves nothing behind
        } else {
            std::printf("\nfiles: %s (ours.pdf, book.fodt%s)\n", out.c_str(),
                        fs::exists(out / "lo" / "book.pdf") ? ", lo/book.pdf, soffice.log" : "");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "book_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
