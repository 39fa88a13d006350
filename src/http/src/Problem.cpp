#include "Problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ValidationError.h"

namespace dossier::http {

int statusOf(ErrorCode code) { return code.httpStatus(); }

void sendProblem(Exchange& ex, const Error& error) {
    int status = statusOf(error.code());
    auto& response = ex.response;
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    Poco::JSON::Object body;
    body.set("type", "urn:dossier:problem:" + error.code());
    body.set("title", response.getReason());
    body.set("status", status);
    body.set("detail",
             status >= 500 && error.message().empty() ? "Internal server error." : error.message());
    body.set("code", std::string(error.code().text()));
    body.set("instance", ex.request.getURI().substr(0, ex.request.getURI().find('?')));
    body.set("request_id", ex.requestId);
    if (auto* invalid = dynamic_cast<const ValidationError*>(&error)) {
        Poco::JSON::Array errors;
        for (const auto& p : invalid->problems()) {
            Poco::JSON::Object item;
            item.set("path", p.path);
            item.set("code", std::string(p.code.text()));
            item.set("message", p.message);
            errors.add(item);
        }
        body.set("errors", errors);
    }
    std::ostringstream out;
    body.stringify(out);
    std::string text = out.str();
    response.setContentType("application/problem+json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.set("Cache-Control", "no-store");
    response.send() << text;
}

}  // namespace dossier::http
