#include "dossier/filing/RenderService.h"

#include <regex>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/evidence/SealDetector.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/renderers/LeaderCertificate.h"
#include "dossier/renderers/LeaderLabel.h"

namespace dossier::filing {

Rendered RenderService::render(const RenderRequest& request, const std::string& json) const {
    const std::string& document = request.document;
    if (request.format != "pdf" && !(document == "label" && request.format == "png")) {
        throw Error(codes::kRequestMalformed,
                    "The format must be pdf" + std::string(document == "label" ? " or png." : "."));
    }
    if (document == "certificate") {
        auto certificate = renderers::LeaderCertificate::fromJson(json);
        std::string seal = request.sealPng;
        if (seal.empty() && !request.sealScan.empty())
            seal = evidence::extractSealPng(request.sealScan);
        return {renderers::renderLeaderCertificate(certificate, seal, clock_.nowMicros()),
                "application/pdf", "certificate.pdf"};
    }
    if (document == "label") {
        auto label = renderers::LeaderLabel::fromJson(json);
        if (request.format == "png")
            return {renderers::renderLeaderLabelPng(label, request.dpi), "image/png", "label.png"};
        return {renderers::renderLeaderLabelPdf(label, clock_.nowMicros()), "application/pdf",
                "label.pdf"};
    }
    std::string templateId;
    if (document == "book") {
        templateId = request.templateId.empty() ? "benchmark-2022" : request.templateId;
        // A name that cannot be a template's (a path, say) is a malformed parameter; a
        // well-formed name no template has is unknown.
        static const std::regex kTemplateId("^[a-z0-9][a-z0-9-]{0,63}$");
        if (!std::regex_match(templateId, kTemplateId)) {
            throw Error(codes::kRequestMalformed,
                        "template is a template id: lowercase letters, digits and '-', at most "
                        "64 characters.");
        }
        if (templateId.rfind("form-", 0) == 0) {
            throw Error(codes::kRenderUnknownDocument,
                        "There is no application book template '" + templateId + "'.");
        }
    } else if (document == "commitment" || document == "recommendation" || document == "proof") {
        templateId = "form-" + document;
    } else {
        throw Error(
            codes::kRenderUnknownDocument,
            "There is no document '" + document +
                "' to render (book, commitment, recommendation, proof, certificate, label).");
    }
    auto t = renderers::DocumentTemplate::load(templatesDir_, templateId);
    return {t->render(json, clock_.nowMicros(), request.draft), "application/pdf",
            templateId + ".pdf"};
}

}  // namespace dossier::filing
