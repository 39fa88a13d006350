#pragma once

#include <Poco/JSON/Object.h>

#include "Metrics.h"
#include "Router.h"
#include "dossier/http/Server.h"

namespace dossier::http {

class AddressThrottle;
class TrustedProxies;

/// The per-address budget of certificate verifications that find no certificate (README,
/// "Throttling"), with what says who the client is.
struct VerificationThrottle {
    AddressThrottle& misses;
    const TrustedProxies& proxies;
    /// The client address of `ex` (TrustedProxies::clientOf over its X-Forwarded-For).
    std::string clientOf(const Exchange& ex) const;
};

/// The multipart upload route needs its body limit before the handler runs (so an
/// oversized request is refused without a 100 Continue).
std::uint64_t uploadBodyLimit(const ServerContext& context);

void addAccountRoutes(Router& router, ServerContext& context);
/// Organizations and members (注册查询, join requests, 权限转让, 注销账号).
void addOrganizationRoutes(Router& router, ServerContext& context);
/// The organization filing (组织备案) and its review.
void addFilingRoutes(Router& router, ServerContext& context);
/// Projects (申报主体).
void addProjectRoutes(Router& router, ServerContext& context);
/// Activities (申报活动) and applications (申报).
void addActivityRoutes(Router& router, ServerContext& context);
void addApplicationRoutes(Router& router, ServerContext& context);
/// book.pdf, receipt.pdf of an application; an activity's forms pre-filled (issue 12 outputs).
void addApplicationOutputRoutes(Router& router, ServerContext& context);
/// Formal review (形式审查) and notifications.
void addReviewRoutes(Router& router, ServerContext& context);
/// Upload limits and reference lists, for forms to check and offer before they send.
void addReferenceRoutes(Router& router, ServerContext& context);
/// QC groups and teams (小组/班组备案): template, import, records, counts, summary.
void addQcRoutes(Router& router, ServerContext& context);
/// Leader certificates (企标领跑者): key-field products, 对标, candidates, notice,
/// objections, certificates, labels, verification and the signing key.
void addCertificateRoutes(Router& router, ServerContext& context, VerificationThrottle throttle);
void addDocumentRoutes(Router& router, ServerContext& context, Metrics& metrics);
void addSystemRoutes(Router& router, ServerContext& context, Metrics& metrics);

/// Sends a JSON body with the given status.
void sendJson(Exchange& ex, int status, const std::string& json);
/// Reads a JSON request body of at most `limit` bytes (request.too_large beyond it).
std::string readJsonBody(Exchange& ex, std::size_t limit);
/// Parses a JSON object body: request.number_out_of_range for a number beyond 64-bit integers
/// or doubles (dossier::inspectJsonBody), request.malformed when it is not one or names a key
/// twice in one object.
Poco::JSON::Object::Ptr parseJsonObject(const std::string& body);
/// Throws auth.forbidden unless the caller has `role`.
void requireRole(const Exchange& ex, Role role);

}  // namespace dossier::http
