#include "dossier/storage/ReviewRepository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "NotificationRows.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kStateOf = "SELECT state, version FROM applications WHERE id = ?";
constexpr std::string_view kStart =
    "UPDATE applications SET state = 'under_review', version = version + 1, "
    "state_changed_at_us = ? WHERE id = ? AND state = 'submitted'";
constexpr std::string_view kDecide =
    "UPDATE applications SET state = ?, version = version + 1, state_changed_at_us = ?, "
    "return_deadline_us = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT) "
    "ELSE return_deadline_us END "
    "WHERE id = ? AND state = 'under_review' AND version = ?";
constexpr std::string_view kInsertDecision =
    "INSERT INTO review_decisions (id, application_id, application_version, decision, "
    "reasons_json, comment, reviewer_id, decided_at_us, return_deadline_us) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0))";
constexpr std::string_view kDecisions =
    "SELECT id, application_id, application_version, decision, reasons_json, comment, "
    "reviewer_id, decided_at_us, COALESCE(return_deadline_us, 0) FROM review_decisions "
    "WHERE application_id = ? ORDER BY decided_at_us, application_version";
// A decided state's notice carries the decision that led to it: the latest one taken on an
// earlier version (a decision raises the version; so does the lapse of a return).
constexpr std::string_view kNotifications =
    "SELECT n.application_id, n.application_version, n.state, n.created_at_us, "
    "COALESCE(n.read_at_us, 0), a.activity_code, COALESCE(a.number, ''), COALESCE(d.id, ''), "
    "COALESCE(d.application_version, 0), COALESCE(d.decision, ''), "
    "COALESCE(d.reasons_json, '[]'), COALESCE(d.comment, ''), COALESCE(d.reviewer_id, ''), "
    "COALESCE(d.decided_at_us, 0), COALESCE(d.return_deadline_us, 0) "
    "FROM notifications n JOIN applications a ON a.id = n.application_id "
    "LEFT JOIN review_decisions d ON n.state IN ('passed', 'failed', 'returned') "
    "AND d.application_id = n.application_id AND d.application_version = "
    "(SELECT MAX(d2.application_version) FROM review_decisions d2 "
    "WHERE d2.application_id = n.application_id "
    "AND d2.application_version < n.application_version) "
    "WHERE n.account_id = ? "
    "ORDER BY CASE WHEN n.read_at_us IS NULL THEN 0 ELSE 1 END, n.created_at_us DESC, "
    "n.application_id, n.application_version DESC LIMIT ? OFFSET ?";
constexpr std::string_view kCountNotifications =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at_us IS NULL THEN 1 ELSE 0 END), 0) "
    "FROM notifications WHERE account_id = ?";
constexpr std::string_view kMarkRead =
    "UPDATE notifications SET read_at_us = COALESCE(read_at_us, CAST(? AS BIGINT)) "
    "WHERE account_id = ? AND application_id = ? AND application_version = ?";

}  // namespace

ReviewRepository::Outcome ReviewRepository::decide(ReviewDecisionRow& d, const std::string& toState,
                                                   const AuditEntry& startAudit, AuditEntry audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = d.applicationId;
        std::vector<std::string> state;
        std::vector<Poco::Int64> version;
        session << db.sql(kStateOf), use(id), into(state), into(version), now;
        if (state.empty() || state[0] == "draft") return Outcome::NotFound;
        if (state[0] == "submitted") {
            // Decided without being opened first: the review starts here, in this transaction.
            Poco::Int64 at = d.decidedAtMicros;
            Poco::Data::Statement start(session);
            start << db.sql(kStart), use(at), use(id);
            if (start.execute() == 0) return Outcome::Conflict;
            insertAuditRow(db, session, startAudit);
            insertNotifications(db, session, id, d.decidedAtMicros);
            state[0] = "under_review";
            version[0] += 1;
        }
        if (state[0] != "under_review") return Outcome::Conflict;
        d.applicationVersion = version[0];
        {
            std::string to = toState;
            Poco::Int64 at = d.decidedAtMicros, deadline = d.returnDeadlineMicros,
                        deadline2 = d.returnDeadlineMicros, expected = version[0];
            Poco::Data::Statement change(session);
            change << db.sql(kDecide), use(to), use(at), use(deadline), use(deadline2), use(id),
                use(expected);
            // Another decision committed between our read and our UPDATE.
            if (change.execute() == 0) return Outcome::Conflict;
        }
        {
            std::string key = d.id, decision = d.decision, reasons = d.reasonsJson,
                        comment = d.comment, reviewer = d.reviewerId;
            Poco::Int64 v = d.applicationVersion, at = d.decidedAtMicros,
                        deadline = d.returnDeadlineMicros;
            session << db.sql(kInsertDecision), use(key), use(id), use(v), use(decision),
                use(reasons), use(comment), use(reviewer), use(at), use(deadline), now;
        }
        insertAuditRow(db, session, audit);
        insertNotifications(db, session, id, d.decidedAtMicros);
        tx.commit();
        return Outcome::Decided;
    } catch (...) {
        rethrowDatabaseError("decide formal review");
    }
}

