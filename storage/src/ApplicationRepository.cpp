#include "dossier/storage/ApplicationRepository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstdio>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "DocumentUses.h"
#include "NotificationRows.h"
#include "ProjectRows.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

#define DOSSIER_APPLICATION_HEAD "id, activity_code, organization_id, project_id, state, version, "
#define DOSSIER_APPLICATION_TAIL                                                               \
    "COALESCE(commitment_accepted_at_us, 0), COALESCE(commitment_accepted_by, ''), "           \
    "COALESCE(number, ''), COALESCE(filing_id, ''), created_at_us, COALESCE(created_by, ''), " \
    "updated_at_us, COALESCE(updated_by, ''), COALESCE(submitted_at_us, 0), "                  \
    "COALESCE(submitted_by, ''), state_changed_at_us, COALESCE(return_deadline_us, 0)"

constexpr std::string_view kSelect =
    "SELECT " DOSSIER_APPLICATION_HEAD
    "form_json, recommending_unit, contact_json, COALESCE(project_snapshot_json, "
    "''), " DOSSIER_APPLICATION_TAIL
    " FROM applications WHERE id = ? AND (organization_id = ? OR ? = '')";
// The list leaves out what may be large (the form, the snapshot).
constexpr std::string_view kList =
    "SELECT " DOSSIER_APPLICATION_HEAD "'', recommending_unit, '', '', " DOSSIER_APPLICATION_TAIL
    " FROM applications WHERE organization_id = ? "
    "ORDER BY CASE WHEN updated_at_us > state_changed_at_us THEN updated_at_us "
    "ELSE state_changed_at_us END DESC, id DESC LIMIT ? OFFSET ?";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM applications WHERE organization_id = ?";
constexpr std::string_view kDocuments =
    "SELECT document_id, role, evidence_kind FROM application_documents "
    "WHERE application_id = ? ORDER BY position";

// The project must be the organization's: the SELECT finds it or inserts nothing; so does a
// second application of the same (activity, organization, project) (the unique constraint).
constexpr std::string_view kInsert =
    "INSERT INTO applications (id, activity_code, organization_id, project_id, state, version, "
    "form_json, recommending_unit, contact_json, commitment_accepted_at_us, "
    "commitment_accepted_by, created_at_us, created_by, updated_at_us, updated_by, "
    "state_changed_at_us) "
    "SELECT ?, ?, ?, p.id, 'draft', 1, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), NULLIF(?, ''), "
    "CAST(? AS BIGINT), NULLIF(?, ''), CAST(? AS BIGINT), NULLIF(?, ''), CAST(? AS BIGINT) "
    "FROM projects p WHERE p.id = ? AND p.organization_id = ? "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kProjectOf =
    "SELECT id FROM projects WHERE id = ? AND organization_id = ?";
constexpr std::string_view kSave =
    "UPDATE applications SET form_json = ?, recommending_unit = ?, contact_json = ?, "
    "commitment_accepted_at_us = NULLIF(CAST(? AS BIGINT), 0), "
    "commitment_accepted_by = NULLIF(?, ''), "
    "version = version + 1, updated_at_us = ?, updated_by = NULLIF(?, '') "
    "WHERE id = ? AND organization_id = ? AND version = ? AND state IN ('draft', 'returned')";
constexpr std::string_view kStateOfSqlite =
    "SELECT state, version, activity_code, project_id, COALESCE(return_deadline_us, 0) "
    "FROM applications WHERE id = ? AND organization_id = ?";
// Racing submissions queue on the row: the one that waited then sees it submitted.
constexpr std::string_view kStateOfPostgres =
    "SELECT state, version, activity_code, project_id, COALESCE(return_deadline_us, 0) "
    "FROM applications WHERE id = ? AND organization_id = ? FOR UPDATE";
// The window is judged by the database at the instant the service read from its clock.
constexpr std::string_view kNextNumber =
    "UPDATE activities SET last_number = last_number + 1 "
    "WHERE code = ? AND opens_at_us <= ? AND closes_at_us > ? RETURNING last_number";
constexpr std::string_view kApprovedFiling =
    "SELECT id FROM filings WHERE organization_id = ? AND state = 'approved'";
// A deregistered account submits nothing: its deregistration checked first_submission_us in
// its own UPDATE, so of the two exactly one takes effect.
constexpr std::string_view kFirstSubmission =
    "UPDATE accounts SET first_submission_us = COALESCE(first_submission_us, ?) "
    "WHERE id = ? AND deregistered_at_us IS NULL";
