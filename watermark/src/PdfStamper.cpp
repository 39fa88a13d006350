#include "dossier/watermark/PdfStamper.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/PdfBytes.h"

namespace dossier::watermark {
namespace {

/// `recover`: let qpdf rebuild a cross-reference table that does not match the file. That
/// rebuild tokenizes the whole file and takes minutes on some inputs (a megabyte of comment
/// lines), so the upload's inspection does without it: a PDF needing it is refused there.
/// `storage` holds a repaired copy when pdfWithoutTrailingJunk makes one; qpdf reads from it,
/// so it must live as long as `q`.
void open(QPDF& q, const char* name, std::string_view bytes, std::string& storage,
          bool recover = true) {
    try {
        q.setSuppressWarnings(true);
        q.setAttemptRecovery(recover);
        bytes = pdfWithoutTrailingJunk(bytes, storage);
        q.processMemoryFile(name, bytes.data(), bytes.size());
    } catch (const QPDFExc& e) {
        if (e.getErrorCode() == qpdf_e_password) {
            throw Error(codes::kPdfEncrypted,
                        "The PDF is password-protected; upload an unprotected copy.");
        }
        throw Error(codes::kPdfCorrupt, "The PDF cannot be read; it may be damaged.", e.what());
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF cannot be read; it may be damaged.", e.what());
    }
    if (q.isEncrypted()) {
        throw Error(codes::kPdfEncrypted, "The PDF is encrypted; upload an unprotected copy.");
    }
}

/// A page's visible area in its own user space and its /Rotate as 0, 90, 180 or 270.
struct VisiblePage {
    double llx, lly, urx, ury;
    int rotate;
};

QPDFObjectHandle::Rectangle normalized(QPDFObjectHandle box) {
    auto r = box.getArrayAsRectangle();
    return {std::min(r.llx, r.urx), std::min(r.lly, r.ury), std::max(r.llx, r.urx),
            std::max(r.lly, r.ury)};
}

bool isRectangle(QPDFObjectHandle box) {
    if (!box.isArray() || box.getArrayNItems() != 4) return false;
    for (int i = 0; i < 4; ++i) {
        auto n = box.getArrayItem(i);
        if (!n.isNumber() || !std::isfinite(n.getNumericValue())) return false;
    }
    return true;
}

/// What a viewer shows: the CropBox clipped to the MediaBox (both inheritable from the
/// page tree; a missing MediaBox is US Letter, as readers assume), turned by /Rotate, also
/// inherited. Any multiple of 90 counts, negative ones too (-90 shows as 270); a value that
/// is not a multiple of 90 is ignored, as poppler and pdf.js ignore it. The installed
/// qpdf's placement helper mishandled negative angles, so this is done here.
VisiblePage visiblePage(QPDFPageObjectHelper& page) {
    auto mediaBox = page.getAttribute("/MediaBox", false);
    QPDFObjectHandle::Rectangle media{0, 0, 612, 792};
    if (isRectangle(mediaBox)) media = normalized(mediaBox);
    QPDFObjectHandle::Rectangle visible = media;
    auto cropBox = page.getAttribute("/CropBox", false);
    if (isRectangle(cropBox)) {
        auto crop = normalized(cropBox);
        QPDFObjectHandle::Rectangle clipped{
            std::max(crop.llx, media.llx), std::max(crop.lly, media.lly),
            std::min(crop.urx, media.urx), std::min(crop.ury, media.ury)};
        // A crop box outside the media box is ignored by readers too.
        if (clipped.urx > clipped.llx && clipped.ury > clipped.lly) visible = clipped;
    }
    int rotate = 0;
    auto r = page.getAttribute("/Rotate", false);
    if (r.isInteger()) {
        long long degrees = r.getIntValue();
        if (degrees % 90 == 0) rotate = static_cast<int>(((degrees % 360) + 360) % 360);
    } else if (r.isReal()) {
        double degrees = r.getNumericValue();
        if (std::isfinite(degrees) && std::fmod(degrees, 90.0) == 0.0) {
            rotate = static_cast<int>(std::fmod(std::fmod(degrees, 360.0) + 360.0, 360.0));
        }
    }
    return {visible.llx, visible.lly, visible.urx, visible.ury, rotate};
}

PdfPageBox displayedBox(const VisiblePage& v) {
    PdfPageBox b{v.urx - v.llx, v.ury - v.lly};
    if (v.rotate == 90 || v.rotate == 270) std::swap(b.width, b.height);
    return b;
}

/// The `cm` operands that map a form whose box is [0 0 formWidth formHeight] onto the
/// visible area as displayed: the form's bottom-left lands at the displayed bottom-left,
/// its up is the displayed up, and it fills the area.
std::array<double, 6> placement(const VisiblePage& v, double formWidth, double formHeight) {
    PdfPageBox shown = displayedBox(v);
    double sx = shown.width / formWidth, sy = shown.height / formHeight;
    // Displayed (X, Y) → user space, for a page the viewer turns `rotate` degrees clockwise.
    switch (v.rotate) {
        case 90:
            return {0, sx, -sy, 0, v.urx, v.lly};
        case 180:
            return {-sx, 0, 0, -sy, v.urx, v.ury};
        case 270:
            return {0, -sx, sy, 0, v.llx, v.ury};
        default:
            return {sx, 0, 0, sy, v.llx, v.lly};
    }
}

std::string number(double x) {
    if (std::abs(x) < 1e-9) x = 0;
    return QUtil::double_to_string(x, 5);
}

}  // namespace

std::vector<PdfPageBox> PdfStamper::pageBoxes(std::string_view pdf) {
    QPDF q;
    std::string repaired;
    open(q, "document", pdf, repaired);
    std::vector<PdfPageBox> out;
    try {
        for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
            out.push_back(displayedBox(visiblePage(page)));
        }
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF's pages cannot be read.", e.what());
    }
    return out;
}

