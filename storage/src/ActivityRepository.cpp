#include "dossier/storage/ActivityRepository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

#define DOSSIER_ACTIVITY_COLUMNS                                                               \
    "code, title, kind, template_id, opens_at_us, closes_at_us, review_until_us, "             \
    "evidence_json, completing_units, recommending_list, allow_return, last_number, version, " \
    "created_at_us, COALESCE(created_by, ''), updated_at_us, COALESCE(updated_by, '')"

// A taken code inserts nothing (ON CONFLICT DO NOTHING: both dialects): judged by the count.
constexpr std::string_view kInsert =
    "INSERT INTO activities (code, title, kind, template_id, opens_at_us, closes_at_us, "
    "review_until_us, evidence_json, completing_units, recommending_list, allow_return, "
    "last_number, version, created_at_us, created_by, updated_at_us, updated_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, NULLIF(?, ''), ?, NULLIF(?, '')) "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kUpdate =
    "UPDATE activities SET title = ?, kind = ?, template_id = ?, opens_at_us = ?, "
    "closes_at_us = ?, review_until_us = ?, evidence_json = ?, completing_units = ?, "
    "recommending_list = ?, allow_return = ?, version = version + 1, updated_at_us = ?, "
    "updated_by = NULLIF(?, '') WHERE code = ? AND version = ?";
constexpr std::string_view kSelect =
    "SELECT " DOSSIER_ACTIVITY_COLUMNS " FROM activities WHERE code = ?";
constexpr std::string_view kListAll =
    "SELECT " DOSSIER_ACTIVITY_COLUMNS " FROM activities ORDER BY opens_at_us DESC, code";
constexpr std::string_view kListOpen =
    "SELECT " DOSSIER_ACTIVITY_COLUMNS
    " FROM activities WHERE opens_at_us <= ? AND closes_at_us > ? ORDER BY closes_at_us, code";

struct ActivityColumns {
    std::vector<std::string> code, title, kind, templateId, evidence, list, createdBy, updatedBy;
    std::vector<Poco::Int64> opens, closes, review, lastNumber, version, created, updated;
    std::vector<int> units, allowReturn;

    void bind(Poco::Data::Statement& s) {
        s, into(code), into(title), into(kind), into(templateId), into(opens), into(closes),
            into(review), into(evidence), into(units), into(list), into(allowReturn),
            into(lastNumber), into(version), into(created), into(createdBy), into(updated),
            into(updatedBy);
    }
    std::vector<ActivityRow> rows() const {
        std::vector<ActivityRow> out(code.size());
        for (std::size_t i = 0; i < code.size(); ++i) {
            auto& r = out[i];
            r.code = code[i];
            r.title = title[i];
            r.kind = kind[i];
            r.templateId = templateId[i];
            r.opensAtMicros = opens[i];
            r.closesAtMicros = closes[i];
            r.reviewUntilMicros = review[i];
            r.evidenceJson = evidence[i];
            r.completingUnits = units[i];
            r.recommendingList = list[i];
            r.allowReturn = allowReturn[i] != 0;
            r.lastNumber = lastNumber[i];
            r.version = version[i];
            r.createdAtMicros = created[i];
            r.createdBy = createdBy[i];
            r.updatedAtMicros = updated[i];
            r.updatedBy = updatedBy[i];
        }
        return out;
    }
};

}  // namespace

bool ActivityRepository::insert(const ActivityRow& row, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string code = row.code, title = row.title, kind = row.kind, tpl = row.templateId,
                    evidence = row.evidenceJson, list = row.recommendingList, by = row.createdBy,
                    by2 = row.updatedBy;
        Poco::Int64 opens = row.opensAtMicros, closes = row.closesAtMicros,
                    review = row.reviewUntilMicros, created = row.createdAtMicros,
                    updated = row.updatedAtMicros;
        int units = row.completingUnits, allow = row.allowReturn ? 1 : 0;
        Poco::Data::Statement insert(session);
        insert << db.sql(kInsert), use(code), use(title), use(kind), use(tpl), use(opens),
            use(closes), use(review), use(evidence), use(units), use(list), use(allow),
            use(created), use(by), use(updated), use(by2);
        if (insert.execute() == 0) return false;  // the code is taken; rolled back
        insertAuditRow(db, session, audit);
        tx.commit();
        return true;
    } catch (...) {
        rethrowDatabaseError("insert activity");
    }
}

ActivityRepository::Outcome ActivityRepository::update(const ActivityRow& row,
                                                       std::int64_t expectedVersion,
                                                       const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::string code = row.code, title = row.title, kind = row.kind, tpl = row.templateId,
                    evidence = row.evidenceJson, list = row.recommendingList, by = row.updatedBy;
        Poco::Int64 opens = row.opensAtMicros, closes = row.closesAtMicros,
                    review = row.reviewUntilMicros, updated = row.updatedAtMicros,
                    expected = expectedVersion;
        int units = row.completingUnits, allow = row.allowReturn ? 1 : 0;
        Poco::Data::Statement change(session);
        change << db.sql(kUpdate), use(title), use(kind), use(tpl), use(opens), use(closes),
            use(review), use(evidence), use(units), use(list), use(allow), use(updated), use(by),
            use(code), use(expected);
        if (change.execute() == 0) {
            std::vector<std::string> found;
            std::string key = row.code;
            session << db.sql("SELECT code FROM activities WHERE code = ?"), use(key), into(found),
                now;
            return found.empty() ? Outcome::NotFound : Outcome::VersionMismatch;
        }
        insertAuditRow(db, session, audit);
        tx.commit();
        return Outcome::Saved;
    } catch (...) {
        rethrowDatabaseError("update activity");
    }
}

std::optional<ActivityRow> ActivityRepository::find(const std::string& code) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        // Every application request reads its activity: one round trip (SqlStatement).
        SqlStatement select(db, session, kSelect, 17);
        select.bind(code);
        if (select.execute() == 0) return std::nullopt;
        ActivityRow r;
        r.code = select.text(0, 0);
        r.title = select.text(0, 1);
        r.kind = select.text(0, 2);
        r.templateId = select.text(0, 3);
        r.opensAtMicros = select.integer(0, 4);
        r.closesAtMicros = select.integer(0, 5);
        r.reviewUntilMicros = select.integer(0, 6);
        r.evidenceJson = select.text(0, 7);
        r.completingUnits = static_cast<int>(select.integer(0, 8));
        r.recommendingList = select.text(0, 9);
        r.allowReturn = select.integer(0, 10) != 0;
        r.lastNumber = select.integer(0, 11);
        r.version = select.integer(0, 12);
        r.createdAtMicros = select.integer(0, 13);
        r.createdBy = select.text(0, 14);
        r.updatedAtMicros = select.integer(0, 15);
        r.updatedBy = select.text(0, 16);
        return r;
    } catch (...) {
        rethrowDatabaseError("find activity");
    }
}

std::vector<ActivityRow> ActivityRepository::list(std::optional<std::int64_t> openAtMicros) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        ActivityColumns c;
        Poco::Data::Statement select(session);
        select << db.sql(openAtMicros ? kListOpen : kListAll);
        c.bind(select);
        Poco::Int64 at = openAtMicros.value_or(0), at2 = at;
        if (openAtMicros) select, use(at), use(at2);
        select.execute();
        return c.rows();
    } catch (...) {
        rethrowDatabaseError("list activities");
    }
}

}  // namespace dossier::storage
