#include "dossier/renderers/PdfComposer.h"

#include "HaruSupport.h"
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <map>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/renderers/FontFace.h"
#include "dossier/renderers/LineBreaker.h"
#include "dossier/renderers/SubsetFont.h"

namespace dossier::renderers {
namespace {

/// One run of text in one face, placed on a page.
struct Run {
    int page;
    double x, y;  // baseline origin, points from bottom-left
    Face face;
    double size;
    std::u32string text;
};

std::shared_ptr<const FontFace> faceOf(Face f) { return f == Face::Hei ? FontFace::hei() : FontFace::song(); }
Face otherFace(Face f) { return f == Face::Hei ? Face::Song : Face::Hei; }

std::string describe(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    std::string s;
    utf8::append(s, cp);
    return "'" + s + "' (" + buf + ")";
}

}  // namespace

struct PdfComposer::Impl {
    PageSetup page;
    DocumentInfo info;
    std::vector<Run> runs;
    int currentPage = 0;
    double cursorY = 0;  // baseline of the next line, from the bottom

    double contentWidth() const { return page.width - page.marginLeft - page.marginRight; }
    double top() const { return page.height - page.marginTop; }

    /// The face that can draw `cp`: the style's, else the other; else glyph_missing.
    Face faceFor(char32_t cp, Face wanted) const {
        if (faceOf(wanted)->hasGlyph(cp)) return wanted;
        if (faceOf(otherFace(wanted))->hasGlyph(cp)) return otherFace(wanted);
        throw Error(codes::kRenderGlyphMissing,
                    "The character " + describe(cp) + " cannot be printed with the available fonts.");
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
    auto lines = LineBreaker(measure, im.contentWidth(), im.contentWidth() - indent).breakLines(text);
    double lineHeight = style.size * style.lineHeight;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (im.cursorY - style.size < im.page.marginBottom) im.newPage();
        double baseline = im.cursorY - style.size;
        double width = 0;
        for (char32_t cp : lines[i]) width += measure(cp);
        double x = im.page.marginLeft + (i == 0 ? indent : 0);
        if (style.align == TextStyle::Align::Center) x = im.page.marginLeft + (im.contentWidth() - width) / 2;
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
        for (int p = 1; p <= im.currentPage; ++p) {
            std::u32string label = U"— " + utf8::decode(std::to_string(p)) + U" —";
            double w = 0;
            for (char32_t cp : label) w += im.advance(cp, Face::Song, 10.5);
            im.runs.push_back(Run{p, (im.page.width - w) / 2, im.page.marginBottom / 2, Face::Song, 10.5, label});
        }
    }
    // One subset per face, of exactly the characters drawn with it.
    std::map<Face, std::u32string> used;
    for (const auto& r : im.runs) used[r.face] += r.text;

    HaruDocument doc = newHaruDocument();
    HPDF_Doc pdf = doc.get();
    std::map<Face, HPDF_Font> fonts;
    std::vector<std::unique_ptr<TempFontFile>> files;  // live until the document is saved
    for (auto& [face, chars] : used) {
        auto source = faceOf(face);
        auto subset = SubsetFont::create(source->path(), source->faceIndex(), chars);
        files.push_back(std::make_unique<TempFontFile>(subset.ttf()));
        const char* name = HPDF_LoadTTFontFromFile(pdf, files.back()->path().c_str(), HPDF_TRUE);
        fonts[face] = HPDF_GetFont(pdf, name, "UTF-8");
    }
    if (!im.info.title.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, im.info.title.c_str());
    if (!im.info.author.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, im.info.author.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Dossier");
    std::time_t t = static_cast<std::time_t>(im.info.createdMicros / 1000000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    HPDF_Date date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);

    std::vector<HPDF_Page> pages;
    for (int p = 0; p < im.currentPage; ++p) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(im.page.width));
        HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(im.page.height));
        pages.push_back(page);
    }
    for (const auto& r : im.runs) {
        HPDF_Page page = pages[static_cast<std::size_t>(r.page - 1)];
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, fonts[r.face], static_cast<HPDF_REAL>(r.size));
        HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(r.x), static_cast<HPDF_REAL>(r.y),
                          utf8::encode(r.text).c_str());
        HPDF_Page_EndText(page);
    }
    return saveHaruDocument(pdf);
}

}  // namespace dossier::renderers
