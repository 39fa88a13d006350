// Leader certificates (企标领跑者, issue 14; README "Leader certificates"): key-field products
// and 对标, candidates, the public notice and objections, certificates and labels, public
// verification and the signing key (filing::CertificateService).
#include <Poco/Logger.h>
#include <Poco/Net/MediaType.h>

#include "AddressThrottle.h"
#include "Pagination.h"
#include "Routes.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/JsonString.h"
#include "dossier/filing/CertificateService.h"
#include "dossier/http/HttpSemantics.h"

namespace dossier::http {
namespace {

constexpr std::size_t kSmallBody = 64 * 1024;
constexpr std::size_t kSealBody = 1 << 20;

void privateHeaders(Exchange& ex) {
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
}

void sendPdf(Exchange& ex, const filing::CertificateService::Pdf& pdf) {
    ex.response.setContentType("application/pdf");
    ex.response.set("Content-Disposition", contentDisposition("inline", pdf.fileName));
    ex.response.set("Dossier-Certificate-Number", pdf.number);
    privateHeaders(ex);
    ex.response.setContentLength(static_cast<std::streamsize>(pdf.bytes.size()));
    std::ostream& out = ex.response.send();
    if (ex.request.getMethod() == "HEAD") return;
    out.write(pdf.bytes.data(), static_cast<std::streamsize>(pdf.bytes.size()));
}

std::string candidatesJson(filing::CertificateService& service,
                           const std::vector<storage::CandidateRow>& rows) {
    std::string items;
    for (const auto& row : rows) items += (items.empty() ? "" : ",") + service.candidateJson(row);
    return "{\"items\":[" + items + "]}";
}

std::string idsJson(const std::vector<std::string>& ids) {
    std::string out = "{\"document_ids\":[";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i] + "\"";
    return out + "]}";
}

/// The body of an image upload: Content-Type image/png, at most `limit` bytes.
std::string readPngBody(Exchange& ex, std::size_t limit) {
    Poco::Net::MediaType type("application/octet-stream");
    try {
        type = Poco::Net::MediaType(ex.request.getContentType());
    } catch (const Poco::Exception&) {
    }
    if (!type.matches("image", "png")) {
        throw Error(codes::kRequestUnsupportedMediaType, "Send the seal as image/png.");
    }
    std::string body(limit + 1, '\0');
    ex.request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(ex.request.stream().gcount()));
    if (body.size() > limit) {
        ex.response.setKeepAlive(false);
        throw Error(codes::kRequestTooLarge, "The seal may be at most 1 MB.");
    }
    return body;
}

/// Streams a PDF body (Content-Type application/pdf) into an upload held to the stamped
/// certificate's limit: the pipeline then judges its bytes (DocumentService::storeCheckedPdf).
std::unique_ptr<filing::Upload> readPdfBody(Exchange& ex, filing::DocumentService& documents) {
    Poco::Net::MediaType type("application/octet-stream");
    try {
        type = Poco::Net::MediaType(ex.request.getContentType());
    } catch (const Poco::Exception&) {
    }
    if (!type.matches("application", "pdf")) {
        throw Error(codes::kRequestUnsupportedMediaType,
                    "Send the stamped certificate as application/pdf.");
    }
    auto upload = documents.beginUpload();
    upload->lowerCap(filing::CertificateService::kMaxStampedPdfBytes);
    std::istream& in = ex.request.stream();
    char buffer[64 * 1024];
    try {
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            upload->write(buffer, static_cast<std::size_t>(in.gcount()));
        }
    } catch (const Error& e) {
        // The rest of an oversized body is not read: the connection cannot be reused.
        if (e.code() == codes::kUploadTooLarge) ex.response.setKeepAlive(false);
        throw;
    }
    return upload;
}

/// "3" → 3 for a label's position; route.not_found otherwise (the path names nothing).
int positionOf(const std::string& text) {
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        throw Error(codes::kCertificateModelNotFound, "The candidate lists no such model.");
    }
    return std::stoi(text);
}

}  // namespace

