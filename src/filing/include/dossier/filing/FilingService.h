#pragma once

#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/FilingRepository.h"

namespace dossier::filing {

/// the organization filing (组织备案, seed 000): drafts, submission with every problem at once, the
/// reviewers' approval or rejection with reasons, versions. Thread-safe.
class FilingService {
  public:
    FilingService(storage::FilingRepository& rows, storage::AccountRepository& accounts,
                  AuditLog& audit, const Clock& clock, const IdGenerator& ids)
        : rows_(rows), accounts_(accounts), audit_(audit), clock_(clock), ids_(ids) {}

  private:
    [[maybe_unused]] storage::FilingRepository& rows_;
    [[maybe_unused]] storage::AccountRepository& accounts_;
    [[maybe_unused]] AuditLog& audit_;
    [[maybe_unused]] const Clock& clock_;
    [[maybe_unused]] const IdGenerator& ids_;
};

}  // namespace dossier::filing
