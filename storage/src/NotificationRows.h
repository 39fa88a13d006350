#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>

#include "DatabaseImpl.h"

namespace dossier::storage {

/// Notifies every member of the application's organization (deregistered accounts excepted)
/// of the state the application has now, at its current version: call it after the state
/// change's UPDATE, inside its transaction, so the notice commits with the change or not at
/// all. Throws Poco Data exceptions (the caller converts them).
void insertNotifications(Database::Impl& db, Poco::Data::Session& session,
                         const std::string& applicationId, std::int64_t atMicros);

}  // namespace dossier::storage
