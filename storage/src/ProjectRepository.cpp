#include "dossier/storage/ProjectRepository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"
#include "DocumentUses.h"
#include "ProjectRows.h"

namespace dossier::storage {
namespace {

using namespace Poco::Data::Keywords;

#define DOSSIER_PROJECT_COLUMNS                                                        \
    "id, organization_id, name, keywords_json, content_json, version, created_at_us, " \
    "COALESCE(created_by, ''), updated_at_us, COALESCE(updated_by, ''), "              \
    "COALESCE(locked_at_us, 0)"

constexpr std::string_view kInsert =
    "INSERT INTO projects (id, organization_id, name, keywords_json, content_json, version, "
    "created_at_us, created_by, updated_at_us, updated_by) "
    "VALUES (?, ?, ?, ?, ?, 1, ?, NULLIF(?, ''), ?, NULLIF(?, ''))";
// Conditional on the version the caller read: a save that lost a race changes nothing.
constexpr std::string_view kUpdate =
    "UPDATE projects SET name = ?, keywords_json = ?, content_json = ?, version = version + 1, "
    "updated_at_us = ?, updated_by = NULLIF(?, '') "
    "WHERE id = ? AND organization_id = ? AND version = ?";
// One statement decides: a submission that locks the project at the same moment either
// commits first (then this deletes nothing) or waits for this to commit (then finds nothing).
constexpr std::string_view kDelete =
    "DELETE FROM projects WHERE id = ? AND organization_id = ? AND locked_at_us IS NULL";
constexpr std::string_view kDeleteVersion =
    "DELETE FROM projects WHERE id = ? AND organization_id = ? AND locked_at_us IS NULL "
    "AND version = ?";
constexpr std::string_view kDropUses = "DELETE FROM document_uses WHERE used_by = ?";
constexpr std::string_view kSelect =
    "SELECT " DOSSIER_PROJECT_COLUMNS " FROM projects WHERE id = ? AND organization_id = ?";
constexpr std::string_view kList =
    "SELECT id, organization_id, name, keywords_json, CAST('' AS TEXT), version, created_at_us, "
    "COALESCE(created_by, ''), updated_at_us, COALESCE(updated_by, ''), "
    "COALESCE(locked_at_us, 0) FROM projects WHERE organization_id = ? "
    "ORDER BY created_at_us DESC, id DESC LIMIT ? OFFSET ?";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM projects WHERE organization_id = ?";
// The first lock raises the version: the representation (locked_at) changed.
constexpr std::string_view kLock =
    "UPDATE projects SET locked_at_us = COALESCE(locked_at_us, ?), "
    "version = CASE WHEN locked_at_us IS NULL THEN version + 1 ELSE version END "
    "WHERE id = ? AND organization_id = ? RETURNING " DOSSIER_PROJECT_COLUMNS;

/// Receives the project columns of a statement, any number of rows.
struct ProjectColumns {
    std::vector<std::string> id, org, name, keywords, content, createdBy, updatedBy;
    std::vector<Poco::Int64> version, created, updated, locked;

