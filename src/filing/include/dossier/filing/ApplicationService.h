#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Document.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/ActivityRepository.h"
#include "dossier/storage/ApplicationRepository.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/FilingRepository.h"
#include "dossier/storage/ProjectRepository.h"

namespace dossier::renderers {
struct ReferenceList;
}

namespace dossier::filing {

class ActivityService;
class DocumentService;
class FilingService;

/// One document an application attaches, with what the outputs print of it.
struct LinkedDocument {
    Document document;  // id, original name, size, sha256, media type, kind
    std::string role;   // summary | commitment | evidence
    std::string evidenceKind;
};

/// Everything about one application that its outputs (book, receipt, bundle, DOCX) need,
/// read at one moment. For a submitted application the project and the filing are what the
/// submission recorded (its snapshot, the approved version it used); for a draft the live
/// project and the version in force.
struct ApplicationContext {
    storage::ApplicationRow application;  // number, submittedAtMicros, state, the raw data
    storage::ActivityRow activity;
    std::optional<storage::FilingRow> filing;  // nullopt: the organization has none approved
    storage::ProjectRow project;               // contentJson = the snapshot once submitted
    std::vector<LinkedDocument> documents;     // in the application's order
    /// The data of the activity's book template: the form with recommending_unit, contact
    /// and enterprise (from the filing) filled in where the template has those fields.
    std::string bookDataJson;
};

/// Applications (申报, issue 12): one per (activity, organization, project); drafts saved any
/// number of times while the window is open (暂存), then one submission that locks them —
/// in the database too. Any member of the organization (its admin or not) acts on its
/// applications; another organization's are application.not_found (404), an account of no
/// organization organization.membership_required (403), staff auth.forbidden (403).
///
/// Numbers: `{activity code}-{6-digit sequence}` (benchmark-2025-000001), given by the first
/// submission in the activity's order of submission; a withdrawn application keeps its
/// number. Thread-safe.
class ApplicationService {
  public:
    /// References must outlive the service.
    ApplicationService(storage::ApplicationRepository& rows, ActivityService& activities,
                       FilingService& filings, storage::FilingRepository& filingRows,
                       storage::ProjectRepository& projects, DocumentService& documents,
                       storage::CheckRepository& checks, AuditLog& audit, const Clock& clock,
                       const IdGenerator& ids, std::string templatesDir);
    ~ApplicationService();
    ApplicationService(const ApplicationService&) = delete;
    ApplicationService& operator=(const ApplicationService&) = delete;

    /// auth.forbidden for staff, organization.membership_required without an organization.
    static void requireMember(const Viewer& viewer);

    /// `json`: {activity, project_id} plus any of the fields of save(). Needs the window open
    /// (activity.closed), the organization's approved filing (application.filing_required),
    /// the activity (activity.not_found) and a project of the organization
    /// (project.not_found); one application per (activity, organization, project)
    /// (application.exists). The draft's data is checked as save() checks it.
    storage::ApplicationRow create(const Viewer& viewer, const std::string& json);
    /// application.not_found.
    storage::ApplicationRow get(const Viewer& viewer, const std::string& id);
    /// Any organization's application, without an access check: for staff routes (formal
    /// review), which check their own role. application.not_found.
    storage::ApplicationRow find(const std::string& id);
    /// The organization's applications, last changed first. `page` from 1, `perPage` 1–100.
    storage::ApplicationRepository::Page list(const Viewer& viewer, std::uint64_t page,
                                              std::uint64_t perPage);
    /// Replaces the draft's data (暂存): {form, recommending_unit, contact,
    /// commitment_accepted, documents: [{document_id, role, evidence_kind}]}; what is left out
    /// is blank. The form is checked against the activity's book template in draft mode
    /// (what is missing may stay missing; a wrong value is refused), everything else as far
    /// as it is given; every problem at once (ValidationError). application.locked once
    /// submitted, activity.closed outside the window, request.precondition_failed when
    /// `ifMatch` (the versions an If-Match names) misses the current version. `activity`, when
    /// given (owned by the caller), receives the application's activity as read for the save,
    /// for toJson(row, activity) without reading it again.
    storage::ApplicationRow save(const Viewer& viewer, const std::string& id,
                                 const std::string& json,
                                 const std::optional<std::set<std::int64_t>>& ifMatch,
                                 storage::ActivityRow* activity = nullptr);
    /// Checks everything — the template complete, the contact, the 承诺书 accepted, the
    /// recommending unit, the project's required fields, a summary, one commitment letter
    /// per completing unit with its seals check passed, the required evidence and its checks —
    /// and answers every problem at once (ValidationError), or submits (see
    /// ApplicationRepository::submit). activity.closed, application.locked (also for the loser
    /// of racing submissions), application.filing_required, request.precondition_failed.
    storage::ApplicationRow submit(const Viewer& viewer, const std::string& id,
                                   const std::optional<std::set<std::int64_t>>& ifMatch);
    /// submitted → withdrawn, until review starts (application.state_conflict after).
    storage::ApplicationRow withdraw(const Viewer& viewer, const std::string& id);
    /// The application's 日志: its audit entries, oldest first — for its organization without
    /// the reviewers' views (application.viewed); for a reviewer, of a submitted application
    /// (a draft is application.not_found), every entry: the review's audit trail.
    std::vector<storage::AuditEntry> events(const Viewer& viewer, const std::string& id);

