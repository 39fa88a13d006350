#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MediaType.h>

#include <sstream>
#include <vector>

#include "Pagination.h"
#include "Problem.h"
#include "Routes.h"
#include "UploadForm.h"
#include "dossier/core/Clock.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/FileName.h"
#include "dossier/filing/DerivativeService.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

constexpr std::size_t kIoChunk = 256 * 1024;
constexpr std::uint64_t kMultipartOverhead = 1 << 20;

/// Written directly, not through Poco::JSON::Object: on the metadata route (the most frequent
/// request) the object tree and its stringifier cost more than the rest of the handler.
std::string documentJson(const Document& d, const std::string& checks = {}) {
    std::string out;
    out.reserve(384 + d.originalName.size());
    auto field = [&out](std::string_view key, std::string_view value) {
        out += out.empty() ? '{' : ',';
        appendJsonString(out, key);
        out += ':';
        appendJsonString(out, value);
    };
    field("id", d.id);
    field("sha256", d.sha256);
    out += ",\"size\":" + std::to_string(d.size);
    field("media_type", mimeOf(d.mediaType));
    field("kind", nameOf(d.kind));
    field("original_name", d.originalName);
    // Derived, not stored: the same rule names every download of the document.
    std::string downloadName = downloadFileName(d.originalName, d.mediaType);
    out += ",\"name_corrected\":";
    out += downloadName != d.originalName ? "true" : "false";
    field("download_name", downloadName);
    field("created_at", formatTimestamp(d.createdAtMicros));
    if (!d.organizationId.empty()) field("organization_id", d.organizationId);
    out += ",\"signed\":";
    out += d.signedPdf ? "true" : "false";
    if (!checks.empty()) field("checks", checks);
    out += '}';
    return out;
}

void handleUpload(Exchange& ex, filing::DocumentService& service, Metrics& metrics) {
    auto& request = ex.request;
    service.requireUploader(ex.viewer());
    Poco::Net::MediaType contentType("application/octet-stream");
    try {
        contentType = Poco::Net::MediaType(request.getContentType());
    } catch (const Poco::Exception&) {
    }
    if (!contentType.matches("multipart", "form-data") || !contentType.hasParameter("boundary")) {
        throw Error(codes::kRequestUnsupportedMediaType,
                    "Send the upload as multipart/form-data with a 'file' part and a 'kind' "
                    "field.");
    }
    UploadForm form(service);
    try {
        form.read(request.stream(), contentType.getParameter("boundary"));
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The multipart/form-data body could not be read.",
                    e.displayText());
    }
    auto upload = form.takeUpload();
    if (!upload) {
        throw Error(codes::kUploadFileMissing,
                    "The form has no file: send it in a part named 'file' with a filename.");
    }
    filing::UploadClaims claims;
    claims.kind = form.field("kind");
    claims.fileName = form.fileName();
    claims.declaredType = form.declaredType();
    claims.expectedSeals = form.field("expected_seals");
    Document doc = service.completeUpload(ex.viewer(), std::move(upload), claims);
    metrics.recordUpload(doc.size);
    // Decided by the same rule the service applied; no second look at the database.
    bool checks = filing::hasChecks(doc.kind, doc.mediaType);
    ex.response.set("Location", "/api/v1/documents/" + doc.id);
    sendJson(ex, 201, documentJson(doc, checks ? "pending" : "none"));
}

/// GET /api/v1/documents: the organization's documents, each with who uploaded it and
/// whether a filing or project uses it (then it cannot be deleted).
void handleList(Exchange& ex, filing::DocumentService& service) {
    service.requireUploader(ex.viewer());
    PageRequest page = pageRequestOf(ex);
    auto listed = service.list(ex.viewer(), ex.query("kind"), page.page, page.perPage);
    std::vector<std::string> items;
    for (const auto& item : listed.items) {
        std::string json = documentJson(item.document);
        json.pop_back();  // '}'
        json += ",\"uploaded_by\":";
        appendJsonString(json, item.document.uploadedBy);
        json += ",\"in_use\":";
        json += item.inUse ? "true}" : "false}";
        items.push_back(std::move(json));
    }
    sendJson(ex, 200, pageJson(items, page, listed.total));
}

void handleDelete(Exchange& ex, filing::DocumentService& service) {
    service.remove(ex.viewer(), ex.params.at("id"));
    ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    ex.response.set("Cache-Control", "no-store");
    ex.response.setContentLength(0);
    ex.response.send();
}

