#include "dossier/storage/QcRepository.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "SqlStatement.h"

namespace dossier::storage {
namespace {

#define DOSSIER_QC_COLUMNS                                                           \
    "r.id, r.organization_id, r.kind, r.year, r.title, r.group_name, r.enterprise, " \
    "r.member_count, r.leader, COALESCE(r.founded_on, ''), r.source, r.version, "    \
    "r.created_at_us, COALESCE(r.created_by, ''), r.updated_at_us, COALESCE(r.updated_by, '')"
constexpr std::size_t kColumns = 16;

constexpr std::string_view kInsertHead =
    "INSERT INTO qc_records (id, organization_id, kind, year, title, group_name, enterprise, "
    "member_count, leader, founded_on, source, version, created_at_us, created_by, "
    "updated_at_us, updated_by) VALUES ";
constexpr std::string_view kInsertValues =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, 1, ?, NULLIF(?, ''), ?, NULLIF(?, ''))";
// The unique key decides: a concurrent insert of the same key commits first or waits.
constexpr std::string_view kInsertTail =
    " ON CONFLICT (organization_id, kind, title, group_name) DO NOTHING RETURNING id";
constexpr std::string_view kUpdate =
    "UPDATE qc_records SET year = ?, title = ?, group_name = ?, enterprise = ?, "
    "member_count = ?, leader = ?, founded_on = NULLIF(?, ''), version = version + 1, "
    "updated_at_us = ?, updated_by = NULLIF(?, '') "
    "WHERE id = ? AND organization_id = ? AND (? = 0 OR version = ?)";
constexpr std::string_view kSelect =
    "SELECT " DOSSIER_QC_COLUMNS " FROM qc_records r WHERE r.id = ? AND r.organization_id = ?";
constexpr std::string_view kClash =
    "SELECT COUNT(*) FROM qc_records WHERE organization_id = ? AND kind = ? AND title = ? "
    "AND group_name = ? AND id <> ?";
constexpr std::string_view kList = "SELECT " DOSSIER_QC_COLUMNS
                                   " FROM qc_records r WHERE r.organization_id = ? "
                                   "AND (? = '' OR r.kind = ?) AND (? = 0 OR r.year = ?) "
                                   "ORDER BY r.created_at_us, r.id LIMIT ? OFFSET ?";
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM qc_records r WHERE r.organization_id = ? "
    "AND (? = '' OR r.kind = ?) AND (? = 0 OR r.year = ?)";
constexpr std::string_view kSummary =
    "SELECT " DOSSIER_QC_COLUMNS
    ", o.name FROM qc_records r "
    "JOIN organizations o ON o.id = r.organization_id "
    "WHERE r.year = ? AND (? = '' OR r.organization_id = ?) "
    "ORDER BY o.name, r.organization_id, r.kind, r.created_at_us, r.id";
constexpr std::string_view kCounts =
    "SELECT group_count, team_count, updated_at_us FROM qc_year_counts "
    "WHERE organization_id = ? AND year = ?";
constexpr std::string_view kFiled =
    "SELECT kind, COUNT(*) FROM qc_records WHERE organization_id = ? AND year = ? GROUP BY kind";
constexpr std::string_view kSaveCounts =
    "INSERT INTO qc_year_counts (organization_id, year, group_count, team_count, updated_at_us, "
    "updated_by) VALUES (?, ?, ?, ?, ?, NULLIF(?, '')) ON CONFLICT (organization_id, year) DO "
    "UPDATE SET group_count = excluded.group_count, team_count = excluded.team_count, "
    "updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by";

// SQLite: 15 bound values a row; 200 rows a statement stays far below its limit on bound
// parameters. It runs in-process, so the number of statements costs little.
constexpr std::size_t kBatch = 200;

// PostgreSQL: a statement of 1,000 rows whose 15 parameters are arrays (a column each),
// unnested in the caller's order. 200-row VALUES statements cost the server a parse
// and a bind of 3,000 parameters each (~3-9 ms, plus ~5-12 ms of execution): 0.9 s of a
// 10,000-row import, where these statements take ~0.2 s in all (qc_import_bench).
constexpr std::string_view kImportUnnest =
    "INSERT INTO qc_records (id, organization_id, kind, year, title, group_name, enterprise, "
    "member_count, leader, founded_on, source, version, created_at_us, created_by, "
    "updated_at_us, updated_by) "
    "SELECT t.id, t.organization_id, t.kind, t.year, t.title, t.group_name, t.enterprise, "
    "t.member_count, t.leader, NULLIF(t.founded_on, ''), t.source, 1, t.created_at_us, "
    "NULLIF(t.created_by, ''), t.updated_at_us, NULLIF(t.updated_by, '') "
    "FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], "
    "?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], "
    "?::bigint[], ?::text[]) WITH ORDINALITY AS t(id, organization_id, kind, year, title, "
    "group_name, enterprise, member_count, leader, founded_on, source, created_at_us, "
    "created_by, updated_at_us, updated_by, n) "
    // The caller's order is the lock order (see importRows).
    "ORDER BY t.n"
    " ON CONFLICT (organization_id, kind, title, group_name) DO NOTHING RETURNING id";

// Rows a PostgreSQL statement: its arrays stay ~0.3 MB (libpq keeps a connection's largest
// message buffer for the connection's life) and 10,000 rows take 10 round trips.
constexpr std::size_t kUnnestBatch = 1000;

/// Binds the 15 array parameters of kImportUnnest: the values of rows[order[start..end)],
/// text elements quoted (so commas, braces, quotes, backslashes and spaces are data).
void bindArrays(SqlStatement& s, const std::vector<QcRecordRow>& rows,
                const std::vector<std::size_t>& order, std::size_t start, std::size_t end) {
    std::array<std::string, 15> a;
    for (auto& literal : a) literal = "{";
    auto text = [](std::string& out, const std::string& value) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : value) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    };
    auto number = [](std::string& out, std::int64_t value) {
        if (out.size() > 1) out += ',';
        out += std::to_string(value);
    };
    for (std::size_t i = start; i < end; ++i) {
        const QcRecordRow& r = rows[order[i]];
        text(a[0], r.id);
        text(a[1], r.organizationId);
        text(a[2], r.kind);
        number(a[3], r.year);
        text(a[4], r.title);
        text(a[5], r.groupName);
        text(a[6], r.enterprise);
        number(a[7], r.memberCount);
        text(a[8], r.leader);
        text(a[9], r.foundedOn);
        text(a[10], r.source);
        number(a[11], r.createdAtMicros);
        text(a[12], r.createdBy);
        number(a[13], r.updatedAtMicros);
        text(a[14], r.updatedBy);
    }
    for (auto& literal : a) {
        literal += '}';
        s.bind(literal);
    }
}

