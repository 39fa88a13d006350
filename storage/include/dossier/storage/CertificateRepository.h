#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One product model (型号/规格) of a candidate (leader_models, migration 19).
struct LeaderModelRow {
    std::string model;
    int position = 0;
    bool addedAfterIssue = false;  // 追加规格/型号 after the certificate issued
    std::int64_t addedAtMicros = 0;
};

/// One row of leader_candidates (migration 19), with its models in position order.
struct CandidateRow {
    std::string id;
    std::string organizationId;
    std::string kind;  // leader | self_declared
    std::string productId;
    std::string productName;
    std::string standardNumber;
    std::string standardName;
    std::string valuesJson = "{}";
    std::string benchmarkJson = "{}";
    int starLevel = 5;
    // submitted → notice → certified → revoked, or refused; self-declared: declared.
    std::string state;
    std::string noticeStartsOn;  // YYYY-MM-DD (Beijing), "" before the notice
    std::string noticeEndsOn;
    std::string decidedBy;
    std::string decisionComment;
    std::string createdBy;
    std::int64_t createdAtMicros = 0;
    std::int64_t updatedAtMicros = 0;
    std::vector<LeaderModelRow> models;
};

/// One objection (异议) to a candidate during its notice.
struct ObjectionRow {
    std::string id;
    std::string candidateId;
    std::string text;
    std::string contact;
    std::int64_t lodgedAtMicros = 0;
    std::string state;  // open | upheld | dismissed
    std::string resolution;
    std::string resolvedBy;
    std::int64_t resolvedAtMicros = 0;
};

/// One issued certificate (or self-declaration record): what was certified, copied in at issue.
struct CertificateRow {
    std::string number;
    /// leader: a 领跑者 certificate; self_declared: the record of a 3/4-star self-declaration
    /// (自我声明), which has labels and a verification but no certificate PDF.
    std::string kind = "leader";
    std::string candidateId;
    std::string organizationId;
    std::string enterpriseName;
    std::string creditCode;
    std::string productId;
    std::string productName;
    std::string domain;
    std::string standardNumber;
    std::string standardName;
    std::string evaluationBody;
    int starLevel = 5;
    std::string issuedOn;    // YYYY-MM-DD
    std::string validUntil;  // YYYY-MM-DD, the last valid day
    std::int64_t issuedAtMicros = 0;
    std::string keyId;
    std::string signature;  // base64url of the Ed25519 signature
    std::string unstampedSha256;
    std::string stampedSha256;  // "" until stamped
    std::string sealPngBase64;  // "" until stamped
    std::int64_t stampedAtMicros = 0;
    /// The stamped certificate the evaluator uploaded (a blob), served instead of any
    /// rendering; "" / 0 until uploaded (and again once a seal is laid on the rendering).
    std::string stampedPdfSha256;
    std::int64_t stampedPdfAtMicros = 0;
    std::int64_t revokedAtMicros = 0;  // 0: not revoked
    std::string revokedOn;
    std::string revokedReason;
};

/// One page of candidates and how many there are in all.
struct CandidatePage {
    std::vector<CandidateRow> rows;
    std::uint64_t total = 0;
};

/// The rows of the leader-certificate lifecycle (企标领跑者). Each change is written with its
/// audit row in one transaction, guarded by a condition on the stored state (affected-row
/// counts), so racing requests get one winner. Thread-safe (pool sessions); every method
/// throws storage.database when the database fails, and nothing is changed then.
class CertificateRepository {
  public:
    explicit CertificateRepository(Database& db) : db_(db) {}

    /// Inserts the candidate, its models and `audit`. False, changing nothing, when the
    /// organization has a live candidate for the same product and standard.
    bool insertCandidate(const CandidateRow& row, const AuditEntry& audit);
    std::optional<CandidateRow> findCandidate(const std::string& id);
    /// Candidates of `organizationId` ("" = every organization) in `state` ("" = any),
    /// newest first, at most `limit`.
    std::vector<CandidateRow> listCandidates(const std::string& organizationId,
                                             const std::string& state, int limit);