constexpr std::string_view kSubmit =
    "UPDATE applications SET state = 'submitted', version = version + 1, "
    "number = COALESCE(number, NULLIF(?, '')), filing_id = ?, project_snapshot_json = ?, "
    "submitted_at_us = ?, submitted_by = ?, state_changed_at_us = ? "
    "WHERE id = ? AND version = ? AND state IN ('draft', 'returned')";
constexpr std::string_view kDropLinks =
    "DELETE FROM application_documents WHERE application_id = ?";
constexpr std::string_view kInsertLink =
    "INSERT INTO application_documents (application_id, document_id, role, evidence_kind, "
    "position) VALUES (?, ?, ?, ?, ?)";

// A return's deadline is compared in UTC microseconds, as every instant is stored.
constexpr std::string_view kDueReturns =
    "SELECT id FROM applications WHERE state = 'returned' AND return_deadline_us <= ? "
    "AND (organization_id = ? OR ? = '') ORDER BY return_deadline_us, id LIMIT ?";
constexpr std::string_view kLapseReturn =
    "UPDATE applications SET state = 'failed', version = version + 1, "
    "state_changed_at_us = return_deadline_us "
    "WHERE id = ? AND state = 'returned' AND return_deadline_us <= ?";

struct ApplicationColumns {
    std::vector<std::string> id, activity, org, project, state, form, unit, contact, snapshot,
        acceptedBy, number, filing, createdBy, updatedBy, submittedBy;
    std::vector<Poco::Int64> version, accepted, created, updated, submitted, changed, deadline;

    void bind(Poco::Data::Statement& s) {
        s, into(id), into(activity), into(org), into(project), into(state), into(version),
            into(form), into(unit), into(contact), into(snapshot), into(accepted), into(acceptedBy),
            into(number), into(filing), into(created), into(createdBy), into(updated),
            into(updatedBy), into(submitted), into(submittedBy), into(changed), into(deadline);
    }
    std::vector<ApplicationRow> rows() const {
        std::vector<ApplicationRow> out(id.size());
        for (std::size_t i = 0; i < id.size(); ++i) {
            auto& r = out[i];
            r.id = id[i];
            r.activityCode = activity[i];
            r.organizationId = org[i];
            r.projectId = project[i];
            r.state = state[i];
            r.version = version[i];
            r.formJson = form[i];
            r.recommendingUnit = unit[i];
            r.contactJson = contact[i];
            r.projectSnapshotJson = snapshot[i];
            r.commitmentAcceptedAtMicros = accepted[i];
            r.commitmentAcceptedBy = acceptedBy[i];
            r.number = number[i];
            r.filingId = filing[i];
            r.createdAtMicros = created[i];
            r.createdBy = createdBy[i];
            r.updatedAtMicros = updated[i];
            r.updatedBy = updatedBy[i];
            r.submittedAtMicros = submitted[i];
            r.submittedBy = submittedBy[i];
            r.stateChangedAtMicros = changed[i];
            r.returnDeadlineMicros = deadline[i];
        }
        return out;
    }
};

// Every request on an application reads it first: two round trips (SqlStatement), not eight.
std::optional<ApplicationRow> selectRow(Database::Impl& db, Poco::Data::Session& session,
                                        const std::string& id, const std::string& organizationId) {
    SqlStatement select(db, session, kSelect, 22);
    select.bind(id).bind(organizationId).bind(organizationId);
    if (select.execute() == 0) return std::nullopt;
    ApplicationRow r;
    r.id = select.text(0, 0);
    r.activityCode = select.text(0, 1);
    r.organizationId = select.text(0, 2);
    r.projectId = select.text(0, 3);
    r.state = select.text(0, 4);
    r.version = select.integer(0, 5);
    r.formJson = select.text(0, 6);
    r.recommendingUnit = select.text(0, 7);
    r.contactJson = select.text(0, 8);
    r.projectSnapshotJson = select.text(0, 9);
    r.commitmentAcceptedAtMicros = select.integer(0, 10);
    r.commitmentAcceptedBy = select.text(0, 11);
    r.number = select.text(0, 12);
    r.filingId = select.text(0, 13);
    r.createdAtMicros = select.integer(0, 14);
    r.createdBy = select.text(0, 15);
    r.updatedAtMicros = select.integer(0, 16);
    r.updatedBy = select.text(0, 17);
    r.submittedAtMicros = select.integer(0, 18);
    r.submittedBy = select.text(0, 19);
    r.stateChangedAtMicros = select.integer(0, 20);
    r.returnDeadlineMicros = select.integer(0, 21);
    SqlStatement documents(db, session, kDocuments, 3);
    documents.bind(id);
    for (std::size_t i = 0, n = documents.execute(); i < n; ++i) {
        r.documents.push_back({documents.text(i, 0), documents.text(i, 1), documents.text(i, 2)});
    }
    return r;
}

