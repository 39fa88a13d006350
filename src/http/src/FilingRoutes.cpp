// The organization filing (组织备案) and its review: the organization's own routes under
// /api/v1/organizations/{id}/filing, the reviewers' under /api/v1/filings.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "Routes.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/FilingService.h"

namespace dossier::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// A complete draft is a few KB (seed 000's fields, ten years at most); 64 KB takes a 16 KB
// draft written by any client (pretty-printed, every character \u-escaped) four times over.
constexpr std::size_t kDraftBody = 64 * 1024;
constexpr std::size_t kDecisionBody = 16 * 1024;

std::string stringify(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

/// `o` with `"data": <raw JSON>` appended: the filed data is sent as stored, its amounts
/// exact decimals (a double would print 0.3 as 0.29999999999999999).
std::string withData(const Object& o, const std::string& dataJson) {
    std::string out = stringify(o);
    out.pop_back();  // '}'
    if (out.size() > 1) out += ',';
    return out + "\"data\":" + dataJson + "}";
}

Poco::Dynamic::Var timestampOrNull(std::int64_t micros) {
    if (micros == 0) return Poco::Dynamic::Var();
    return formatTimestamp(micros);
}

Poco::Dynamic::Var textOrNull(const std::string& text) {
    if (text.empty()) return Poco::Dynamic::Var();
    return text;
}

Array::Ptr reasonsArray(filing::FilingService& service, const std::string& reasonsJson) {
    Array::Ptr out = new Array;
    Array::Ptr codes;
    try {
        codes = Poco::JSON::Parser().parse(reasonsJson).extract<Array::Ptr>();
    } catch (const std::exception&) {
    }
    for (std::size_t i = 0; codes && i < codes->size(); ++i) {
        Object::Ptr reason = new Object;
        std::string code = codes->getElement<std::string>(static_cast<unsigned>(i));
        reason->set("code", code);
        reason->set("label", service.rejectionReasonLabel(code));
        out->add(reason);
    }
    return out;
}

/// The summary of one version (the list's items, `versions`, `approved`).
Object::Ptr versionObject(filing::FilingService& service, const storage::FilingRow& row) {
    Object::Ptr o = new Object;
    o->set("id", row.id);
    o->set("organization_id", row.organizationId);
    o->set("version", row.version);
    o->set("state", row.state);
    o->set("name", textOrNull(row.name));
    o->set("province", textOrNull(row.province));
    o->set("created_at", formatTimestamp(row.createdAtMicros));
    o->set("updated_at", formatTimestamp(row.updatedAtMicros));
    o->set("submitted_at", timestampOrNull(row.submittedAtMicros));
    o->set("decided_at", timestampOrNull(row.decidedAtMicros));
    if (row.state == "rejected" || row.reasonsJson != "[]") {
        o->set("reasons", reasonsArray(service, row.reasonsJson));
    }
    return o;
}

Array::Ptr historyArray(const std::vector<storage::AuditEntry>& entries) {
    Array::Ptr out = new Array;
    for (const auto& e : entries) {
        Object::Ptr item = new Object;
        item->set("at", formatTimestamp(e.atMicros));
        item->set("action", e.action);
        item->set("filing_id", e.target.substr(e.target.find(':') + 1));
        item->set("account_id", textOrNull(e.accountId));
        Object::Ptr details = new Object;
        try {
            details = Poco::JSON::Parser().parse(e.detailJson).extract<Object::Ptr>();
        } catch (const std::exception&) {
        }
        // The reasons of a rejection are stored as a JSON list in a string.
        if (details->has("reasons") && details->get("reasons").isString()) {
            try {
                details->set("reasons",
                             Poco::JSON::Parser().parse(details->getValue<std::string>("reasons")));
            } catch (const std::exception&) {
            }
        }
        item->set("details", details);
        out->add(item);
    }
    return out;
}

void sendView(Exchange& ex, filing::FilingService& service, const filing::FilingView& v) {
    Object o;
    o.set("organization_id", v.organization.id);
    o.set("organization_name", v.organization.name);
    o.set("credit_code", v.organization.creditCode);
    if (v.current) {
        const auto& c = *v.current;
        o.set("id", c.id);
        o.set("version", c.version);
        o.set("state", c.state);
        o.set("revision", c.revision);
        o.set("created_at", formatTimestamp(c.createdAtMicros));
        o.set("updated_at", formatTimestamp(c.updatedAtMicros));
        o.set("submitted_at", timestampOrNull(c.submittedAtMicros));
        o.set("decided_at", timestampOrNull(c.decidedAtMicros));
        Object::Ptr review = new Object;
        review->set("reasons", reasonsArray(service, c.reasonsJson));
        review->set("comment", textOrNull(c.reviewComment));
        o.set("review", review);
        ex.response.set("ETag", filing::FilingService::etag(c));
    } else {
        o.set("id", Poco::Dynamic::Var());
        o.set("version", 0);
        o.set("state", "none");
    }
    o.set("approved", v.approved ? Poco::Dynamic::Var(versionObject(service, *v.approved))
                                 : Poco::Dynamic::Var());
    Array::Ptr versions = new Array;
    for (const auto& row : v.versions) versions->add(versionObject(service, row));
    o.set("versions", versions);
    o.set("history", historyArray(v.history));
    // The draft is the caller's own working copy: never kept by a cache.
    ex.response.set("Cache-Control", "no-store");
    sendJson(ex, 200, withData(o, v.dataJson));
}

/// One check as GET /api/v1/documents/{id}/checks lists it.
Object::Ptr checkObject(const storage::CheckRow& row) {
    Object::Ptr item = new Object;
    if ((row.state == "done" || row.state == "error") && !row.resultJson.empty()) {
        try {
            item = Poco::JSON::Parser().parse(row.resultJson).extract<Object::Ptr>();
        } catch (const std::exception&) {
        }
    }
    item->set("check", row.checkName);
    item->set("state", row.state);
    item->set("attempts", row.attempts);
    item->set("updated_at", formatTimestamp(row.updatedAtMicros));
    return item;
}

void sendReview(Exchange& ex, filing::FilingService& service, const filing::FilingReview& r) {
    Object o;
    const auto& f = r.filing;
    o.set("id", f.id);
    o.set("organization_id", f.organizationId);
    o.set("organization_name", r.organization.name);
    o.set("registered_credit_code", r.organization.creditCode);
    o.set("version", f.version);
    o.set("state", f.state);
    o.set("revision", f.revision);
    o.set("submitted_at", timestampOrNull(f.submittedAtMicros));
    o.set("submitted_by", textOrNull(f.submittedBy));
    o.set("decided_at", timestampOrNull(f.decidedAtMicros));
    o.set("decided_by", textOrNull(f.decidedBy));
    Object::Ptr review = new Object;
    review->set("reasons", reasonsArray(service, f.reasonsJson));
    review->set("comment", textOrNull(f.reviewComment));
    o.set("review", review);
    Array::Ptr evidence = new Array;
    for (const auto& d : r.documents) {
        Object::Ptr item = new Object;
        item->set("document_id", d.documentId);
        item->set("field", d.role);
        Array::Ptr checks = new Array;
        bool pending = false;
        for (const auto& c : d.checks) {
            checks->add(checkObject(c));
            pending = pending || c.state == "pending" || c.state == "running";
        }
        item->set("state", pending ? "pending" : "done");
        item->set("checks", checks);
        if (!d.filedComparisonJson.empty()) {
            item->set("filed_comparison", Poco::JSON::Parser().parse(d.filedComparisonJson));
        }
        evidence->add(item);
    }
    o.set("evidence", evidence);
    o.set("history", historyArray(r.history));
    sendJson(ex, 200, withData(o, f.dataJson));
}

int intQuery(const Exchange& ex, const std::string& name, int fallback) {
    std::string text = ex.query(name);
    if (text.empty()) return fallback;
    if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw Error(codes::kRequestMalformed, name + " is a whole number.");
    }
    return std::stoi(text);
}

