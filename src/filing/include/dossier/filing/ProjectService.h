#pragma once

#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/ProjectRepository.h"

namespace dossier::filing {

/// projects (申报主体, seed 000): kept once per organization and reused for every award, with their
/// IP-rights and honours tables. Thread-safe.
class ProjectService {
  public:
    ProjectService(storage::ProjectRepository& rows, storage::AccountRepository& accounts,
                   AuditLog& audit, const Clock& clock, const IdGenerator& ids)
        : rows_(rows), accounts_(accounts), audit_(audit), clock_(clock), ids_(ids) {}

  private:
    [[maybe_unused]] storage::ProjectRepository& rows_;
    [[maybe_unused]] storage::AccountRepository& accounts_;
    [[maybe_unused]] AuditLog& audit_;
    [[maybe_unused]] const Clock& clock_;
    [[maybe_unused]] const IdGenerator& ids_;
};

}  // namespace dossier::filing