/// The state and version of the application, for a conditional statement that touched nothing.
struct Current {
    std::string state;
    std::int64_t version = 0;
    std::string activityCode;
    std::string projectId;
    std::int64_t returnDeadline = 0;
};

std::optional<Current> currentOf(Database::Impl& db, Poco::Data::Session& session,
                                 const std::string& id, const std::string& organizationId,
                                 bool lockRow) {
    std::string key = id, org = organizationId;
    std::vector<std::string> state, activity, project;
    std::vector<Poco::Int64> version, deadline;
    session << db.sql(lockRow && db.dialect == Dialect::PostgreSQL ? kStateOfPostgres
                                                                   : kStateOfSqlite),
        use(key), use(org), into(state), into(version), into(activity), into(project),
        into(deadline), now;
    if (state.empty()) return std::nullopt;
    return Current{state[0], version[0], activity[0], project[0], deadline[0]};
}

ApplicationRepository::Outcome whyNot(Database::Impl& db, Poco::Data::Session& session,
                                      const std::string& id, const std::string& organizationId) {
    auto current = currentOf(db, session, id, organizationId, false);
    if (!current) return ApplicationRepository::Outcome::NotFound;
    if (!ApplicationRow::isOpen(current->state)) return ApplicationRepository::Outcome::Locked;
    return ApplicationRepository::Outcome::VersionMismatch;
}

/// Checks every linked document (in link order) and makes the links and the document uses
/// exactly `row.documents`. The missing ids, in link order (then nothing was written).
std::vector<std::string> replaceLinks(Database::Impl& db, Poco::Data::Session& session,
                                      const ApplicationRow& row,
                                      const ApplicationRepository::KindsByRole& kinds) {
    std::vector<std::string> missing, ids;
    for (const auto& link : row.documents) {
        auto allowed = kinds.find(link.role);
        std::vector<std::string> none{"(none)"};
        auto gone = lockDocumentsOf(db, session, row.organizationId, {link.documentId},
                                    allowed == kinds.end() ? none : allowed->second);
        missing.insert(missing.end(), gone.begin(), gone.end());
        ids.push_back(link.documentId);
    }
    if (!missing.empty()) return missing;
    std::string key = row.id;
    session << db.sql(kDropLinks), use(key), now;
    int position = 0;
    for (const auto& link : row.documents) {
        std::string app = row.id, doc = link.documentId, role = link.role, kind = link.evidenceKind;
        int at = position++;
        session << db.sql(kInsertLink), use(app), use(doc), use(role), use(kind), use(at), now;
    }
    replaceDocumentUses(db, session, "application:" + row.id, ids);
    return {};
}

/// `detailJson` with "number" as its first member (the number is known only inside the
/// submission's transaction).
std::string withNumber(const std::string& detailJson, const std::string& number) {
    if (number.empty() || detailJson.empty() || detailJson.front() != '{') return detailJson;
    std::string rest = detailJson.substr(1);
    return "{\"number\":\"" + number + "\"" + (rest == "}" ? "" : ",") + rest;
}

}  // namespace

