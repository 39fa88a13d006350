#include "HttpTestClient.h"

#include <gtest/gtest.h>
#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace dossier::test {

Poco::JSON::Object::Ptr HttpResult::json() const {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::pair<std::string, std::string> multipartBody(const std::vector<FormPart>& parts) {
    std::string boundary = "----dossier-test-" + std::to_string(std::random_device{}());
    std::string body;
    for (const auto& p : parts) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
        if (p.filename) body += "; filename=\"" + *p.filename + "\"";
        body += "\r\n";
        if (!p.contentType.empty()) body += "Content-Type: " + p.contentType + "\r\n";
        body += "\r\n" + p.value + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return {"multipart/form-data; boundary=" + boundary, body};
}

HttpTestClient::HttpTestClient(std::uint16_t port) : port_(port) {}

HttpResult HttpTestClient::request(const std::string& method, const std::string& path,
                                   const std::map<std::string, std::string>& headers,
                                   const std::string& contentType, const std::string& body) {
    return send(method, path, headers, contentType, {body});
}

HttpResult HttpTestClient::send(const std::string& method, const std::string& path,
                                const std::map<std::string, std::string>& headers,
                                const std::string& contentType,
                                const std::vector<std::string_view>& pieces) {
    if (!session_) {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
        session_->setKeepAlive(true);
        session_->setTimeout(Poco::Timespan(60, 0));
        // Below the server's idle timeout (5 s): a connection left idle longer (a test waiting
        // for OCR) is opened afresh instead of written to after the server closed it, which
        // Poco reports as "I/O error" (its default is 8 s).
        session_->setKeepAliveTimeout(Poco::Timespan(3, 0));
    }
    std::size_t length = 0;
    for (auto piece : pieces) length += piece.size();
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer_.empty()) req.set("Authorization", "Bearer " + bearer_);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!contentType.empty()) req.setContentType(contentType);
    if (length > 0 || method == "POST" || method == "PUT") {
        req.setContentLength64(static_cast<Poco::Int64>(length));
    }
    HttpResult result;
    try {
        std::ostream& out = session_->sendRequest(req);
        out.flush();  // the request head, which Poco buffers in the body stream
        for (auto piece : pieces) {
            while (!piece.empty()) {
                int n = session_->socket().sendBytes(
                    piece.data(), static_cast<int>(std::min<std::size_t>(piece.size(), 1 << 20)));
                piece.remove_prefix(static_cast<std::size_t>(n));
            }
        }
        std::istream& in = session_->receiveResponse(result.response);
        if (method != "HEAD") Poco::StreamCopier::copyToString(in, result.body);
    } catch (...) {
        session_.reset();
        throw;
    }
    result.status = static_cast<int>(result.response.getStatus());
    if (!result.response.getKeepAlive()) session_.reset();
    return result;
}

HttpResult HttpTestClient::upload(const std::string& bytes, const std::string& filename,
                                  const std::string& kind, const std::string& partType,
                                  bool kindFirst) {
    // The framing around the file comes from multipartBody itself (with an empty file), so
    // both ways of building a form send the same bytes.
    FormPart file{"file", "", filename, partType};
    FormPart kindPart{"kind", kind, std::nullopt, ""};
    auto [type, framing] =
        kindFirst ? multipartBody({kindPart, file}) : multipartBody({file, kindPart});
    std::string marker = "filename=\"" + filename + "\"\r\n";
    if (!partType.empty()) marker += "Content-Type: " + partType + "\r\n";
    marker += "\r\n";
    auto at = framing.find(marker);
    if (at == std::string::npos) throw std::logic_error("multipartBody changed its framing");
    at += marker.size();
    std::string_view all(framing);
    return send("POST", "/api/v1/documents", {}, type, {all.substr(0, at), bytes, all.substr(at)});
}

Poco::JSON::Object::Ptr HttpTestClient::signUp(const std::string& username,
                                               const std::string& phone,
                                               const std::string& organizationName,
                                               const std::string& creditCode,
                                               const std::string& displayName) {
    Poco::JSON::Object org;
    org.set("name", organizationName);
    org.set("credit_code", creditCode);
    Poco::JSON::Object body;
    body.set("username", username);
    body.set("password", kTestPassword);
    body.set("phone", phone);
    body.set("display_name", displayName);
    body.set("organization", org);
    std::ostringstream out;
    body.stringify(out);
    auto saved = bearer_;
    bearer_.clear();
    auto r = postJson("/api/v1/accounts", out.str());
    bearer_ = saved;
    if (r.status != 201) {
        ADD_FAILURE() << "sign-up of " << username << " refused: " << r.body;
        return nullptr;
    }
    auto login = signIn(username);
    if (login.status != 201)
        ADD_FAILURE() << "sign-in of " << username << " refused: " << login.body;
    return r.json()->getObject("account");
}

HttpResult HttpTestClient::signIn(const std::string& username, const std::string& password) {
    Poco::JSON::Object body;
    body.set("username", username);
    body.set("password", password);
    std::ostringstream out;
    body.stringify(out);
    auto saved = bearer_;
    bearer_.clear();
    auto r = postJson("/api/v1/sessions", out.str());
    bearer_ = r.status == 201 ? r.json()->getValue<std::string>("token") : saved;
    return r;
}

}  // namespace dossier::test
