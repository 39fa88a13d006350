// The printed outputs of an application (issue 12, "Outputs"): its book, its submission
// receipt, and the forms of an activity pre-filled with the caller's organization. The
// documents are made by filing::RenderService from what ApplicationService::context reads.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "Routes.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/FilingService.h"
#include "dossier/filing/OrganizationService.h"
#include "dossier/filing/ProjectService.h"
#include "dossier/filing/RenderService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

void sendPdf(Exchange& ex, const std::string& bytes, const std::string& fileName) {
    ex.response.setContentType("application/pdf");
    ex.response.set("Content-Disposition", contentDisposition("inline", fileName));
    // The same URL answers each organization with its own document (or 404).
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    ex.response.setContentLength(static_cast<std::streamsize>(bytes.size()));
    ex.response.send().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Submitted and not reopened: what the applicant sees is what was submitted.
bool isSubmitted(const storage::ApplicationRow& row) {
    return !storage::ApplicationRow::isOpen(row.state) && row.submittedAtMicros != 0;
}

std::string filedText(const std::optional<storage::FilingRow>& filing, const std::string& key) {
    if (!filing) return {};
    try {
        Poco::JSON::Parser parser;
        auto o = parser.parse(filing->dataJson).extract<Poco::JSON::Object::Ptr>();
        if (o && o->has(key) && o->get(key).isString()) return o->getValue<std::string>(key);
    } catch (const Poco::Exception&) {
    }
    return {};
}

/// How the receipt names a document's role.
std::string roleLabel(const std::string& role) {
    if (role == "commitment") return "承诺书";
    if (role == "summary") return "申报材料";
    if (role == "evidence") return "证实性材料";
    return role;
}

}  // namespace

void addApplicationOutputRoutes(Router& router, ServerContext& context) {
    auto& applications = context.applications;
    auto& renders = context.renders;
    router.add("GET", "/api/v1/applications/{id}/book.pdf", [&](Exchange& ex) {
        filing::ApplicationService::requireMember(ex.viewer());
        auto c = applications.context(ex.viewer(), ex.params.at("id"));
        filing::ApplicationBook book;
        book.templateId = c.activity.templateId;
        book.dataJson = c.bookDataJson;
        book.applicationNumber = c.application.number;
        book.submittedAtMicros = isSubmitted(c.application) ? c.application.submittedAtMicros : 0;
        book.updatedAtMicros = c.application.updatedAtMicros;
        auto pdf = renders.renderBook(book);
        std::string name =
            c.application.number.empty() ? "申报书" : c.application.number + "-申报书";
        sendPdf(ex, pdf.bytes, name + (book.submittedAtMicros ? "" : "（草稿）") + ".pdf");
    });
    router.add("GET", "/api/v1/applications/{id}/receipt.pdf", [&](Exchange& ex) {
        filing::ApplicationService::requireMember(ex.viewer());
        auto c = applications.context(ex.viewer(), ex.params.at("id"));
        if (!isSubmitted(c.application)) {
            throw Error(codes::kApplicationNotSubmitted,
                        "The application is not submitted (or is reopened for correction): "
                        "there is no receipt to print.");
        }
        filing::SubmissionReceipt receipt;
        receipt.applicationNumber = c.application.number;
        receipt.organizationName = c.filing ? c.filing->name : "";
        receipt.creditCode = filedText(c.filing, "credit_code");
        receipt.activityTitle = c.activity.title;
        receipt.projectName = c.project.name;
        receipt.submittedAtMicros = c.application.submittedAtMicros;
        for (const auto& d : c.documents) {
            receipt.files.push_back(
                {roleLabel(d.role), d.document.originalName, d.document.size, d.document.sha256});
        }
        auto pdf = renders.renderReceipt(receipt);
        sendPdf(ex, pdf.bytes, c.application.number + "-回执.pdf");
    });
    auto& activities = context.activities;
    auto& organizations = context.organizations;
    auto& filings = context.filings;
    auto& projects = context.projects;
    for (const std::string form : {"commitment", "recommendation", "proof"}) {
        router.add(
            "GET", "/api/v1/activities/{code}/forms/" + form + ".pdf", [&, form](Exchange& ex) {
                filing::ApplicationService::requireMember(ex.viewer());
                const Viewer& viewer = ex.viewer();
                auto activity = activities.get(ex.params.at("code"));
                auto organization = organizations.organization(viewer, viewer.organizationId);
                filing::OrganizationFacts facts;
                facts.name = organization.name;
                facts.creditCode = organization.creditCode;
                for (const auto& m : organizations.members(viewer, viewer.organizationId)) {
                    if (m.admin) facts.adminName = m.displayName;
                }
                if (auto approved = filings.approvedFiling(viewer.organizationId))
                    facts.approvedFilingJson = approved->dataJson;
                filing::FormContext formContext{activity.title, "", activity.completingUnits, ""};
                // ?project= names one of the organization's projects (申报主体) for the letter.
                if (std::string project = ex.query("project"); !project.empty())
                    formContext.projectName = projects.get(viewer, project).name;
                // Dated by the activity's last change: the same form is the same bytes.
                auto pdf = renders.renderForm(form, facts, formContext, activity.updatedAtMicros);
                sendPdf(ex, pdf.bytes, pdf.fileName);
            });
    }
}

}  // namespace dossier::http
