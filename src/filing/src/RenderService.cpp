#include "dossier/filing/RenderService.h"

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/renderers/LeaderCertificate.h"

namespace dossier::filing {

std::string RenderService::render(const std::string& document, const std::string& json) const {
    if (document == "certificate") {
        auto certificate = renderers::LeaderCertificate::fromJson(json);
        return renderers::renderLeaderCertificate(certificate, {}, clock_.nowMicros());
    }
    throw Error(codes::kRenderUnknownDocument,
                "There is no document '" + document + "' to render (certificate).");
}

}  // namespace dossier::filing