ApplicationRepository::Result ApplicationRepository::insert(const ApplicationRow& row,
                                                            const KindsByRole& kinds,
                                                            const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        std::string id = row.id, activity = row.activityCode, org = row.organizationId,
                    form = row.formJson, unit = row.recommendingUnit, contact = row.contactJson,
                    acceptedBy = row.commitmentAcceptedBy, createdBy = row.createdBy,
                    updatedBy = row.updatedBy, project = row.projectId, org2 = row.organizationId;
        Poco::Int64 accepted = row.commitmentAcceptedAtMicros, created = row.createdAtMicros,
                    updated = row.updatedAtMicros, changed = row.stateChangedAtMicros;
        Poco::Data::Statement insert(session);
        insert << db.sql(kInsert), use(id), use(activity), use(org), use(form), use(unit),
            use(contact), use(accepted), use(acceptedBy), use(created), use(createdBy),
            use(updated), use(updatedBy), use(changed), use(project), use(org2);
        if (insert.execute() == 0) {
            std::vector<std::string> found;
            std::string p = row.projectId, o = row.organizationId;
            session << db.sql(kProjectOf), use(p), use(o), into(found), now;
            result.outcome = found.empty() ? Outcome::ProjectMissing : Outcome::Exists;
            return result;
        }
        result.missing = replaceLinks(db, session, row, kinds);
        if (!result.missing.empty()) {
            result.outcome = Outcome::DocumentsMissing;
            return result;
        }
        insertAuditRow(db, session, audit);
        result.row = *selectRow(db, session, row.id, row.organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("insert application");
    }
}

ApplicationRepository::Result ApplicationRepository::save(const ApplicationRow& row,
                                                          std::int64_t expectedVersion,
                                                          const KindsByRole& kinds,
                                                          const AuditEntry& audit,
                                                          bool documentsChanged) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        SqlStatement change(db, session, kSave);
        change.bind(row.formJson)
            .bind(row.recommendingUnit)
            .bind(row.contactJson)
            .bind(row.commitmentAcceptedAtMicros)
            .bind(row.commitmentAcceptedBy)
            .bind(row.updatedAtMicros)
            .bind(row.updatedBy)
            .bind(row.id)
            .bind(row.organizationId)
            .bind(expectedVersion);
        if (change.execute() == 0) {
            result.outcome = whyNot(db, session, row.id, row.organizationId);
            return result;
        }
        if (documentsChanged) {
            result.missing = replaceLinks(db, session, row, kinds);
            if (!result.missing.empty()) {
                result.outcome = Outcome::DocumentsMissing;
                return result;
            }
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        // The UPDATE matched version = expected, set what `row` holds and version + 1; the
        // triggers only refuse. Reading it back would be two statements more per save.
        result.row = row;
        result.row.version = expectedVersion + 1;
        return result;
    } catch (...) {
        rethrowDatabaseError("save application");
    }
}

ApplicationRepository::Result ApplicationRepository::submit(const Submission& s,
                                                            const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        auto current = currentOf(db, session, s.id, s.organizationId, true);
        if (!current) {
            result.outcome = Outcome::NotFound;
            return result;
        }
        if (!ApplicationRow::isOpen(current->state)) {
            result.outcome = Outcome::Locked;
            return result;
        }
        if (current->version != s.expectedVersion) {
            result.outcome = Outcome::VersionMismatch;
            return result;
        }
        std::string number;
        if (current->state == "returned") {
            // Reopened by a reviewer until its deadline; it keeps its number.
            if (s.nowMicros >= current->returnDeadline) {
                result.outcome = Outcome::Closed;
                return result;
            }
        } else {
            std::string code = current->activityCode;
            Poco::Int64 at = s.nowMicros, at2 = s.nowMicros;
            std::vector<Poco::Int64> next;
            session << db.sql(kNextNumber), use(code), use(at), use(at2), into(next), now;
            if (next.empty()) {
                result.outcome = Outcome::Closed;
                return result;
            }
            char digits[32];
            std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(next[0]));
            number = current->activityCode + "-" + digits;
        }
        std::vector<std::string> filing;
        std::string org = s.organizationId;
        session << db.sql(kApprovedFiling), use(org), into(filing), now;
        if (filing.empty()) {
            result.outcome = Outcome::FilingMissing;
            return result;
        }
        auto project = lockProjectForSubmission(db, session, current->projectId, s.organizationId,
                                                s.nowMicros);
        if (!project) {
            result.outcome = Outcome::ProjectMissing;
            return result;
        }
        if (project->contentJson != s.expectedProjectJson) {
            result.outcome = Outcome::Changed;
            return result;
        }
        {
            Poco::Int64 at = s.nowMicros;
            std::string account = s.accountId;
            Poco::Data::Statement first(session);
            first << db.sql(kFirstSubmission), use(at), use(account);
            if (first.execute() == 0) {
                result.outcome = Outcome::AccountGone;
                return result;
            }
        }
        std::string num = number, filingId = filing[0], snapshot = project->contentJson,
                    by = s.accountId, id = s.id;
        Poco::Int64 at = s.nowMicros, at2 = s.nowMicros, expected = s.expectedVersion;
        Poco::Data::Statement submit(session);
        submit << db.sql(kSubmit), use(num), use(filingId), use(snapshot), use(at), use(by),
            use(at2), use(id), use(expected);
        if (submit.execute() == 0) {
            result.outcome = whyNot(db, session, s.id, s.organizationId);
            return result;
        }
        AuditEntry entry = audit;
        entry.detailJson = withNumber(audit.detailJson, number);
        insertAuditRow(db, session, entry);
        insertNotifications(db, session, s.id, s.nowMicros);
        result.row = *selectRow(db, session, s.id, s.organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("submit application");
    }
}

