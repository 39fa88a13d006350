// Who may call what: every route of the router's own table × every kind of caller → the
// status expected (issue 11). The routes are read from the server (`Server::routes()`), so a
// route added without a row here fails `EveryRouteHasARow`. Runs on SQLite and PostgreSQL.
//
// Each request is sent in a world of its own when it may change something (any method but
// GET), so one cell's effect (a deleted project, an approved join request, a signed-out
// session) never decides another's answer. Bodies are chosen so an allowed caller gets a
// definite status: usually a validation refusal (`{}` → 422) that changes nothing, or the
// real action where the route has nothing to validate.
//
// To add a route: one row in `rows()` — method, pattern, how to make its request in a world,
// and the nine statuses in `kCallers` order.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <array>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/core/Clock.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;

namespace {

/// The kinds of caller, in the order of a row's statuses.
enum Caller {
    Anonymous,   // no token
    Admin,       // the organization's admin (组织管理员)
    Member,      // a member the admin approved
    OtherAdmin,  // the admin of another organization
    Personal,    // a personal account that belongs to no organization
    Reviewer,    // staff
    Organizer,   // staff
    Evaluator,   // staff
    Operator,    // staff
    kCallerCount
};
constexpr const char* kCallerNames[] = {"anonymous",   "admin",     "member",
                                        "other-admin", "personal",  "reviewer",
                                        "organizer",   "evaluator", "operator"};
using Statuses = std::array<int, kCallerCount>;

/// One request to send.
struct Request {
    std::string method;
    std::string path;
    std::string contentType;
    std::string body;
};

/// Everything a row's request may name: the organization A with its admin, a member, a
/// document, a filing (version 1 approved, version 2 submitted), a project, a pending join
/// request, an open activity and A's draft application for it; another organization B; a
/// personal account; the four kinds of staff. Each signed in with its own client.
struct World {
    std::string organizationId;
    std::string otherOrganizationId;
    std::string documentId;
    std::string adminId;
    std::string memberId;
    std::string personalId;
    std::string joinRequestId;    // a personal account's pending request to join A
    std::string creditCode;       // A's
    std::string filingId;         // A's filing, version 2, submitted (version 1 approved)
    std::string projectId;        // A's project, with the member's evidence in it
    std::string spareDocumentId;  // A's document that nothing uses
    std::string activityCode;     // open now
    std::string applicationId;    // A's draft for the activity and the project
    std::string qcRecordId;       // A's QC group record, filed by the member
    std::string candidateId;  // A's leader candidate (企标领跑者), submitted to the evaluator
    std::map<Caller, std::unique_ptr<HttpTestClient>> clients;
};

using MakeRequest = std::function<Request(const World&)>;

/// The calendar year now in Beijing: a filing gives the three before it.
int yearInShanghai() {
    std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

struct Row {
    std::string method;
    std::string pattern;
    MakeRequest request;
    Statuses expected;
};

Request json(std::string method, std::string path, std::string body = "{}") {
    return {std::move(method), std::move(path), "application/json", std::move(body)};
}
Request bare(std::string method, std::string path) {
    return {std::move(method), std::move(path), "", ""};
}

/// Statuses by caller, in kCallers order (a comment above each row says why where it is not
/// obvious). `{}` bodies are refused as incomplete (422) once the caller is let in.
// clang-format off
std::vector<Row> rows() {
    const auto org = [](const World& w) { return "/api/v1/organizations/" + w.organizationId; };
    const auto upload = [](const World&) {
        auto [type, body] = multipartBody({{"file", makePdf(), "证明.pdf", "application/pdf"},
                                           {"kind", "evidence", std::nullopt, ""}});
        return Request{"POST", "/api/v1/documents", type, body};
    };
    return {
        //                                                       anon adm  mem  oth  per  rev  org  eva  ops
        // Accounts and sessions: public routes ignore the token.
        {"POST", "/api/v1/accounts", [](const World&) { return json("POST", "/api/v1/accounts"); },
                                                                {422, 422, 422, 422, 422, 422, 422, 422, 422}},
        {"POST", "/api/v1/sessions", [](const World&) { return json("POST", "/api/v1/sessions"); },
                                                                {401, 401, 401, 401, 401, 401, 401, 401, 401}},
        {"DELETE", "/api/v1/sessions/current", [](const World&) { return bare("DELETE", "/api/v1/sessions/current"); },
                                                                {401, 204, 204, 204, 204, 204, 204, 204, 204}},
        {"GET", "/api/v1/me", [](const World&) { return bare("GET", "/api/v1/me"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"PUT", "/api/v1/me/password", [](const World&) { return json("PUT", "/api/v1/me/password"); },
                                                                {401, 422, 422, 422, 422, 422, 422, 422, 422}},
        // 注销账号: the admin submitted the filing (has_history); the member, the other
        // organization's admin (no members, nothing submitted) and the personal account may go;
        // staff are not deregistered this way.
        {"POST", "/api/v1/me/deregister", [](const World&) { return json("POST", "/api/v1/me/deregister", R"({"password":"Secret-2025"})"); },
                                                                {401, 409, 204, 204, 204, 403, 403, 403, 403}},

        // Organizations and members. The registration query is public; an organization's
        // pages are its members'; another organization's id is not found.
        {"GET", "/api/v1/organizations/lookup", [](const World& w) { return bare("GET", "/api/v1/organizations/lookup?q=" + w.creditCode); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/organizations/{id}", [=](const World& w) { return bare("GET", org(w)); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/organizations/{id}/members", [=](const World& w) { return bare("GET", org(w) + "/members"); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"DELETE", "/api/v1/organizations/{id}/members/{account}", [=](const World& w) { return bare("DELETE", org(w) + "/members/" + w.memberId); },
                                                                {401, 204, 403, 404, 403, 403, 403, 403, 403}},
        // Asking to join: only an account of no organization may (others already belong to one).
        {"POST", "/api/v1/organizations/{id}/join-requests", [=](const World& w) { return json("POST", org(w) + "/join-requests"); },
                                                                {401, 409, 409, 409, 201, 403, 403, 403, 403}},
        {"GET", "/api/v1/organizations/{id}/join-requests", [=](const World& w) { return bare("GET", org(w) + "/join-requests?state=pending"); },
                                                                {401, 200, 403, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/organizations/{id}/join-requests/{request}/approve", [=](const World& w) { return json("POST", org(w) + "/join-requests/" + w.joinRequestId + "/approve"); },
                                                                {401, 200, 403, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/organizations/{id}/join-requests/{request}/refuse", [=](const World& w) { return json("POST", org(w) + "/join-requests/" + w.joinRequestId + "/refuse"); },
                                                                {401, 200, 403, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/organizations/{id}/admin-transfer", [=](const World& w) { return json("POST", org(w) + "/admin-transfer", R"({"account_id":")" + w.memberId + R"(","password":"Secret-2025"})"); },
                                                                {401, 200, 403, 404, 403, 403, 403, 403, 403}},

        // The organization filing: its admin files, its members read; reviewers review. The
        // world's filing is submitted, so the admin may neither edit nor submit it again.
        {"GET", "/api/v1/organizations/{id}/filing", [=](const World& w) { return bare("GET", org(w) + "/filing"); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"PUT", "/api/v1/organizations/{id}/filing", [=](const World& w) { return json("PUT", org(w) + "/filing"); },
                                                                {401, 409, 403, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/organizations/{id}/filing/submit", [=](const World& w) { return bare("POST", org(w) + "/filing/submit"); },
                                                                {401, 409, 403, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/filings", [](const World&) { return bare("GET", "/api/v1/filings?state=submitted"); },
                                                                {401, 403, 403, 403, 403, 200, 403, 403, 403}},
        {"GET", "/api/v1/filings/{id}", [](const World& w) { return bare("GET", "/api/v1/filings/" + w.filingId); },
                                                                {401, 403, 403, 403, 403, 200, 403, 403, 403}},
        {"POST", "/api/v1/filings/{id}/approve", [](const World& w) { return json("POST", "/api/v1/filings/" + w.filingId + "/approve"); },
                                                                {401, 403, 403, 403, 403, 200, 403, 403, 403}},
        {"POST", "/api/v1/filings/{id}/reject", [](const World& w) { return json("POST", "/api/v1/filings/" + w.filingId + "/reject"); },
                                                                {401, 403, 403, 403, 403, 422, 403, 403, 403}},

        // Projects: any member of the organization; another organization's is not found
        // (its own list and its own new project are its business).
        {"POST", "/api/v1/projects", [](const World&) { return json("POST", "/api/v1/projects"); },
                                                                {401, 422, 422, 422, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/projects", [](const World&) { return bare("GET", "/api/v1/projects"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/projects/{id}", [](const World& w) { return bare("GET", "/api/v1/projects/" + w.projectId); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"PUT", "/api/v1/projects/{id}", [](const World& w) { return json("PUT", "/api/v1/projects/" + w.projectId); },
                                                                {401, 422, 422, 404, 403, 403, 403, 403, 403}},
        {"DELETE", "/api/v1/projects/{id}", [](const World& w) { return bare("DELETE", "/api/v1/projects/" + w.projectId); },
                                                                {401, 204, 204, 404, 403, 403, 403, 403, 403}},

        // Documents: the organization's; reviewers read review copies; nobody else. (A
        // personal account reading a document id learns nothing: 404, as for any stranger;
        // acting on the organization's documents it is told it has none: 403.)
        {"POST", "/api/v1/documents", upload,                   {401, 201, 201, 201, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/documents", [](const World&) { return bare("GET", "/api/v1/documents"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/documents/{id}", [](const World& w) { return bare("GET", "/api/v1/documents/" + w.documentId); },
                                                                {401, 200, 200, 404, 404, 200, 404, 404, 404}},
        {"DELETE", "/api/v1/documents/{id}", [](const World& w) { return bare("DELETE", "/api/v1/documents/" + w.spareDocumentId); },
                                                                {401, 204, 204, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/documents/{id}/checks", [](const World& w) { return bare("GET", "/api/v1/documents/" + w.documentId + "/checks"); },
                                                                {401, 200, 200, 404, 404, 200, 404, 404, 404}},
        {"GET", "/api/v1/documents/{id}/audit", [](const World& w) { return bare("GET", "/api/v1/documents/" + w.documentId + "/audit"); },
                                                                {401, 200, 200, 404, 404, 200, 404, 404, 404}},
        {"GET", "/api/v1/documents/{id}/content", [](const World& w) { return bare("GET", "/api/v1/documents/" + w.documentId + "/content"); },
                                                                {401, 200, 200, 404, 404, 200, 404, 404, 404}},
        {"GET", "/api/v1/documents/{id}/pages/{page}.png", [](const World& w) { return bare("GET", "/api/v1/documents/" + w.documentId + "/pages/1.png?width=160"); },
                                                                {401, 200, 200, 404, 404, 200, 404, 404, 404}},

        // Rendering is for anyone signed in (it reads nothing stored).
        {"POST", "/api/v1/render/{document}", [](const World&) { return json("POST", "/api/v1/render/certificate"); },
                                                                {401, 422, 422, 422, 422, 422, 422, 422, 422}},

        // Activities: organizers (and operators) write them; anyone reads them (the list is
        // the open ones, every one for staff).
        {"POST", "/api/v1/activities", [](const World&) { return json("POST", "/api/v1/activities"); },
                                                                {401, 403, 403, 403, 403, 403, 422, 403, 422}},
        {"GET", "/api/v1/activities", [](const World&) { return bare("GET", "/api/v1/activities"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/activities/{code}", [](const World& w) { return bare("GET", "/api/v1/activities/" + w.activityCode); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"PUT", "/api/v1/activities/{code}", [](const World& w) { return json("PUT", "/api/v1/activities/" + w.activityCode); },
                                                                {401, 403, 403, 403, 403, 403, 422, 403, 422}},
        // The form to fill, from the activity's template: any signed-in account.
        {"GET", "/api/v1/activities/{code}/form", [](const World& w) { return bare("GET", "/api/v1/activities/" + w.activityCode + "/form"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},

        // Applications: any member of the organization; another organization's is not found;
        // staff file none. A blank save of the draft is a valid 暂存; submitting it is refused
        // as incomplete, withdrawing it as not submitted.
        {"POST", "/api/v1/applications", [](const World&) { return json("POST", "/api/v1/applications"); },
                                                                {401, 422, 422, 422, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/applications", [](const World&) { return bare("GET", "/api/v1/applications"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"PUT", "/api/v1/applications/{id}", [](const World& w) { return json("PUT", "/api/v1/applications/" + w.applicationId); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/applications/{id}/submit", [](const World& w) { return bare("POST", "/api/v1/applications/" + w.applicationId + "/submit"); },
                                                                {401, 422, 422, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/applications/{id}/withdraw", [](const World& w) { return bare("POST", "/api/v1/applications/" + w.applicationId + "/withdraw"); },
                                                                {401, 409, 409, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/events", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/events"); },
                                                                {401, 200, 200, 404, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/check", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/check"); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},

        // Outputs: the organization's members print its application's book (the world's is a
        // draft: 草稿) and, once submitted, its receipt (409 before); the forms of an activity
        // come pre-filled with the caller's own organization, so another organization's
        // member gets its own. Personal accounts and staff print none, but for reviewers, who
        // read a submitted application's outputs (a draft is 404 to them).
        {"GET", "/api/v1/applications/{id}/book.pdf", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/book.pdf"); },
                                                                {401, 200, 200, 404, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/receipt.pdf", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/receipt.pdf"); },
                                                                {401, 409, 409, 404, 403, 404, 403, 403, 403}},
        // The Word versions and the bundle answer as the book does. Reviewers read a submitted
        // application's outputs (traced); the world's application is a draft, which does not
        // exist for them (404).
        {"GET", "/api/v1/applications/{id}/book.docx", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/book.docx"); },
                                                                {401, 200, 200, 404, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/experience.docx", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/experience.docx"); },
                                                                {401, 200, 200, 404, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/bundle.zip", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/bundle.zip"); },
                                                                {401, 200, 200, 404, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/activities/{code}/forms/commitment.pdf", [](const World& w) { return bare("GET", "/api/v1/activities/" + w.activityCode + "/forms/commitment.pdf"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/activities/{code}/forms/recommendation.pdf", [](const World& w) { return bare("GET", "/api/v1/activities/" + w.activityCode + "/forms/recommendation.pdf"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/activities/{code}/forms/proof.pdf", [](const World& w) { return bare("GET", "/api/v1/activities/" + w.activityCode + "/forms/proof.pdf"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        // Formal review: reviewers only; a draft is not theirs to see (404). Notifications are
        // each account's own: staff and personal accounts have an empty list, and nobody has
        // one of a draft, which never changed state.
        {"GET", "/api/v1/reviews", [](const World&) { return bare("GET", "/api/v1/reviews"); },
                                                                {401, 403, 403, 403, 403, 200, 403, 403, 403}},
        {"GET", "/api/v1/applications/{id}/precheck", [](const World& w) { return bare("GET", "/api/v1/applications/" + w.applicationId + "/precheck"); },
                                                                {401, 403, 403, 403, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/reviews/{id}", [](const World& w) { return bare("GET", "/api/v1/reviews/" + w.applicationId); },
                                                                {401, 403, 403, 403, 403, 404, 403, 403, 403}},
        {"POST", "/api/v1/applications/{id}/review", [](const World& w) { return json("POST", "/api/v1/applications/" + w.applicationId + "/review", R"({"decision":"pass"})"); },
                                                                {401, 403, 403, 403, 403, 404, 403, 403, 403}},
        {"GET", "/api/v1/reason-lists/{id}", [](const World&) { return bare("GET", "/api/v1/reason-lists/formal-review-reasons-benchmark"); },
                                                                {401, 403, 403, 403, 403, 200, 403, 403, 403}},
        {"GET", "/api/v1/notifications", [](const World&) { return bare("GET", "/api/v1/notifications"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/notifications/{id}/read", [](const World& w) { return bare("POST", "/api/v1/notifications/" + w.applicationId + ".1/read"); },
                                                                {401, 404, 404, 404, 404, 404, 404, 404, 404}},

        // What forms read before they send: configuration and reference data, for any account.
        {"GET", "/api/v1/upload-limits", [](const World&) { return bare("GET", "/api/v1/upload-limits"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/lists/{name}", [](const World&) { return bare("GET", "/api/v1/lists/provinces"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},

        // QC groups and teams (issue 14): the organization's members file them (another
        // organization's record is not found); the blank template is for anyone signed in;
        // reviewers, organizers and evaluators read every organization's summary, operators
        // none. The import's JSON body is refused as not multipart (415) once the caller may
        // import at all.
        {"GET", "/api/v1/qc/template.xlsx", [](const World&) { return bare("GET", "/api/v1/qc/template.xlsx?type=group"); },
                                                                {401, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/qc/imports", [](const World&) { return json("POST", "/api/v1/qc/imports"); },
                                                                {401, 415, 415, 415, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/qc/records", [](const World&) { return json("POST", "/api/v1/qc/records"); },
                                                                {401, 422, 422, 422, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/qc/records", [](const World&) { return bare("GET", "/api/v1/qc/records"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/qc/records/{id}", [](const World& w) { return bare("GET", "/api/v1/qc/records/" + w.qcRecordId); },
                                                                {401, 200, 200, 404, 403, 403, 403, 403, 403}},
        {"PUT", "/api/v1/qc/records/{id}", [](const World& w) { return json("PUT", "/api/v1/qc/records/" + w.qcRecordId); },
                                                                {401, 422, 422, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/qc/counts/{year}", [](const World&) { return bare("GET", "/api/v1/qc/counts/2026"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 403, 403}},
        {"PUT", "/api/v1/qc/counts/{year}", [](const World&) { return json("PUT", "/api/v1/qc/counts/2026"); },
                                                                {401, 422, 422, 422, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/qc/summary.xlsx", [](const World&) { return bare("GET", "/api/v1/qc/summary.xlsx?year=2026"); },
                                                                {401, 200, 200, 200, 403, 200, 200, 200, 403}},
        {"GET", "/api/v1/qc/summary.csv", [](const World&) { return bare("GET", "/api/v1/qc/summary.csv?year=2026"); },
                                                                {401, 200, 200, 200, 403, 200, 200, 200, 403}},
        // Leader certificates (企标领跑者): key-field products and the public notice are public,
        // 对标 is for anyone signed in. Candidates are their organization's members' (another
        // organization's is not found) and the evaluator's; other staff and personal accounts
        // are refused. The world's candidate is submitted, not approved: its certificate and
        // labels are not yet issued (409), objections to it are refused as invalid before it
        // is looked up. Certificates by number: the evaluator stamps and revokes; anyone
        // verifies (an unknown number is 404) and reads the signing key.
        {"GET", "/api/v1/key-field-products", [](const World&) { return bare("GET", "/api/v1/key-field-products"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/api/v1/key-field-products/{id}", [](const World&) { return bare("GET", "/api/v1/key-field-products/miniature-circuit-breaker"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/key-field-products/{id}/benchmark", [](const World&) { return json("POST", "/api/v1/key-field-products/miniature-circuit-breaker/benchmark"); },
                                                                {401, 422, 422, 422, 422, 422, 422, 422, 422}},
        {"POST", "/api/v1/leader-candidates", [](const World&) { return json("POST", "/api/v1/leader-candidates"); },
                                                                {401, 422, 422, 422, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/leader-candidates", [](const World&) { return bare("GET", "/api/v1/leader-candidates"); },
                                                                {401, 200, 200, 200, 403, 403, 403, 200, 403}},
        {"GET", "/api/v1/leader-candidates/{id}", [](const World& w) { return bare("GET", "/api/v1/leader-candidates/" + w.candidateId); },
                                                                {401, 200, 200, 404, 403, 403, 403, 200, 403}},
        {"POST", "/api/v1/leader-candidates/{id}/decision", [](const World& w) { return json("POST", "/api/v1/leader-candidates/" + w.candidateId + "/decision", R"({"decision":"approve"})"); },
                                                                {401, 403, 403, 403, 403, 403, 403, 200, 403}},
        {"GET", "/api/v1/leader-notices", [](const World&) { return bare("GET", "/api/v1/leader-notices"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"POST", "/api/v1/leader-candidates/{id}/objections", [](const World& w) { return json("POST", "/api/v1/leader-candidates/" + w.candidateId + "/objections"); },
                                                                {422, 422, 422, 422, 422, 422, 422, 422, 422}},
        {"GET", "/api/v1/leader-candidates/{id}/objections", [](const World& w) { return bare("GET", "/api/v1/leader-candidates/" + w.candidateId + "/objections"); },
                                                                {401, 200, 200, 404, 403, 403, 403, 200, 403}},
        {"POST", "/api/v1/leader-candidates/{id}/objections/{objection}/resolve", [](const World& w) { return json("POST", "/api/v1/leader-candidates/" + w.candidateId + "/objections/01J0000000000000000000000X/resolve", R"({"outcome":"dismissed","resolution":"x"})"); },
                                                                {401, 403, 403, 403, 403, 403, 403, 404, 403}},
        {"GET", "/api/v1/leader-candidates/{id}/certificate.pdf", [](const World& w) { return bare("GET", "/api/v1/leader-candidates/" + w.candidateId + "/certificate.pdf"); },
                                                                {401, 409, 409, 404, 403, 403, 403, 409, 403}},
        {"GET", "/api/v1/leader-candidates/{id}/labels/{position}.pdf", [](const World& w) { return bare("GET", "/api/v1/leader-candidates/" + w.candidateId + "/labels/1.pdf"); },
                                                                {401, 409, 409, 404, 403, 403, 403, 409, 403}},
        {"POST", "/api/v1/leader-candidates/{id}/models", [](const World& w) { return json("POST", "/api/v1/leader-candidates/" + w.candidateId + "/models"); },
                                                                {401, 422, 422, 404, 403, 403, 403, 403, 403}},
        {"POST", "/api/v1/leader-candidates/{id}/evidence", [](const World& w) { return json("POST", "/api/v1/leader-candidates/" + w.candidateId + "/evidence"); },
                                                                {401, 422, 422, 404, 403, 403, 403, 403, 403}},
        {"GET", "/api/v1/leader-candidates/{id}/evidence", [](const World& w) { return bare("GET", "/api/v1/leader-candidates/" + w.candidateId + "/evidence"); },
                                                                {401, 200, 200, 404, 403, 403, 403, 200, 403}},
        {"PUT", "/api/v1/certificates/{number}/seal", [](const World&) { return Request{"PUT", "/api/v1/certificates/LP2026-UNKNOWN/seal", "image/png", std::string("\x89PNG\r\n\x1a\n", 8)}; },
                                                                {401, 403, 403, 403, 403, 403, 403, 404, 403}},
        {"PUT", "/api/v1/certificates/{number}/stamped.pdf", [](const World&) { return Request{"PUT", "/api/v1/certificates/LP2026-UNKNOWN/stamped.pdf", "application/pdf", makePdf()}; },
                                                                {401, 403, 403, 403, 403, 403, 403, 404, 403}},
        {"POST", "/api/v1/certificates/{number}/revoke", [](const World&) { return json("POST", "/api/v1/certificates/LP2026-UNKNOWN/revoke", R"({"reason":"x"})"); },
                                                                {401, 403, 403, 403, 403, 403, 403, 404, 403}},
        {"GET", "/api/v1/certificates/{number}/verify", [](const World&) { return bare("GET", "/api/v1/certificates/LP2026-UNKNOWN/verify"); },
                                                                {404, 404, 404, 404, 404, 404, 404, 404, 404}},
        {"GET", "/api/v1/certificates/keys", [](const World&) { return bare("GET", "/api/v1/certificates/keys"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},

        // The system.
        {"GET", "/healthz", [](const World&) { return bare("GET", "/healthz"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
        {"GET", "/metrics", [](const World&) { return bare("GET", "/metrics"); },
                                                                {401, 403, 403, 403, 403, 403, 403, 403, 200}},
        {"GET", "/api/v1/openapi.json", [](const World&) { return bare("GET", "/api/v1/openapi.json"); },
                                                                {200, 200, 200, 200, 200, 200, 200, 200, 200}},
    };
}
// clang-format on

class AuthorizationMatrix : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        people = std::make_unique<TestWorld>(*services, server->port());
    }
    void TearDown() override { server->stop(); }

    /// A world of its own: organizations, accounts and objects no other world shares.
    World makeWorld() {
        int n = ++worlds_;
        auto tag = std::to_string(n);
        auto phone = [&](int k) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "138%04d%04d", n % 10000, k % 10000);
            return std::string(buffer);
        };
        World w;
        w.clients[Anonymous] = people->client();

        w.creditCode = makeCreditCode(static_cast<std::uint32_t>(2 * n));
        w.clients[Admin] = people->admin("admin" + tag, phone(1), "矩阵测试甲公司" + tag,
                                         w.creditCode, &w.adminId, &w.organizationId);
        w.clients[OtherAdmin] = people->admin("other" + tag, phone(2), "矩阵测试乙公司" + tag,
                                              makeCreditCode(static_cast<std::uint32_t>(2 * n + 1)),
                                              nullptr, &w.otherOrganizationId);

        // A member: a personal account whose request to join A the admin approved.
        w.clients[Member] = people->member(*w.clients[Admin], w.organizationId, "member" + tag,
                                           phone(3), &w.memberId, "个人𠮷");

        // A personal account, and another whose request to join A is pending.
        w.clients[Personal] = people->personal("personal" + tag, phone(4), &w.personalId, "个人𠮷");
        auto asking = people->personal("asking" + tag, phone(9), nullptr, "个人𠮷");
        auto pending =
            asking->postJson("/api/v1/organizations/" + w.organizationId + "/join-requests", "{}");
        EXPECT_EQ(pending.status, 201) << pending.body;
        w.joinRequestId = TestWorld::idOf(pending);

        const std::pair<Caller, Role> staff[] = {{Reviewer, Role::Reviewer},
                                                 {Organizer, Role::Organizer},
                                                 {Evaluator, Role::Evaluator},
                                                 {Operator, Role::Operator}};
        int k = 5;
        for (auto [caller, role] : staff) {
            std::string name = std::string(nameOf(role)).substr(0, 4) + "s" + tag;
            w.clients[caller] = people->staff(role, name, phone(k++), "员工");
        }

        // The admin files the organization (submitted), the member keeps a project.
        auto& a = *w.clients[Admin];
        w.documentId = TestWorld::upload(a, makePdf(), "营业执照.pdf", "license");
        w.spareDocumentId = TestWorld::upload(a, makeTextPdf(1), "草稿.pdf", "evidence");
        std::string rows;
        for (int i = 0; i < 3; ++i) {
            std::string evidence =
                TestWorld::upload(a, makeTextPdf(2 + i), "审计报告.pdf", "evidence");
            rows += std::string(i ? "," : "") + R"({"year":)" +
                    std::to_string(yearInShanghai() - 3 + i) +
                    R"(,"total_assets":100,"revenue":90,"other_revenue":0,"profit":-1.5,"tax":2,)"
                    R"("employees":10,"evidence_document_id":")" +
                    evidence + "\"}";
        }
        std::string filing = R"({"name":"矩阵测试甲公司)" + tag +
                             R"(","economic_type":"有限责任公司","province":"44",)"
                             R"("city":"4401","address":"广州","industry":"84","quality_manager":)"
                             R"({"name":"王芳","phone":"13800000000"},"organization_size":"中型",)"
                             R"("license_document_id":")" +
                             w.documentId + R"(","economics":[)" + rows + "]}";
        // Version 1 approved (applications need it), version 2 submitted for review.
        for (int version = 1; version <= 2; ++version) {
            auto filed =
                a.postJson("/api/v1/organizations/" + w.organizationId + "/filing", filing, "PUT");
            EXPECT_EQ(filed.status, 200) << filed.body;
            auto submitted =
                a.postJson("/api/v1/organizations/" + w.organizationId + "/filing/submit", "");
            EXPECT_EQ(submitted.status, 200) << submitted.body;
            w.filingId = TestWorld::idOf(submitted);
            if (version == 1) {
                auto approved = w.clients[Reviewer]->postJson(
                    "/api/v1/filings/" + w.filingId + "/approve", "{}");
                EXPECT_EQ(approved.status, 200) << approved.body;
            }
        }
        std::string proof =
            TestWorld::upload(*w.clients[Member], makeTextPdf(5), "专利证书.pdf", "evidence");
        auto project = w.clients[Member]->postJson(
            "/api/v1/projects", R"({"name":"质量追溯𠮷","keywords":["质量追溯"],"ip_rights":[)"
                                R"({"category":"发明专利","name":"一种方法","document_id":")" +
                                    proof + R"("}]})");
        EXPECT_EQ(project.status, 201) << project.body;
        w.projectId = TestWorld::idOf(project);

        // An activity open now, and A's draft application for it.
        w.activityCode = "matrix-" + tag;
        std::int64_t now = SystemClock().nowMicros(), day = 86400LL * 1000000;
        auto activity = w.clients[Organizer]->postJson(
            "/api/v1/activities",
            R"({"code":")" + w.activityCode +
                R"(","title":"矩阵测试活动","kind":"benchmark","template_id":"benchmark-2022",)"
                R"("opens_at":")" +
                formatTimestamp(now - day) + R"(","closes_at":")" +
                formatTimestamp(now + 30 * day) + R"(","review_until":")" +
                formatTimestamp(now + 60 * day) +
                R"(","completing_units":1,"recommending_units":"recommending-units-2022"})");
        EXPECT_EQ(activity.status, 201) << activity.body;
        auto application =
            a.postJson("/api/v1/applications", R"({"activity":")" + w.activityCode +
                                                   R"(","project_id":")" + w.projectId + R"("})");
        EXPECT_EQ(application.status, 201) << application.body;
        w.applicationId = TestWorld::idOf(application);
        auto qc = w.clients[Member]->postJson(
            "/api/v1/qc/records",
            R"({"type":"group","year":2026,"title":"降低能耗𠮷","group_name":"攻关小组",)"
            R"("member_count":6,"leader":"张三"})");
        EXPECT_EQ(qc.status, 201) << qc.body;
        w.qcRecordId = TestWorld::idOf(qc);

        // A's leader candidate: a passing 对标, submitted to the evaluator.
        auto candidate = w.clients[Member]->postJson(
            "/api/v1/leader-candidates",
            R"({"product":"miniature-circuit-breaker","product_name":"小型断路器",)"
            R"("standard_number":"Q/JZ 001-2025","standard_name":"小型断路器企业标准",)"
            R"("models":["DZ47-63 C16"],"values":{"mechanical_life":20000,)"
            R"("electrical_life":8000,"terminal_temperature_rise":50,"breaking_capacity":10}})");
        EXPECT_EQ(candidate.status, 201) << candidate.body;
        w.candidateId = TestWorld::idOf(candidate);
        return w;
    }

    static HttpResult send(HttpTestClient& c, const Request& r) {
        return c.request(r.method, r.path, {}, r.contentType, r.body);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> people;  // makes each world's accounts through the API
    int worlds_ = 0;
};

TEST_F(AuthorizationMatrix, EveryRouteHasARow) {
    std::set<std::string> listed;
    for (const auto& row : rows()) {
        EXPECT_TRUE(listed.insert(row.method + " " + row.pattern).second)
            << "two rows for " << row.method << " " << row.pattern;
    }
    std::set<std::string> routed;
    for (const auto& route : server->routes()) {
        std::string key = route.method + " " + route.pattern;
        routed.insert(key);
        EXPECT_TRUE(listed.count(key))
            << "no row for the route " << key << ": say who may call it (rows() in this file)";
    }
    for (const auto& key : listed) {
        EXPECT_TRUE(routed.count(key)) << "a row for " << key << ", which no longer exists";
    }
}

TEST_F(AuthorizationMatrix, EachCallerGetsTheExpectedStatus) {
    std::unique_ptr<World> shared;
    for (const auto& row : rows()) {
        for (int caller = 0; caller < kCallerCount; ++caller) {
            // A read shares one world; anything else gets a fresh one.
            std::unique_ptr<World> fresh;
            if (row.method != "GET" || !shared) {
                fresh = std::make_unique<World>(makeWorld());
                if (row.method == "GET") shared = std::move(fresh);
            }
            World& w = row.method == "GET" ? *shared : *fresh;
            Request request = row.request(w);
            // A connection of its own with the caller's token: a world's clients may sit idle
            // past the server's keep-alive timeout while other worlds are built.
            HttpTestClient c(server->port());
            c.setBearer(w.clients[static_cast<Caller>(caller)]->bearer());
            auto r = send(c, request);
            EXPECT_EQ(r.status, row.expected[caller])
                << row.method << " " << row.pattern << " as " << kCallerNames[caller] << " ("
                << request.method << " " << request.path << "): " << r.body.substr(0, 300);
            if (r.status >= 400 && r.status != 405) {
                EXPECT_EQ(r.header("Content-Type"), "application/problem+json")
                    << row.method << " " << row.pattern << " as " << kCallerNames[caller];
            }
        }
    }
}

}  // namespace
