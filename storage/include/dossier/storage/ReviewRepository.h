#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One formal-review decision (table review_decisions, migration 14).
struct ReviewDecisionRow {
    std::string id;
    std::string applicationId;
    std::int64_t applicationVersion = 0;  // the version under review that was decided
    std::string decision;                 // pass | fail | return
    std::string reasonsJson = "[]";       // reason codes of the activity's kind's list
    std::string comment;
    std::string reviewerId;
    std::int64_t decidedAtMicros = 0;
    std::int64_t returnDeadlineMicros = 0;  // return only; 0 otherwise
};

/// One in-app notification of a state change (table notifications, migration 14). Named by
/// its application and the version the change gave it ("<application id>.<version>").
struct NotificationRow {
    std::string applicationId;
    std::int64_t applicationVersion = 0;
    std::string state;  // the state the application entered
    std::int64_t createdAtMicros = 0;
    std::int64_t readAtMicros = 0;  // 0: unread
    std::string activityCode;
    std::string number;  // the application's number, "" for none
    /// For a passed, failed or returned state: the decision that led to it (the latest before
    /// this version; a return when its deadline lapsed). id "" = none.
    ReviewDecisionRow decision;
};

/// One entry of the reviewer queue.
struct QueueRow {
    std::string id;
    std::string activityCode;
    std::string organizationId;
    std::string organizationName;
    std::string projectId;
    std::string state;
    std::string number;
    std::int64_t submittedAtMicros = 0;
    std::int64_t stateChangedAtMicros = 0;
};

/// A document of an application whose bytes another organization's submitted application
/// holds too.
struct SharedFile {
    std::string documentId;  // this application's
    std::string sha256;
    std::string otherApplicationId;
    std::string otherNumber;
    std::string otherOrganizationName;
};

/// Formal-review decisions and notifications. Every decision is one transaction with the
/// state change (submitted → under_review first when no reviewer opened it yet), its audit
/// rows and the organization's notifications. Thread-safe (sessions from the pool); every
/// method throws storage.database when the database fails, and nothing is changed then.
class ReviewRepository {
  public:
    explicit ReviewRepository(Database& db) : db_(db) {}

    enum class Outcome {
        Decided,
        NotFound,  // no such application (or a draft)
        Conflict,  // not under review (nor submitted), or another decision came first
    };
    /// Records `decision` (its applicationVersion is filled in): the application moves
    /// under_review → passed | failed | returned by a conditional UPDATE (the deadline recorded
    /// for a return); (application, version) is unique in review_decisions, so of racing
    /// decisions exactly one is kept. `startAudit` is written when the application was still
    /// submitted and moves to under_review in the same transaction.
    Outcome decide(ReviewDecisionRow& decision, const std::string& toState,
                   const AuditEntry& startAudit, AuditEntry audit);
    struct QueueQuery {
        std::vector<std::string> states;  // non-empty
        std::string activityCode;         // "" = any
        std::string text;                 // "" = any; in the organization's name or the number
        std::int64_t offset = 0;
        std::int64_t limit = 50;
    };
    struct QueuePage {
        std::vector<QueueRow> rows;  // the oldest submission first, then id
        std::int64_t total = 0;
    };
    /// Submitted applications (never drafts) for the reviewer queue.
    QueuePage queue(const QueueQuery& query);
    /// The application's documents whose SHA-256 another organization's application (not a
    /// draft) also submitted.
    std::vector<SharedFile> sharedFiles(const std::string& applicationId);
    /// The application's decisions, oldest first.
    std::vector<ReviewDecisionRow> decisions(const std::string& applicationId);
    /// The latest decision of each of `applicationIds` that has one (at most 100 ids), by
    /// application id.
    std::map<std::string, ReviewDecisionRow> latestDecisions(
        const std::vector<std::string>& applicationIds);

    struct NotificationPage {
        std::vector<NotificationRow> rows;
        std::uint64_t total = 0;
        std::uint64_t unread = 0;
    };
    /// The account's notifications: unread first, then the newest first.
    NotificationPage notifications(const std::string& accountId, std::uint64_t offset,
                                   std::uint64_t limit);
    /// Marks the account's notification read (the first reading instant stays); false when the
    /// account has no such notification.
    bool markRead(const std::string& accountId, const std::string& applicationId,
                  std::int64_t applicationVersion, std::int64_t nowMicros);

  private:
    Database& db_;
};

}  // namespace dossier::storage
