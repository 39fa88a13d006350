#pragma once

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// The rows of projects (申报主体) and what documents are used by (issue 11, migration 10).
/// Thread-safe (sessions from the pool).
class ProjectRepository {
  public:
    explicit ProjectRepository(Database& db) : db_(db) {}

  private:
    [[maybe_unused]] Database& db_;
};

}  // namespace dossier::storage