void handleMetadata(Exchange& ex, filing::DocumentService& service) {
    sendJson(ex, 200, documentJson(service.get(ex.viewer(), ex.params.at("id"))));
}

/// {document_id, state: pending|done, checks: [{check, state, attempts, ...result}]}
void handleChecks(Exchange& ex, filing::DocumentService& service) {
    std::string id = ex.params.at("id");
    auto rows = service.checksOf(ex.viewer(), id);
    Poco::JSON::Array list;
    bool pending = false;
    for (const auto& row : rows) {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
        // A check that could not be completed (state error) has a stored failed result too.
        if ((row.state == "done" || row.state == "error") && !row.resultJson.empty()) {
            item = Poco::JSON::Parser().parse(row.resultJson).extract<Poco::JSON::Object::Ptr>();
        } else {
            item->set("check", row.checkName);
            if (row.state == "error") {
                item->set("status", "error");
                item->set("code", row.code);
                item->set("message", "The check could not be run; an operator has been alerted.");
            }
        }
        pending = pending || row.state == "pending" || row.state == "running";
        item->set("state", row.state);
        item->set("attempts", row.attempts);
        item->set("updated_at", formatTimestamp(row.updatedAtMicros));
        list.add(item);
    }
    Poco::JSON::Object o;
    o.set("document_id", id);
    o.set("state", rows.empty() ? "none" : pending ? "pending" : "done");
    o.set("checks", list);
    std::ostringstream out;
    o.stringify(out);
    if (pending) ex.response.set("Retry-After", "2");
    sendJson(ex, 200, out.str());
}

/// {document_id, entries: [{at, action, account_id, details}]}, newest first.
void handleTrail(Exchange& ex, filing::DocumentService& service) {
    std::string id = ex.params.at("id");
    Poco::JSON::Array entries;
    for (const auto& e : service.trailOf(ex.viewer(), id)) {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
        item->set("at", formatTimestamp(e.atMicros));
        item->set("action", e.action);
        item->set("account_id", e.accountId);
        item->set("details", Poco::JSON::Parser().parse(e.detailJson));
        entries.add(item);
    }
    Poco::JSON::Object o;
    o.set("document_id", id);
    o.set("entries", entries);
    std::ostringstream out;
    o.stringify(out);
    sendJson(ex, 200, out.str());
}

void sendBytes(Exchange& ex, const ByteSource& bytes, std::uint64_t offset, std::uint64_t length) {
    std::ostream& out = ex.response.send();
    if (ex.request.getMethod() == "HEAD") return;
    std::vector<char> buf(kIoChunk);
    while (length > 0 && out) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length, buf.size()));
        std::size_t n = bytes.readAt(offset, buf.data(), want);
        if (n == 0) break;
        out.write(buf.data(), static_cast<std::streamsize>(n));
        offset += n;
        length -= n;
    }
}

/// Sends stored bytes with ETag/304, one Range/206 and a UTF-8 Content-Disposition, and
/// writes the audit entry of what goes out (none for HEAD, 304 or an error).
/// `personal`: made for this viewer (a trace mark), so never stored by a cache. Everything
/// else is `private, no-cache`: the same URL answers another variant to another caller, so a
/// cache must ask every time (a 304 when its copy is still the one this caller gets).
void sendContent(Exchange& ex, filing::DerivativeService& derivatives,
                 filing::DocumentContent& content, bool personal) {
    auto& request = ex.request;
    auto& response = ex.response;
    const Document& doc = content.document;
    std::string etag = "\"" + doc.sha256 + "\"";
    response.set("ETag", etag);
    response.set("Cache-Control", personal ? "private, no-store" : "private, no-cache");
    response.set("Vary", "Authorization");
    response.set("Accept-Ranges", "bytes");
    if (request.has("If-None-Match") && ifNoneMatchMatches(request.get("If-None-Match"), etag)) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        // RFC 9110 8.6: a 304 may carry Content-Length only as the 200 would; Poco sends no
        // body after a 304 whatever the length says.
        response.setContentLength64(static_cast<Poco::Int64>(doc.size));
        response.send();
        return;
    }
    RangeRequest range;
    bool rangeApplies =
        request.has("Range") && (!request.has("If-Range") || request.get("If-Range") == etag);
    if (rangeApplies) range = parseRange(request.get("Range"), doc.size);
    if (range.outcome == RangeOutcome::Unsatisfiable) {
        // The one representation header a 416 carries (RFC 9110 15.5.17); the problem
        // answer drops the others.
        response.set("Content-Range", "bytes */" + std::to_string(doc.size));
        throw Error(codes::kRangeNotSatisfiable, "The requested range lies outside the file (" +
                                                     std::to_string(doc.size) + " bytes).");
    }
    std::string disposition =
        ex.query("disposition", "attachment") == "inline" ? "inline" : "attachment";
    response.set("Content-Disposition", contentDisposition(disposition, content.fileName));
    response.set("Content-Security-Policy", "default-src 'none'; sandbox");
    response.setContentType(std::string(mimeOf(doc.mediaType)));

    bool partial = range.outcome == RangeOutcome::Satisfiable;
    std::uint64_t first = partial ? range.range.first : 0;
    std::uint64_t length = partial ? range.range.length() : doc.size;
    if (partial) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_PARTIAL_CONTENT);
        response.set("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                          std::to_string(range.range.last) + "/" +
                                          std::to_string(doc.size));
    }
    response.setContentLength64(static_cast<Poco::Int64>(length));
    if (request.getMethod() != "HEAD") {
        derivatives.recordSent(ex.viewer(), content, first, length, partial);
    }
    sendBytes(ex, *content.bytes, first, length);
}

