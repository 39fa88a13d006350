#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dossier/storage/Database.h"

namespace dossier::storage {

/// One line of the append-only audit log: who did what to which object, and when.
struct AuditEntry {
    std::string id;  // time-ordered
    std::int64_t atMicros = 0;
    std::string accountId;  // empty: anonymous (a failed login for an unknown name)
    std::string action;     // e.g. "document.view", "session.create"
    std::string target;     // e.g. "document:01J…", "account:01J…"
    std::string detailJson = "{}";
};

/// The audit log. Append and read only: there is no update or delete, and the database
/// refuses both (triggers, migration 6). An entry that records a state change is written by
/// the repository making the change, in its transaction (DocumentRepository::insert,
/// AccountRepository); `append` is for events that change nothing else (a download, a
/// refused sign-in). Thread-safe.
class AuditRepository {
  public:
    explicit AuditRepository(Database& db) : db_(db) {}

    /// Throws storage.database.
    void append(const AuditEntry& entry);
    /// The newest `limit` entries for `target`, newest first.
    std::vector<AuditEntry> forTarget(const std::string& target, int limit = 100);

  private:
    Database& db_;
};

}  // namespace dossier::storage
