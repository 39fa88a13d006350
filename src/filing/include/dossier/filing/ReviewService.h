#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/ApplicationRepository.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/ReviewRepository.h"

namespace dossier::renderers {
struct ReferenceList;
}

namespace dossier::filing {

class ActivityService;
class ApplicationService;

/// Formal review (形式审查, issue 12) of submitted applications, and the in-app
/// notifications of their state changes.
///
/// Reviewers only (auth.forbidden for everyone else, staff included): the first reviewer view
/// moves submitted → under_review (withdrawal is no longer possible), and every view is in
/// the audit log (application.viewed, not in the applicant's 日志); decisions pass, fail
/// (with reasons of seed 002's list for the activity's kind) or, if the activity allows it,
/// return for correction until a deadline. Thread-safe.
class ReviewService {
  public:
    /// References must outlive the service; `templatesDir` holds lists/ with the reasons.
    ReviewService(storage::ReviewRepository& rows, storage::ApplicationRepository& applications,
                  ApplicationService& applicationService, ActivityService& activities,
                  storage::CheckRepository& checks, AuditLog& audit, const Clock& clock,
                  const IdGenerator& ids, std::string templatesDir);
    ~ReviewService();
    ReviewService(const ReviewService&) = delete;
    ReviewService& operator=(const ReviewService&) = delete;

    /// auth.forbidden unless the viewer is a reviewer.
    static void requireReviewer(const Viewer& viewer);

    struct ReviewView {
        storage::ApplicationRow application;
        std::vector<storage::ReviewDecisionRow> decisions;  // oldest first
    };
    struct QueueQuery {
        std::string activity;         // "" = any
        std::string state;            // "" = submitted and under_review (the work to do)
        std::string text;             // `q`: in the organization's name or the application number
        bool precheckFailed = false;  // `precheck=fail`: only those with a failed rule
        std::int64_t page = 1;
        std::int64_t perPage = 50;
    };
    /// The reviewer queue, the oldest submission first. request.malformed (400) for a state
    /// that is not a submitted one (drafts are the applicants' own), a q over 100 characters
    /// or not UTF-8, page outside 1–1,000,000, per_page outside 1–100 (as /api/v1/filings).
    /// With precheckFailed the rules of every application the other filters match are judged
    /// now (no result is stored), at most kPrecheckScan of them: fine for a session's queue,
    /// not for tens of thousands.
    static constexpr std::int64_t kPrecheckScan = 2000;
    storage::ReviewRepository::QueuePage queue(const Viewer& viewer, const QueueQuery& query);
    static std::string queueJson(const storage::QueueRow& row);

    /// The automatic pre-check (形式审查预审) of a submitted application, as JSON: every rule
    /// of seed 002 for the activity's kind with its result (pass, fail, warn, unknown), whether
    /// it blocks a submission, a message, its evidence and the failure reasons of the kind's
    /// list it supports (the items' `precheck_rules`) — commitment_seals (letters and their
    /// seals check vs completing units), license (the seals-free license check of the approved
    /// filing's license), required_evidence (summary and evidence kinds present, their checks),
    /// recommendation (a recommending unit of the activity's list chosen), template_complete,
    /// word_limits (the book template's rules, as submit() judges them) and shared_files (the
    /// same SHA-256 in another organization's application: a flag, never blocking) — and
    /// `suggested_reasons`, the reasons of the failed rules in the list's order, ready for a
    /// fail decision. Reviewers only; application.not_found for none or a draft. Read-only: it
    /// does not start the review, but is audited (application.prechecked).
    std::string precheck(const Viewer& viewer, const std::string& id);

    /// A reviewer opens an application: application.not_found for none or a draft. A
    /// submitted one moves to under_review (its state change, audit row and notifications in
    /// one transaction); the view itself is recorded (application.viewed).
    ReviewView open(const Viewer& viewer, const std::string& id);
    /// `json`: {decision: pass|fail|return, reasons: [codes], comment, return_deadline}.
    /// Every problem at once (ValidationError): reasons from the list of the activity's kind
    /// (at least one for fail, none for pass), comment ≤ 2000 characters, return_deadline
    /// (ISO-8601 with offset) for a return only, after now and not after the activity's
    /// review deadline. review.return_not_allowed when the activity does not allow returns;
    /// application.state_conflict when it is not under review or submitted (another decision
    /// came first, say). A submitted application is moved to under_review first, in the
    /// decision's transaction.
    ReviewView decide(const Viewer& viewer, const std::string& id, const std::string& json);
    /// The decisions as JSON: [{decision, reasons: [{code, label}], comment, reviewer_id,
    /// decided_at, return_deadline}].
    std::string decisionsJson(const storage::ApplicationRow& application,
                              const std::vector<storage::ReviewDecisionRow>& decisions);

    /// The formal review's outcome as the applicant sees it, for an application that is
    /// passed, failed or returned: {decision, reasons: [{code, label}], comment, decided_at,
    /// return_deadline, lapsed} of the decision that led there (`lapsed`: a return whose
    /// deadline passed without a resubmission, so the application failed); "null" in any other
    /// state. `latest` is the application's latest decision (null: none).
    std::string outcomeJson(const storage::ApplicationRow& row,
                            const storage::ReviewDecisionRow* latest);
    /// The outcomes of `rows` (a page of 我的申报), by application id, read in one query.
    std::map<std::string, std::string> outcomesJson(
        const std::vector<storage::ApplicationRow>& rows);
    /// The outcome of one application (reads its latest decision).
    std::string outcomeJson(const storage::ApplicationRow& row);

    /// The caller's notifications (any signed-in account; staff have none): unread first.
    /// A lapsed return of the caller's organization fails first, so its notice is there.
    /// `page` from 1, `perPage` 1–100.
    storage::ReviewRepository::NotificationPage notifications(const Viewer& viewer,
                                                              std::uint64_t page,
                                                              std::uint64_t perPage);
    /// Marks one read ("<application id>.<version>"); notification.not_found.
    void markRead(const Viewer& viewer, const std::string& notificationId);
    /// A notification; a decided state's carries `review` as outcomeJson() has it.
    std::string notificationJson(const storage::NotificationRow& row);

    /// A list of reasons a reviewer decides with, for the decision forms: `id` is
    /// filing-rejection-reasons or formal-review-reasons-{benchmark,tech-project,tech-individual}
    /// (the pre-check's reasons_list). {id, title, items: [{code, label, precheck_rules}]} in
    /// the list's order. Throws auth.forbidden for any but reviewers, reason_list.not_found for
    /// another id, render.template when the file is unreadable.
    std::string reasonListJson(const Viewer& viewer, const std::string& id);

  private:
    /// The pre-check's rules of `application` as a JSON array; `failedRules`: the names of
    /// those that failed.
    std::string rulesJson(const storage::ApplicationRow& application,
                          std::vector<std::string>& failedRules);
    /// The failure reasons of an activity kind (cached; render.template when unreadable).
    const renderers::ReferenceList& reasons(const std::string& kind);
    /// templates/lists/<id>.json, cached.
    const renderers::ReferenceList& listNamed(const std::string& id);

    storage::ReviewRepository& rows_;
    storage::ApplicationRepository& applications_;
    ApplicationService& applicationService_;
    ActivityService& activities_;
    storage::CheckRepository& checks_;
    AuditLog& audit_;
    const Clock& clock_;
    const IdGenerator& ids_;
    std::string templatesDir_;
    std::mutex listsMutex_;
    std::map<std::string, std::unique_ptr<renderers::ReferenceList>> lists_;  // by list id
};

}  // namespace dossier::filing
