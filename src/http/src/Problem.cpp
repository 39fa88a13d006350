#include "Problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <sstream>

#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ValidationError.h"

namespace dossier::http {

int statusOf(const std::string& code) {
    static const std::map<std::string, int> kStatus{
        {codes::kRequestMalformed, 400},
        {codes::kRequestTooLarge, 413},
        {codes::kRequestUnsupportedMediaType, 415},
        {codes::kRouteNotFound, 404},
        {codes::kMethodNotAllowed, 405},
        {codes::kUploadEmpty, 422},
        {codes::kUploadTooLarge, 413},
        {codes::kUploadTypeNotAllowed, 415},
        {codes::kUploadTruncated, 422},
        {codes::kUploadCorrupt, 422},
        {codes::kUploadFileMissing, 400},
        {codes::kUploadFileNameMissing, 400},
        {codes::kUploadFileNameInvalid, 400},
        {codes::kUploadKindUnknown, 422},
        {codes::kUploadFieldInvalid, 422},
        {codes::kImageTooLarge, 413},
        {codes::kImageCorrupt, 422},
        {codes::kPdfEncrypted, 422},
        {codes::kPdfCorrupt, 422},
        {codes::kRenderGlyphMissing, 422},
        {codes::kSealNotFound, 422},
        {codes::kRenderUnknownDocument, 404},
        {codes::kValidationFailed, 422},
        {codes::kAuthRequired, 401},
        {codes::kAuthInvalidCredentials, 401},
        {codes::kAuthLocked, 429},
        {codes::kAuthForbidden, 403},
        {codes::kAccountUsernameTaken, 409},
        {codes::kAccountPhoneTaken, 409},
        {codes::kAccountOrganizationRegistered, 409},
        {codes::kVariantForbidden, 403},
        {codes::kDocumentNotFound, 404},
        {codes::kVariantUnknown, 400},
        {codes::kVariantNotAvailable, 409},
        {codes::kPageNotFound, 404},
        {codes::kRangeNotSatisfiable, 416},
        {codes::kStorageFull, 507},
        {codes::kDatabase, 503},
    };
    auto it = kStatus.find(code);
    return it == kStatus.end() ? 500 : it->second;
}

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
    body.set("code", error.code());
    body.set("instance", ex.request.getURI().substr(0, ex.request.getURI().find('?')));
    body.set("request_id", ex.requestId);
    if (auto* invalid = dynamic_cast<const ValidationError*>(&error)) {
        Poco::JSON::Array errors;
        for (const auto& p : invalid->problems()) {
            Poco::JSON::Object item;
            item.set("path", p.path);
            item.set("code", p.code);
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
