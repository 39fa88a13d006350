#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/filing/CertificateSigner.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/filing/KeyFieldCatalog.h"
#include "dossier/storage/CertificateRepository.h"
#include "dossier/storage/OrganizationRepository.h"

namespace dossier::filing {

/// The leader-certificate lifecycle (企标领跑者, seed 003; README "Leader certificates"):
/// 对标 against a key-field product, an organization's candidate, the evaluator's approval
/// and the 14-day public notice (公示), objections (异议), the certificate (unstamped, then
/// stamped), its public verification with an Ed25519-signed QR code, revocation, labels per
/// product model and the candidate's evidence.
///
/// Who: members of the candidate's organization act on it (another organization's is 404);
/// the evaluator (评估机构) sees and decides every candidate; other staff get auth.forbidden;
/// an account without an organization organization.membership_required. Dates of the notice
/// and of validity are Beijing calendar days (Asia/Shanghai). Thread-safe.
class CertificateService {
  public:
    /// The notice runs 14 Beijing calendar days from the day of approval; the certificate
    /// issues on the 15th and is valid for one year (its last day the day before the
    /// anniversary).
    static constexpr int kNoticeDays = 14;

    /// The stamped certificate the evaluator uploads: at most 10 MB, one page (the rendering
    /// is one A4 page; a scan of it is too), pages up to A3.
    static constexpr std::uint64_t kMaxStampedPdfBytes = 10 << 20;

    /// `publicUrl`: https://host[:port] the QR codes point at. `documents` checks and stores
    /// uploaded stamped certificates, `blobs` serves them. References must outlive it.
    CertificateService(storage::CertificateRepository& rows,
                       storage::OrganizationRepository& organizations, AuditLog& audit,
                       const Clock& clock, const IdGenerator& ids, const KeyFieldCatalog& catalog,
                       const CertificateSigner& signer, DocumentService& documents,
                       storage::BlobStore& blobs, std::string publicUrl);

    /// Key-field products (public).
    std::string productsJson() const;
    std::string productJson(const std::string& productId) const;
    /// 对标: {values: {key: number}} → BenchmarkResult JSON (200 whatever the level). Any
    /// signed-in caller; validation.failed for a missing, unknown or non-numeric value.
    std::string benchmark(const std::string& productId, const std::string& json) const;

    /// A declaration by a member: {kind: leader|self_declared, product, product_name,
    /// standard_number, standard_name, models: [..], values: {..}, star_level (self_declared:
    /// 3 or 4)}. A leader candidate must reach 5 stars, a self-declared product its
    /// star_level: otherwise benchmark.failed (422, with the 对标 in `benchmark`).
    /// certificate.candidate_taken for a second live one.
    storage::CandidateRow declare(const Viewer& viewer, const std::string& json);
    /// The organization's candidates (members) or every one (evaluator), filtered by state.
    std::vector<storage::CandidateRow> list(const Viewer& viewer, const std::string& state);
    storage::CandidateRow get(const Viewer& viewer, const std::string& id);
    /// The candidates in public notice now (anyone), newest first: page `page` (from 1) of
    /// `perPage`, with the total.
    storage::CandidatePage notices(std::uint64_t page, std::uint64_t perPage);

    /// Evaluator: {decision: approve|refuse, comment}. Approving starts the notice today
    /// (Beijing). certificate.candidate_state unless submitted.
    storage::CandidateRow decide(const Viewer& viewer, const std::string& id,
                                 const std::string& json);
    /// Anyone, during the notice: {text (1–2000 characters, several lines: LF or CRLF, kept
    /// as LF, and tabs; no other control character), contact (1–100, one line)}.
    storage::ObjectionRow object(const std::string& candidateId, const std::string& json);
    /// Evaluator: {outcome: upheld|dismissed, resolution (several lines, as an objection's
    /// text)}. Upheld refuses the candidate.
    storage::ObjectionRow resolve(const Viewer& viewer, const std::string& candidateId,
                                  const std::string& objectionId, const std::string& json);
    /// The candidate's objections (members of its organization and the evaluator).
    std::vector<storage::ObjectionRow> objections(const Viewer& viewer,
                                                  const std::string& candidateId);

