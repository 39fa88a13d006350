#include "Problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <sstream>
#include <vector>

#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ValidationError.h"

namespace dossier::http {

int statusOf(ErrorCode code) { return code.httpStatus(); }

namespace {

/// Headers an error answer may keep from what the handler set before it failed: about the
/// exchange (request id, connection), the error itself (Allow, WWW-Authenticate,
/// Retry-After) and response-wide policy. Everything else — ETag, Content-Disposition,
/// Content-Range, Vary, Location, Dossier-Copy... — described the representation that was not
/// sent: a browser would save the error under the file's name, a cache key it by the file's
/// tag. A 416 keeps its Content-Range (RFC 9110 15.5.17: "bytes */length").
bool keptOnError(const std::string& name, int status) {
    static const char* const kKept[] = {
        "X-Request-Id",
        "X-Content-Type-Options",
        "Allow",
        "WWW-Authenticate",
        "Retry-After",
        "Connection",
        "Keep-Alive",
        "Accept-Ranges",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "Strict-Transport-Security",
    };
    for (const char* kept : kKept) {
        if (Poco::icompare(name, kept) == 0) return true;
    }
    return status == 416 && Poco::icompare(name, "Content-Range") == 0;
}

}  // namespace

std::string problemJson(const Error& error, const std::string& title, const std::string& instance,
                        const std::string& requestId) {
    int status = statusOf(error.code());
    Poco::JSON::Object body;
    body.set("type", "urn:dossier:problem:" + error.code());
    body.set("title", title);
    body.set("status", status);
    body.set("detail",
             status >= 500 && error.message().empty() ? "Internal server error." : error.message());
    body.set("code", std::string(error.code().text()));
    if (!instance.empty()) body.set("instance", instance);
    body.set("request_id", requestId);
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
    for (const auto& [name, json] : error.members()) {
        // Wrapped in an array: Poco's parser takes no bare scalar at the top.
        auto wrapped = Poco::JSON::Parser().parse("[" + json + "]");
        body.set(name, wrapped.extract<Poco::JSON::Array::Ptr>()->get(0));
    }
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

void sendProblem(Exchange& ex, const Error& error) {
    int status = statusOf(error.code());
    auto& response = ex.response;
    std::vector<std::string> dropped;
    for (const auto& [name, value] : response) {
        if (!keptOnError(name, status)) dropped.push_back(name);
    }
    for (const auto& name : dropped) response.erase(name);
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    std::string text =
        problemJson(error, response.getReason(),
                    ex.request.getURI().substr(0, ex.request.getURI().find('?')), ex.requestId);
    response.setContentType("application/problem+json");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.set("Cache-Control", "no-store");
    response.send() << text;
}

}  // namespace dossier::http
