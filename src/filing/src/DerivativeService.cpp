#include "dossier/filing/DerivativeService.h"

#include "dossier/filing/TracedCopyCache.h"

#include <algorithm>
#include <cstdio>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/FileName.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/DerivativeRepository.h"
#include "dossier/storage/Sha256.h"
#include "dossier/watermark/ImagePreviewer.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/WatermarkOverlay.h"

namespace dossier::filing {
namespace {

constexpr std::int64_t kHourMicros = 3600LL * 1000000;
constexpr std::int64_t kBeijingOffsetMicros = 8 * kHourMicros;

/// "2026-11-21": the calendar day in Asia/Shanghai (UTC+8, no daylight saving).
std::string beijingDate(std::int64_t micros) {
    return formatTimestamp(micros + kBeijingOffsetMicros).substr(0, 10);
}

bool isImage(MediaType t) { return t == MediaType::Jpeg || t == MediaType::Png; }
bool isMarkable(MediaType t) { return isImage(t) || t == MediaType::Pdf; }

std::string slurp(const ByteSource& source) {
    std::string bytes(source.size(), '\0');
    bytes.resize(source.readAt(0, bytes.data(), bytes.size()));
    return bytes;
}

/// The hour a trace mark names, and when it ends. An hour, not the minute: a reviewer's copy
/// can then be made once and reused for the hour (a PDF viewer's range requests, a second
/// look at a 2,000-page file), and its ETag holds still so If-Range works. The mark still
/// names who and roughly when; the exact time of every download is in the audit log with
/// the digest of the bytes sent, which identifies the copy.
struct TraceHour {
    std::string label;  // "2026-11-21 10:00–11:00 北京时间"
    std::int64_t endMicros = 0;
};

TraceHour traceHourOf(std::int64_t nowMicros) {
    std::int64_t start = nowMicros - ((nowMicros % kHourMicros) + kHourMicros) % kHourMicros;
    std::string local = formatTimestamp(start + kBeijingOffsetMicros);
    int hour = std::stoi(local.substr(11, 2));
    char span[32];
    std::snprintf(span, sizeof span, "%02d:00–%02d:00", hour, hour + 1);
    return {local.substr(0, 10) + " " + span + " 北京时间", start + kHourMicros};
}

watermark::TraceMark traceOf(const Viewer& viewer, const TraceHour& hour) {
    return {viewer.displayName, viewer.accountId, hour.label};
}

/// A traced copy's cache key: everything its bytes depend on. The viewer's account id comes
/// first, so no key of one viewer can be another's.
std::string tracedKey(const Viewer& viewer, const TraceHour& hour, const std::string& what) {
    return viewer.accountId + '\x1f' + viewer.displayName + '\x1f' + hour.label + '\x1f' + what;
}

TracedCopy tracedCopy(std::string bytes) {
    TracedCopy copy;
    copy.sha256 = storage::Sha256::of(bytes);
    copy.bytes = std::move(bytes);
    return copy;
}

Error variantForbidden(const std::string& variant) {
    return Error(codes::kVariantForbidden,
                 "The " + variant +
                     " copy is served only to the organization that uploaded the "
                     "document; reviewers get variant=review, marked with their name.");
}

/// The name a derivative downloads as: the source's download name (its extension corrected
/// to its content), the suffix before the derivative's own extension, all within 255 bytes
/// by shortening the stem ("营业执照.png" holding a JPEG + "（备案水印）" →
/// "营业执照（备案水印）.jpg").
std::string derivedName(const Document& source, const std::string& suffix, MediaType type) {
    std::string base = downloadFileName(source.originalName, source.mediaType);
    return fitFileName(splitExtension(base).first, suffix, "." + std::string(extensionOf(type)));
}

}  // namespace

DerivativeService::DerivativeService(DocumentService& documents, storage::BlobStore& blobs,
                                     storage::DerivativeRepository& index, AuditLog& audit,
                                     const Clock& clock, std::string filingText,
                                     std::size_t tracedCacheBytes)
    : documents_(documents),
      blobs_(blobs),
      index_(index),
      audit_(audit),
      clock_(clock),
      filingText_(std::move(filingText)),
      traced_(std::make_unique<TracedCopyCache>(tracedCacheBytes)) {}

DerivativeService::~DerivativeService() = default;

std::string DerivativeService::readAll(const Document& doc) {
    blobs_.verify(doc.sha256);
    return slurp(*blobs_.open(doc.sha256));
}

DocumentContent DerivativeService::derived(
    const Document& source, const std::string& variant,
    const std::function<std::string(const std::string&)>& make, MediaType type,
    const std::string& nameSuffix) {
    Document out = source;
    out.mediaType = type;
    std::string fileName = derivedName(source, nameSuffix, type);
    if (auto hit = index_.find(source.sha256, variant)) {
        blobs_.verify(hit->derivativeSha256);
        auto bytes = blobs_.open(hit->derivativeSha256);
        out.sha256 = hit->derivativeSha256;
        out.size = bytes->size();
        return DocumentContent{out, std::move(bytes), fileName, {}, {}};
    }
    std::string made = make(readAll(source));
    auto staged = blobs_.stage();
    staged->write(made.data(), made.size());
    auto stored = blobs_.commit(*staged);
    index_.insert({source.sha256, variant, stored.sha256, std::string(mimeOf(type))}, stored.size,
                  clock_.nowMicros());
    out.sha256 = stored.sha256;
    out.size = stored.size;
    return DocumentContent{out, blobs_.open(stored.sha256), fileName, {}, {}};
}

bool DerivativeService::isPersonal(const Viewer& viewer, const Document& document,
                                   const std::string& variant) {
    return variant == "review" || (variant.empty() && !ownsDocument(viewer, document));
}

DocumentContent DerivativeService::content(const Viewer& viewer, const std::string& id,
                                           const std::string& requested) {
    Document doc = documents_.get(viewer, id);
    bool owner = ownsDocument(viewer, doc);
    std::string variant = requested.empty() ? (owner ? "original" : "review") : requested;
    if (variant != "original" && variant != "watermarked" && variant != "review") {
        throw Error(codes::kVariantUnknown,
                    "Unknown variant '" + variant + "'; use original, watermarked or review.");
    }
    if (!owner && variant != "review") throw variantForbidden(variant);
    DocumentContent out = variant == "original"      ? documents_.openContent(doc)
                          : variant == "watermarked" ? watermarked(doc)
                                                     : review(viewer, doc);
    out.auditAction = "document.download";
    out.auditDetails = {{"variant", variant}, {"sha256", out.document.sha256}};
    return out;
}

DocumentContent DerivativeService::watermarked(const Document& doc) {
    auto mark = watermark::FilingMark{filingText_, beijingDate(doc.createdAtMicros)};
    std::string key = "watermarked|v1|" + mark.text + "|" + mark.date;
    if (doc.mediaType == MediaType::Pdf) {
        // v2: copies made before the stamper removed signature fields (migration 5's time)
        // show a broken signature; a new key rebuilds them on their next download.
        key = "watermarked|v2|" + mark.text + "|" + mark.date;
        // A vector mark laid over every page; the PDF's own text and vectors stay.
        return derived(
            doc, key,
            [&](const std::string& bytes) {
                return watermark::PdfStamper::mark(bytes, {mark.text, mark.date});
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

DocumentContent DerivativeService::review(const Viewer& viewer, const Document& doc) {
    // DOCX and XLSX cannot carry a mark; they are never identity documents (a license is
    // a scan or a PDF), and the download is in the audit log.
    if (!isMarkable(doc.mediaType)) return documents_.openContent(doc);
    DocumentContent base = watermarked(doc);
    std::int64_t now = clock_.nowMicros();
    TraceHour hour = traceHourOf(now);
    auto copy = traced_->getOrMake(
        tracedKey(viewer, hour, "copy|" + base.document.sha256), now, hour.endMicros, [&] {
            std::string bytes = slurp(*base.bytes);
            watermark::TraceMark trace = traceOf(viewer, hour);
            if (doc.mediaType == MediaType::Pdf) {
                return tracedCopy(watermark::PdfStamper::mark(bytes, {trace.text()},
                                                              watermark::OverlayStyle::trace()));
            }
            return tracedCopy(watermark::ImageWatermarker().applyTrace(bytes, trace).bytes);
        });
    Document out = base.document;
    out.sha256 = copy->sha256;
    out.size = copy->bytes.size();
    return DocumentContent{out,
                           std::make_unique<TracedCopySource>(std::move(copy)),
                           derivedName(doc, "（审查副本）", doc.mediaType),
                           {},
                           {}};
}

void DerivativeService::recordSent(const Viewer& viewer, const DocumentContent& content,
                                   std::uint64_t first, std::uint64_t length, bool partial) {
    if (content.auditAction.empty()) return;
    auto details = content.auditDetails;
    details["bytes"] = std::to_string(length);
    if (partial) {
        details["range"] = std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" +
                           std::to_string(content.document.size);
    }
    audit_.record(viewer.accountId, content.auditAction, "document:" + content.document.id,
                  details);
}

DocumentContent DerivativeService::preview(const Viewer& viewer, const std::string& id, int page,
                                           int width) {
    Document doc = documents_.get(viewer, id);
    DocumentContent out = previewOf(doc, page, width);
    if (ownsDocument(viewer, doc)) return out;
    std::int64_t now = clock_.nowMicros();
    TraceHour hour = traceHourOf(now);
    auto copy = traced_->getOrMake(
        tracedKey(viewer, hour, "preview|" + out.document.sha256), now, hour.endMicros, [&] {
            std::string png = slurp(*out.bytes);
            return tracedCopy(
                watermark::ImageWatermarker().applyTrace(png, traceOf(viewer, hour)).bytes);
        });
    out.document.sha256 = copy->sha256;
    out.document.size = copy->bytes.size();
    out.bytes = std::make_unique<TracedCopySource>(std::move(copy));
    out.auditAction = "document.preview";
    out.auditDetails = {{"page", std::to_string(page)}, {"sha256", out.document.sha256}};
    return out;
}

DocumentContent DerivativeService::previewOf(const Document& doc, int page, int width) {
    if (doc.mediaType == MediaType::Pdf) {
        width = watermark::ImagePreviewer::snapWidth(width);
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
    width = watermark::ImagePreviewer::snapWidth(width);
    // An identity document is previewed only through its watermarked copy.
    Document source = doc;
    if (doc.kind == DocumentKind::License) source = watermarked(doc).document;
    std::string key = "preview|v1|p" + std::to_string(page) + "|w" + std::to_string(width);
    auto result = derived(
        source, key,
        [&](const std::string& bytes) {
            return watermark::ImagePreviewer::render(bytes, width).bytes;
        },
        MediaType::Png, "-p" + std::to_string(page));
    result.document.id = doc.id;
    return result;
}

}  // namespace dossier::filing
