#include "Pagination.h"
#include "Routes.h"
#include "dossier/filing/ActivityService.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/AuthService.h"

namespace dossier::http {
namespace {

// An activity is a few KB (20 evidence kinds at most).
constexpr std::size_t kActivityBody = 64 * 1024;

void sendActivity(Exchange& ex, int status, const storage::ActivityRow& row,
                  std::int64_t nowMicros) {
    ex.response.set("ETag", versionTag(row.version));
    ex.response.set("Cache-Control", "no-cache");
    sendJson(ex, status, filing::ActivityService::toJson(row, nowMicros));
}

}  // namespace

void addActivityRoutes(Router& router, ServerContext& context) {
    auto& activities = context.activities;
    auto& auth = context.auth;
    router.add("POST", "/api/v1/activities", [&activities](Exchange& ex) {
        filing::ActivityService::requireOrganizer(ex.viewer());
        auto row = activities.create(ex.viewer(), readJsonBody(ex, kActivityBody));
        ex.response.set("Location", "/api/v1/activities/" + row.code);
        sendActivity(ex, 201, row, activities.clock().nowMicros());
    });
    // Public: the open activities for anyone; every activity for a signed-in staff account
    // (a token that is missing, unknown or expired gets the public answer, never 401).
    router.add(
        "GET", "/api/v1/activities",
        [&activities, &auth](Exchange& ex) {
            std::optional<Viewer> viewer;
            if (!ex.token.empty()) {
                try {
                    viewer = auth.authenticate(ex.token);
                } catch (const Error& e) {
                    if (e.code() != codes::kAuthRequired) throw;
                }
            }
            std::int64_t now = activities.clock().nowMicros();
            std::string items;
            for (const auto& row : activities.list(viewer)) {
                items += (items.empty() ? "" : ",") + filing::ActivityService::toJson(row, now);
            }
            ex.response.set("Vary", "Authorization");
            sendJson(ex, 200, "{\"items\":[" + items + "]}");
        },
        Access::Public);
    router.add(
        "GET", "/api/v1/activities/{code}",
        [&activities](Exchange& ex) {
            auto row = activities.get(ex.params.at("code"));
            sendActivity(ex, 200, row, activities.clock().nowMicros());
        },
        Access::Public);
    // The form an applicant fills, from the activity's book template: the console builds its
    // editor from it, so a new award year is a new template file and no new screen.
    auto& applications = context.applications;
    router.add("GET", "/api/v1/activities/{code}/form", [&activities, &applications](Exchange& ex) {
        auto row = activities.get(ex.params.at("code"));
        ex.response.set("Cache-Control", "private, no-cache");
        sendJson(ex, 200, applications.formSchemaJson(row));
    });
    router.add("PUT", "/api/v1/activities/{code}", [&activities](Exchange& ex) {
        filing::ActivityService::requireOrganizer(ex.viewer());
        auto accepted = ifMatchVersions(ex);
        auto row = activities.update(ex.viewer(), ex.params.at("code"),
                                     readJsonBody(ex, kActivityBody), accepted);
        sendActivity(ex, 200, row, activities.clock().nowMicros());
    });
}

}  // namespace dossier::http
