#include "dossier/filing/ProjectService.h"

namespace dossier::filing {}  // namespace dossier::filing
