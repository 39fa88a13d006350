#pragma once

#include <map>
#include <string>

#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/storage/AuditRepository.h"

namespace dossier::filing {

/// Appends to the audit log: who (account id, may be empty), what, on which object, with
/// string details. Thread-safe.
class AuditLog {
  public:
    AuditLog(storage::AuditRepository& rows, const Clock& clock, const IdGenerator& ids)
        : rows_(rows), clock_(clock), ids_(ids) {}

    /// Appends an entry for an event that changes nothing else (a download, a refusal).
    void record(const std::string& accountId, const std::string& action, const std::string& target,
                const std::map<std::string, std::string>& details = {});
    /// The entry, not yet written: for a repository to insert in the transaction of the state
    /// change it records.
    storage::AuditEntry entry(const std::string& accountId, const std::string& action,
                              const std::string& target,
                              const std::map<std::string, std::string>& details = {}) const;
    std::vector<storage::AuditEntry> forTarget(const std::string& target, int limit = 100) {
        return rows_.forTarget(target, limit);
    }

  private:
    storage::AuditRepository& rows_;
    const Clock& clock_;
    const IdGenerator& ids_;
};

}  // namespace dossier::filing
