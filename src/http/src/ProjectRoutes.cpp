#include "Routes.h"
#include "dossier/filing/ProjectService.h"

namespace dossier::http {

void addProjectRoutes(Router& router, ServerContext& context) {
    (void)router;
    (void)context;
}

}  // namespace dossier::http
