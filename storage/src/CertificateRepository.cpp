#include "dossier/storage/CertificateRepository.h"

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "DocumentUses.h"
#include "SqlStatement.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::storage {
namespace {

#define DOSSIER_CANDIDATE_COLUMNS                                                            \
    "id, organization_id, kind, product_id, product_name, standard_number, standard_name, "  \
    "values_json, benchmark_json, star_level, state, COALESCE(notice_starts_on, ''), "       \
    "COALESCE(notice_ends_on, ''), COALESCE(decided_by, ''), decision_comment, created_by, " \
    "created_at_us, updated_at_us"
constexpr std::size_t kCandidateColumns = 18;

#define DOSSIER_CERTIFICATE_COLUMNS                                                        \
    "number, candidate_id, organization_id, enterprise_name, credit_code, product_id, "    \
    "product_name, domain, standard_number, standard_name, evaluation_body, star_level, "  \
    "issued_on, valid_until, issued_at_us, key_id, signature, unstamped_sha256, "          \
    "COALESCE(stamped_sha256, ''), COALESCE(seal_png, ''), COALESCE(stamped_at_us, 0), "   \
    "COALESCE(revoked_at_us, 0), COALESCE(revoked_on, ''), COALESCE(revoked_reason, ''), " \
    "kind, COALESCE(stamped_pdf_sha256, ''), COALESCE(stamped_pdf_at_us, 0)"
constexpr std::size_t kCertificateColumns = 27;

constexpr std::string_view kInsertCandidate =
    "INSERT INTO leader_candidates (id, organization_id, kind, product_id, product_name, "
    "standard_number, standard_name, values_json, benchmark_json, star_level, state, "
    "created_by, created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kInsertModel =
    "INSERT INTO leader_models (candidate_id, model, position, added_after_issue, added_at_us) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view kSelectCandidate =
    "SELECT " DOSSIER_CANDIDATE_COLUMNS " FROM leader_candidates WHERE id = ?";
constexpr std::string_view kSelectModels =
    "SELECT model, position, added_after_issue, added_at_us FROM leader_models "
    "WHERE candidate_id = ? ORDER BY position";
// Takes the candidate's row lock (PostgreSQL; SQLite's writer lock is the transaction's) when
// it is in `state`, so a decision, an objection and an issue on one candidate are serialized.
constexpr std::string_view kLockInState =
    "UPDATE leader_candidates SET updated_at_us = updated_at_us WHERE id = ? AND state = ?";
constexpr std::string_view kListNotices =
    "SELECT " DOSSIER_CANDIDATE_COLUMNS
    " FROM leader_candidates WHERE state = 'notice' "
    "AND notice_ends_on >= ? ORDER BY created_at_us DESC, id LIMIT ? OFFSET ?";
constexpr std::string_view kCountNotices =
    "SELECT COUNT(*) FROM leader_candidates WHERE state = 'notice' AND notice_ends_on >= ?";
constexpr std::string_view kDecide =
    "UPDATE leader_candidates SET state = ?, notice_starts_on = NULLIF(?, ''), "
    "notice_ends_on = NULLIF(?, ''), decided_by = ?, decision_comment = ?, updated_at_us = ? "
    "WHERE id = ? AND state = 'submitted'";
constexpr std::string_view kInsertObjection =
    "INSERT INTO leader_objections (id, candidate_id, text, contact, lodged_at_us, state) "
    "VALUES (?, ?, ?, ?, ?, 'open')";
constexpr std::string_view kResolveObjection =
    "UPDATE leader_objections SET state = ?, resolution = ?, resolved_by = ?, resolved_at_us = ? "
    "WHERE id = ? AND candidate_id = ? AND state = 'open'";
constexpr std::string_view kRefuseInNotice =
    "UPDATE leader_candidates SET state = 'refused', notice_starts_on = NULL, "
    "notice_ends_on = NULL, updated_at_us = ? WHERE id = ? AND state = 'notice'";
constexpr std::string_view kSelectObjections =
    "SELECT id, candidate_id, text, contact, lodged_at_us, state, resolution, "
    "COALESCE(resolved_by, ''), COALESCE(resolved_at_us, 0) FROM leader_objections "
    "WHERE candidate_id = ? ORDER BY lodged_at_us, id";
constexpr std::string_view kCountOpen =
    "SELECT COUNT(*) FROM leader_objections WHERE candidate_id = ? AND state = 'open'";
constexpr std::string_view kCountCertificates =
    "SELECT COUNT(*) FROM certificates WHERE candidate_id = ?";
constexpr std::string_view kInsertCertificate =
    "INSERT INTO certificates (number, candidate_id, organization_id, enterprise_name, "
    "credit_code, product_id, product_name, domain, standard_number, standard_name, "
    "evaluation_body, star_level, issued_on, valid_until, issued_at_us, key_id, signature, "
    "unstamped_sha256, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kSelectCertificate =
    "SELECT " DOSSIER_CERTIFICATE_COLUMNS " FROM certificates WHERE number = ?";
constexpr std::string_view kCertificateOf =
    "SELECT " DOSSIER_CERTIFICATE_COLUMNS
    " FROM certificates WHERE candidate_id = ? ORDER BY issued_at_us DESC LIMIT 1";
// The candidate's state follows its certificate (migration 20's trigger refuses any other
// transition, and these without the certificate row that justifies them).
constexpr std::string_view kCertify =
    "UPDATE leader_candidates SET state = 'certified', updated_at_us = ? "
    "WHERE id = ? AND state = 'notice'";
constexpr std::string_view kRevokeCandidate =
    "UPDATE leader_candidates SET state = 'revoked', updated_at_us = ? "
    "WHERE id = (SELECT candidate_id FROM certificates WHERE number = ?) "
    "AND state IN ('certified', 'declared')";
constexpr std::string_view kStamp =
    "UPDATE certificates SET seal_png = ?, stamped_sha256 = ?, stamped_at_us = ?, "
    "stamped_pdf_sha256 = NULL, stamped_pdf_at_us = NULL "
    "WHERE number = ? AND revoked_at_us IS NULL AND kind = 'leader'";
constexpr std::string_view kInsertBlob =
    "INSERT INTO blobs (sha256, size, created_at_us) VALUES (?, ?, ?) "
    "ON CONFLICT (sha256) DO NOTHING";
constexpr std::string_view kAttachStampedPdf =
    "UPDATE certificates SET stamped_pdf_sha256 = ?, stamped_pdf_at_us = ? "
    "WHERE number = ? AND revoked_at_us IS NULL AND kind = 'leader'";
constexpr std::string_view kRevoke =
    "UPDATE certificates SET revoked_at_us = ?, revoked_on = ?, revoked_reason = ? "
    "WHERE number = ? AND revoked_at_us IS NULL";
constexpr std::string_view kNextPosition =
    "SELECT COALESCE(MAX(position), 0) + 1 FROM leader_models WHERE candidate_id = ?";
constexpr std::string_view kInsertEvidence =
    "INSERT INTO leader_evidence (candidate_id, document_id, added_at_us) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kSelectEvidence =
    "SELECT document_id FROM leader_evidence WHERE candidate_id = ? ORDER BY added_at_us, "
    "document_id";

CandidateRow candidateAt(const SqlStatement& s, std::size_t r) {
    CandidateRow c;
    c.id = s.text(r, 0);
    c.organizationId = s.text(r, 1);
    c.kind = s.text(r, 2);
    c.productId = s.text(r, 3);
    c.productName = s.text(r, 4);
    c.standardNumber = s.text(r, 5);
    c.standardName = s.text(r, 6);
    c.valuesJson = s.text(r, 7);
    c.benchmarkJson = s.text(r, 8);
    c.starLevel = static_cast<int>(s.integer(r, 9));
    c.state = s.text(r, 10);
    c.noticeStartsOn = s.text(r, 11);
    c.noticeEndsOn = s.text(r, 12);
    c.decidedBy = s.text(r, 13);
    c.decisionComment = s.text(r, 14);
    c.createdBy = s.text(r, 15);
    c.createdAtMicros = s.integer(r, 16);
    c.updatedAtMicros = s.integer(r, 17);
    return c;
}

CertificateRow certificateAt(const SqlStatement& s, std::size_t r) {
    CertificateRow c;
    c.number = s.text(r, 0);
    c.candidateId = s.text(r, 1);
    c.organizationId = s.text(r, 2);
    c.enterpriseName = s.text(r, 3);
    c.creditCode = s.text(r, 4);
    c.productId = s.text(r, 5);
    c.productName = s.text(r, 6);
    c.domain = s.text(r, 7);
    c.standardNumber = s.text(r, 8);
    c.standardName = s.text(r, 9);
    c.evaluationBody = s.text(r, 10);
    c.starLevel = static_cast<int>(s.integer(r, 11));
    c.issuedOn = s.text(r, 12);
    c.validUntil = s.text(r, 13);
    c.issuedAtMicros = s.integer(r, 14);
    c.keyId = s.text(r, 15);
    c.signature = s.text(r, 16);
    c.unstampedSha256 = s.text(r, 17);
    c.stampedSha256 = s.text(r, 18);
    c.sealPngBase64 = s.text(r, 19);
    c.stampedAtMicros = s.integer(r, 20);
    c.revokedAtMicros = s.integer(r, 21);
    c.revokedOn = s.text(r, 22);
    c.revokedReason = s.text(r, 23);
    c.kind = s.text(r, 24);
    c.stampedPdfSha256 = s.text(r, 25);
    c.stampedPdfAtMicros = s.integer(r, 26);
    return c;
}

std::vector<LeaderModelRow> modelsOf(Database::Impl& db, Poco::Data::Session& session,
                                     const std::string& candidateId) {
    SqlStatement s(db, session, kSelectModels, 4);
    s.bind(candidateId);
    std::vector<LeaderModelRow> out(s.execute());
    for (std::size_t r = 0; r < out.size(); ++r) {
        out[r].model = s.text(r, 0);
        out[r].position = static_cast<int>(s.integer(r, 1));
        out[r].addedAfterIssue = s.integer(r, 2) != 0;
        out[r].addedAtMicros = s.integer(r, 3);
    }
    return out;
}

std::int64_t countOf(Database::Impl& db, Poco::Data::Session& session, std::string_view sql,
                     const std::string& key) {
    SqlStatement s(db, session, sql, 1);
    s.bind(key);
    s.execute();
    return s.integer(0, 0);
}

bool lockInState(Database::Impl& db, Poco::Data::Session& session, const std::string& id,
                 const std::string& state) {
    SqlStatement lock(db, session, kLockInState);
    lock.bind(id).bind(state);
    return lock.execute() == 1;
}

}  // namespace

