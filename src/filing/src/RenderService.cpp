#include "dossier/filing/RenderService.h"

#include <regex>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/evidence/SealDetector.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/renderers/LeaderCertificate.h"
#include "dossier/renderers/LeaderLabel.h"

namespace dossier::filing {

namespace {

/// A book template's id as a request names it: malformed when it cannot be one, unknown
/// when it names a form.
void checkBookTemplateId(const std::string& templateId) {
    // A name that cannot be a template's (a path, say) is a malformed parameter; a
    // well-formed name no template has is unknown.
    static const std::regex kTemplateId("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!std::regex_match(templateId, kTemplateId)) {
        throw Error(codes::kRequestMalformed,
                    "template is a template id: lowercase letters, digits and '-', at most "
                    "64 characters.");
    }
    if (templateId.rfind("form-", 0) == 0 || templateId == "receipt") {
        throw Error(codes::kRenderUnknownDocument,
                    "There is no application book template '" + templateId + "'.");
    }
}

}  // namespace

Rendered RenderService::renderBook(const ApplicationBook& book) const {
    checkBookTemplateId(book.templateId);
    auto t = renderers::DocumentTemplate::load(templatesDir_, book.templateId);
    const bool submitted = book.submittedAtMicros != 0;
    renderers::PageMarks marks;
    marks.draft = !submitted;
    if (submitted)
        marks.footer = submittedBookFooter(book.applicationNumber, book.submittedAtMicros);
    return {t->render(book.dataJson, submitted ? book.submittedAtMicros : book.updatedAtMicros,
                      true, marks),
            "application/pdf", book.templateId + ".pdf"};
}

Rendered RenderService::renderBookDocx(const ApplicationBook& book) const {
    checkBookTemplateId(book.templateId);
    auto t = renderers::DocumentTemplate::load(templatesDir_, book.templateId);
    return {t->renderDocx(book.dataJson, true), kDocxMediaType, book.templateId + ".docx"};
}

Rendered RenderService::renderReceipt(const SubmissionReceipt& receipt) const {
    auto t = renderers::DocumentTemplate::load(templatesDir_, "receipt");
    return {t->render(receiptData(receipt), receipt.submittedAtMicros), "application/pdf",
            "receipt.pdf"};
}

Rendered RenderService::renderForm(const std::string& form, const OrganizationFacts& org,
                                   const FormContext& context, std::int64_t createdMicros) const {
    if (form != "commitment" && form != "recommendation" && form != "proof") {
        throw Error(codes::kRenderUnknownDocument,
                    "There is no form '" + form + "' (commitment, recommendation, proof).");
    }
    auto t = renderers::DocumentTemplate::load(templatesDir_, "form-" + form);
    return {t->render(t->fitting(formProfileData(org, context)), createdMicros, true),
            "application/pdf", "form-" + form + ".pdf"};
}

std::string RenderService::prefillBook(const std::string& templateId, const OrganizationFacts& org,
                                       const std::string& projectName) const {
    checkBookTemplateId(templateId);
    auto t = renderers::DocumentTemplate::load(templatesDir_, templateId);
    return t->fitting(bookPrefillData(org, projectName, templatesDir_ + "/lists"));
}

Rendered RenderService::render(const RenderRequest& request, const std::string& json) const {
    const std::string& document = request.document;
    // Books and forms are templates: PDF or Word; the fixed-layout certificate and label are
    // drawn, not flowed: PDF (or a PNG label).
    const bool isTemplate = document != "certificate" && document != "label";
    if (request.format != "pdf" && !(document == "label" && request.format == "png") &&
        !(isTemplate && request.format == "docx")) {
        throw Error(codes::kRequestMalformed,
                    "The format must be pdf" + std::string(document == "label" ? " or png."
                                                           : isTemplate        ? " or docx."
                                                                               : "."));
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
        checkBookTemplateId(templateId);
    } else if (document == "commitment" || document == "recommendation" || document == "proof") {
        templateId = "form-" + document;
    } else if (document == "receipt") {
        templateId = "receipt";
    } else {
        throw Error(codes::kRenderUnknownDocument,
                    "There is no document '" + document +
                        "' to render (book, receipt, commitment, recommendation, proof, "
                        "certificate, label).");
    }
    auto t = renderers::DocumentTemplate::load(templatesDir_, templateId);
    if (request.format == "docx") {
        // The 草稿 mark and the footer line are drawn on a PDF's pages; a Word document
        // carries neither, so asking for them there is refused rather than ignored.
        if (request.draftMark || !request.footer.empty()) {
            throw Error(codes::kRequestMalformed,
                        "The draft mark and the footer line are printed on PDFs only.");
        }
        return {t->renderDocx(json, request.draft), kDocxMediaType, templateId + ".docx"};
    }
    renderers::PageMarks marks{request.draftMark, request.footer};
    return {
        t->render(json, request.createdMicros.value_or(clock_.nowMicros()), request.draft, marks),
        "application/pdf", templateId + ".pdf"};
}

}  // namespace dossier::filing
