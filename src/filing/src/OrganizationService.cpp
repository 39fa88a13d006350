#include "dossier/filing/OrganizationService.h"

namespace dossier::filing {}  // namespace dossier::filing