bool CertificateRepository::insertCandidate(const CandidateRow& row, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement insert(db, session, kInsertCandidate);
        insert.bind(row.id)
            .bind(row.organizationId)
            .bind(row.kind)
            .bind(row.productId)
            .bind(row.productName)
            .bind(row.standardNumber)
            .bind(row.standardName)
            .bind(row.valuesJson)
            .bind(row.benchmarkJson)
            .bind(std::int64_t{row.starLevel})
            .bind(row.state)
            .bind(row.createdBy)
            .bind(row.createdAtMicros)
            .bind(row.updatedAtMicros);
        if (insert.execute() == 0) return false;  // a live one exists; rolled back
        for (const auto& m : row.models) {
            SqlStatement model(db, session, kInsertModel);
            model.bind(row.id)
                .bind(m.model)
                .bind(std::int64_t{m.position})
                .bind(std::int64_t{m.addedAfterIssue ? 1 : 0})
                .bind(m.addedAtMicros);
            model.execute();
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("insert leader candidate");
    }
}

std::optional<CandidateRow> CertificateRepository::findCandidate(const std::string& id) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement select(db, session, kSelectCandidate, kCandidateColumns);
        select.bind(id);
        if (select.execute() == 0) return std::nullopt;
        CandidateRow row = candidateAt(select, 0);
        row.models = modelsOf(db, session, id);
        return row;
    } catch (...) {
        rethrowDatabaseError("find leader candidate");
    }
}

