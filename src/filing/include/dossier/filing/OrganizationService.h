#pragma once

#include "dossier/core/Clock.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/OrganizationRepository.h"

namespace dossier::filing {

/// the registration query (注册查询), personal accounts joining an organization, members, admin
/// transfer (权限转让) and deregistration (注销账号); seed 002. Thread-safe.
class OrganizationService {
  public:
    OrganizationService(storage::OrganizationRepository& rows, storage::AccountRepository& accounts,
                        AuditLog& audit, const Clock& clock, const IdGenerator& ids)
        : rows_(rows), accounts_(accounts), audit_(audit), clock_(clock), ids_(ids) {}

  private:
    [[maybe_unused]] storage::OrganizationRepository& rows_;
    [[maybe_unused]] storage::AccountRepository& accounts_;
    [[maybe_unused]] AuditLog& audit_;
    [[maybe_unused]] const Clock& clock_;
    [[maybe_unused]] const IdGenerator& ids_;
};

}  // namespace dossier::filing
