#include "Pagination.h"
#include "Routes.h"
#include "dossier/filing/ProjectService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

// The largest project (50 IP rows and 50 honours, every text at its limit in four-byte
// characters) is ~600 KB of JSON; the route takes the default 1 MiB.
constexpr std::size_t kProjectBody = Router::kDefaultBodyLimit;

void sendProject(Exchange& ex, int status, const storage::ProjectRow& row) {
    ex.response.set("ETag", versionTag(row.version));
    // Private: the same URL answers each organization with its own project (or 404).
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    sendJson(ex, status, filing::ProjectService::toJson(row));
}

void sendNoContent(Exchange& ex) {
    ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    ex.response.set("Cache-Control", "no-store");
    ex.response.setContentLength(0);
    ex.response.send();
}

}  // namespace

void addProjectRoutes(Router& router, ServerContext& context) {
    auto& projects = context.projects;
    router.add("POST", "/api/v1/projects", [&projects](Exchange& ex) {
        filing::ProjectService::requireMember(ex.viewer());
        auto row = projects.create(ex.viewer(), readJsonBody(ex, kProjectBody));
        ex.response.set("Location", "/api/v1/projects/" + row.id);
        sendProject(ex, 201, row);
    });
    router.add("GET", "/api/v1/projects", [&projects](Exchange& ex) {
        filing::ProjectService::requireMember(ex.viewer());
        PageRequest page = pageRequestOf(ex);
        auto rows = projects.list(ex.viewer(), page.page, page.perPage);
        std::vector<std::string> items;
        for (const auto& row : rows.rows) items.push_back(filing::ProjectService::summaryJson(row));
        sendJson(ex, 200, pageJson(items, page, rows.total));
    });
    router.add("GET", "/api/v1/projects/{id}", [&projects](Exchange& ex) {
        auto row = projects.get(ex.viewer(), ex.params.at("id"));
        std::string etag = versionTag(row.version);
        if (ex.request.has("If-None-Match") &&
            ifNoneMatchMatches(ex.request.get("If-None-Match"), etag)) {
            ex.response.set("ETag", etag);
            ex.response.set("Cache-Control", "private, no-cache");
            ex.response.set("Vary", "Authorization");
            ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
            ex.response.send();
            return;
        }
        sendProject(ex, 200, row);
    });
    router.add("PUT", "/api/v1/projects/{id}", [&projects](Exchange& ex) {
        filing::ProjectService::requireMember(ex.viewer());
        auto accepted = ifMatchVersions(ex);
        auto row = projects.update(ex.viewer(), ex.params.at("id"), readJsonBody(ex, kProjectBody),
                                   accepted);
        sendProject(ex, 200, row);
    });
    router.add("DELETE", "/api/v1/projects/{id}", [&projects](Exchange& ex) {
        projects.remove(ex.viewer(), ex.params.at("id"), ifMatchVersions(ex));
        sendNoContent(ex);
    });
}

}  // namespace dossier::http