std::vector<CandidateRow> CertificateRepository::listCandidates(const std::string& organizationId,
                                                                const std::string& state,
                                                                int limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string sql = "SELECT " DOSSIER_CANDIDATE_COLUMNS " FROM leader_candidates WHERE 1 = 1";
        if (!organizationId.empty()) sql += " AND organization_id = ?";
        if (!state.empty()) sql += " AND state = ?";
        sql += " ORDER BY created_at_us DESC, id LIMIT ?";
        SqlStatement select(db, session, sql, kCandidateColumns);
        if (!organizationId.empty()) select.bind(organizationId);
        if (!state.empty()) select.bind(state);
        select.bind(std::int64_t{limit});
        std::vector<CandidateRow> out;
        std::size_t n = select.execute();
        for (std::size_t r = 0; r < n; ++r) {
            out.push_back(candidateAt(select, r));
            out.back().models = modelsOf(db, session, out.back().id);
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list leader candidates");
    }
}

CandidatePage CertificateRepository::listNotices(const std::string& today, std::uint64_t page,
                                                 std::uint64_t perPage) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        CandidatePage out;
        out.total = static_cast<std::uint64_t>(countOf(db, session, kCountNotices, today));
        SqlStatement select(db, session, kListNotices, kCandidateColumns);
        select.bind(today)
            .bind(static_cast<std::int64_t>(perPage))
            .bind(static_cast<std::int64_t>((page - 1) * perPage));
        std::size_t n = select.execute();
        for (std::size_t r = 0; r < n; ++r) {
            out.rows.push_back(candidateAt(select, r));
            out.rows.back().models = modelsOf(db, session, out.rows.back().id);
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list leader notices");
    }
}