void addCertificateRoutes(Router& router, ServerContext& context, VerificationThrottle throttle) {
    auto& service = context.certificates;
    auto& documents = context.documents;

    // Key-field products and 对标.
    router.add(
        "GET", "/api/v1/key-field-products",
        [&service](Exchange& ex) { sendJson(ex, 200, service.productsJson()); }, Access::Public);
    router.add(
        "GET", "/api/v1/key-field-products/{id}",
        [&service](Exchange& ex) { sendJson(ex, 200, service.productJson(ex.params.at("id"))); },
        Access::Public);
    router.add("POST", "/api/v1/key-field-products/{id}/benchmark", [&service](Exchange& ex) {
        std::string body = readJsonBody(ex, kSmallBody);
        sendJson(ex, 200, service.benchmark(ex.params.at("id"), body));
    });

    // Candidates.
    router.add("POST", "/api/v1/leader-candidates", [&service](Exchange& ex) {
        auto row = service.declare(ex.viewer(), readJsonBody(ex, kSmallBody));
        ex.response.set("Location", "/api/v1/leader-candidates/" + row.id);
        privateHeaders(ex);
        sendJson(ex, 201, service.candidateJson(row));
    });
    router.add("GET", "/api/v1/leader-candidates", [&service](Exchange& ex) {
        auto rows = service.list(ex.viewer(), ex.query("state"));
        privateHeaders(ex);
        sendJson(ex, 200, candidatesJson(service, rows));
    });
    router.add("GET", "/api/v1/leader-candidates/{id}", [&service](Exchange& ex) {
        auto row = service.get(ex.viewer(), ex.params.at("id"));
        privateHeaders(ex);
        sendJson(ex, 200, service.candidateJson(row));
    });
    router.add("POST", "/api/v1/leader-candidates/{id}/decision", [&service](Exchange& ex) {
        auto row = service.decide(ex.viewer(), ex.params.at("id"), readJsonBody(ex, kSmallBody));
        privateHeaders(ex);
        sendJson(ex, 200, service.candidateJson(row));
    });
    router.add(
        "GET", "/api/v1/leader-notices",
        [&service](Exchange& ex) {
            PageRequest page = pageRequestOf(ex);
            auto notices = service.notices(page.page, page.perPage);
            std::vector<std::string> items;
            for (const auto& row : notices.rows) items.push_back(service.noticeJson(row));
            ex.response.set("Cache-Control", "no-cache");
            sendJson(ex, 200, pageJson(items, page, notices.total));
        },
        Access::Public);

    // Objections (异议): anyone lodges one during the notice (throttled per address).
    router.add(
        "POST", "/api/v1/leader-candidates/{id}/objections",
        [&service](Exchange& ex) {
            auto row = service.object(ex.params.at("id"), readJsonBody(ex, kSmallBody));
            ex.response.set("Cache-Control", "no-store");
            sendJson(ex, 201, filing::CertificateService::objectionJson(row, false));
        },
        Access::Public);
    router.add("GET", "/api/v1/leader-candidates/{id}/objections", [&service](Exchange& ex) {
        auto rows = service.objections(ex.viewer(), ex.params.at("id"));
        bool contact = ex.viewer().role == Role::Evaluator;
        std::string items;
        for (const auto& row : rows) {
            items += (items.empty() ? "" : ",") +
                     filing::CertificateService::objectionJson(row, contact);
        }
        privateHeaders(ex);
        sendJson(ex, 200, "{\"items\":[" + items + "]}");
    });
    router.add("POST", "/api/v1/leader-candidates/{id}/objections/{objection}/resolve",
               [&service](Exchange& ex) {
                   auto row =
                       service.resolve(ex.viewer(), ex.params.at("id"), ex.params.at("objection"),
                                       readJsonBody(ex, kSmallBody));
                   privateHeaders(ex);
                   sendJson(ex, 200, filing::CertificateService::objectionJson(row, true));
               });

    // The certificate, labels, models and evidence of a candidate.
    router.add("GET", "/api/v1/leader-candidates/{id}/certificate.pdf", [&service](Exchange& ex) {
        sendPdf(ex, service.certificate(ex.viewer(), ex.params.at("id")));
    });
    router.add("GET", "/api/v1/leader-candidates/{id}/labels/{position}.pdf",
               [&service](Exchange& ex) {
                   sendPdf(ex, service.label(ex.viewer(), ex.params.at("id"),
                                             positionOf(ex.params.at("position"))));
               });
    router.add("POST", "/api/v1/leader-candidates/{id}/models", [&service](Exchange& ex) {
        auto row = service.addModel(ex.viewer(), ex.params.at("id"), readJsonBody(ex, kSmallBody));
        privateHeaders(ex);
        sendJson(ex, 201, service.candidateJson(row));
    });
    router.add("POST", "/api/v1/leader-candidates/{id}/evidence", [&service](Exchange& ex) {
        auto ids =
            service.addEvidence(ex.viewer(), ex.params.at("id"), readJsonBody(ex, kSmallBody));
        privateHeaders(ex);
        sendJson(ex, 201, idsJson(ids));
    });
    router.add("GET", "/api/v1/leader-candidates/{id}/evidence", [&service](Exchange& ex) {
        auto ids = service.evidence(ex.viewer(), ex.params.at("id"));
        privateHeaders(ex);
        sendJson(ex, 200, idsJson(ids));
    });

    // Certificates by number: the evaluator's seal and revocation; public verification.
    router.add(
        "PUT", "/api/v1/certificates/{number}/seal",
        [&service](Exchange& ex) {
            if (ex.viewer().role != Role::Evaluator) {
                throw Error(codes::kAuthForbidden, "Only the evaluator (评估机构) may do this.");
            }
            auto row =
                service.stamp(ex.viewer(), ex.params.at("number"), readPngBody(ex, kSealBody));
            privateHeaders(ex);
            sendJson(ex, 200, service.certificateJson(row));
        },
        Access::Authenticated, {kSealBody, codes::kRequestTooLarge});
    router.add("PUT", "/api/v1/certificates/{number}/stamped.pdf",
               [&service, &documents](Exchange& ex) {
                   // Refused before the body is read: only the evaluator uploads.
                   if (ex.viewer().role != Role::Evaluator) {
                       throw Error(codes::kAuthForbidden,
                                   "Only the evaluator (评估机构) may do this.");
                   }
                   auto row = service.uploadStamped(ex.viewer(), ex.params.at("number"),
                                                    readPdfBody(ex, documents));
                   privateHeaders(ex);
                   sendJson(ex, 200, service.certificateJson(row));
               },
               Access::Authenticated,
               {filing::CertificateService::kMaxStampedPdfBytes, codes::kUploadTooLarge});
    router.add("POST", "/api/v1/certificates/{number}/revoke", [&service](Exchange& ex) {
        auto row =
            service.revoke(ex.viewer(), ex.params.at("number"), readJsonBody(ex, kSmallBody));
        privateHeaders(ex);
        sendJson(ex, 200, service.certificateJson(row));
    });
    router.add(
        "GET", "/api/v1/certificates/{number}/verify",
        [&service, throttle](Exchange& ex) {
            // Unknown numbers are charged to the address; an address that spent its budget is
            // refused whatever it asks, so guessing numbers learns nothing past the budget.
            std::string client = throttle.clientOf(ex);
            if (int wait = throttle.misses.wait(client)) {
                ex.response.set("Retry-After", std::to_string(wait));
                throw Error(codes::kClientRateLimited,
                            "Too many verifications of unknown certificate numbers from this "
                            "address: retry in " +
                                std::to_string(wait) + " s.");
            }
            std::string body;
            try {
                body = service.verify(ex.params.at("number"), ex.query("sig"));
            } catch (const Error& e) {
                if (e.code() == codes::kCertificateNotFound) throttle.misses.take(client);
                throw;
            }
            // Revocation must show at once: nothing may keep an answer.
            ex.response.set("Cache-Control", "no-store");
            sendJson(ex, 200, body);
        },
        Access::Public);
    router.add(
        "GET", "/api/v1/certificates/keys",
        [&service](Exchange& ex) {
            ex.response.set("Cache-Control", "public, max-age=300");
            sendJson(ex, 200, service.keysJson());
        },
        Access::Public);
}

}  // namespace dossier::http