ReviewRepository::QueuePage ReviewRepository::queue(const QueueQuery& query) {
    auto& db = db_.impl();
    std::string where = "a.state IN (";
    for (std::size_t i = 0; i < query.states.size(); ++i) where += i ? ", ?" : "?";
    where += ")";
    if (!query.activityCode.empty()) where += " AND a.activity_code = ?";
    // Wildcards in the search text are text: % and _ escaped, and the escape itself.
    std::string pattern;
    if (!query.text.empty()) {
        where += " AND (o.name LIKE ? ESCAPE '!' OR COALESCE(a.number, '') LIKE ? ESCAPE '!')";
        pattern = "%";
        for (char c : query.text) {
            if (c == '%' || c == '_' || c == '!') pattern += '!';
            pattern += c;
        }
        pattern += "%";
    }
    const std::string from =
        " FROM applications a JOIN organizations o ON o.id = a.organization_id WHERE ";
    try {
        auto session = db.session();
        std::vector<std::string> states = query.states;
        std::string activity = query.activityCode, pattern2 = pattern;
        auto bindFilters = [&](Poco::Data::Statement& s) {
            for (auto& st : states) s, use(st);
            if (!activity.empty()) s, use(activity);
            if (!pattern.empty()) s, use(pattern), use(pattern2);
        };
        QueuePage page;
        Poco::Int64 total = 0;
        Poco::Data::Statement count(session);
        count << db.sql("SELECT COUNT(*)" + from + where), into(total);
        bindFilters(count);
        count.execute();
        page.total = total;
        std::vector<std::string> ids, activities, orgs, names, projects, state, numbers;
        std::vector<Poco::Int64> submitted, changed;
        Poco::Int64 limit = query.limit, offset = query.offset;
        Poco::Data::Statement select(session);
        select << db.sql(
            "SELECT a.id, a.activity_code, a.organization_id, o.name, a.project_id, "
            "a.state, COALESCE(a.number, ''), COALESCE(a.submitted_at_us, 0), "
            "a.state_changed_at_us" +
            from + where + " ORDER BY a.submitted_at_us, a.id LIMIT ? OFFSET ?"),
            into(ids), into(activities), into(orgs), into(names), into(projects), into(state),
            into(numbers), into(submitted), into(changed);
        bindFilters(select);
        select, use(limit), use(offset);
        select.execute();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            page.rows.push_back({ids[i], activities[i], orgs[i], names[i], projects[i], state[i],
                                 numbers[i], submitted[i], changed[i]});
        }
        return page;
    } catch (...) {
        rethrowDatabaseError("list the review queue");
    }
}

std::vector<SharedFile> ReviewRepository::sharedFiles(const std::string& applicationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string id = applicationId, id2 = applicationId;
        std::vector<std::string> docs, shas, others, numbers, names;
        session << db.sql(
            "SELECT DISTINCT d.id, d.sha256, a2.id, COALESCE(a2.number, ''), o2.name "
            "FROM application_documents ad "
            "JOIN documents d ON d.id = ad.document_id "
            "JOIN documents d2 ON d2.sha256 = d.sha256 "
            "JOIN application_documents ad2 ON ad2.document_id = d2.id "
            "JOIN applications a2 ON a2.id = ad2.application_id "
            "JOIN organizations o2 ON o2.id = a2.organization_id "
            "WHERE ad.application_id = ? AND a2.state <> 'draft' "
            "AND a2.organization_id <> (SELECT organization_id FROM applications "
            "WHERE id = ?) ORDER BY d.id, a2.id"),
            use(id), use(id2), into(docs), into(shas), into(others), into(numbers), into(names),
            now;
        std::vector<SharedFile> out;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            out.push_back({docs[i], shas[i], others[i], numbers[i], names[i]});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("find shared files");
    }
}