namespace {

/// The largest image reachable from `resources`: its XObjects, and those of the forms it
/// uses (each object once).
std::uint64_t largestImage(QPDFObjectHandle resources, std::set<QPDFObjGen>& seen, int depth) {
    if (!resources.isDictionary() || depth > 8) return 0;
    auto xobjects = resources.getKey("/XObject");
    if (!xobjects.isDictionary()) return 0;
    std::uint64_t largest = 0;
    for (const auto& key : xobjects.getKeys()) {
        auto x = xobjects.getKey(key);
        if (!x.isStream()) continue;
        if (x.isIndirect() && !seen.insert(x.getObjGen()).second) continue;
        auto dict = x.getDict();
        auto subtype = dict.getKey("/Subtype");
        if (subtype.isNameAndEquals("/Image")) {
            auto w = dict.getKey("/Width"), h = dict.getKey("/Height");
            if (w.isInteger() && h.isInteger() && w.getIntValue() > 0 && h.getIntValue() > 0) {
                largest = std::max(largest, static_cast<std::uint64_t>(w.getIntValue()) *
                                                static_cast<std::uint64_t>(h.getIntValue()));
            }
        } else if (subtype.isNameAndEquals("/Form")) {
            largest = std::max(largest, largestImage(dict.getKey("/Resources"), seen, depth + 1));
        }
    }
    return largest;
}

/// A field's type, inherited through /Parent as the AcroForm rules say.
bool isSignatureField(QPDFObjectHandle field) {
    for (int depth = 0; depth < 32 && field.isDictionary(); ++depth) {
        auto type = field.getKey("/FT");
        if (type.isName()) return type.getName() == "/Sig";
        field = field.getKey("/Parent");
    }
    return false;
}

/// Every signature field (and widget) in the AcroForm tree under `fields`.
void collectSignatureFields(QPDFObjectHandle fields, std::set<QPDFObjGen>& found, bool& anySigned,
                            int depth) {
    if (!fields.isArray() || depth > 32) return;
    for (auto& field : fields.aitems()) {
        if (!field.isDictionary()) continue;
        if (isSignatureField(field)) {
            if (field.isIndirect()) found.insert(field.getObjGen());
            if (!field.getKey("/V").isNull()) anySigned = true;
        }
        collectSignatureFields(field.getKey("/Kids"), found, anySigned, depth + 1);
    }
}

/// The file's signatures, and with `strip` their removal: the signature fields leave the
/// AcroForm and their widgets the pages, /Perms and SigFlags go. Returns whether it had any.
bool signatures(QPDF& q, bool strip) {
    auto root = q.getRoot();
    bool anySigned = root.hasKey("/Perms");
    auto acroForm = root.getKey("/AcroForm");
    std::set<QPDFObjGen> fields;
    if (acroForm.isDictionary()) {
        collectSignatureFields(acroForm.getKey("/Fields"), fields, anySigned, 0);
    }
    if (!strip) return anySigned;
    root.removeKey("/Perms");
    if (acroForm.isDictionary()) {
        acroForm.removeKey("/SigFlags");
        auto list = acroForm.getKey("/Fields");
        if (list.isArray()) {
            auto kept = QPDFObjectHandle::newArray();
            for (auto& field : list.aitems()) {
                if (!isSignatureField(field)) kept.appendItem(field);
            }
            acroForm.replaceKey("/Fields", kept);
        }
    }
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
        auto annots = page.getObjectHandle().getKey("/Annots");
        if (!annots.isArray()) continue;
        auto kept = QPDFObjectHandle::newArray();
        bool removed = false;
        for (auto& annot : annots.aitems()) {
            bool widget = annot.isDictionary() &&
                          annot.getKey("/Subtype").isNameAndEquals("/Widget") &&
                          isSignatureField(annot);
            bool listed = annot.isIndirect() && fields.count(annot.getObjGen()) > 0;
            if (widget || listed) {
                removed = true;
                continue;
            }
            kept.appendItem(annot);
        }
        if (removed) page.getObjectHandle().replaceKey("/Annots", kept);
    }
    return anySigned;
}

