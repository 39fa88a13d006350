#include "dossier/storage/FilingRepository.h"

#include <Poco/Data/Session.h>

#include <set>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::string_view kColumns =
    "id, organization_id, version, state, revision, name, province, data_json, reasons_json, "
    "review_comment, created_at_us, updated_at_us, COALESCE(submitted_at_us, 0), "
    "COALESCE(submitted_by, ''), COALESCE(decided_at_us, 0), COALESCE(decided_by, '')";
// The list leaves out the data (up to 64 KB a row) and the comment.
constexpr std::string_view kListColumns =
    "id, organization_id, version, state, revision, name, province, '', reasons_json, '', "
    "created_at_us, updated_at_us, COALESCE(submitted_at_us, 0), COALESCE(submitted_by, ''), "
    "COALESCE(decided_at_us, 0), COALESCE(decided_by, '')";
constexpr std::string_view kInsert =
    "INSERT INTO filings (id, organization_id, version, state, revision, name, name_key, "
    "province, data_json, created_at_us, updated_at_us) "
    "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kOpenOrVersionTaken =
    "SELECT COUNT(*) FROM filings WHERE organization_id = ? "
    "AND (state IN ('draft', 'submitted', 'rejected') OR version = ?)";
// Editing a rejected version makes it a draft again; a submitted one is under review and
// an approved one stays as it was approved (its edits go to a new version).
constexpr std::string_view kSaveDraft =
    "UPDATE filings SET state = 'draft', revision = revision + 1, name = ?, name_key = ?, "
    "province = ?, data_json = ?, updated_at_us = ? "
    "WHERE id = ? AND revision = ? AND state IN ('draft', 'rejected')";
constexpr std::string_view kSubmit =
    "UPDATE filings SET state = 'submitted', revision = revision + 1, submitted_at_us = ?, "
    "submitted_by = ?, updated_at_us = ? "
    "WHERE id = ? AND revision = ? AND state IN ('draft', 'rejected')";
// Only an account that still exists: a deregistration that commits first (it anonymises the
// row and needs first_submission_us IS NULL) leaves no row here, and the submit rolls back.
constexpr std::string_view kFirstSubmission =
    "UPDATE accounts SET first_submission_us = COALESCE(first_submission_us, ?) "
    "WHERE id = ? AND deregistered_at_us IS NULL";
constexpr std::string_view kSupersede =
    "UPDATE filings SET state = 'superseded', revision = revision + 1, updated_at_us = ? "
    "WHERE organization_id = ? AND state = 'approved' AND id <> ? RETURNING id";
constexpr std::string_view kDecide =
    "UPDATE filings SET state = ?, revision = revision + 1, reasons_json = ?, "
    "review_comment = ?, decided_at_us = ?, decided_by = ?, updated_at_us = ? "
    "WHERE id = ? AND state = 'submitted'";
constexpr std::string_view kDropUses = "DELETE FROM document_uses WHERE used_by = ?";
constexpr std::string_view kInsertUse =
    "INSERT INTO document_uses (document_id, used_by) VALUES (?, ?)";

/// The rows of a statement selecting kColumns or kListColumns (16 columns).
std::vector<FilingRow> rowsOf(const SqlStatement& select) {
    std::vector<FilingRow> out(select.rows());
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto& r = out[i];
        r.id = select.text(i, 0);
        r.organizationId = select.text(i, 1);
        r.version = static_cast<int>(select.integer(i, 2));
        r.state = select.text(i, 3);
        r.revision = select.integer(i, 4);
        r.name = select.text(i, 5);
        r.province = select.text(i, 6);
        r.dataJson = select.text(i, 7);
        r.reasonsJson = select.text(i, 8);
        r.reviewComment = select.text(i, 9);
        r.createdAtMicros = select.integer(i, 10);
        r.updatedAtMicros = select.integer(i, 11);
        r.submittedAtMicros = select.integer(i, 12);
        r.submittedBy = select.text(i, 13);
        r.decidedAtMicros = select.integer(i, 14);
        r.decidedBy = select.text(i, 15);
    }
    return out;
}

// The filing pages and saves read the organization's versions: one round trip (SqlStatement).
std::vector<FilingRow> selectRows(Database::Impl& db, const std::string& where,
                                  const std::string& key, const char* what) {
    try {
        auto session = db.session();
        SqlStatement select(db, session,
                            "SELECT " + std::string(kColumns) + " FROM filings WHERE " + where, 16);
        select.bind(key);
        select.execute();
        return rowsOf(select);
    } catch (...) {
        rethrowDatabaseError(what);
    }
}

