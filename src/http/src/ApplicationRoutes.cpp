#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "Pagination.h"
#include "Routes.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/ReviewService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

// The largest book form (every table at its row limit, texts at their limits in four-byte
// characters) stays well under the default 1 MiB.
constexpr std::size_t kApplicationBody = Router::kDefaultBodyLimit;

void privateHeaders(Exchange& ex) {
    // The same URL answers each organization with its own application (or 404).
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
}

/// `object` (a JSON object's text) with `"name": value` added last.
std::string withMember(std::string object, const std::string& name, const std::string& value) {
    object.insert(object.size() - 1, ",\"" + name + "\":" + value);
    return object;
}

/// The application with the formal review's outcome the applicant sees (`review`).
/// `activity`, when the caller has read it (a save), is not read again.
void sendApplication(Exchange& ex, int status, ServerContext& context,
                     const storage::ApplicationRow& row,
                     const storage::ActivityRow* activity = nullptr) {
    ex.response.set("ETag", versionTag(row.version));
    privateHeaders(ex);
    std::string json =
        activity ? context.applications.toJson(row, *activity) : context.applications.toJson(row);
    sendJson(ex, status, withMember(json, "review", context.reviews.outcomeJson(row)));
}

}  // namespace

void addApplicationRoutes(Router& router, ServerContext& context) {
    auto& applications = context.applications;
    auto* ctx = &context;
    router.add("POST", "/api/v1/applications", [&applications, ctx](Exchange& ex) {
        filing::ApplicationService::requireMember(ex.viewer());
        auto row = applications.create(ex.viewer(), readJsonBody(ex, kApplicationBody));
        ex.response.set("Location", "/api/v1/applications/" + row.id);
        sendApplication(ex, 201, *ctx, row);
    });
    router.add("GET", "/api/v1/applications", [&applications, ctx](Exchange& ex) {
        filing::ApplicationService::requireMember(ex.viewer());
        PageRequest page = pageRequestOf(ex);
        auto rows = applications.list(ex.viewer(), page.page, page.perPage);
        std::vector<std::string> items;
        auto outcomes = ctx->reviews.outcomesJson(rows.rows);
        for (const auto& row : rows.rows) {
            items.push_back(withMember(applications.summaryJson(row), "review", outcomes[row.id]));
        }
        privateHeaders(ex);
        sendJson(ex, 200, pageJson(items, page, rows.total));
    });
    router.add("GET", "/api/v1/applications/{id}", [&applications, ctx](Exchange& ex) {
        auto row = applications.get(ex.viewer(), ex.params.at("id"));
        std::string etag = versionTag(row.version);
        if (ex.request.has("If-None-Match") &&
            ifNoneMatchMatches(ex.request.get("If-None-Match"), etag)) {
            ex.response.set("ETag", etag);
            privateHeaders(ex);
            ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
            ex.response.send();
            return;
        }
        sendApplication(ex, 200, *ctx, row);
    });
    router.add("PUT", "/api/v1/applications/{id}", [&applications, ctx](Exchange& ex) {
        filing::ApplicationService::requireMember(ex.viewer());
        auto accepted = ifMatchVersions(ex);
        storage::ActivityRow activity;
        auto row = applications.save(ex.viewer(), ex.params.at("id"),
                                     readJsonBody(ex, kApplicationBody), accepted, &activity);
        sendApplication(ex, 200, *ctx, row, &activity);
    });
    router.add("POST", "/api/v1/applications/{id}/submit", [&applications, ctx](Exchange& ex) {
        auto row = applications.submit(ex.viewer(), ex.params.at("id"), ifMatchVersions(ex));
        sendApplication(ex, 200, *ctx, row);
    });
    router.add("POST", "/api/v1/applications/{id}/withdraw", [&applications, ctx](Exchange& ex) {
        auto row = applications.withdraw(ex.viewer(), ex.params.at("id"));
        sendApplication(ex, 200, *ctx, row);
    });
    // Check before submit: what submit() would refuse, without submitting.
    router.add("GET", "/api/v1/applications/{id}/check", [&applications](Exchange& ex) {
        auto problems = applications.check(ex.viewer(), ex.params.at("id"));
        Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
        body.set("ready", problems.empty());
        Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
        for (const auto& p : problems) {
            Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            e->set("path", p.path);
            e->set("code", std::string(p.code.text()));
            e->set("message", p.message);
            errors->add(e);
        }
        body.set("errors", errors);
        std::ostringstream text;
        body.stringify(text);
        privateHeaders(ex);
        sendJson(ex, 200, text.str());
    });
    router.add("GET", "/api/v1/applications/{id}/events", [&applications](Exchange& ex) {
        std::string items;
        for (const auto& e : applications.events(ex.viewer(), ex.params.at("id"))) {
            items += (items.empty() ? "" : ",") + filing::ApplicationService::eventJson(e);
        }
        privateHeaders(ex);
        sendJson(ex, 200, "{\"items\":[" + items + "]}");
    });
}

}  // namespace dossier::http
