// QC groups and teams (issue 14, scope 1-3; seed 001): the import template, the batch import,
// records filed one by one, the yearly counts (设置) and the summary table (小组汇总表).
#include <Poco/Net/MediaType.h>

#include "Pagination.h"
#include "Routes.h"
#include "UploadForm.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/filing/QcService.h"
#include "dossier/http/HttpSemantics.h"
#include "dossier/storage/StagedBlob.h"

namespace dossier::http {
namespace {

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// A record's body is a few hundred bytes; 64 KiB leaves room for any text at its limits.
constexpr std::size_t kRecordBody = 64 * 1024;
constexpr std::uint64_t kMultipartOverhead = 64 * 1024;

void sendFile(Exchange& ex, const std::string& bytes, const char* type, const std::string& name,
              bool shared) {
    ex.response.setContentType(type);
    ex.response.set("Content-Disposition", contentDisposition("attachment", name));
    // The template is the same for everyone; a summary is the caller's organization's.
    ex.response.set("Cache-Control", shared ? "private, max-age=300" : "private, no-store");
    ex.response.set("Vary", "Authorization");
    ex.response.setContentLength(static_cast<std::streamsize>(bytes.size()));
    std::ostream& out = ex.response.send();
    if (ex.request.getMethod() == "HEAD") return;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void sendRecord(Exchange& ex, int status, const storage::QcRecordRow& row) {
    ex.response.set("ETag", versionTag(row.version));
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    sendJson(ex, status, filing::QcService::toJson(row));
}

void handleImport(Exchange& ex, filing::QcService& qc, filing::DocumentService& documents) {
    filing::QcService::requireMember(ex.viewer());
    Poco::Net::MediaType contentType("application/octet-stream");
    try {
        contentType = Poco::Net::MediaType(ex.request.getContentType());
    } catch (const Poco::Exception&) {
    }
    if (!contentType.matches("multipart", "form-data") || !contentType.hasParameter("boundary")) {
        throw Error(codes::kRequestUnsupportedMediaType,
                    "Send the import as multipart/form-data with a 'file' part (the .xlsx) and "
                    "the fields 'type' and 'year'.");
    }
    UploadForm form(documents, DocumentKind::Import);
    try {
        form.read(ex.request.stream(), contentType.getParameter("boundary"));
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The multipart/form-data body could not be read.",
                    e.displayText());
    }
    auto upload = form.takeUpload();
    if (!upload) {
        throw Error(codes::kUploadFileMissing,
                    "The form has no file: send the workbook in a part named 'file'.");
    }
    auto& staged = upload->staged();
    staged.finish();
    if (staged.size() == 0) throw Error(codes::kUploadEmpty, "The uploaded file is empty.");
    // The staged bytes are read in place and deleted with `upload`: an import keeps no file.
    auto report = qc.importFile(ex.viewer(), staged.contents(), staged.sha256(), form.fileName(),
                                form.field("type"), form.field("year"));
    ex.response.set("Cache-Control", "no-store");
    sendJson(ex, 200, report.toJson());
}

}  // namespace

void addQcRoutes(Router& router, ServerContext& context) {
    auto& qc = context.qc;
    auto& documents = context.documents;
    router.add("GET", "/api/v1/qc/template.xlsx", [](Exchange& ex) {
        std::string type = ex.query("type");
        std::string bytes = filing::QcService::templateXlsx(type);
        sendFile(ex, bytes, kXlsxType,
                 type == "team" ? "班组备案导入模板.xlsx" : "小组备案导入模板.xlsx", true);
    });
    router.add(
        "POST", "/api/v1/qc/imports",
        [&qc, &documents](Exchange& ex) { handleImport(ex, qc, documents); }, Access::Authenticated,
        BodyLimit{documents.limits().limitOf(DocumentKind::Import) + kMultipartOverhead,
                  codes::kUploadTooLarge});
    router.add("POST", "/api/v1/qc/records", [&qc](Exchange& ex) {
        filing::QcService::requireMember(ex.viewer());
        auto row = qc.create(ex.viewer(), parseJsonObject(readJsonBody(ex, kRecordBody)));
        ex.response.set("Location", "/api/v1/qc/records/" + row.id);
        sendRecord(ex, 201, row);
    });
    router.add("GET", "/api/v1/qc/records", [&qc](Exchange& ex) {
        filing::QcService::requireMember(ex.viewer());
        PageRequest page = pageRequestOf(ex);
        auto rows =
            qc.list(ex.viewer(), ex.query("type"), ex.query("year"), page.page, page.perPage);
        std::vector<std::string> items;
        for (const auto& row : rows.rows) items.push_back(filing::QcService::toJson(row));
        sendJson(ex, 200, pageJson(items, page, rows.total));
    });
    router.add("GET", "/api/v1/qc/records/{id}", [&qc](Exchange& ex) {
        sendRecord(ex, 200, qc.get(ex.viewer(), ex.params.at("id")));
    });
    router.add("PUT", "/api/v1/qc/records/{id}", [&qc](Exchange& ex) {
        filing::QcService::requireMember(ex.viewer());
        auto accepted = ifMatchVersions(ex);
        auto row = qc.update(ex.viewer(), ex.params.at("id"),
                             parseJsonObject(readJsonBody(ex, kRecordBody)), accepted);
        sendRecord(ex, 200, row);
    });
    router.add("GET", "/api/v1/qc/counts/{year}", [&qc](Exchange& ex) {
        auto counts = qc.counts(ex.viewer(), ex.params.at("year"));
        ex.response.set("Cache-Control", "private, no-cache");
        sendJson(ex, 200, filing::QcService::countsJson(counts));
    });
    router.add("PUT", "/api/v1/qc/counts/{year}", [&qc](Exchange& ex) {
        filing::QcService::requireMember(ex.viewer());
        auto counts = qc.saveCounts(ex.viewer(), ex.params.at("year"),
                                    parseJsonObject(readJsonBody(ex, kRecordBody)));
        sendJson(ex, 200, filing::QcService::countsJson(counts));
    });
    router.add("GET", "/api/v1/qc/summary.xlsx", [&qc](Exchange& ex) {
        std::string year = ex.query("year");
        std::string bytes = qc.summaryXlsx(ex.viewer(), year);
        sendFile(ex, bytes, kXlsxType, "小组汇总表-" + year + ".xlsx", false);
    });
    router.add("GET", "/api/v1/qc/summary.csv", [&qc](Exchange& ex) {
        std::string year = ex.query("year");
        std::string bytes = qc.summaryCsv(ex.viewer(), year);
        sendFile(ex, bytes, "text/csv; charset=utf-8", "小组汇总表-" + year + ".csv", false);
    });
}

}  // namespace dossier::http