/// The version's document uses become exactly `documentIds` (duplicates once).
void replaceUses(Database::Impl& db, Poco::Data::Session& session, const std::string& filingId,
                 const std::vector<std::string>& documentIds) {
    std::string usedBy = "filing:" + filingId;
    session << db.sql(kDropUses), use(usedBy), now;
    std::set<std::string> unique(documentIds.begin(), documentIds.end());
    for (const auto& documentId : unique) {
        if (documentId.empty()) continue;
        std::string doc = documentId, by = usedBy;
        session << db.sql(kInsertUse), use(doc), use(by), now;
    }
}

}  // namespace

std::string FilingRepository::nameKey(const std::string& name) {
    std::string key = name;
    for (auto& c : key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
}

std::vector<FilingRow> FilingRepository::forOrganization(const std::string& organizationId) {
    return selectRows(db_.impl(), "organization_id = ? ORDER BY version DESC", organizationId,
                      "list filings of organization");
}

std::optional<FilingRow> FilingRepository::find(const std::string& id) {
    auto rows = selectRows(db_.impl(), "id = ?", id, "find filing");
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::optional<FilingRow> FilingRepository::approved(const std::string& organizationId) {
    auto rows = selectRows(db_.impl(), "organization_id = ? AND state = 'approved'", organizationId,
                           "find approved filing");
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

bool FilingRepository::insert(const FilingRow& row, const std::vector<std::string>& documentIds,
                              const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string id = row.id, org = row.organizationId, name = row.name, key = nameKey(row.name),
                    province = row.province, data = row.dataJson;
        int version = row.version;
        Poco::Int64 revision = row.revision, created = row.createdAtMicros,
                    updated = row.updatedAtMicros;
        session << db.sql(kInsert), use(id), use(org), use(version), use(revision), use(name),
            use(key), use(province), use(data), use(created), use(updated), now;
        replaceUses(db, session, row.id, documentIds);
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        // A concurrent save may have opened a version between our read and our insert: the
        // unique indexes refused this one. Report that, not a database failure.
        try {
            auto session = db.session();
            std::string org = row.organizationId;
            int version = row.version;
            Poco::Int64 n = 0;
            session << db.sql(kOpenOrVersionTaken), into(n), use(org), use(version), now;
            if (n > 0) return false;
        } catch (...) {
        }
        rethrowDatabaseError("insert filing");
    }
}

bool FilingRepository::saveDraft(const std::string& id, std::int64_t expectedRevision,
                                 const std::string& name, const std::string& province,
                                 const std::string& dataJson, std::int64_t nowMicros,
                                 const std::vector<std::string>* documentIds,
                                 const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement update(db, session, kSaveDraft);
        update.bind(name)
            .bind(nameKey(name))
            .bind(province)
            .bind(dataJson)
            .bind(nowMicros)
            .bind(id)
            .bind(expectedRevision);
        if (update.execute() == 0) return false;  // rolled back: nothing changed
        if (documentIds) replaceUses(db, session, id, *documentIds);
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("save filing draft");
    }
}

FilingRepository::SubmitOutcome FilingRepository::submit(
    const std::string& id, std::int64_t expectedRevision, const std::string& accountId,
    std::int64_t nowMicros, const std::vector<std::string>& documentIds, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string key = id, account = accountId, account2 = accountId;
        Poco::Int64 when = nowMicros, when2 = nowMicros, when3 = nowMicros,
                    expected = expectedRevision;
        Poco::Data::Statement update(session);
        update << db.sql(kSubmit), use(when), use(account), use(when2), use(key), use(expected);
        if (update.execute() == 0) return SubmitOutcome::Changed;
        Poco::Data::Statement mark(session);
        mark << db.sql(kFirstSubmission), use(when3), use(account2);
        if (mark.execute() == 0) return SubmitOutcome::SubmitterDeregistered;  // rolls back
        replaceUses(db, session, id, documentIds);
        insertAuditRow(db, session, audit);
        tx.commit();
        return SubmitOutcome::Submitted;
    } catch (...) {
        rethrowDatabaseError("submit filing");
    }
}

