#pragma once

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// The rows of organizations, memberships, join requests, admin transfer and deregistration (issue
/// 11, migration 8). Thread-safe (sessions from the pool).
class OrganizationRepository {
  public:
    explicit OrganizationRepository(Database& db) : db_(db) {}

  private:
    [[maybe_unused]] Database& db_;
};

}  // namespace dossier::storage
