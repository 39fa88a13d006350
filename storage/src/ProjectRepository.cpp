#include "dossier/storage/ProjectRepository.h"

#include <Poco/Data/Session.h>

#include "AuditRows.h"
#include "DatabaseImpl.h"

namespace dossier::storage {}  // namespace dossier::storage
