#include "dossier/filing/DerivativeService.h"

#include <algorithm>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/DerivativeRepository.h"
#include "dossier/renderers/WatermarkOverlay.h"
#include "dossier/watermark/ImagePreviewer.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/ImageWatermarker.h"

namespace dossier::filing {
namespace {

constexpr std::int64_t kBeijingOffsetMicros = 8LL * 3600 * 1000000;

/// "2026-11-21": the calendar day in Asia/Shanghai (UTC+8, no daylight saving).
std::string beijingDate(std::int64_t micros) {
    return formatTimestamp(micros + kBeijingOffsetMicros).substr(0, 10);
}

bool isImage(MediaType t) { return t == MediaType::Jpeg || t == MediaType::Png; }

/// "营业执照.jpg" + "（备案水印）", ".png" → "营业执照（备案水印）.png"
std::string derivedName(const std::string& original, const std::string& suffix, MediaType type) {
    auto dot = original.rfind('.');
    std::string stem = dot == std::string::npos ? original : original.substr(0, dot);
    return stem + suffix + "." + std::string(extensionOf(type));
}

}  // namespace

DerivativeService::DerivativeService(DocumentService& documents, storage::BlobStore& blobs,
                                     storage::DerivativeRepository& index, const Clock& clock,
                                     std::string filingText)
    : documents_(documents), blobs_(blobs), index_(index), clock_(clock),
      filingText_(std::move(filingText)) {}

std::string DerivativeService::readAll(const Document& doc) {
    blobs_.verify(doc.sha256);
    auto source = blobs_.open(doc.sha256);
    std::string bytes(source->size(), '\0');
    bytes.resize(source->readAt(0, bytes.data(), bytes.size()));
    return bytes;
}

DocumentContent DerivativeService::derived(
    const Document& source, const std::string& variant,
    const std::function<std::string(const std::string&)>& make, MediaType type,
    const std::string& nameSuffix) {
    Document out = source;
    out.mediaType = type;
    out.originalName = derivedName(source.originalName, nameSuffix, type);
    if (auto hit = index_.find(source.sha256, variant)) {
        blobs_.verify(hit->derivativeSha256);
        auto bytes = blobs_.open(hit->derivativeSha256);
        out.sha256 = hit->derivativeSha256;
        out.size = bytes->size();
        return DocumentContent{out, std::move(bytes)};
    }
    std::string made = make(readAll(source));
    auto staged = blobs_.stage();
    staged->write(made.data(), made.size());
    auto stored = blobs_.commit(*staged);
    index_.insert({source.sha256, variant, stored.sha256, std::string(mimeOf(type))}, stored.size,
                  clock_.nowMicros());
    out.sha256 = stored.sha256;
    out.size = stored.size;
    return DocumentContent{out, blobs_.open(stored.sha256)};
}

DocumentContent DerivativeService::content(const std::string& id, const std::string& variant) {
    if (variant == "original") return documents_.openContent(id);
    if (variant != "watermarked") {
        throw Error(codes::kVariantUnknown,
                    "Unknown variant '" + variant + "'; use original or watermarked.");
    }
    Document doc = documents_.get(id);
    auto mark = watermark::FilingMark{filingText_, beijingDate(doc.createdAtMicros)};
    std::string key = "watermarked|v1|" + mark.text + "|" + mark.date;
    if (doc.mediaType == MediaType::Pdf) {
        // A vector mark laid over every page; the PDF's own text and vectors stay.
        return derived(
            doc, key,
            [&](const std::string& bytes) {
                std::vector<renderers::PageSize> sizes;
                for (const auto& box : watermark::PdfStamper::pageBoxes(bytes)) {
                    sizes.push_back({box.width, box.height});
                }
                std::string overlay = renderers::WatermarkOverlay::render(sizes, {mark.text, mark.date});
                return watermark::PdfStamper::stamp(bytes, overlay);
            },
            MediaType::Pdf, "（备案水印）");
    }
    if (!isImage(doc.mediaType)) {
        throw Error(codes::kVariantNotAvailable,
                    "A watermarked copy is made for scans and PDFs; this document is " +
                        std::string(displayNameOf(doc.mediaType)) + ".");
    }
    return derived(
        doc, key,
        [&](const std::string& bytes) {
            return watermark::ImageWatermarker().apply(bytes, mark).bytes;
        },
        doc.mediaType, "（备案水印）");
}

DocumentContent DerivativeService::preview(const std::string& id, int page, int width) {
    Document doc = documents_.get(id);
    if (doc.mediaType == MediaType::Pdf) {
        width = std::clamp(width, watermark::ImagePreviewer::kMinWidth,
                           watermark::ImagePreviewer::kMaxWidth);
        std::string key = "preview|v1|p" + std::to_string(page) + "|w" + std::to_string(width) +
                          (doc.kind == DocumentKind::License ? "|" + filingText_ : "");
        if (page < 1) throw Error(codes::kPageNotFound, "Pages are numbered from 1.");
        return derived(
            doc, key,
            [&](const std::string& bytes) {
                auto pdf = evidence::PdfDocument::load(bytes);
                if (page > pdf.pageCount()) {
                    throw Error(codes::kPageNotFound,
                                "The PDF has " + std::to_string(pdf.pageCount()) + " page(s).");
                }
                std::string png = pdf.renderPng(page - 1, 0, width);
                // An identity document is never shown without its filing mark.
                if (doc.kind == DocumentKind::License) {
                    watermark::FilingMark mark{filingText_, beijingDate(doc.createdAtMicros)};
                    png = watermark::ImageWatermarker().apply(png, mark).bytes;
                }
                return png;
            },
            MediaType::Png, "-p" + std::to_string(page));
    }
    if (!isImage(doc.mediaType)) {
        throw Error(codes::kVariantNotAvailable,
                    "Page previews are made for JPEG and PNG scans; this document is " +
                        std::string(displayNameOf(doc.mediaType)) + ".");
    }
    if (page != 1) throw Error(codes::kPageNotFound, "This document has 1 page.");
    width = std::clamp(width, watermark::ImagePreviewer::kMinWidth,
                       watermark::ImagePreviewer::kMaxWidth);
    // An identity document is previewed only through its watermarked copy.
    Document source = doc;
    if (doc.kind == DocumentKind::License) source = content(id, "watermarked").document;
    std::string key = "preview|v1|p" + std::to_string(page) + "|w" + std::to_string(width);
    auto result = derived(
        source, key,
        [&](const std::string& bytes) { return watermark::ImagePreviewer::render(bytes, width).bytes; },
        MediaType::Png, "-p" + std::to_string(page));
    result.document.id = doc.id;
    return result;
}

}  // namespace dossier::filing