void sendList(Exchange& ex, filing::FilingService& service) {
    filing::FilingService::ListQuery q;
    q.state = ex.query("state");
    q.province = ex.query("province");
    q.name = ex.query("name");
    q.page = intQuery(ex, "page", 1);
    q.perPage = intQuery(ex, "per_page", 50);
    auto started = std::chrono::steady_clock::now();
    auto page = service.list(ex.viewer(), q);
    double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    Object o;
    Array::Ptr items = new Array;
    for (const auto& row : page.rows) items->add(versionObject(service, row));
    o.set("items", items);
    o.set("total", page.total);
    o.set("page", q.page);
    o.set("per_page", q.perPage);
    // The service's time (query and count), for operators and the list benchmark.
    char timing[48];
    std::snprintf(timing, sizeof timing, "app;dur=%.3f", millis);
    ex.response.set("Server-Timing", timing);
    sendJson(ex, 200, stringify(o));
}

/// The decision's body, "" when there is none (an approval may come without one).
std::string decisionBody(Exchange& ex) {
    if ((!ex.request.hasContentLength() || ex.request.getContentLength64() == 0) &&
        !ex.request.getChunkedTransferEncoding()) {
        return {};
    }
    return readJsonBody(ex, kDecisionBody);
}

void sendDecision(Exchange& ex, filing::FilingService& service, const storage::FilingRow& row) {
    Object::Ptr o = versionObject(service, row);
    o->set("comment", textOrNull(row.reviewComment));
    o->set("decided_by", textOrNull(row.decidedBy));
    sendJson(ex, 200, stringify(*o));
}

}  // namespace