/// Says in the document information that this file is a copy made by Dossier.
void markAsCopy(QPDF& q) {
    auto trailer = q.getTrailer();
    auto info = trailer.getKey("/Info");
    if (!info.isDictionary()) {
        info = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
        trailer.replaceKey("/Info", info);
    }
    info.replaceKey("/DossierCopy",
                    QPDFObjectHandle::newUnicodeString(
                        "Marked copy made by Dossier for filing review; not the original "
                        "document, and any digital signature of the original was removed."));
}

}  // namespace

PdfFacts PdfStamper::inspect(std::string_view pdf, std::size_t maxPages) {
    QPDF q;
    std::string repaired;
    open(q, "document", pdf, repaired, false);
    PdfFacts facts;
    try {
        auto pages = QPDFPageDocumentHelper(q).getAllPages();
        facts.pageCount = pages.size();
        facts.signatures = signatures(q, false);
        if (pages.size() > maxPages) return facts;
        std::set<QPDFObjGen> seen;
        for (auto& page : pages) {
            facts.pages.push_back(displayedBox(visiblePage(page)));
            facts.largestImagePixels =
                std::max(facts.largestImagePixels,
                         largestImage(page.getAttribute("/Resources", false), seen, 0));
        }
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF's pages cannot be read.", e.what());
    }
    return facts;
}