void handleContent(Exchange& ex, filing::DerivativeService& derivatives) {
    std::string variant = ex.query("variant");
    auto content = derivatives.content(ex.viewer(), ex.params.at("id"), variant);
    // A marked copy is never the document: say so, and that the original is signed.
    std::string served = variant;
    if (served.empty()) {
        served = filing::ownsDocument(ex.viewer(), content.document) ? "original" : "review";
    }
    MediaType type = content.document.mediaType;
    bool markable = type == MediaType::Jpeg || type == MediaType::Png || type == MediaType::Pdf;
    if (served != "original" && markable) {
        ex.response.set("Dossier-Copy", served);
        if (content.document.signedPdf) ex.response.set("Dossier-Original-Signed", "true");
    }
    sendContent(ex, derivatives, content,
                filing::DerivativeService::isPersonal(ex.viewer(), content.document, variant));
}

void handlePage(Exchange& ex, filing::DerivativeService& derivatives) {
    auto number = [](const std::string& text, int fallback) {
        if (text.empty()) return fallback;
        if (text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) {
            throw Error(codes::kRequestMalformed, "Page numbers and widths are whole numbers.");
        }
        return std::stoi(text);
    };
    int page = number(ex.params.at("page"), 1);
    int width = number(ex.query("width"), 800);
    auto content = derivatives.preview(ex.viewer(), ex.params.at("id"), page, width);
    sendContent(ex, derivatives, content, !filing::ownsDocument(ex.viewer(), content.document));
}

}  // namespace

std::uint64_t uploadBodyLimit(const ServerContext& context) {
    return context.documents.limits().largest() + kMultipartOverhead;
}

void addDocumentRoutes(Router& router, ServerContext& context, Metrics& metrics) {
    auto& service = context.documents;
    router.add(
        "POST", "/api/v1/documents",
        [&service, &metrics](Exchange& ex) {
            try {
                handleUpload(ex, service, metrics);
            } catch (const Error& e) {
                metrics.recordRejectedUpload(e.code());
                throw;
            }
        },
        Access::Authenticated, BodyLimit{uploadBodyLimit(context), codes::kUploadTooLarge});
    router.add("GET", "/api/v1/documents", [&service](Exchange& ex) { handleList(ex, service); });
    router.add("GET", "/api/v1/documents/{id}",
               [&service](Exchange& ex) { handleMetadata(ex, service); });
    router.add("DELETE", "/api/v1/documents/{id}",
               [&service](Exchange& ex) { handleDelete(ex, service); });
    router.add("GET", "/api/v1/documents/{id}/checks",
               [&service](Exchange& ex) { handleChecks(ex, service); });
    router.add("GET", "/api/v1/documents/{id}/audit",
               [&service](Exchange& ex) { handleTrail(ex, service); });
    auto& derivatives = context.derivatives;
    router.add("GET", "/api/v1/documents/{id}/content",
               [&derivatives](Exchange& ex) { handleContent(ex, derivatives); });
    router.add("GET", "/api/v1/documents/{id}/pages/{page}.png",
               [&derivatives](Exchange& ex) { handlePage(ex, derivatives); });
}

}  // namespace dossier::http
