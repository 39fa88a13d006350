#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One row of `qc_records` (migration 18): a QC group's (小组) or team's (班组) filed result.
/// Text is stored normalized (NFKC, trimmed); (organization, kind, title, group_name) is
/// unique in the database.
struct QcRecordRow {
    std::string id;
    std::string organizationId;
    std::string kind;  // "group" | "team"
    std::int64_t year = 0;
    std::string title;       // 成果名称 (课题名称)
    std::string groupName;   // 小组名称 (所属小组)
    std::string enterprise;  // 所属企业, may be empty
    std::int64_t memberCount = 0;
    std::string leader;     // 组长
    std::string foundedOn;  // 小组成立日期 YYYY-MM-DD, may be empty
    std::string source;     // "form" | "import"
    std::int64_t version = 1;
    std::int64_t createdAtMicros = 0;
    std::string createdBy;
    std::int64_t updatedAtMicros = 0;
    std::string updatedBy;
    std::string organizationName;  // filled by summary() only
};

struct QcRecordPage {
    std::vector<QcRecordRow> rows;
    std::uint64_t total = 0;
};

/// The organization's declared yearly counts (seed 001, 设置) and what it has filed.
struct QcYearCounts {
    std::int64_t year = 0;
    std::optional<std::int64_t> groups;  // declared 小组数, unset until saved
    std::optional<std::int64_t> teams;   // declared 班组数
    std::int64_t filedGroups = 0;
    std::int64_t filedTeams = 0;
    std::int64_t updatedAtMicros = 0;
};

/// QC group and team records, their yearly counts and the import's batch insert; every
/// change with its audit row in one transaction. Thread-safe (sessions from the pool). Every
/// method throws storage.database when the database fails; nothing is changed then.
class QcRepository {
  public:
    explicit QcRepository(Database& db) : db_(db) {}

    enum class Outcome { Saved, NotFound, VersionMismatch, Duplicate };
    struct Result {
        Outcome outcome = Outcome::Saved;
        QcRecordRow row;  // Saved: as stored
    };

    /// Inserts `row` (version 1) with `audit`; Duplicate (nothing written) when the
    /// organization has a record of the kind with the same title and group name.
    Result insert(const QcRecordRow& row, const AuditEntry& audit);
    /// Replaces the record's fields (not its kind or source) if it is in `row.organizationId`
    /// and, when given, still at `expectedVersion`; Duplicate when the new title and group
    /// name are another record's.
    Result update(const QcRecordRow& row, std::optional<std::int64_t> expectedVersion,
                  const AuditEntry& audit);
    std::optional<QcRecordRow> find(const std::string& id, const std::string& organizationId);
    /// `kind` and `year` filter when not empty / not 0; oldest first.
    QcRecordPage list(const std::string& organizationId, const std::string& kind, std::int64_t year,
                      std::uint64_t offset, std::uint64_t limit);
    /// Every record of `year` (of one organization, or of all when `organizationId` is empty),
    /// by organization, kind and filing order, with the organization's name.
    std::vector<QcRecordRow> summary(const std::string& organizationId, std::int64_t year);

    /// Inserts `rows` in order, in ONE transaction with `audit` (whose details the caller
    /// completes through `finishAudit` once the outcome is known). A row whose key is
    /// already stored — by an earlier import, a form, or a concurrent import that committed
    /// first (PostgreSQL waits for it on the unique index) — is not inserted. Returns, for
    /// each row, whether it was inserted.
    std::vector<bool> importRows(
        const std::vector<QcRecordRow>& rows, AuditEntry audit,
        const std::function<std::string(const std::vector<bool>&)>& finishAudit);

    QcYearCounts counts(const std::string& organizationId, std::int64_t year);
    /// Sets the declared counts of `year` with `audit`.
    QcYearCounts saveCounts(const std::string& organizationId, std::int64_t year,
                            std::int64_t groups, std::int64_t teams, std::int64_t atMicros,
                            const std::string& accountId, const AuditEntry& audit);

  private:
    Database& db_;
};

}  // namespace dossier::storage