    /// For the output routes: the application of the viewer's organization (access as get())
    /// with everything it prints. Staff callers are refused as by get().
    ApplicationContext context(const Viewer& viewer, const std::string& id);
    /// The same without an access check (reviewers' routes check their own role).
    ApplicationContext contextOf(const storage::ApplicationRow& row);

    /// The form an applicant fills for `activity`, for clients that build it from the
    /// template (GET /api/v1/activities/{code}/form): the book template's `fields` without
    /// those the application fills itself (`form`), every `list` given its `options`
    /// ({value, label}) and `source` left out; the template's id, title, description, years
    /// and constants; the `recommending_unit` choice (null when the activity names no list)
    /// and the `contact` block as the application checks it (`max_length` in characters).
    /// JSON text, keys in the template's order. render.template / render.unknown_document
    /// when the template cannot be read. Thread-safe.
    std::string formSchemaJson(const storage::ActivityRow& activity);
    /// What submit() would refuse now, without submitting (the applicant's "check before
    /// submit"): every problem with submit()'s paths, or none. Access as get().
    std::vector<FieldProblem> check(const Viewer& viewer, const std::string& id);

    /// What submit() would refuse of the application as it stands (every problem, paths as
    /// submit() reports them): for the formal review's pre-check.
    std::vector<FieldProblem> submissionProblemsOf(const ApplicationContext& context);

    /// A returned application (退回修改) not submitted again by its deadline fails: `row` as
    /// it stands after that rule (returned → failed once now ≥ its deadline, the change with
    /// its audit entry, application.return_lapsed by no account, and the organization's
    /// notifications in one transaction). Every read of an application goes through it, so no
    /// caller ever sees a lapsed return as open.
    storage::ApplicationRow lapseIfDue(storage::ApplicationRow row);
    /// Applies that rule to every returned application of `organizationId` ("" = all) whose
    /// deadline has come, each in its own transaction (the server's sweep, and the lists
    /// before they read). Returns how many failed now.
    std::size_t lapseDueReturns(const std::string& organizationId = "");

    /// What the applicant may do now: "edit", "submit", "withdraw".
    std::vector<std::string> actions(const storage::ApplicationRow& row,
                                     const storage::ActivityRow& activity) const;
    /// The application as the API shows it; `documents` with each document's name, size,
    /// digest and where its checks stand.
    std::string toJson(const storage::ApplicationRow& row);
    /// The same with the application's activity already read.
    std::string toJson(const storage::ApplicationRow& row, const storage::ActivityRow& activity);
    /// A list entry: id, activity, project, state, number, last change, actions.
    std::string summaryJson(const storage::ApplicationRow& row);
    static std::string eventJson(const storage::AuditEntry& entry);

  private:
    /// Reads the save fields of `body` into `row` (for the activity), collecting problems.
    void parseFields(const Viewer& viewer, const storage::ActivityRow& activity,
                     const Poco::JSON::Object::Ptr& body, bool creating,
                     storage::ApplicationRow& row, std::string& activityCode,
                     std::string& projectId);
    /// The book data of `row` (see ApplicationContext::bookDataJson).
    std::string bookData(const storage::ApplicationRow& row, const storage::ActivityRow& activity,
                         const std::optional<storage::FilingRow>& filing);
    /// The template's problems with `row`'s book data (paths as the application has them).
    std::vector<FieldProblem> templateProblems(const storage::ApplicationRow& row,
                                               const storage::ActivityRow& activity,
                                               const std::optional<storage::FilingRow>& filing,
                                               bool draft);
    /// Every problem that stops a submission (not the window's, the lock's or the filing's).
    std::vector<FieldProblem> submissionProblems(const storage::ApplicationRow& row,
                                                 const storage::ActivityRow& activity,
                                                 const std::optional<storage::FilingRow>& filing,
                                                 const storage::ProjectRow& project);
    /// The top-level field names of a book template (cached).
    const std::set<std::string>& templateFields(const std::string& templateId);
    /// A reference list of templates/lists (cached; render.template when unreadable).
    const renderers::ReferenceList& recommendingList(const std::string& id);
    /// activity.closed unless `row` may be changed now (window, or a return's deadline).
    void requireWindow(const storage::ApplicationRow& row, const storage::ActivityRow& activity,
                       std::int64_t nowMicros) const;
    static const storage::ApplicationRepository::KindsByRole& kindsByRole();
    [[noreturn]] void throwMissingDocuments(const storage::ApplicationRow& row,
                                            const std::vector<std::string>& missing);

    storage::ApplicationRepository& rows_;
    ActivityService& activities_;
    FilingService& filings_;
    storage::FilingRepository& filingRows_;
    storage::ProjectRepository& projects_;
    DocumentService& documents_;
    storage::CheckRepository& checks_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    std::string templatesDir_;
    std::mutex fieldsMutex_;
    std::map<std::string, std::set<std::string>> templateFields_;  // guarded by fieldsMutex_
    std::map<std::string, std::unique_ptr<renderers::ReferenceList>> lists_;  // likewise
};

}  // namespace dossier::filing