QcRecordRow rowOf(const SqlStatement& s, std::size_t i) {
    QcRecordRow r;
    r.id = s.text(i, 0);
    r.organizationId = s.text(i, 1);
    r.kind = s.text(i, 2);
    r.year = s.integer(i, 3);
    r.title = s.text(i, 4);
    r.groupName = s.text(i, 5);
    r.enterprise = s.text(i, 6);
    r.memberCount = s.integer(i, 7);
    r.leader = s.text(i, 8);
    r.foundedOn = s.text(i, 9);
    r.source = s.text(i, 10);
    r.version = s.integer(i, 11);
    r.createdAtMicros = s.integer(i, 12);
    r.createdBy = s.text(i, 13);
    r.updatedAtMicros = s.integer(i, 14);
    r.updatedBy = s.text(i, 15);
    return r;
}

void bindRow(SqlStatement& s, const QcRecordRow& r) {
    s.bind(r.id).bind(r.organizationId).bind(r.kind).bind(r.year).bind(r.title).bind(r.groupName);
    s.bind(r.enterprise).bind(r.memberCount).bind(r.leader).bind(r.foundedOn).bind(r.source);
    s.bind(r.createdAtMicros).bind(r.createdBy).bind(r.updatedAtMicros).bind(r.updatedBy);
}

