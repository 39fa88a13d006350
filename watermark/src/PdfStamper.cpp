#include "dossier/watermark/PdfStamper.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>

#include <cmath>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::watermark {
namespace {

void open(QPDF& q, const char* name, std::string_view bytes) {
    try {
        q.setSuppressWarnings(true);
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

}  // namespace

std::vector<PdfPageBox> PdfStamper::pageBoxes(std::string_view pdf) {
    QPDF q;
    open(q, "document", pdf);
    std::vector<PdfPageBox> out;
    try {
        for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
            auto box = page.getTrimBox().getArrayAsRectangle();
            PdfPageBox b{std::abs(box.urx - box.llx), std::abs(box.ury - box.lly)};
            auto rotate = page.getAttribute("/Rotate", false);
            if (rotate.isInteger() && (rotate.getIntValue() / 90) % 2 != 0)
                std::swap(b.width, b.height);
            out.push_back(b);
        }
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF's pages cannot be read.", e.what());
    }
    return out;
}

std::string PdfStamper::stamp(std::string_view pdf, std::string_view overlay, bool deterministic) {
    QPDF doc, over;
    open(doc, "document", pdf);
    open(over, "overlay", overlay);
    try {
        auto pages = QPDFPageDocumentHelper(doc).getAllPages();
        auto overPages = QPDFPageDocumentHelper(over).getAllPages();
        if (overPages.size() < pages.size()) {
            throw Error(codes::kInternal, "Watermarking failed.", "overlay has too few pages");
        }
        for (std::size_t i = 0; i < pages.size(); ++i) {
            auto& page = pages[i];
            QPDFObjectHandle form = doc.copyForeignObject(overPages[i].getFormXObjectForPage());
            // Drawn last, in the displayed orientation, over the whole trim box.
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
            auto rect = page.getTrimBox().getArrayAsRectangle();
            std::string draw = page.placeFormXObject(form, name, rect, true, true, true);
            // The page's own content may leave the graphics state changed: fence it in q/Q.
            page.addPageContents(QPDFObjectHandle::newStream(&doc, "q\n"), true);
            page.addPageContents(QPDFObjectHandle::newStream(&doc, "\nQ\n" + draw + "\n"), false);
        }
        QPDFWriter writer(doc);
        writer.setOutputMemory();
        if (deterministic) writer.setStaticID(true);
        writer.write();
        auto buffer = writer.getBufferSharedPointer();
        return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(codes::kPdfCorrupt, "The PDF could not be watermarked; it may be damaged.",
                    e.what());
    }
}

std::string PdfStamper::mark(std::string_view pdf, const std::vector<std::string>& lines,
                             const OverlayStyle& style) {
    std::vector<PageSize> sizes;
    for (const auto& box : pageBoxes(pdf)) sizes.push_back({box.width, box.height});
    return stamp(pdf, WatermarkOverlay::render(sizes, lines, {}, 0, style));
}

}  // namespace dossier::watermark
