#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One version of an organization's filing (组织备案), table `filings` (migration 10).
struct FilingRow {
    std::string id;
    std::string organizationId;
    int version = 1;
    std::string state;  // draft | submitted | approved | rejected | superseded
    std::int64_t revision = 1;
    std::string name;                // the filed name, copied out of dataJson for the list
    std::string province;            // GB/T 2260 code, "" when not filled in yet
    std::string dataJson;            // the filed data as the API shows it
    std::string reasonsJson = "[]";  // the last rejection's reason codes, a JSON array
    std::string reviewComment;
    std::int64_t createdAtMicros = 0;
    std::int64_t updatedAtMicros = 0;
    std::int64_t submittedAtMicros = 0;  // 0: never submitted
    std::string submittedBy;
    std::int64_t decidedAtMicros = 0;  // 0: not decided
    std::string decidedBy;
};

/// The rows of organization filings and their review. Every change is one transaction with
/// its audit row and, where documents are named, the `document_uses` rows of the version
/// ("filing:<id>", replaced by each save). The rules that must hold are the database's:
/// one open and one approved version per organization (partial unique indexes), and every
/// state change is a conditional UPDATE judged by its affected-row count. Thread-safe
/// (sessions from the pool); each call uses one session.
class FilingRepository {
  public:
    explicit FilingRepository(Database& db) : db_(db) {}

    /// Every version of the organization's filing, newest first.
    std::vector<FilingRow> forOrganization(const std::string& organizationId);
    std::optional<FilingRow> find(const std::string& id);
    /// The organization's version in force (state approved), if any.
    std::optional<FilingRow> approved(const std::string& organizationId);

    /// Inserts a new open version (a draft) with its document uses and audit row. Returns
    /// false, changing nothing, when the organization already has an open version or this
    /// version number (a concurrent insert won).
    bool insert(const FilingRow& row, const std::vector<std::string>& documentIds,
                const AuditEntry& audit);
    /// Replaces the data of an open, editable version (draft or rejected; it becomes a draft)
    /// if its revision is still `expectedRevision`; revision + 1. `documentIds` null: the
    /// version names the same documents as before, its uses stay. Returns false, changing
    /// nothing, otherwise.
    bool saveDraft(const std::string& id, std::int64_t expectedRevision, const std::string& name,
                   const std::string& province, const std::string& dataJson, std::int64_t nowMicros,
                   const std::vector<std::string>* documentIds, const AuditEntry& audit);
    enum class SubmitOutcome { Submitted, Changed, SubmitterDeregistered };
    /// draft | rejected → submitted, if the revision is still `expectedRevision` (the data
    /// validated is the data submitted); records the submitter's first submission
    /// (accounts.first_submission_us, kept once set) and the document uses, in one
    /// transaction. Changed: the version is no longer that revision or not open.
    /// SubmitterDeregistered: the account was deregistered (a racing deregistration committed
    /// first; the database decides, by the affected rows of a conditional UPDATE). Either way
    /// nothing changes.
    SubmitOutcome submit(const std::string& id, std::int64_t expectedRevision,
                         const std::string& accountId, std::int64_t nowMicros,
                         const std::vector<std::string>& documentIds, const AuditEntry& audit);
    /// submitted → approved or rejected, if still submitted: exactly one of racing decisions
    /// wins. Approval supersedes the organization's previously approved version in the same
    /// transaction, with the audit row `supersededAudit(id of the old version)`. Returns
    /// false, changing nothing, when the version is not submitted.
    bool decide(const std::string& id, const std::string& organizationId, bool approve,
                const std::string& reviewerId, std::int64_t nowMicros,
                const std::string& reasonsJson, const std::string& comment, const AuditEntry& audit,
                const std::function<AuditEntry(const std::string&)>& supersededAudit);

    /// The audit entries of these versions except plain draft saves (filing.draft_saved) and
    /// reviewers' views (filing.viewed):
    /// their transitions, oldest first. One query, however often a draft was saved.
    std::vector<AuditEntry> transitions(const std::vector<std::string>& filingIds);

    struct ListQuery {
        std::vector<std::string> states;  // non-empty
        std::string province;             // "" = any
        std::string nameContains;         // "" = any; matched against name_key
        int offset = 0;
        int limit = 50;
    };
    struct ListPage {
        std::vector<FilingRow> rows;  // without dataJson; oldest submission first, then id
        std::int64_t total = 0;
    };
    ListPage list(const ListQuery& query);

    /// The key "name contains" searches: ASCII letters lower-cased, the rest as is.
    static std::string nameKey(const std::string& name);

  private:
    Database& db_;
};

}  // namespace dossier::storage