void addFilingRoutes(Router& router, ServerContext& context) {
    auto& filings = context.filings;
    const std::string org = "/api/v1/organizations/{id}/filing";
    router.add("GET", org, [&filings](Exchange& ex) {
        sendView(ex, filings, filings.get(ex.viewer(), ex.params.at("id")));
    });
    router.add("PUT", org,
               [&filings](Exchange& ex) {
                   // Who may file is settled before the body is read.
                   filing::FilingService::authorize(ex.viewer(), ex.params.at("id"), true);
                   std::string body = readJsonBody(ex, kDraftBody);
                   sendView(ex, filings,
                            filings.saveDraft(ex.viewer(), ex.params.at("id"), body,
                                              ex.request.get("If-Match", "")));
               },
               Access::Authenticated, {kDraftBody, codes::kRequestTooLarge});
    router.add("POST", org + "/submit",
               [&filings](Exchange& ex) {
                   filing::FilingService::authorize(ex.viewer(), ex.params.at("id"), true);
                   sendView(ex, filings,
                            filings.submit(ex.viewer(), ex.params.at("id"),
                                           ex.request.get("If-Match", "")));
               },
               Access::Authenticated, {kDecisionBody, codes::kRequestTooLarge});

    router.add("GET", "/api/v1/filings", [&filings](Exchange& ex) { sendList(ex, filings); });
    router.add("GET", "/api/v1/filings/{id}", [&filings](Exchange& ex) {
        sendReview(ex, filings, filings.review(ex.viewer(), ex.params.at("id")));
    });
    router.add("POST", "/api/v1/filings/{id}/approve",
               [&filings](Exchange& ex) {
                   requireRole(ex, Role::Reviewer);
                   sendDecision(ex, filings,
                                filings.approve(ex.viewer(), ex.params.at("id"), decisionBody(ex)));
               },
               Access::Authenticated, {kDecisionBody, codes::kRequestTooLarge});
    router.add("POST", "/api/v1/filings/{id}/reject",
               [&filings](Exchange& ex) {
                   requireRole(ex, Role::Reviewer);
                   sendDecision(ex, filings,
                                filings.reject(ex.viewer(), ex.params.at("id"), decisionBody(ex)));
               },
               Access::Authenticated, {kDecisionBody, codes::kRequestTooLarge});
}

}  // namespace dossier::http