    struct Pdf {
        std::string bytes;
        std::string fileName;
        std::string number;
        bool stamped = false;
    };
    /// The certificate PDF (members, evaluator), issued on the first request from the 15th
    /// day: certificate.notice_running (with the end date) before, certificate.objection_open
    /// while an objection is open, certificate.not_issued for a refused candidate or a
    /// revoked certificate, certificate.self_declared for a self-declared product. Unstamped
    /// until the evaluator stamps it; the stamped certificate the evaluator uploaded, if any,
    /// else the rendering with the evaluator's seal.
    Pdf certificate(const Viewer& viewer, const std::string& candidateId);
    /// Evaluator: lays the evaluation body's seal (a PNG) on the certificate (replacing an
    /// uploaded stamped certificate).
    storage::CertificateRow stamp(const Viewer& viewer, const std::string& number,
                                  const std::string& sealPng);
    /// Evaluator: the stamped certificate (盖章证书) as a PDF, streamed into `upload`; checked
    /// by the upload pipeline (DocumentService::storeCheckedPdf: ≤ kMaxStampedPdfBytes, one
    /// page), made durable, then recorded with its audit row. Downloads serve it from then on
    /// and verification reports its SHA-256. certificate.not_found, certificate.revoked,
    /// certificate.self_declared, upload.* and pdf.* otherwise, storing nothing.
    storage::CertificateRow uploadStamped(const Viewer& viewer, const std::string& number,
                                          std::unique_ptr<Upload> upload);
    /// Evaluator: {reason (1–500 characters)}.
    storage::CertificateRow revoke(const Viewer& viewer, const std::string& number,
                                   const std::string& json);

    /// Public verification of a number: certificate.not_found (404) when unknown. With the
    /// QR code's `sig`, says whether it is this certificate's signature.
    std::string verify(const std::string& number, const std::string& signature);
    /// {keys: [{key_id, algorithm, public_key, public_key_pem}], message_format}.
    std::string keysJson() const;
    /// The URL a certificate's QR code holds (verification, signed fields and signature).
    std::string qrUrl(const storage::CertificateRow& row) const;

    /// The label (PDF) of the model at `position` (1-based), once the certificate issued; of a
    /// self-declared product at once (its first label issues its self-declaration record).
    Pdf label(const Viewer& viewer, const std::string& candidateId, int position);
    /// Members: {model}; after the certificate issued it is a 追加规格/型号.
    storage::CandidateRow addModel(const Viewer& viewer, const std::string& candidateId,
                                   const std::string& json);
    /// Members: {document_id} of one of the organization's documents (证明资料上传).
    std::vector<std::string> addEvidence(const Viewer& viewer, const std::string& candidateId,
                                         const std::string& json);
    std::vector<std::string> evidence(const Viewer& viewer, const std::string& candidateId);

    /// The candidate as the API shows it (with its certificate's number and status if any).
    std::string candidateJson(const storage::CandidateRow& row);
    /// The candidate as the public notice (公示) shows it: who (the enterprise's name and
    /// credit code, as on the certificate), what (product, standard, models, the disclosed values
    /// and their 对标, star level) and the notice's dates; nothing internal (no organization
    /// id, no evaluator's comment). Throws certificate.candidate_not_found for an organization
    /// that no longer exists.
    std::string noticeJson(const storage::CandidateRow& row);
    static std::string objectionJson(const storage::ObjectionRow& row, bool withContact);
    std::string certificateJson(const storage::CertificateRow& row) const;

    /// Today in Asia/Shanghai, YYYY-MM-DD.
    std::string today() const;
    /// `date` (YYYY-MM-DD) plus `days`.
    static std::string addDays(const std::string& date, int days);

  private:
    storage::CandidateRow visible(const Viewer& viewer, const std::string& id);
    std::string renderPdf(const storage::CertificateRow& row, bool stamped) const;
    /// A new record of `candidate` (number with `prefix`, issued on `issuedOn`), signed.
    storage::CertificateRow newRecord(const storage::CandidateRow& candidate,
                                      const std::string& kind, const std::string& issuedOn);
    /// Inserts `row` (made by newRecord) with its audit entry and returns the candidate's
    /// record as stored (a racing request's, if it won).
    storage::CertificateRow issueRecord(const Viewer& viewer, const storage::CertificateRow& row);
    /// The certificate of `number` for the evaluator to stamp: live and a leader's.
    storage::CertificateRow stampable(const Viewer& viewer, const std::string& number);
    std::string status(const storage::CertificateRow& row) const;

    storage::CertificateRepository& rows_;
    storage::OrganizationRepository& organizations_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    const KeyFieldCatalog& catalog_;
    const CertificateSigner& signer_;
    DocumentService& documents_;
    storage::BlobStore& blobs_;
    std::string publicUrl_;
};

}  // namespace dossier::filing
