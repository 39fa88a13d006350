#pragma once

#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// The rows of organization filings (组织备案) and their review (issue 11, migration 9).
/// Thread-safe (sessions from the pool).
class FilingRepository {
  public:
    explicit FilingRepository(Database& db) : db_(db) {}

  private:
    [[maybe_unused]] Database& db_;
};

}  // namespace dossier::storage