std::vector<ReviewDecisionRow> ReviewRepository::decisions(const std::string& applicationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string key = applicationId;
        std::vector<std::string> ids, apps, decision, reasons, comment, reviewer;
        std::vector<Poco::Int64> version, at, deadline;
        session << db.sql(kDecisions), use(key), into(ids), into(apps), into(version),
            into(decision), into(reasons), into(comment), into(reviewer), into(at), into(deadline),
            now;
        std::vector<ReviewDecisionRow> out;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out.push_back({ids[i], apps[i], version[i], decision[i], reasons[i], comment[i],
                           reviewer[i], at[i], deadline[i]});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list review decisions");
    }
}

std::map<std::string, ReviewDecisionRow> ReviewRepository::latestDecisions(
    const std::vector<std::string>& applicationIds) {
    std::map<std::string, ReviewDecisionRow> out;
    if (applicationIds.empty()) return out;
    auto& db = db_.impl();
    std::string in;
    for (std::size_t i = 0; i < applicationIds.size(); ++i) in += i ? ", ?" : "?";
    try {
        auto session = db.session();
        std::vector<std::string> keys = applicationIds;
        std::vector<std::string> ids, apps, decision, reasons, comment, reviewer;
        std::vector<Poco::Int64> version, at, deadline;
        Poco::Data::Statement select(session);
        select << db.sql(
            "SELECT id, application_id, application_version, decision, reasons_json, comment, "
            "reviewer_id, decided_at_us, COALESCE(return_deadline_us, 0) FROM review_decisions d "
            "WHERE application_id IN (" +
            in +
            ") AND application_version = (SELECT MAX(application_version) FROM "
            "review_decisions d2 WHERE d2.application_id = d.application_id)"),
            into(ids), into(apps), into(version), into(decision), into(reasons), into(comment),
            into(reviewer), into(at), into(deadline);
        for (auto& key : keys) select, use(key);
        select.execute();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out[apps[i]] = {ids[i],     apps[i],     version[i], decision[i], reasons[i],
                            comment[i], reviewer[i], at[i],      deadline[i]};
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("list latest review decisions");
    }
}

ReviewRepository::NotificationPage ReviewRepository::notifications(const std::string& accountId,
                                                                   std::uint64_t offset,
                                                                   std::uint64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        NotificationPage page;
        std::string account = accountId, account2 = accountId;
        Poco::Int64 total = 0, unread = 0;
        session << db.sql(kCountNotifications), use(account), into(total), into(unread), now;
        page.total = static_cast<std::uint64_t>(total);
        page.unread = static_cast<std::uint64_t>(unread);
        auto lim = static_cast<Poco::Int64>(limit), off = static_cast<Poco::Int64>(offset);
        std::vector<std::string> apps, state, activity, number, ids, decision, reasons, comment,
            reviewer;
        std::vector<Poco::Int64> version, created, read, decided, deadline, decidedVersion;
        session << db.sql(kNotifications), use(account2), use(lim), use(off), into(apps),
            into(version), into(state), into(created), into(read), into(activity), into(number),
            into(ids), into(decidedVersion), into(decision), into(reasons), into(comment),
            into(reviewer), into(decided), into(deadline), now;
        for (std::size_t i = 0; i < apps.size(); ++i) {
            page.rows.push_back({apps[i],
                                 version[i],
                                 state[i],
                                 created[i],
                                 read[i],
                                 activity[i],
                                 number[i],
                                 {ids[i], apps[i], decidedVersion[i], decision[i], reasons[i],
                                  comment[i], reviewer[i], decided[i], deadline[i]}});
        }
        return page;
    } catch (...) {
        rethrowDatabaseError("list notifications");
    }
}

bool ReviewRepository::markRead(const std::string& accountId, const std::string& applicationId,
                                std::int64_t applicationVersion, std::int64_t nowMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        std::string account = accountId, app = applicationId;
        Poco::Int64 at = nowMicros, version = applicationVersion;
        Poco::Data::Statement mark(session);
        mark << db.sql(kMarkRead), use(at), use(account), use(app), use(version);
        return mark.execute() > 0;
    } catch (...) {
        rethrowDatabaseError("mark notification read");
    }
}

}  // namespace dossier::storage