bool FilingRepository::decide(
    const std::string& id, const std::string& organizationId, bool approve,
    const std::string& reviewerId, std::int64_t nowMicros, const std::string& reasonsJson,
    const std::string& comment, const AuditEntry& audit,
    const std::function<AuditEntry(const std::string&)>& supersededAudit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::vector<std::string> superseded;
        if (approve) {
            // Before the approval, or the one-approved index would refuse it. A racing
            // decision of the same version waits here (PostgreSQL: the old row's lock) or at
            // BEGIN (SQLite), then finds the version no longer submitted and rolls this back.
            std::string org = organizationId, self = id;
            Poco::Int64 when = nowMicros;
            session << db.sql(kSupersede), use(when), use(org), use(self), into(superseded), now;
        }
        std::string state = approve ? "approved" : "rejected", reasons = reasonsJson,
                    text = comment, reviewer = reviewerId, key = id;
        Poco::Int64 when = nowMicros, when2 = nowMicros;
        Poco::Data::Statement update(session);
        update << db.sql(kDecide), use(state), use(reasons), use(text), use(when), use(reviewer),
            use(when2), use(key);
        if (update.execute() == 0) return false;  // rolled back: the supersession too
        insertAuditRow(db, session, audit);
        for (const auto& old : superseded) insertAuditRow(db, session, supersededAudit(old));
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("decide filing");
    }
}

std::vector<AuditEntry> FilingRepository::transitions(const std::vector<std::string>& filingIds) {
    std::vector<AuditEntry> out;
    if (filingIds.empty()) return out;
    auto& db = db_.impl();
    std::string sql =
        "SELECT id, at_us, COALESCE(account_id, ''), action, target, detail_json FROM audit_log "
        "WHERE target IN (";
    for (std::size_t i = 0; i < filingIds.size(); ++i) sql += i ? ", ?" : "?";
    sql += ") AND action NOT IN ('filing.draft_saved', 'filing.viewed') ORDER BY at_us, id";
    try {
        auto session = db.session();
        std::vector<std::string> targets;
        for (const auto& id : filingIds) targets.push_back("filing:" + id);
        std::vector<std::string> ids, accounts, actions, targetsOut, details;
        std::vector<Poco::Int64> ats;
        Poco::Data::Statement select(session);
        select << db.sql(sql), into(ids), into(ats), into(accounts), into(actions),
            into(targetsOut), into(details);
        for (auto& t : targets) select, use(t);
        select.execute();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out.push_back({ids[i], ats[i], accounts[i], actions[i], targetsOut[i], details[i]});
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("read filing history");
    }
}

FilingRepository::ListPage FilingRepository::list(const ListQuery& query) {
    auto& db = db_.impl();
    std::string where = "state IN (";
    for (std::size_t i = 0; i < query.states.size(); ++i) where += i ? ", ?" : "?";
    where += ")";
    if (!query.province.empty()) where += " AND province = ?";
    // Wildcards in the search text are text: % and _ escaped, and the escape itself.
    std::string pattern;
    if (!query.nameContains.empty()) {
        where += " AND name_key LIKE ? ESCAPE '!'";
        pattern = "%";
        for (char c : nameKey(query.nameContains)) {
            if (c == '%' || c == '_' || c == '!') pattern += '!';
            pattern += c;
        }
        pattern += "%";
    }
    try {
        auto session = db.session();
        auto bindFilters = [&](SqlStatement& s) {
            for (const auto& st : query.states) s.bind(st);
            if (!query.province.empty()) s.bind(query.province);
            if (!pattern.empty()) s.bind(pattern);
        };
        ListPage page;
        // Both statements go straight to libpq (SqlStatement): two round trips, not eight.
        SqlStatement count(db, session, "SELECT COUNT(*) FROM filings WHERE " + where, 1);
        bindFilters(count);
        count.execute();
        page.total = count.integer(0, 0);

        // The page's ids first, from an index that holds every filter and the order
        // (filings_review, filings_review_province, filings_listing), then only its rows:
        // ordering the rows themselves made PostgreSQL sort every match of a state (2,500 of
        // 10,000) for page 20, 9 ms where this takes 0.5.
        SqlStatement select(db, session,
                            "SELECT " + std::string(kListColumns) +
                                " FROM filings WHERE id IN (SELECT id FROM filings WHERE " + where +
                                " ORDER BY submitted_at_us, id LIMIT ? OFFSET ?)"
                                " ORDER BY submitted_at_us, id",
                            16);
        bindFilters(select);
        select.bind(static_cast<std::int64_t>(query.limit))
            .bind(static_cast<std::int64_t>(query.offset));
        select.execute();
        page.rows = rowsOf(select);
        return page;
    } catch (...) {
        rethrowDatabaseError("list filings");
    }
}

}  // namespace dossier::storage
