#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

#include "DatabaseImpl.h"
#include "dossier/storage/ProjectRepository.h"

namespace dossier::storage {

/// For the submission of an application (issue 12), inside its transaction: locks the
/// project `id` of `organizationId` (locked_at_us set once; a second lock keeps the first
/// time) and returns it as locked, content included: the snapshot the application keeps.
/// nullopt when there is no such project (the caller rolls back). From then on the project
/// cannot be deleted (project.in_use), by the repository's conditional DELETE and by the
/// database's trigger (migration 11). Throws Poco Data exceptions.
std::optional<ProjectRow> lockProjectForSubmission(Database::Impl& db, Poco::Data::Session& session,
                                                   const std::string& id,
                                                   const std::string& organizationId,
                                                   std::int64_t atMicros);

}  // namespace dossier::storage