std::optional<QcRecordRow> selectRow(Database::Impl& db, Poco::Data::Session& session,
                                     const std::string& id, const std::string& org) {
    SqlStatement s(db, session, kSelect, kColumns);
    s.bind(id).bind(org);
    if (s.execute() == 0) return std::nullopt;
    return rowOf(s, 0);
}

/// A unique-key violation (SQLSTATE 23505; SQLite's "UNIQUE constraint failed").
bool isUniqueViolation(const Poco::Exception& e) {
    std::string text = e.displayText();
    return text.find("23505") != std::string::npos ||
           text.find("UNIQUE constraint failed") != std::string::npos;
}

}  // namespace

QcRepository::Result QcRepository::insert(const QcRecordRow& row, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        SqlStatement s(
            db, session,
            std::string(kInsertHead) + std::string(kInsertValues) + std::string(kInsertTail), 1);
        bindRow(s, row);
        Result result;
        if (s.execute() == 0) {
            result.outcome = Outcome::Duplicate;
            return result;
        }
        insertAuditRow(db, session, audit);
        result.row = *selectRow(db, session, row.id, row.organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("insert qc record");
    }
}

QcRepository::Result QcRepository::update(const QcRecordRow& row,
                                          std::optional<std::int64_t> expectedVersion,
                                          const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        auto current = selectRow(db, session, row.id, row.organizationId);
        if (!current) {
            result.outcome = Outcome::NotFound;
            return result;
        }
        SqlStatement clash(db, session, kClash, 1);
        clash.bind(row.organizationId)
            .bind(current->kind)
            .bind(row.title)
            .bind(row.groupName)
            .bind(row.id);
        clash.execute();
        if (clash.integer(0, 0) > 0) {
            result.outcome = Outcome::Duplicate;
            return result;
        }
        SqlStatement s(db, session, kUpdate);
        std::int64_t expected = expectedVersion.value_or(0);
        s.bind(row.year).bind(row.title).bind(row.groupName).bind(row.enterprise);
        s.bind(row.memberCount).bind(row.leader).bind(row.foundedOn).bind(row.updatedAtMicros);
        s.bind(row.updatedBy).bind(row.id).bind(row.organizationId).bind(expected).bind(expected);
        if (s.execute() == 0) {
            result.outcome = Outcome::VersionMismatch;
            return result;
        }
        insertAuditRow(db, session, audit);
        result.row = *selectRow(db, session, row.id, row.organizationId);
        tx.commit();
        return result;
    } catch (const Poco::Exception& e) {
        // Another save took the key between the check and the update.
        if (isUniqueViolation(e)) return Result{Outcome::Duplicate, {}};
        rethrowDatabaseError("update qc record");
    } catch (...) {
        rethrowDatabaseError("update qc record");
    }
}

std::optional<QcRecordRow> QcRepository::find(const std::string& id,
                                              const std::string& organizationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        return selectRow(db, session, id, organizationId);
    } catch (...) {
        rethrowDatabaseError("select qc record");
    }
}

QcRecordPage QcRepository::list(const std::string& organizationId, const std::string& kind,
                                std::int64_t year, std::uint64_t offset, std::uint64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        QcRecordPage page;
        SqlStatement s(db, session, kList, kColumns);
        s.bind(organizationId).bind(kind).bind(kind).bind(year).bind(year);
        s.bind(static_cast<std::int64_t>(limit)).bind(static_cast<std::int64_t>(offset));
        std::size_t n = s.execute();
        for (std::size_t i = 0; i < n; ++i) page.rows.push_back(rowOf(s, i));
        SqlStatement c(db, session, kCount, 1);
        c.bind(organizationId).bind(kind).bind(kind).bind(year).bind(year);
        c.execute();
        page.total = static_cast<std::uint64_t>(c.integer(0, 0));
        return page;
    } catch (...) {
        rethrowDatabaseError("list qc records");
    }
}

