#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <sstream>

#include "Routes.h"
#include "dossier/filing/HealthProbe.h"

namespace dossier::http {

void sendJson(Exchange& ex, int status, const std::string& json) {
    auto& response = ex.response;
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    if (!response.has("Cache-Control")) response.set("Cache-Control", "no-store");
    response.send() << json;
}

void addSystemRoutes(Router& router, ServerContext& context, Metrics& metrics) {
    auto& health = context.health;
    router.add("GET", "/healthz", [&health](Exchange& ex) {
        auto report = health.check();
        if (!report.ok()) {
            Poco::Logger::get("dossier.health")
                .warning("request_id=" + ex.requestId + " unhealthy database=" +
                         report.databaseProblem + " storage=" + report.storageProblem);
        }
        Poco::JSON::Object o;
        o.set("status", report.ok() ? "ok" : "unavailable");
        o.set("database", report.databaseOk ? "ok" : "unreachable");
        o.set("storage", report.storageOk ? "ok" : "unwritable");
        std::ostringstream out;
        o.stringify(out);
        sendJson(ex, report.ok() ? 200 : 503, out.str());
    });
    router.add("GET", "/metrics", [&metrics](Exchange& ex) {
        std::string text = metrics.render();
        ex.response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        ex.response.set("Cache-Control", "no-store");
        ex.response.setContentLength(static_cast<std::streamsize>(text.size()));
        ex.response.send() << text;
    });
    router.add("GET", "/api/v1/openapi.json", [](Exchange& ex) {
        ex.response.set("Cache-Control", "no-cache");
        sendJson(ex, 200, openApiDocument());
    });
}

}  // namespace dossier::http
