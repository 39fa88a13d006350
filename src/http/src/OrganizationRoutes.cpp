#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <set>
#include <sstream>

#include "Routes.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/AuthService.h"
#include "dossier/filing/OrganizationService.h"

namespace dossier::http {
namespace {

constexpr std::size_t kSmallBody = 16 * 1024;

std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

/// The string members `fields` of a JSON body, each required; unknown members and wrong
/// types reported all at once.
std::map<std::string, std::string> readBody(Exchange& ex, const std::set<std::string>& fields) {
    auto body = parseJsonObject(readJsonBody(ex, kSmallBody));
    std::map<std::string, std::string> out;
    std::vector<FieldProblem> problems;
    for (const auto& name : body->getNames()) {
        if (!fields.count(name)) {
            problems.push_back({name, codes::kFieldUnknown, "Unknown field '" + name + "'."});
            continue;
        }
        auto value = body->get(name);
        if (!value.isString()) {
            problems.push_back({name, codes::kFieldType, name + " must be a string."});
            continue;
        }
        out[name] = value.extract<std::string>();
    }
    for (const auto& name : fields) {
        if (!body->has(name)) {
            problems.push_back({name, codes::kFieldRequired, name + " is required."});
        } else if (out.count(name) && out[name].empty()) {
            problems.push_back({name, codes::kFieldRequired, name + " must not be empty."});
        }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    return out;
}

/// Routes that take no data accept no body or an empty JSON object (nothing unknown).
void requireNoFields(Exchange& ex) {
    const auto& request = ex.request;
    bool hasBody = request.getChunkedTransferEncoding() ||
                   (request.hasContentLength() && request.getContentLength64() > 0);
    if (hasBody) readBody(ex, {});
}

Poco::JSON::Object::Ptr joinRequestObject(const storage::JoinRequestRow& r) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", r.id);
    o->set("organization_id", r.organizationId);
    Poco::JSON::Object::Ptr account = new Poco::JSON::Object;
    account->set("id", r.accountId);
    account->set("username", r.username);
    account->set("display_name", r.displayName);
    o->set("account", account);
    o->set("state", r.state);
    o->set("created_at", formatTimestamp(r.createdAtMicros));
    if (r.decidedAtMicros != 0) o->set("decided_at", formatTimestamp(r.decidedAtMicros));
    if (!r.decidedBy.empty()) o->set("decided_by", r.decidedBy);
    return o;
}

Poco::JSON::Object organizationObject(const storage::OrganizationSummary& s) {
    Poco::JSON::Object o;
    o.set("id", s.id);
    o.set("name", s.name);
    o.set("credit_code", s.creditCode);
    o.set("created_at", formatTimestamp(s.createdAtMicros));
    o.set("admin_account_id", s.adminAccountId);
    o.set("member_count", s.memberCount);
    return o;
}

void sendNoContent(Exchange& ex) {
    ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    ex.response.set("Cache-Control", "no-store");
    ex.response.setContentLength(0);
    ex.response.send();
}

void handleLookup(Exchange& ex, filing::OrganizationService& organizations,
                  filing::AuthService& auth) {
    const std::string q = ex.query("q");
    // Signing in is optional here: a missing, unknown or expired token gets the anonymous
    // answer, never 401.
    std::optional<Viewer> viewer;
    if (!ex.token.empty()) {
        try {
            viewer = auth.authenticate(ex.token);
        } catch (const Error& e) {
            if (e.code() != codes::kAuthRequired) throw;
        }
    }
    auto answer = organizations.lookup(q, viewer);
    Poco::JSON::Object o;
    o.set("admin_registered", answer.adminRegistered);
    if (!answer.organizationId.empty()) o.set("organization_id", answer.organizationId);
    if (answer.ambiguous) o.set("ambiguous", true);
    // The answer depends on the caller's token.
    ex.response.set("Vary", "Authorization");
    sendJson(ex, 200, stringify(o));
}

}  // namespace

void addOrganizationRoutes(Router& router, ServerContext& context) {
    auto& organizations = context.organizations;
    auto& auth = context.auth;
    // Before "/api/v1/organizations/{id}", which would take "lookup" for an id.
    router.add(
        "GET", "/api/v1/organizations/lookup",
        [&organizations, &auth](Exchange& ex) { handleLookup(ex, organizations, auth); },
        Access::Public);
    router.add("GET", "/api/v1/organizations/{id}", [&organizations](Exchange& ex) {
        sendJson(ex, 200,
                 stringify(organizationObject(
                     organizations.organization(ex.viewer(), ex.params.at("id")))));
    });
    router.add("GET", "/api/v1/organizations/{id}/members", [&organizations](Exchange& ex) {
        Poco::JSON::Array items;
        for (const auto& m : organizations.members(ex.viewer(), ex.params.at("id"))) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("id", m.accountId);
            o->set("username", m.username);
            o->set("display_name", m.displayName);
            o->set("admin", m.admin);
            items.add(o);
        }
        Poco::JSON::Object o;
        o.set("items", items);
        sendJson(ex, 200, stringify(o));
    });
    router.add(
        "DELETE", "/api/v1/organizations/{id}/members/{account}", [&organizations](Exchange& ex) {
            organizations.removeMember(ex.viewer(), ex.params.at("id"), ex.params.at("account"));
            sendNoContent(ex);
        });
    // Access is checked before a body or query is read: a caller that may not act gets its
    // 403/404 whatever it sent.
    router.add("POST", "/api/v1/organizations/{id}/join-requests", [&organizations](Exchange& ex) {
        filing::OrganizationService::requireApplicant(ex.viewer());
        requireNoFields(ex);
        auto request = organizations.requestJoin(ex.viewer(), ex.params.at("id"));
        sendJson(ex, 201, stringify(*joinRequestObject(request)));
    });
    router.add("GET", "/api/v1/organizations/{id}/join-requests", [&organizations](Exchange& ex) {
        filing::OrganizationService::requireAdmin(ex.viewer(), ex.params.at("id"));
        Poco::JSON::Array items;
        for (const auto& r :
             organizations.joinRequests(ex.viewer(), ex.params.at("id"), ex.query("state"))) {
            items.add(joinRequestObject(r));
        }
        Poco::JSON::Object o;
        o.set("items", items);
        sendJson(ex, 200, stringify(o));
    });
    for (bool approve : {true, false}) {
        router.add("POST",
                   std::string("/api/v1/organizations/{id}/join-requests/{request}/") +
                       (approve ? "approve" : "refuse"),
                   [&organizations, approve](Exchange& ex) {
                       filing::OrganizationService::requireAdmin(ex.viewer(), ex.params.at("id"));
                       requireNoFields(ex);
                       auto decided = organizations.decide(ex.viewer(), ex.params.at("id"),
                                                           ex.params.at("request"), approve);
                       sendJson(ex, 200, stringify(*joinRequestObject(decided)));
                   });
    }
    router.add("POST", "/api/v1/organizations/{id}/admin-transfer", [&organizations](Exchange& ex) {
        filing::OrganizationService::requireAdmin(ex.viewer(), ex.params.at("id"));
        auto v = readBody(ex, {"account_id", "password"});
        organizations.transferAdmin(ex.viewer(), ex.token, ex.params.at("id"), v["account_id"],
                                    v["password"]);
        sendJson(ex, 200,
                 stringify(organizationObject(
                     organizations.organization(ex.viewer(), ex.params.at("id")))));
    });
    router.add("POST", "/api/v1/me/deregister", [&organizations](Exchange& ex) {
        filing::OrganizationService::requireApplicant(ex.viewer());
        auto v = readBody(ex, {"password"});
        organizations.deregister(ex.viewer(), ex.token, v["password"]);
        sendNoContent(ex);
    });
}

}  // namespace dossier::http