    /// The candidates whose public notice runs on `today` (YYYY-MM-DD, Beijing): in notice and
    /// ending today or later, newest first; `perPage` of them from `(page - 1) * perPage`.
    CandidatePage listNotices(const std::string& today, std::uint64_t page, std::uint64_t perPage);

    /// submitted → `state` (notice with its dates, or refused) by `decidedBy`. False when
    /// the candidate is no longer submitted.
    bool decide(const std::string& id, const std::string& state, const std::string& startsOn,
                const std::string& endsOn, const std::string& decidedBy, const std::string& comment,
                std::int64_t nowMicros, const AuditEntry& audit);

    /// Inserts the objection if its candidate is in notice; false otherwise.
    bool insertObjection(const ObjectionRow& row, const AuditEntry& audit);
    /// open → `state` (upheld | dismissed). An upheld objection refuses the candidate in the
    /// same transaction. False when the objection is not open (or not the candidate's).
    bool resolveObjection(const std::string& candidateId, const std::string& objectionId,
                          const std::string& state, const std::string& resolution,
                          const std::string& resolvedBy, std::int64_t nowMicros,
                          const AuditEntry& audit);
    std::vector<ObjectionRow> objections(const std::string& candidateId);

    enum class IssueOutcome { Issued, Exists, ObjectionOpen, NotInNotice };
    /// Inserts the certificate and moves its candidate notice → certified, with `audit`, in one
    /// transaction, unless the candidate has a certificate already (Exists: a candidate is
    /// certified once), has an open objection (the database refuses that too), or is not in
    /// notice (NotInNotice: refused). A self-declaration record (`row.kind` self_declared) is
    /// inserted for a declared candidate, which stays declared (NotInNotice: revoked).
    IssueOutcome issue(const CertificateRow& row, const AuditEntry& audit);
    std::optional<CertificateRow> findCertificate(const std::string& number);
    /// The candidate's certificate, live or revoked (the newest).
    std::optional<CertificateRow> certificateOf(const std::string& candidateId);
    /// Records the stamped variant (seal and the stamped PDF's digest), replacing an uploaded
    /// stamped PDF. False when revoked, unknown or a self-declaration.
    bool stamp(const std::string& number, const std::string& sealPngBase64,
               const std::string& stampedSha256, std::int64_t nowMicros, const AuditEntry& audit);
    /// Records the stamped certificate the evaluator uploaded: its blob (`sha256`, `size`,
    /// already durable) and the certificate's pointer to it, with `audit`. False, recording
    /// nothing, when revoked, unknown or a self-declaration.
    bool attachStampedPdf(const std::string& number, const std::string& sha256, std::uint64_t size,
                          std::int64_t nowMicros, const AuditEntry& audit);
    /// Revokes the certificate and moves its candidate certified (or declared) → revoked. False
    /// when unknown or revoked already.
    bool revoke(const std::string& number, const std::string& revokedOn, const std::string& reason,
                std::int64_t nowMicros, const AuditEntry& audit);

    /// Adds a model at the end of the candidate's list; false when it lists it already.
    bool addModel(const std::string& candidateId, const std::string& model, bool afterIssue,
                  std::int64_t nowMicros, const AuditEntry& audit);

    enum class EvidenceOutcome { Added, AlreadyLinked, NotFound };
    /// Links a document of `organizationId` as the candidate's evidence (证明资料) and records
    /// the use (document_uses "leader-candidate:<id>"), so the document cannot be deleted
    /// while linked. NotFound when it is not a document of the organization.
    EvidenceOutcome addEvidence(const std::string& candidateId, const std::string& organizationId,
                                const std::string& documentId, std::int64_t nowMicros,
                                const AuditEntry& audit);
    std::vector<std::string> evidence(const std::string& candidateId);

  private:
    Database& db_;
};

}  // namespace dossier::storage