namespace {

/// Lays overlay page overlayOf[i] of `over` over page i of `doc` and writes the result. An
/// overlay page becomes one form XObject however many pages draw it: a 2000-page document of
/// one page size carries the mark once, not 2000 times.
std::string stampPages(QPDF& doc, std::vector<QPDFPageObjectHelper>& pages, QPDF& over,
                       const std::vector<std::size_t>& overlayOf, bool deterministic) {
    auto overPages = QPDFPageDocumentHelper(over).getAllPages();
    std::map<std::size_t, QPDFObjectHandle> forms;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        auto& page = pages[i];
        std::size_t k = overlayOf.at(i);
        if (k >= overPages.size()) {
            throw Error(codes::kInternal, "Watermarking failed.", "overlay has too few pages");
        }
        auto known = forms.find(k);
        if (known == forms.end()) {
            known =
                forms.emplace(k, doc.copyForeignObject(overPages[k].getFormXObjectForPage())).first;
        }
        QPDFObjectHandle form = known->second;
        auto resources = page.getAttribute("/Resources", true);
        if (!resources.isDictionary()) {
            resources = QPDFObjectHandle::newDictionary();
            page.getObjectHandle().replaceKey("/Resources", resources);
        }
        if (!resources.hasKey("/XObject")) {
            resources.replaceKey("/XObject", QPDFObjectHandle::newDictionary());
        }
        auto xobjects = resources.getKey("/XObject");
        // A page stamped before (the trace mark over the filing copy) keeps its first
        // mark: the new one takes a name of its own.
        std::string name = "/DossierWatermark" + std::to_string(i);
        for (int n = 2; xobjects.hasKey(name); ++n) {
            name = "/DossierWatermark" + std::to_string(i) + "_" + std::to_string(n);
        }
        xobjects.replaceKey(name, form);
        auto bbox = form.getDict().getKey("/BBox");
        if (!isRectangle(bbox)) {
            throw Error(codes::kInternal, "Watermarking failed.", "overlay page has no box");
        }
        auto formBox = normalized(bbox);
        double formWidth = formBox.urx - formBox.llx, formHeight = formBox.ury - formBox.lly;
        if (formWidth <= 0 || formHeight <= 0) {
            throw Error(codes::kInternal, "Watermarking failed.", "overlay page is empty");
        }
        // Drawn last, onto the visible area in the displayed orientation.
        auto m = placement(visiblePage(page), formWidth, formHeight);
        std::string draw = "q\n";
        for (double x : m) draw += number(x) + " ";
        draw += "cm\n";
        if (formBox.llx != 0 || formBox.lly != 0) {
            draw += "1 0 0 1 " + number(-formBox.llx) + " " + number(-formBox.lly) + " cm\n";
        }
        draw += name + " Do\nQ";
        // The page's own content may leave the graphics state changed: fence it in q/Q.
        page.addPageContents(QPDFObjectHandle::newStream(&doc, "q\n"), true);
        page.addPageContents(QPDFObjectHandle::newStream(&doc, "\nQ\n" + draw + "\n"), false);
    }
    signatures(doc, true);
    markAsCopy(doc);
    QPDFWriter writer(doc);
    writer.setOutputMemory();
    if (deterministic) writer.setStaticID(true);
    writer.write();
    auto buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

std::string PdfStamper::stamp(std::string_view pdf, std::string_view overlay, bool deterministic) {
    QPDF doc, over;
    std::string repaired, overlayCopy;
    open(doc, "document", pdf, repaired);
    open(over, "overlay", overlay, overlayCopy);
    try {
        auto pages = QPDFPageDocumentHelper(doc).getAllPages();
        std::vector<std::size_t> overlayOf(pages.size());
        for (std::size_t i = 0; i < pages.size(); ++i) overlayOf[i] = i;
        return stampPages(doc, pages, over, overlayOf, deterministic);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF could not be watermarked; it may be damaged.",
                    e.what());
    }
}

std::string PdfStamper::mark(std::string_view pdf, const std::vector<std::string>& lines,
                             const OverlayStyle& style) {
    QPDF doc;
    std::string repaired;
    open(doc, "document", pdf, repaired);
    try {
        auto pages = QPDFPageDocumentHelper(doc).getAllPages();
        // One overlay page per distinct displayed size (to 1/100 pt), shared by its pages.
        std::vector<PageSize> sizes;
        std::vector<std::size_t> overlayOf;
        std::map<std::pair<long long, long long>, std::size_t> bySize;
        for (auto& page : pages) {
            PdfPageBox box = displayedBox(visiblePage(page));
            std::pair<long long, long long> key{std::llround(box.width * 100),
                                                std::llround(box.height * 100)};
            auto [at, added] = bySize.emplace(key, sizes.size());
            if (added) sizes.push_back(WatermarkOverlay::drawableSize({box.width, box.height}));
            overlayOf.push_back(at->second);
        }
        std::string overlay = WatermarkOverlay::render(sizes, lines, {}, 0, style);
        QPDF over;
        std::string overlayCopy;
        open(over, "overlay", overlay, overlayCopy);
        return stampPages(doc, pages, over, overlayOf, false);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF could not be watermarked; it may be damaged.",
                    e.what());
    }
}

}  // namespace dossier::watermark
