#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One row of `activities` (申报活动, migration 13). Instants are microseconds since the
/// epoch, UTC.
struct ActivityRow {
    std::string code;  // [a-z0-9-], the key: never changes
    std::string title;
    std::string kind;  // benchmark | tech_project | tech_individual
    std::string templateId;
    std::int64_t opensAtMicros = 0;
    std::int64_t closesAtMicros = 0;     // the first instant at which the window is closed
    std::int64_t reviewUntilMicros = 0;  // the formal-review deadline
    std::string evidenceJson = "[]";     // [{kind, label, min_count, check}]
    int completingUnits = 1;             // 1-3
    std::string recommendingList;        // a list id of templates/lists/
    bool allowReturn = false;
    std::int64_t lastNumber = 0;  // submissions numbered so far
    std::int64_t version = 1;
    std::int64_t createdAtMicros = 0;
    std::string createdBy;
    std::int64_t updatedAtMicros = 0;
    std::string updatedBy;
};

/// The rows of activities, each change written with its audit row in one transaction.
/// Thread-safe (sessions from the pool); every method throws storage.database when the
/// database fails, and nothing is changed then.
class ActivityRepository {
  public:
    explicit ActivityRepository(Database& db) : db_(db) {}

    /// Inserts `row` (version 1) and `audit`. False, changing nothing, when the code is taken.
    bool insert(const ActivityRow& row, const AuditEntry& audit);

    enum class Outcome { Saved, NotFound, VersionMismatch };
    /// Replaces everything but the code, last_number and the creation columns, if the
    /// activity is still at `expectedVersion` (version + 1), with `audit`.
    Outcome update(const ActivityRow& row, std::int64_t expectedVersion, const AuditEntry& audit);

    std::optional<ActivityRow> find(const std::string& code);
    /// Every activity (`openAtMicros` nullopt) or those whose window is open at that instant
    /// (opens ≤ t < closes); opening soonest-closing first, then by code.
    std::vector<ActivityRow> list(std::optional<std::int64_t> openAtMicros);

  private:
    Database& db_;
};

}  // namespace dossier::storage