bool CertificateRepository::decide(const std::string& id, const std::string& state,
                                   const std::string& startsOn, const std::string& endsOn,
                                   const std::string& decidedBy, const std::string& comment,
                                   std::int64_t nowMicros, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement update(db, session, kDecide);
        update.bind(state)
            .bind(startsOn)
            .bind(endsOn)
            .bind(decidedBy)
            .bind(comment)
            .bind(nowMicros)
            .bind(id);
        if (update.execute() != 1) return false;
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("decide leader candidate");
    }
}

bool CertificateRepository::insertObjection(const ObjectionRow& row, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        if (!lockInState(db, session, row.candidateId, "notice")) return false;
        SqlStatement insert(db, session, kInsertObjection);
        insert.bind(row.id)
            .bind(row.candidateId)
            .bind(row.text)
            .bind(row.contact)
            .bind(row.lodgedAtMicros);
        insert.execute();
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("insert objection");
    }
}

bool CertificateRepository::resolveObjection(const std::string& candidateId,
                                             const std::string& objectionId,
                                             const std::string& state,
                                             const std::string& resolution,
                                             const std::string& resolvedBy, std::int64_t nowMicros,
                                             const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement update(db, session, kResolveObjection);
        update.bind(state)
            .bind(resolution)
            .bind(resolvedBy)
            .bind(nowMicros)
            .bind(objectionId)
            .bind(candidateId);
        if (update.execute() != 1) return false;
        if (state == "upheld") {
            // An upheld objection ends the candidacy: no certificate can issue for it.
            SqlStatement refuse(db, session, kRefuseInNotice);
            refuse.bind(nowMicros).bind(candidateId);
            refuse.execute();
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("resolve objection");
    }
}

std::vector<ObjectionRow> CertificateRepository::objections(const std::string& candidateId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement s(db, session, kSelectObjections, 9);
        s.bind(candidateId);
        std::vector<ObjectionRow> out(s.execute());
        for (std::size_t r = 0; r < out.size(); ++r) {
            auto& o = out[r];
            o.id = s.text(r, 0);
            o.candidateId = s.text(r, 1);
            o.text = s.text(r, 2);
            o.contact = s.text(r, 3);
            o.lodgedAtMicros = s.integer(r, 4);
            o.state = s.text(r, 5);
            o.resolution = s.text(r, 6);
            o.resolvedBy = s.text(r, 7);
            o.resolvedAtMicros = s.integer(r, 8);
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list objections");
    }
}

CertificateRepository::IssueOutcome CertificateRepository::issue(const CertificateRow& row,
                                                                 const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        bool declaration = row.kind == "self_declared";
        if (!lockInState(db, session, row.candidateId, declaration ? "declared" : "notice")) {
            // A racing first download certified it (the lock waited for that commit).
            return countOf(db, session, kCountCertificates, row.candidateId) > 0
                       ? IssueOutcome::Exists
                       : IssueOutcome::NotInNotice;
        }
        // A declaration stays declared when its record issues: the lock above waited for a
        // racing first label's commit, and its record is the one to serve.
        if (declaration && countOf(db, session, kCountCertificates, row.candidateId) > 0) {
            return IssueOutcome::Exists;
        }
        if (countOf(db, session, kCountOpen, row.candidateId) > 0) {
            return IssueOutcome::ObjectionOpen;
        }
        SqlStatement insert(db, session, kInsertCertificate);
        insert.bind(row.number)
            .bind(row.candidateId)
            .bind(row.organizationId)
            .bind(row.enterpriseName)
            .bind(row.creditCode)
            .bind(row.productId)
            .bind(row.productName)
            .bind(row.domain)
            .bind(row.standardNumber)
            .bind(row.standardName)
            .bind(row.evaluationBody)
            .bind(std::int64_t{row.starLevel})
            .bind(row.issuedOn)
            .bind(row.validUntil)
            .bind(row.issuedAtMicros)
            .bind(row.keyId)
            .bind(row.signature)
            .bind(row.unstampedSha256)
            .bind(row.kind);
        insert.execute();
        if (!declaration) {
            SqlStatement certify(db, session, kCertify);
            certify.bind(row.issuedAtMicros).bind(row.candidateId);
            if (certify.execute() != 1) return IssueOutcome::NotInNotice;  // rolled back
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return IssueOutcome::Issued;
    } catch (...) {
        rethrowDatabaseError("issue certificate");
    }
}