ApplicationRepository::Result ApplicationRepository::changeState(
    const std::string& id, const std::string& organizationId,
    const std::vector<std::string>& fromStates, const std::string& toState, std::int64_t nowMicros,
    const AuditEntry& audit, std::int64_t returnDeadlineMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        std::string in;
        for (std::size_t i = 0; i < fromStates.size(); ++i) in += i ? ", ?" : "?";
        std::string sql =
            "UPDATE applications SET state = ?, version = version + 1, state_changed_at_us = ?, "
            "return_deadline_us = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT) "
            "ELSE return_deadline_us END "
            "WHERE id = ? AND (organization_id = ? OR ? = '') AND state IN (" +
            in + ")";
        std::string to = toState, key = id, org = organizationId, org2 = organizationId;
        Poco::Int64 at = nowMicros, deadline = returnDeadlineMicros,
                    deadline2 = returnDeadlineMicros;
        std::vector<std::string> from = fromStates;
        Poco::Data::Statement change(session);
        change << db.sql(sql), use(to), use(at), use(deadline), use(deadline2), use(key), use(org),
            use(org2);
        for (auto& state : from) change, use(state);
        if (change.execute() == 0) {
            auto row = selectRow(db, session, id, organizationId);
            result.outcome = row ? Outcome::Locked : Outcome::NotFound;
            return result;
        }
        insertAuditRow(db, session, audit);
        insertNotifications(db, session, id, nowMicros);
        result.row = *selectRow(db, session, id, organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("change application state");
    }
}

std::vector<std::string> ApplicationRepository::dueReturns(std::int64_t nowMicros,
                                                           const std::string& organizationId,
                                                           std::int64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Poco::Int64 at = nowMicros, lim = limit;
        std::string org = organizationId, org2 = organizationId;
        std::vector<std::string> ids;
        session << db.sql(kDueReturns), use(at), use(org), use(org2), use(lim), into(ids), now;
        return ids;
    } catch (...) {
        rethrowDatabaseError("list lapsed returns");
    }
}

ApplicationRepository::Result ApplicationRepository::lapseReturn(const std::string& id,
                                                                 std::int64_t nowMicros,
                                                                 const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        std::string key = id;
        Poco::Int64 at = nowMicros;
        Poco::Data::Statement lapse(session);
        lapse << db.sql(kLapseReturn), use(key), use(at);
        if (lapse.execute() == 0) {
            result.outcome = selectRow(db, session, id, "") ? Outcome::Locked : Outcome::NotFound;
            return result;
        }
        insertAuditRow(db, session, audit);
        insertNotifications(db, session, id, nowMicros);
        result.row = *selectRow(db, session, id, "");
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("lapse returned application");
    }
}

std::optional<ApplicationRow> ApplicationRepository::find(const std::string& id,
                                                          const std::string& organizationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        return selectRow(db, session, id, organizationId);
    } catch (...) {
        rethrowDatabaseError("find application");
    }
}

ApplicationRepository::Page ApplicationRepository::list(const std::string& organizationId,
                                                        std::uint64_t offset, std::uint64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        Page page;
        std::string org = organizationId, org2 = organizationId;
        Poco::Int64 total = 0;
        session << db.sql(kCount), use(org), into(total), now;
        page.total = static_cast<std::uint64_t>(total);
        auto lim = static_cast<Poco::Int64>(limit), off = static_cast<Poco::Int64>(offset);
        ApplicationColumns c;
        Poco::Data::Statement select(session);
        select << db.sql(kList);
        c.bind(select);
        select, use(org2), use(lim), use(off);
        select.execute();
        page.rows = c.rows();
        return page;
    } catch (...) {
        rethrowDatabaseError("list applications");
    }
}

}  // namespace dossier::storage
