#include "Routes.h"
#include "dossier/filing/OrganizationService.h"

namespace dossier::http {

void addOrganizationRoutes(Router& router, ServerContext& context) {
    (void)router;
    (void)context;
}

}  // namespace dossier::http
