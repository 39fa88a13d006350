#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/FilingRepository.h"

namespace dossier::renderers {
struct ReferenceList;
}

namespace dossier::filing {

class DocumentService;
class FilingLists;

/// An organization's filing as its members see it.
struct FilingView {
    storage::OrganizationRow organization;
    /// The version being worked on or reviewed (draft, submitted, rejected) or, when there is
    /// none, the version in force (approved); empty when nothing was ever saved.
    std::optional<storage::FilingRow> current;
    std::optional<storage::FilingRow> approved;  // the version in force, if any
    std::vector<storage::FilingRow> versions;    // every version, newest first
    /// Every change of every version (audit entries: saves, submissions, decisions),
    /// oldest first.
    std::vector<storage::AuditEntry> history;
    /// The data shown: the current version's or, before anything was saved, the name and
    /// credit code the organization registered with (a JSON object, amounts exact).
    std::string dataJson;
};

/// What a reviewer opens: the version, its organization, and the evidence checks of the
/// documents it names.
struct FilingReview {
    storage::FilingRow filing;
    storage::OrganizationRow organization;
    struct DocumentChecks {
        std::string documentId;
        std::string role;  // "license" or "economics[i].evidence_document_id"
        std::vector<storage::CheckRow> checks;
        /// For the license: its check judged against the *filed* name and code, which may
        /// differ from what the check was run with (the name registered at upload). A JSON
        /// object (see FilingService::review); empty for other documents.
        std::string filedComparisonJson;
    };
    std::vector<DocumentChecks> documents;
    std::vector<storage::AuditEntry> history;  // this version's, oldest first
};

/// The organization filing (组织备案, seed 000): drafts, submission with every problem at
/// once, the reviewers' approval or rejection with reasons, versions. The reference lists
/// (经济类型, provinces, cities, GB/T 4754 divisions, 组织规模, rejection reasons) are read from
/// `<templatesDir>/lists/` on first use, with the renderers' loader. Thread-safe.
///
/// Access: an applicant acts only within its own organization — any other organization id
/// is organization.not_found (404), an applicant without one gets
/// organization.membership_required (403), staff auth.forbidden (403); only the
/// organization's admin saves and submits (a member reads). Reviewer operations need
/// Role::Reviewer (auth.forbidden otherwise).
class FilingService {
  public:
    /// All references must outlive the service.
    FilingService(storage::FilingRepository& rows, storage::AccountRepository& accounts,
                  storage::CheckRepository& checks, DocumentService& documents, AuditLog& audit,
                  const Clock& clock, const IdGenerator& ids, std::string templatesDir);
    ~FilingService();
    FilingService(const FilingService&) = delete;
    FilingService& operator=(const FilingService&) = delete;

    FilingView get(const Viewer& viewer, const std::string& organizationId);
    /// Throws what get (`admin` false) or saveDraft and submit (`admin` true) would for
    /// `viewer` on this organization, without touching the database: for a route to refuse
    /// before it reads a body.
    static void authorize(const Viewer& viewer, const std::string& organizationId, bool admin);

    /// Replaces the draft with `json` (a JSON object of the filing's fields; what is left
    /// out is blank). Drafts may be incomplete, but every value given must be right:
    /// ValidationError with every problem at once (wrong types, unknown fields, codes not in
    /// their lists, a city outside its province, out-of-range or over-precise amounts,
    /// documents that are not the organization's or of the wrong kind, a credit code other
    /// than the registered one). Editing a rejected version makes it a draft again; editing
    /// while an approved version is in force (and nothing is open) opens a new version.
    /// `ifMatch`: the revision tag the caller edited (FilingService::etag), or empty for
    /// none; another one is request.precondition_failed (412). A submitted version is
    /// filing.not_editable (409).
    FilingView saveDraft(const Viewer& viewer, const std::string& organizationId,
                         const std::string& json, const std::string& ifMatch);
    /// Validates the open version completely — every field, exactly the three calendar
    /// years before now in Asia/Shanghai, no year twice, every year's evidence — and moves it
    /// to submitted (ValidationError listing every problem otherwise). filing.not_found when
    /// nothing was saved, filing.state_conflict when nothing is open to submit (or it is
    /// already submitted), request.precondition_failed as saveDraft.
    FilingView submit(const Viewer& viewer, const std::string& organizationId,
                      const std::string& ifMatch);

    struct ListQuery {
        std::string state;  // "" = every submitted-or-later state
        std::string province;
        std::string name;  // contains
        int page = 1;
        int perPage = 50;
    };
    /// The reviewers' list (never drafts): oldest submission first, then id; with the
    /// total count of matches. Reviewer only. request.malformed for a state, province,
    /// page or page size that cannot be.
    storage::FilingRepository::ListPage list(const Viewer& viewer, const ListQuery& query);
    /// One version with the checks of its documents. Reviewer only; filing.not_found.
    FilingReview review(const Viewer& viewer, const std::string& filingId);
    /// submitted → approved (the organization's previously approved version becomes
    /// superseded in the same transaction). `json`: "" (no body) or {comment}. Of racing
    /// decisions exactly one wins; the others get filing.state_conflict (409), as does a
    /// version that is not submitted.
    storage::FilingRow approve(const Viewer& viewer, const std::string& filingId,
                               const std::string& json);
    /// submitted → rejected. `json` is {reasons: [code…], comment}: ≥ 1 reason codes, each
    /// once, from lists/filing-rejection-reasons, and an optional comment of at most 2000
    /// characters; ValidationError with every problem of the body at once.
    storage::FilingRow reject(const Viewer& viewer, const std::string& filingId,
                              const std::string& json);

    /// The organization's version in force, if any (applications need one: issue 12).
    /// No access check.
    std::optional<storage::FilingRow> approvedFiling(const std::string& organizationId);

    /// The reference list `name` (`<templatesDir>/lists/<name>.json`: the codes the filing,
    /// projects and reviews take, with their labels) for forms to offer, read on first use and
    /// kept. list.not_found (404) for a name that is not [a-z0-9-] (at most 64) or names no
    /// list; render.template (500) for a list file that is there but malformed. Thread-safe;
    /// the list is immutable and shared.
    std::shared_ptr<const renderers::ReferenceList> referenceList(const std::string& name);

    /// The label of a rejection reason code ("" for one not in the list).
    std::string rejectionReasonLabel(const std::string& code);

    /// The entity tag of a version's revision: "\"<id>.<revision>\"" (strong).
    static std::string etag(const storage::FilingRow& row);

  private:
    const FilingLists& lists();
    storage::OrganizationRow organizationFor(const Viewer& viewer,
                                             const std::string& organizationId, bool admin);
    FilingView view(const storage::OrganizationRow& organization);
    /// The view from `versions` as they are now (newest first), reading only the history.
    FilingView view(const storage::OrganizationRow& organization,
                    std::vector<storage::FilingRow> versions);
    storage::FilingRow decide(const Viewer& viewer, const std::string& filingId, bool approve,
                              const std::string& json);

    storage::FilingRepository& rows_;
    storage::AccountRepository& accounts_;
    storage::CheckRepository& checks_;
    DocumentService& documents_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    std::string templatesDir_;
    std::mutex listsMutex_;
    std::unique_ptr<FilingLists> lists_;
    std::mutex referenceMutex_;
    std::map<std::string, std::shared_ptr<const renderers::ReferenceList>> reference_;
};

}  // namespace dossier::filing
