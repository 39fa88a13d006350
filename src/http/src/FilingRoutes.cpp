#include "Routes.h"
#include "dossier/filing/FilingService.h"

namespace dossier::http {

void addFilingRoutes(Router& router, ServerContext& context) {
    (void)router;
    (void)context;
}

}  // namespace dossier::http