std::vector<QcRecordRow> QcRepository::summary(const std::string& organizationId,
                                               std::int64_t year) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlStatement s(db, session, kSummary, kColumns + 1);
        s.bind(year).bind(organizationId).bind(organizationId);
        std::size_t n = s.execute();
        std::vector<QcRecordRow> rows;
        rows.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            rows.push_back(rowOf(s, i));
            rows.back().organizationName = s.text(i, kColumns);
        }
        return rows;
    } catch (...) {
        rethrowDatabaseError("qc summary");
    }
}

std::vector<bool> QcRepository::importRows(
    const std::vector<QcRecordRow>& rows, AuditEntry audit,
    const std::function<std::string(const std::vector<bool>&)>& finishAudit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        std::vector<bool> inserted(rows.size(), false);
        std::map<std::string, std::size_t> indexOf;
        for (std::size_t i = 0; i < rows.size(); ++i) indexOf.emplace(rows[i].id, i);
        // In key order: two imports that share rows take the unique index's locks in the same
        // order, so on PostgreSQL one waits for the other instead of deadlocking.
        std::vector<std::size_t> order(rows.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
            return std::tie(rows[a].kind, rows[a].title, rows[a].groupName) <
                   std::tie(rows[b].kind, rows[b].title, rows[b].groupName);
        });
        auto collect = [&](SqlStatement& s) {
            std::size_t n = s.execute();
            for (std::size_t k = 0; k < n; ++k) {
                auto it = indexOf.find(s.text(k, 0));
                if (it != indexOf.end()) inserted[it->second] = true;
            }
        };
        bool postgres = db.dialect == Dialect::PostgreSQL;
        std::size_t batch = postgres ? kUnnestBatch : kBatch;
        for (std::size_t start = 0; start < rows.size(); start += batch) {
            std::size_t end = std::min(rows.size(), start + batch);
            if (postgres) {
                SqlStatement s(db, session, kImportUnnest, 1);
                bindArrays(s, rows, order, start, end);
                collect(s);
                continue;
            }
            std::string sql(kInsertHead);
            for (std::size_t i = start; i < end; ++i) {
                if (i > start) sql += ", ";
                sql += kInsertValues;
            }
            sql += kInsertTail;
            SqlStatement s(db, session, sql, 1);
            for (std::size_t i = start; i < end; ++i) bindRow(s, rows[order[i]]);
            collect(s);
        }
        audit.detailJson = finishAudit(inserted);
        insertAuditRow(db, session, audit);
        tx.commit();
        return inserted;
    } catch (...) {
        rethrowDatabaseError("import qc records");
    }
}

QcYearCounts QcRepository::counts(const std::string& organizationId, std::int64_t year) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        QcYearCounts out;
        out.year = year;
        SqlStatement s(db, session, kCounts, 3);
        s.bind(organizationId).bind(year);
        if (s.execute() > 0) {
            out.groups = s.integer(0, 0);
            out.teams = s.integer(0, 1);
            out.updatedAtMicros = s.integer(0, 2);
        }
        SqlStatement f(db, session, kFiled, 2);
        f.bind(organizationId).bind(year);
        std::size_t n = f.execute();
        for (std::size_t i = 0; i < n; ++i) {
            if (f.text(i, 0) == "group") out.filedGroups = f.integer(i, 1);
            if (f.text(i, 0) == "team") out.filedTeams = f.integer(i, 1);
        }
        return out;
    } catch (...) {
        rethrowDatabaseError("qc counts");
    }
}

QcYearCounts QcRepository::saveCounts(const std::string& organizationId, std::int64_t year,
                                      std::int64_t groups, std::int64_t teams,
                                      std::int64_t atMicros, const std::string& accountId,
                                      const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        {
            auto session = db.session();
            SqlTransaction tx(db, session);
            SqlStatement s(db, session, kSaveCounts);
            s.bind(organizationId)
                .bind(year)
                .bind(groups)
                .bind(teams)
                .bind(atMicros)
                .bind(accountId);
            s.execute();
            insertAuditRow(db, session, audit);
            tx.commit();
        }
        return counts(organizationId, year);
    } catch (...) {
        rethrowDatabaseError("save qc counts");
    }
}

}  // namespace dossier::storage
