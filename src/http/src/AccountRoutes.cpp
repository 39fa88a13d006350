#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

#include "BrowserSession.h"
#include "Routes.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonNumbers.h"
#include "dossier/filing/AuthService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

constexpr std::size_t kSmallBody = 16 * 1024;

/// Reads the string members of `o` named in `fields` into `out`; reports other members and
/// members of the wrong type all at once.
void readStrings(const Poco::JSON::Object::Ptr& o, const std::string& prefix,
                 const std::set<std::string>& fields, const std::set<std::string>& nested,
                 std::map<std::string, std::string>& out, std::vector<FieldProblem>& problems) {
    for (const auto& name : o->getNames()) {
        std::string path = prefix + name;
        if (nested.count(name)) continue;
        if (!fields.count(name)) {
            problems.push_back({path, codes::kFieldUnknown, "Unknown field '" + path + "'."});
            continue;
        }
        auto value = o->get(name);
        if (!value.isString()) {
            problems.push_back({path, codes::kFieldType, path + " must be a string."});
            continue;
        }
        out[path] = value.extract<std::string>();
    }
}

Poco::JSON::Object::Ptr organizationObject(const storage::OrganizationRow& org) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", org.id);
    o->set("name", org.name);
    o->set("credit_code", org.creditCode);
    o->set("created_at", formatTimestamp(org.createdAtMicros));
    return o;
}

Poco::JSON::Object::Ptr accountObject(const Viewer& v) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", v.accountId);
    o->set("username", v.username);
    o->set("display_name", v.displayName);
    o->set("role", std::string(nameOf(v.role)));
    if (!v.organizationId.empty()) {
        o->set("organization_id", v.organizationId);
        o->set("organization_admin", v.organizationAdmin);
    }
    return o;
}

std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

void handleRegister(Exchange& ex, filing::AuthService& auth) {
    auto body = parseJsonObject(readJsonBody(ex, kSmallBody));
    std::map<std::string, std::string> v;
    std::vector<FieldProblem> problems;
    readStrings(body, "", {"username", "password", "phone", "display_name"}, {"organization"}, v,
                problems);
    // Without `organization`: a personal account (个人账号, seed 002), which may ask an
    // organization to let it join.
    bool personal = !body->has("organization");
    auto org = body->getObject("organization");
    if (org) {
        readStrings(org, "organization.", {"name", "credit_code"}, {}, v, problems);
    } else if (!personal) {
        problems.push_back(
            {"organization", codes::kFieldType,
             "organization is an object with name and credit_code (统一社会信用代码); "
             "leave it out for a personal account."});
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    Viewer viewer =
        personal
            ? auth.registerPersonal({v["username"], v["password"], v["phone"], v["display_name"]})
            : auth.registerApplicant({v["username"], v["password"], v["phone"], v["display_name"],
                                      v["organization.name"], v["organization.credit_code"]});
    Poco::JSON::Object o;
    o.set("account", accountObject(viewer));
    if (auto row = auth.organizationOf(viewer)) {
        o.set("organization", organizationObject(*row));
    }
    ex.response.set("Location", "/api/v1/me");
    sendJson(ex, 201, stringify(o));
}

void handleLogin(Exchange& ex, filing::AuthService& auth) {
    auto body = parseJsonObject(readJsonBody(ex, kSmallBody));
    std::map<std::string, std::string> v;
    std::vector<FieldProblem> problems;
    readStrings(body, "", {"username", "password"}, {"cookie"}, v, problems);
    // "cookie": true — the web console's sign-in: the session goes into an HttpOnly cookie
    // that script cannot read, never into the body (README, "Browser sessions").
    bool cookie = false;
    if (body->has("cookie")) {
        auto value = body->get("cookie");
        if (value.isBoolean()) {
            cookie = value.extract<bool>();
        } else {
            problems.push_back({"cookie", codes::kFieldType, "cookie must be true or false."});
        }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    // A page of another site must not sign the browser into an account of its choosing
    // (login CSRF): a cookie sign-in comes from this site's own pages.
    if (cookie) BrowserSession::requireSameOrigin(ex.request, ex.origin);
    auto session = auth.login(v["username"], v["password"]);
    Poco::JSON::Object o;
    if (cookie) {
        long maxAge = static_cast<long>(auth.settings().sessionHours) * 3600;
        BrowserSession::setCookies(ex.response, session.token, maxAge, ex.https);
        o.set("token_type", "Cookie");
        o.set("csrf_token", BrowserSession::csrfTokenFor(session.token));
    } else {
        o.set("token", session.token);
        o.set("token_type", "Bearer");
    }
    o.set("expires_at", formatTimestamp(session.expiresAtMicros));
    o.set("account", accountObject(session.viewer));
    sendJson(ex, 201, stringify(o));
}

void handleMe(Exchange& ex, filing::AuthService& auth) {
    Poco::JSON::Object o;
    o.set("account", accountObject(ex.viewer()));
    if (auto row = auth.organizationOf(ex.viewer())) {
        o.set("organization", organizationObject(*row));
    }
    sendJson(ex, 200, stringify(o));
}

void sendNoContent(Exchange& ex) {
    ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    ex.response.set("Cache-Control", "no-store");
    ex.response.setContentLength(0);
    ex.response.send();
}

}  // namespace

Poco::JSON::Object::Ptr parseJsonObject(const std::string& body) {
    inspectJsonBody(body);  // numbers out of range, keys given twice
    try {
        auto parsed = Poco::JSON::Parser().parse(body);
        if (auto object = parsed.extract<Poco::JSON::Object::Ptr>()) return object;
    } catch (const Poco::Exception& e) {
        throw Error(codes::kRequestMalformed, "The body is not valid JSON.", e.displayText());
    } catch (const std::exception&) {
    }
    throw Error(codes::kRequestMalformed, "The body must be a JSON object.");
}

void requireRole(const Exchange& ex, Role role) {
    if (ex.viewer().role != role) {
        throw Error(codes::kAuthForbidden,
                    "This needs a " + std::string(nameOf(role)) + " account.");
    }
}

void addAccountRoutes(Router& router, ServerContext& context) {
    auto& auth = context.auth;
    router.add(
        "POST", "/api/v1/accounts", [&auth](Exchange& ex) { handleRegister(ex, auth); },
        Access::Public);
    router.add(
        "POST", "/api/v1/sessions", [&auth](Exchange& ex) { handleLogin(ex, auth); },
        Access::Public);
    router.add("DELETE", "/api/v1/sessions/current", [&auth](Exchange& ex) {
        auth.logout(ex.token);
        if (ex.tokenFromCookie) BrowserSession::clearCookies(ex.response, ex.https);
        sendNoContent(ex);
    });
    router.add("GET", "/api/v1/me", [&auth](Exchange& ex) { handleMe(ex, auth); });
    router.add("PUT", "/api/v1/me/password", [&auth](Exchange& ex) {
        auto body = parseJsonObject(readJsonBody(ex, kSmallBody));
        std::map<std::string, std::string> v;
        std::vector<FieldProblem> problems;
        readStrings(body, "", {"current_password", "new_password"}, {}, v, problems);
        if (!problems.empty()) throw ValidationError(std::move(problems));
        auth.changePassword(ex.viewer(), ex.token, v["current_password"], v["new_password"]);
        sendNoContent(ex);
    });
}

}  // namespace dossier::http
