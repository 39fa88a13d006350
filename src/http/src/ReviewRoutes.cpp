#include "Pagination.h"
#include "Routes.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/filing/ApplicationService.h"
#include "dossier/filing/ReviewService.h"

namespace dossier::http {
namespace {

// A decision is a few reason codes and a comment of at most 2000 characters.
constexpr std::size_t kDecisionBody = 64 * 1024;

void privateHeaders(Exchange& ex) {
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
}

void sendReview(Exchange& ex, int status, ServerContext& context,
                const filing::ReviewService::ReviewView& view) {
    privateHeaders(ex);
    // The application as its applicant sees it, its outcome (`review`) included.
    std::string application = context.applications.toJson(view.application);
    application.insert(
        application.size() - 1,
        ",\"review\":" +
            context.reviews.outcomeJson(view.application,
                                        view.decisions.empty() ? nullptr : &view.decisions.back()));
    sendJson(ex, status,
             "{\"application\":" + application + ",\"decisions\":" +
                 context.reviews.decisionsJson(view.application, view.decisions) + "}");
}

/// A whole number of the query, `fallback` when absent (as the filing list reads them).
std::int64_t wholeQuery(const Exchange& ex, const std::string& name, std::int64_t fallback) {
    std::string text = ex.query(name);
    if (text.empty()) return fallback;
    if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw Error(codes::kRequestMalformed, name + " is a whole number.");
    }
    return std::stoll(text);
}

}  // namespace

void addReviewRoutes(Router& router, ServerContext& context) {
    router.add("GET", "/api/v1/reviews", [&context](Exchange& ex) {
        filing::ReviewService::requireReviewer(ex.viewer());
        filing::ReviewService::QueueQuery q;
        q.activity = ex.query("activity");
        q.state = ex.query("state");
        q.text = ex.query("q");
        std::string precheck = ex.query("precheck");
        if (!precheck.empty() && precheck != "fail") {
            throw Error(codes::kRequestMalformed, "precheck takes the value fail.");
        }
        q.precheckFailed = precheck == "fail";
        q.page = wholeQuery(ex, "page", 1);
        q.perPage = wholeQuery(ex, "per_page", 50);
        auto page = context.reviews.queue(ex.viewer(), q);
        std::string items;
        for (const auto& row : page.rows) {
            items += (items.empty() ? "" : ",") + filing::ReviewService::queueJson(row);
        }
        privateHeaders(ex);
        sendJson(ex, 200,
                 "{\"items\":[" + items + "],\"total\":" + std::to_string(page.total) +
                     ",\"page\":" + std::to_string(q.page) +
                     ",\"per_page\":" + std::to_string(q.perPage) + "}");
    });
    router.add("GET", "/api/v1/applications/{id}/precheck", [&context](Exchange& ex) {
        auto body = context.reviews.precheck(ex.viewer(), ex.params.at("id"));
        privateHeaders(ex);
        sendJson(ex, 200, body);
    });
    router.add("GET", "/api/v1/reviews/{id}", [&context](Exchange& ex) {
        sendReview(ex, 200, context, context.reviews.open(ex.viewer(), ex.params.at("id")));
    });
    router.add("POST", "/api/v1/applications/{id}/review", [&context](Exchange& ex) {
        filing::ReviewService::requireReviewer(ex.viewer());
        auto view = context.reviews.decide(ex.viewer(), ex.params.at("id"),
                                           readJsonBody(ex, kDecisionBody));
        sendReview(ex, 200, context, view);
    });
    router.add("GET", "/api/v1/reason-lists/{id}", [&context](Exchange& ex) {
        auto body = context.reviews.reasonListJson(ex.viewer(), ex.params.at("id"));
        privateHeaders(ex);
        sendJson(ex, 200, body);
    });
    router.add("GET", "/api/v1/notifications", [&context](Exchange& ex) {
        PageRequest page = pageRequestOf(ex);
        auto rows = context.reviews.notifications(ex.viewer(), page.page, page.perPage);
        std::vector<std::string> items;
        for (const auto& row : rows.rows) {
            items.push_back(context.reviews.notificationJson(row));
        }
        std::string body = pageJson(items, page, rows.total);
        // The unread count beside the page, for the badge.
        body.insert(body.size() - 1, ",\"unread\":" + std::to_string(rows.unread));
        privateHeaders(ex);
        sendJson(ex, 200, body);
    });
    router.add("POST", "/api/v1/notifications/{id}/read", [&context](Exchange& ex) {
        context.reviews.markRead(ex.viewer(), ex.params.at("id"));
        ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        ex.response.set("Cache-Control", "no-store");
        ex.response.setContentLength(0);
        ex.response.send();
    });
}

}  // namespace dossier::http
