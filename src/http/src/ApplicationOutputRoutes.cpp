// The outputs of an application (issue 12, "Outputs"): its book (PDF, Word), its experience
// material (Word), its submission receipt and its bundle (ZIP, streamed), for its organization
// and for reviewers (filing::ApplicationDownloads); and the forms of an activity pre-filled
// with the caller's organization (filing::RenderService).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "OutgoingResponse.h"
#include "Routes.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/ApplicationDownloads.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/FilingService.h"
#include "dossier/filing/OrganizationService.h"
#include "dossier/filing/ProjectService.h"
#include "dossier/filing/RenderService.h"
#include "dossier/http/HttpSemantics.h"
#include "dossier/storage/Sha256.h"

namespace dossier::http {
namespace {

/// Sends a rendered document: PDFs `inline` (shown in the browser, framable by this origin
/// only), Word `attachment`.
void sendDocument(Exchange& ex, const std::string& bytes, const char* disposition,
                  const std::string& fileName) {
    bool pdf = fileName.size() > 4 && fileName.compare(fileName.size() - 4, 4, ".pdf") == 0;
    ex.response.setContentType(pdf ? "application/pdf" : filing::kDocxMediaType);
    ex.response.set("Content-Disposition", contentDisposition(disposition, fileName));
    // The same URL answers each organization with its own document (or 404).
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    if (pdf) {
        // The console previews a PDF in a frame of its own page; no other site may frame it
        // (the Word files are attachments, never framed).
        ex.response.set("Content-Security-Policy", "frame-ancestors 'self'");
        ex.response.set("X-Frame-Options", "SAMEORIGIN");
    }
    ex.response.setContentLength(static_cast<std::streamsize>(bytes.size()));
    std::ostream& out = ex.response.send();
    // A HEAD's stream takes the headers alone: a body written to it would fail the stream
    // before the headers it buffers are flushed, and the client would get nothing.
    if (ex.request.getMethod() == "HEAD") return;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string sha256Of(const std::string& bytes) { return storage::Sha256::of(bytes); }

/// A reviewer's download in the audit log, before its bytes go out; a HEAD sends none.
void recordView(Exchange& ex, filing::ApplicationDownloads& downloads,
                const filing::ApplicationContext& c, const std::string& output,
                const std::map<std::string, std::string>& details) {
    if (ex.request.getMethod() == "HEAD") return;
    downloads.recordView(ex.viewer(), c, output, details);
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
    auto& downloads = context.downloads;
    auto& renders = context.renders;
    // Every output answers the application's organization (any state) and reviewers (once
    // submitted; each download audited): ApplicationDownloads decides.
    router.add("GET", "/api/v1/applications/{id}/book.pdf", [&](Exchange& ex) {
        auto c = downloads.open(ex.viewer(), ex.params.at("id"));
        auto pdf = downloads.book(c, "pdf");
        recordView(ex, downloads, c, "book.pdf", {{"sha256", sha256Of(pdf.bytes)}});
        sendDocument(ex, pdf.bytes, "inline",
                     filing::ApplicationDownloads::fileName(c, "申报书", ".pdf"));
    });
    router.add("GET", "/api/v1/applications/{id}/receipt.pdf", [&](Exchange& ex) {
        auto c = downloads.open(ex.viewer(), ex.params.at("id"));
        if (!filing::ApplicationDownloads::isSubmitted(c.application)) {
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
        recordView(ex, downloads, c, "receipt.pdf", {{"sha256", sha256Of(pdf.bytes)}});
        sendDocument(ex, pdf.bytes, "inline", c.application.number + "-回执.pdf");
    });
    // The Word versions seed 004 asks applicants to send: downloads to edit, not to view.
    router.add("GET", "/api/v1/applications/{id}/book.docx", [&](Exchange& ex) {
        auto c = downloads.open(ex.viewer(), ex.params.at("id"));
        auto docx = downloads.book(c, "docx");
        recordView(ex, downloads, c, "book.docx", {{"sha256", sha256Of(docx.bytes)}});
        sendDocument(ex, docx.bytes, "attachment",
                     filing::ApplicationDownloads::fileName(c, "申报书", ".docx"));
    });
    router.add("GET", "/api/v1/applications/{id}/experience.docx", [&](Exchange& ex) {
        auto c = downloads.open(ex.viewer(), ex.params.at("id"));
        auto docx = downloads.experience(c, "docx");
        recordView(ex, downloads, c, "experience.docx", {{"sha256", sha256Of(docx.bytes)}});
        sendDocument(ex, docx.bytes, "attachment",
                     filing::ApplicationDownloads::fileName(c, "典型经验材料", ".docx"));
    });
    router.add("GET", "/api/v1/applications/{id}/bundle.zip", [&](Exchange& ex) {
        const Viewer& viewer = ex.viewer();
        auto c = downloads.open(viewer, ex.params.at("id"));
        // Everything that can be refused is decided before the headers go out.
        auto bundle = downloads.bundle(viewer, c);
        auto& response = ex.response;
        response.setContentType("application/zip");
        response.set("Content-Disposition", contentDisposition("attachment", bundle.archiveName));
        // A reviewer's bundle is marked with their name; an applicant's changes with every
        // save of a draft: never kept by a cache.
        response.set("Cache-Control", "no-store");
        response.set("Vary", "Authorization");
        // Streamed as it is made (never whole in memory): no length to announce.
        response.setChunkedTransferEncoding(true);
        if (ex.request.getMethod() == "HEAD") {
            response.send();
            return;
        }
        downloads.recordView(viewer, c, "bundle.zip");
        std::ostream& out = response.send();
        try {
            downloads.writeBundle(viewer, bundle, out);
        } catch (...) {
            // The archive is cut off without its central directory; end the response without
            // its last chunk too, so no client takes it for a whole download.
            if (auto* outgoing = dynamic_cast<OutgoingResponse*>(&response)) outgoing->abandon();
            throw;
        }
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
                sendDocument(ex, pdf.bytes, "inline", pdf.fileName);
            });
    }
}

}  // namespace dossier::http
