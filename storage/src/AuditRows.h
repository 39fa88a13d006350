#pragma once

#include <Poco/Data/Session.h>

#include "DatabaseImpl.h"
#include "dossier/storage/AuditRepository.h"

namespace dossier::storage {

/// Inserts `entry` on `session`, inside the caller's transaction: a state change and its audit
/// row commit together or not at all. Throws Poco Data exceptions (the caller converts them).
void insertAuditRow(Database::Impl& db, Poco::Data::Session& session, const AuditEntry& entry);

}  // namespace dossier::storage
