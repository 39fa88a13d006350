#include "dossier/filing/FilingService.h"

namespace dossier::filing {}  // namespace dossier::filing
