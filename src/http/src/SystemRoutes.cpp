#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/MediaType.h>

#include <sstream>

#include "Routes.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/LogValue.h"
#include "dossier/filing/HealthProbe.h"
#include "dossier/filing/RenderService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {

void sendJson(Exchange& ex, int status, const std::string& json) {
    auto& response = ex.response;
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    if (!response.has("Cache-Control")) response.set("Cache-Control", "no-store");
    // Headers and body in one write (send() << json flushes the headers on their own first).
    response.sendBuffer(json.data(), json.size());
}

std::string readJsonBody(Exchange& ex, std::size_t limit) {
    auto& request = ex.request;
    Poco::Net::MediaType type("application/octet-stream");
    try {
        type = Poco::Net::MediaType(request.getContentType());
    } catch (const Poco::Exception&) {
    }
    if (!type.matches("application", "json")) {
        throw Error(codes::kRequestUnsupportedMediaType, "Send the data as application/json.");
    }
    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
        ex.response.setKeepAlive(false);
        throw Error(codes::kRequestTooLarge,
                    "The JSON body may be at most " + std::to_string(limit / 1024) + " KB.");
    }
    std::string body(limit + 1, '\0');
    request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(request.stream().gcount()));
    if (body.size() > limit) {
        ex.response.setKeepAlive(false);
        throw Error(codes::kRequestTooLarge,
                    "The JSON body may be at most " + std::to_string(limit / 1024) + " KB.");
    }
    return body;
}

void addSystemRoutes(Router& router, ServerContext& context, Metrics& metrics) {
    auto& renders = context.renders;
    router.add("POST", "/api/v1/render/{document}", [&renders](Exchange& ex) {
        std::string json = readJsonBody(ex, 1 << 20);
        filing::RenderRequest request;
        request.document = ex.params.at("document");
        // A receipt attests a submission: it is issued for a submitted application
        // (…/receipt.pdf), never rendered from data a client posts.
        if (request.document == "receipt") {
            throw Error(codes::kRenderUnknownDocument,
                        "There is no document 'receipt' to render from posted data; a "
                        "submitted application's receipt is at its receipt.pdf.");
        }
        request.templateId = ex.query("template");
        request.format = ex.query("format", "pdf");
        std::string draft = ex.query("draft", "false");
        if (draft != "true" && draft != "false") {
            throw Error(codes::kRequestMalformed, "draft is true or false.");
        }
        request.draft = draft == "true";
        auto rendered = renders.render(request, json);
        ex.response.setContentType(rendered.mediaType);
        ex.response.set("Content-Disposition", contentDisposition("inline", rendered.fileName));
        ex.response.set("Cache-Control", "no-store");
        ex.response.setContentLength(static_cast<std::streamsize>(rendered.bytes.size()));
        ex.response.send().write(rendered.bytes.data(),
                                 static_cast<std::streamsize>(rendered.bytes.size()));
    });
    auto& health = context.health;
    router.add(
        "GET", "/healthz",
        [&health](Exchange& ex) {
            auto report = health.check();
            if (!report.ok()) {
                Poco::Logger::get("dossier.health")
                    .warning("request_id=" + logValue(ex.requestId) + " unhealthy" +
                             logField("database", report.databaseProblem) +
                             logField("storage", report.storageProblem));
            }
            Poco::JSON::Object o;
            o.set("status", report.ok() ? "ok" : "unavailable");
            o.set("database", report.databaseOk ? "ok" : "unreachable");
            o.set("storage", report.storageOk ? "ok" : "unwritable");
            std::ostringstream out;
            o.stringify(out);
            sendJson(ex, report.ok() ? 200 : 503, out.str());
        },
        Access::Public);
    router.add("GET", "/metrics", [&metrics](Exchange& ex) {
        requireRole(ex, Role::Operator);
        std::string text = metrics.render();
        ex.response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        ex.response.set("Cache-Control", "no-store");
        ex.response.setContentLength(static_cast<std::streamsize>(text.size()));
        ex.response.send() << text;
    });
    router.add(
        "GET", "/api/v1/openapi.json",
        [](Exchange& ex) {
            ex.response.set("Cache-Control", "no-cache");
            sendJson(ex, 200, openApiDocument());
        },
        Access::Public);
}

}  // namespace dossier::http
