#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dossier/core/MediaType.h"

namespace dossier {

/// What an uploaded document is for; decides its size limit and allowed types.
enum class DocumentKind { License, Commitment, Proof, Evidence, Summary, Import };

inline constexpr std::array<DocumentKind, 6> kAllDocumentKinds{
    DocumentKind::License,  DocumentKind::Commitment, DocumentKind::Proof,
    DocumentKind::Evidence, DocumentKind::Summary,    DocumentKind::Import};

std::string_view nameOf(DocumentKind kind);
std::optional<DocumentKind> parseDocumentKind(std::string_view name);

/// Default byte limit of a kind (license 5 MB, commitment/proof 10 MB, others 20 MB; MB = 2^20).
std::uint64_t defaultLimitOf(DocumentKind kind);
/// Types accepted for a kind, judged on sniffed bytes.
std::span<const MediaType> allowedTypesOf(DocumentKind kind);
bool isAllowed(DocumentKind kind, MediaType type);

/// What a PDF of a kind may hold, checked at upload (each limit has its own error code).
/// They bound the work and memory every later step spends on one document: a reviewer's
/// copy stamps every page, a check renders pages, a preview renders one.
struct PdfLimits {
    int maxPages;
    /// Longest side of a page as displayed, points (1/72 in). A1 (594 × 841 mm) is 2384.
    double maxPageSide;
    /// Width × height of the largest image on any page: 150 MP holds a 600-dpi A2 scan; a
    /// 40000 × 40000 image costs seconds of CPU on every rendering whatever its file size.
    std::uint64_t maxImagePixels;
};
/// license 10 pages, commitment 20, proof 200 (pages up to A1); evidence, summary and import
/// 2000 pages up to 100 inches a side.
PdfLimits pdfLimitsOf(DocumentKind kind);

/// Per-kind byte limits, defaults overridable by configuration.
class KindLimits {
  public:
    KindLimits();
    std::uint64_t limitOf(DocumentKind kind) const;
    void setLimit(DocumentKind kind, std::uint64_t bytes);
    /// The largest limit of any kind: the most an upload may stream before its kind is known.
    std::uint64_t largest() const;

  private:
    std::array<std::uint64_t, kAllDocumentKinds.size()> limits_{};
};

}  // namespace dossier