    void bind(Poco::Data::Statement& s) {
        s, into(id), into(org), into(name), into(keywords), into(content), into(version),
            into(created), into(createdBy), into(updated), into(updatedBy), into(locked);
    }
    std::size_t size() const { return id.size(); }
    ProjectRow row(std::size_t i) const {
        ProjectRow r;
        r.id = id[i];
        r.organizationId = org[i];
        r.name = name[i];
        r.keywordsJson = keywords[i];
        r.contentJson = content[i];
        r.version = version[i];
        r.createdAtMicros = created[i];
        r.createdBy = createdBy[i];
        r.updatedAtMicros = updated[i];
        r.updatedBy = updatedBy[i];
        r.lockedAtMicros = locked[i];
        return r;
    }
};

std::optional<ProjectRow> selectRow(Database::Impl& db, Poco::Data::Session& session,
                                    const std::string& id, const std::string& organizationId) {
    std::string key = id, org = organizationId;
    ProjectColumns c;
    Poco::Data::Statement select(session);
    select << db.sql(kSelect);
    c.bind(select);
    select, use(key), use(org);
    select.execute();
    if (c.size() == 0) return std::nullopt;
    return c.row(0);
}

/// Why a conditional statement on the project touched no row.
ProjectRepository::Outcome whyNot(Database::Impl& db, Poco::Data::Session& session,
                                  const std::string& id, const std::string& organizationId) {
    auto row = selectRow(db, session, id, organizationId);
    if (!row) return ProjectRepository::Outcome::NotFound;
    if (row->lockedAtMicros != 0) return ProjectRepository::Outcome::Locked;
    return ProjectRepository::Outcome::VersionMismatch;
}

}  // namespace

std::optional<ProjectRow> lockProjectForSubmission(Database::Impl& db, Poco::Data::Session& session,
                                                   const std::string& id,
                                                   const std::string& organizationId,
                                                   std::int64_t atMicros) {
    std::string key = id, org = organizationId;
    Poco::Int64 at = atMicros;
    ProjectColumns c;
    Poco::Data::Statement lock(session);
    lock << db.sql(kLock), use(at), use(key), use(org);
    c.bind(lock);
    lock.execute();
    if (c.size() == 0) return std::nullopt;
    return c.row(0);
}

ProjectRepository::Result ProjectRepository::insert(const ProjectRow& row,
                                                    const std::vector<std::string>& documentIds,
                                                    const std::vector<std::string>& kinds,
                                                    const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        result.missing = lockDocumentsOf(db, session, row.organizationId, documentIds, kinds);
        if (!result.missing.empty()) {
            result.outcome = Outcome::DocumentsMissing;
            return result;  // rolled back
        }
        std::string id = row.id, org = row.organizationId, name = row.name,
                    keywords = row.keywordsJson, content = row.contentJson, by = row.createdBy,
                    by2 = row.updatedBy;
        Poco::Int64 created = row.createdAtMicros, updated = row.updatedAtMicros;
        session << db.sql(kInsert), use(id), use(org), use(name), use(keywords), use(content),
            use(created), use(by), use(updated), use(by2), now;
        replaceDocumentUses(db, session, "project:" + row.id, documentIds);
        insertAuditRow(db, session, audit);
        result.row = *selectRow(db, session, row.id, row.organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("insert project");
    }
}

ProjectRepository::Result ProjectRepository::update(const ProjectRow& row,
                                                    std::int64_t expectedVersion,
                                                    const std::vector<std::string>& documentIds,
                                                    const std::vector<std::string>& kinds,
                                                    const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        std::string id = row.id, org = row.organizationId, name = row.name,
                    keywords = row.keywordsJson, content = row.contentJson, by = row.updatedBy;
        Poco::Int64 updated = row.updatedAtMicros, expected = expectedVersion;
        Poco::Data::Statement change(session);
        change << db.sql(kUpdate), use(name), use(keywords), use(content), use(updated), use(by),
            use(id), use(org), use(expected);
        if (change.execute() == 0) {
            result.outcome = whyNot(db, session, row.id, row.organizationId);
            // A locked project may be edited (applications keep their snapshot): only the
            // version can have been wrong.
            if (result.outcome == Outcome::Locked) result.outcome = Outcome::VersionMismatch;
            return result;
        }
        result.missing = lockDocumentsOf(db, session, row.organizationId, documentIds, kinds);
        if (!result.missing.empty()) {
            result.outcome = Outcome::DocumentsMissing;
            return result;
        }
        replaceDocumentUses(db, session, "project:" + row.id, documentIds);
        insertAuditRow(db, session, audit);
        result.row = *selectRow(db, session, row.id, row.organizationId);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("update project");
    }
}

ProjectRepository::Result ProjectRepository::remove(const std::string& id,
                                                    const std::string& organizationId,
                                                    std::optional<std::int64_t> expectedVersion,
                                                    const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        Result result;
        std::string key = id, org = organizationId;
        Poco::Int64 version = expectedVersion.value_or(0);
        Poco::Data::Statement drop(session);
        drop << db.sql(expectedVersion ? kDeleteVersion : kDelete), use(key), use(org);
        if (expectedVersion) drop, use(version);
        if (drop.execute() == 0) {
            result.outcome = whyNot(db, session, id, organizationId);
            return result;
        }
        std::string usedBy = "project:" + id;
        session << db.sql(kDropUses), use(usedBy), now;
        insertAuditRow(db, session, audit);
        tx.commit();
        return result;
    } catch (...) {
        rethrowDatabaseError("delete project");
    }
}

std::optional<ProjectRow> ProjectRepository::find(const std::string& id,
                                                  const std::string& organizationId) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        return selectRow(db, session, id, organizationId);
    } catch (...) {
        rethrowDatabaseError("find project");
    }
}

ProjectPage ProjectRepository::list(const std::string& organizationId, std::uint64_t offset,
                                    std::uint64_t limit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        ProjectPage page;
        std::string org = organizationId, org2 = organizationId;
        Poco::Int64 total = 0;
        session << db.sql(kCount), use(org), into(total), now;
        page.total = static_cast<std::uint64_t>(total);
        auto lim = static_cast<Poco::Int64>(limit), off = static_cast<Poco::Int64>(offset);
        ProjectColumns c;
        Poco::Data::Statement select(session);
        select << db.sql(kList);
        c.bind(select);
        select, use(org2), use(lim), use(off);
        select.execute();
        for (std::size_t i = 0; i < c.size(); ++i) page.rows.push_back(c.row(i));
        return page;
    } catch (...) {
        rethrowDatabaseError("list projects");
    }
}

std::optional<ProjectRow> ProjectRepository::lock(const std::string& id,
                                                  const std::string& organizationId,
                                                  std::int64_t atMicros, const AuditEntry& audit) {
    auto& db = db_.impl();
    try {
        auto session = db.session();
        SqlTransaction tx(db, session);
        auto row = lockProjectForSubmission(db, session, id, organizationId, atMicros);
        if (!row) return std::nullopt;
        insertAuditRow(db, session, audit);
        tx.commit();
        return row;
    } catch (...) {
        rethrowDatabaseError("lock project");
    }
}

}  // namespace dossier::storage
