#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One document an application attaches (table application_documents, migration 13).
struct ApplicationDocumentRow {
    std::string documentId;
    std::string role;          // summary | commitment | evidence
    std::string evidenceKind;  // evidence: a kind of the activity's required evidence, or ""
};

/// One row of `applications` (申报, migration 13) with its documents in order.
struct ApplicationRow {
    std::string id;
    std::string activityCode;
    std::string organizationId;
    std::string projectId;
    /// draft | submitted | under_review | passed | failed | returned | withdrawn. Only draft
    /// and returned are open to the applicant; the database refuses content changes in the
    /// others (ApplicationRow::isOpen).
    std::string state = "draft";
    std::int64_t version = 1;  // raised by every save and state change (the ETag)
    std::string formJson = "{}";
    std::string recommendingUnit;
    std::string contactJson = "{}";
    std::int64_t commitmentAcceptedAtMicros = 0;  // 0: the 承诺书 is not accepted
    std::string commitmentAcceptedBy;
    std::string number;               // given at the first submission, "" before
    std::string filingId;             // the approved filing version the submission used
    std::string projectSnapshotJson;  // the project's content as the submission locked it
    std::int64_t createdAtMicros = 0;
    std::string createdBy;
    std::int64_t updatedAtMicros = 0;
    std::string updatedBy;
    std::int64_t submittedAtMicros = 0;  // the last submission; 0 before the first
    std::string submittedBy;
    std::int64_t stateChangedAtMicros = 0;
    std::int64_t returnDeadlineMicros = 0;  // returned: the applicant may resubmit until then
    std::vector<ApplicationDocumentRow> documents;

    static bool isOpen(const std::string& state) { return state == "draft" || state == "returned"; }
};

/// The rows of applications, their document links and their `document_uses` rows
/// ("application:<id>"), always written with the change's audit row in one transaction. The
/// rules that must hold are the database's: one application per (activity, organization,
/// project) (a unique constraint), and a submitted application's content and links never
/// change (triggers, whoever writes); every state change is a conditional UPDATE judged by
/// its row count. Thread-safe (sessions from the pool); each call uses one session; every
/// method throws storage.database when the database fails, and nothing is changed then.
class ApplicationRepository {
  public:
    explicit ApplicationRepository(Database& db) : db_(db) {}

    enum class Outcome {
        Saved,
        NotFound,          // no such application in this organization
        Exists,            // insert: the (activity, organization, project) has one
        ProjectMissing,    // the project is not (or no longer) the organization's
        VersionMismatch,   // expectedVersion is not the current version
        Locked,            // the application is not open (draft or returned)
        DocumentsMissing,  // see `missing`
        Closed,            // submit: the window (or a returned one's deadline) is not open
        FilingMissing,     // submit: the organization has no approved filing
        AccountGone,       // submit: the submitting account was deregistered meanwhile
        Changed,           // submit: the project changed since it was validated
    };
    struct Result {
        Outcome outcome = Outcome::Saved;
        std::vector<std::string> missing;  // DocumentsMissing: document ids, in link order
        ApplicationRow row;                // Saved: the row as stored
    };
    /// Upload kinds a role's documents may have, e.g. {"evidence": {"evidence", "proof"}}.
    using KindsByRole = std::map<std::string, std::vector<std::string>>;

    /// Inserts `row` as a draft (version 1) with its document links, their document uses and
    /// `audit`. The project must be one of the organization's; each document one of the
    /// organization's of a kind its role takes, held as ProjectRepository::insert holds them.
    Result insert(const ApplicationRow& row, const KindsByRole& kinds, const AuditEntry& audit);
    /// Replaces the open application's form, recommending unit, contact, acceptance and
    /// documents if it is still at `expectedVersion` and open; version + 1. With
    /// `documentsChanged` false the links and document uses of `expectedVersion`, which are
    /// `row.documents` already (checked when written; a linked document cannot be deleted),
    /// are kept as they are: most saves (autosaves) edit text only. The returned row is `row`
    /// at the new version, not read again.
    Result save(const ApplicationRow& row, std::int64_t expectedVersion, const KindsByRole& kinds,
                const AuditEntry& audit, bool documentsChanged = true);

    /// What a submission records, checked again inside its transaction.
    struct Submission {
        std::string id;
        std::string organizationId;
        std::int64_t expectedVersion = 0;  // the version whose content was validated
        std::string expectedProjectJson;   // the project content that was validated
        std::string accountId;
        std::int64_t nowMicros = 0;
    };
    /// Moves an open application to submitted in one transaction: the window (opens ≤ now <
    /// closes, or now < the return deadline for a returned one), the approved filing
    /// (recorded), the project locked (storage/src/ProjectRows.h) and snapshotted, the
    /// number given at the first submission (`{activity code}-{6-digit sequence}` from
    /// activities.last_number), the account's first submission (COALESCE, refused for a
    /// deregistered account) and `audit`. Of racing submissions exactly one succeeds; the
    /// others get Locked (or VersionMismatch when a save came in between).
    Result submit(const Submission& submission, const AuditEntry& audit);

    /// `from` (one of `fromStates`) → `toState`, version + 1, in one conditional UPDATE with
    /// `audit`: NotFound, or Locked when the state is not one of `fromStates`.
    /// `returnDeadlineMicros` > 0 is recorded (→ returned).
    Result changeState(const std::string& id, const std::string& organizationId,
                       const std::vector<std::string>& fromStates, const std::string& toState,
                       std::int64_t nowMicros, const AuditEntry& audit,
                       std::int64_t returnDeadlineMicros = 0);

    /// The returned applications (退回修改) of `organizationId` ("" = any) whose deadline has
    /// come (return_deadline ≤ `nowMicros`) without a resubmission, the earliest deadline
    /// first, at most `limit` ids.
    std::vector<std::string> dueReturns(std::int64_t nowMicros, const std::string& organizationId,
                                        std::int64_t limit);
    /// returned → failed once the return's deadline has come (≤ `nowMicros`), in one
    /// conditional UPDATE with `audit` and the organization's notifications; the state change
    /// is dated at the deadline, when it took effect. NotFound, or Locked when the application
    /// is no longer returned (resubmitted, or lapsed by another caller) or its deadline has
    /// not come.
    Result lapseReturn(const std::string& id, std::int64_t nowMicros, const AuditEntry& audit);

    /// With its documents. `organizationId` "" = any organization (staff).
    std::optional<ApplicationRow> find(const std::string& id, const std::string& organizationId);
    struct Page {
        std::vector<ApplicationRow> rows;  // without form, contact, snapshot and documents
        std::uint64_t total = 0;
    };
    /// The organization's applications, the last changed first.
    Page list(const std::string& organizationId, std::uint64_t offset, std::uint64_t limit);

  private:
    Database& db_;
};

}  // namespace dossier::storage