std::optional<CertificateRow> CertificateRepository::findCertificate(const std::string& number) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement select(db, session, kSelectCertificate, kCertificateColumns);
        select.bind(number);
        if (select.execute() == 0) return std::nullopt;
        return certificateAt(select, 0);
    } catch (...) {
        rethrowDatabaseError("find certificate");
    }
}

std::optional<CertificateRow> CertificateRepository::certificateOf(const std::string& candidateId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement select(db, session, kCertificateOf, kCertificateColumns);
        select.bind(candidateId);
        if (select.execute() == 0) return std::nullopt;
        return certificateAt(select, 0);
    } catch (...) {
        rethrowDatabaseError("certificate of candidate");
    }
}

bool CertificateRepository::stamp(const std::string& number, const std::string& sealPngBase64,
                                  const std::string& stampedSha256, std::int64_t nowMicros,
                                  const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement update(db, session, kStamp);
        update.bind(sealPngBase64).bind(stampedSha256).bind(nowMicros).bind(number);
        if (update.execute() != 1) return false;
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("stamp certificate");
    }
}

bool CertificateRepository::attachStampedPdf(const std::string& number, const std::string& sha256,
                                             std::uint64_t size, std::int64_t nowMicros,
                                             const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement blob(db, session, kInsertBlob);
        blob.bind(sha256).bind(static_cast<std::int64_t>(size)).bind(nowMicros);
        blob.execute();
        SqlStatement update(db, session, kAttachStampedPdf);
        update.bind(sha256).bind(nowMicros).bind(number);
        if (update.execute() != 1) return false;  // rolled back, the blob row with it
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("attach stamped certificate");
    }
}

bool CertificateRepository::revoke(const std::string& number, const std::string& revokedOn,
                                   const std::string& reason, std::int64_t nowMicros,
                                   const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement update(db, session, kRevoke);
        update.bind(nowMicros).bind(revokedOn).bind(reason).bind(number);
        if (update.execute() != 1) return false;
        SqlStatement candidate(db, session, kRevokeCandidate);
        candidate.bind(nowMicros).bind(number);
        if (candidate.execute() != 1) {
            throw Error(codes::kInternal, "Internal server error.",
                        "certificate " + number + " revoked, its candidate is not certified");
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("revoke certificate");
    }
}

bool CertificateRepository::addModel(const std::string& candidateId, const std::string& model,
                                     bool afterIssue, std::int64_t nowMicros,
                                     const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::int64_t position = countOf(db, session, kNextPosition, candidateId);
        SqlStatement insert(db, session, kInsertModel);
        insert.bind(candidateId)
            .bind(model)
            .bind(position)
            .bind(std::int64_t{afterIssue ? 1 : 0})
            .bind(nowMicros);
        if (insert.execute() == 0) return false;
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("add product model");
    }
}

CertificateRepository::EvidenceOutcome CertificateRepository::addEvidence(
    const std::string& candidateId, const std::string& organizationId,
    const std::string& documentId, std::int64_t nowMicros, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        if (!lockDocumentsOf(db, session, organizationId, {documentId}, {}).empty()) {
            return EvidenceOutcome::NotFound;
        }
        SqlStatement insert(db, session, kInsertEvidence);
        insert.bind(candidateId).bind(documentId).bind(nowMicros);
        if (insert.execute() == 0) return EvidenceOutcome::AlreadyLinked;
        SqlStatement all(db, session, kSelectEvidence, 1);
        all.bind(candidateId);
        std::vector<std::string> linked(all.execute());
        for (std::size_t r = 0; r < linked.size(); ++r) linked[r] = all.text(r, 0);
        replaceDocumentUses(db, session, "leader-candidate:" + candidateId, linked);
        insertAuditRow(db, session, audit);
        tx.commit();
        return EvidenceOutcome::Added;
    } catch (...) {
        rethrowDatabaseError("add candidate evidence");
    }
}

std::vector<std::string> CertificateRepository::evidence(const std::string& candidateId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement s(db, session, kSelectEvidence, 1);
        s.bind(candidateId);
        std::vector<std::string> out(s.execute());
        for (std::size_t r = 0; r < out.size(); ++r) out[r] = s.text(r, 0);
        return out;
    } catch (...) {
        rethrowDatabaseError("list candidate evidence");
    }
}

}  // namespace dossier::storage
