#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::test {

struct HttpResult {
    int status = 0;
    Poco::Net::HTTPResponse response;  // headers (case-insensitive lookup)
    std::string body;
    Poco::JSON::Object::Ptr json() const;
    std::string header(const std::string& name) const { return response.get(name, ""); }
};

struct FormPart {
    std::string name;
    std::string value;
    std::optional<std::string> filename;
    std::string contentType;
};

/// Builds a multipart/form-data body; returns {content type, body}.
std::pair<std::string, std::string> multipartBody(const std::vector<FormPart>& parts);

/// Poco HTTPClientSession against 127.0.0.1:port; one keep-alive connection per client.
/// Not thread-safe: one per thread.
class HttpTestClient {
  public:
    explicit HttpTestClient(std::uint16_t port);

    HttpResult request(const std::string& method, const std::string& path,
                       const std::map<std::string, std::string>& headers = {},
                       const std::string& contentType = {}, const std::string& body = {});
    HttpResult get(const std::string& path,
                   const std::map<std::string, std::string>& headers = {}) {
        return request("GET", path, headers);
    }
    /// Sends `Authorization: Bearer <token>` with every request from now on ("" = none).
    void setBearer(std::string token) { bearer_ = std::move(token); }
    const std::string& bearer() const { return bearer_; }
    HttpResult postJson(const std::string& path, const std::string& json,
                        const std::string& method = "POST") {
        return request(method, path, {}, "application/json", json);
    }
    /// Registers an organization admin (POST /api/v1/accounts), signs in and keeps the
    /// token for later requests. Fails the test on a refusal. Returns the account JSON.
    Poco::JSON::Object::Ptr signUp(const std::string& username, const std::string& phone,
                                   const std::string& organizationName,
                                   const std::string& creditCode,
                                   const std::string& displayName = "测试员");
    /// POST /api/v1/sessions; keeps the token on success. Returns the response.
    HttpResult signIn(const std::string& username, const std::string& password = kTestPassword);

    static constexpr const char* kTestPassword = "Secret-2025";

    /// Uploads `bytes` as the `file` part (then `kind`, or `kind` first if asked). The body
    /// is sent without being assembled in memory, so a benchmark measures the server.
    HttpResult upload(const std::string& bytes, const std::string& filename,
                      const std::string& kind,
                      const std::string& partType = "application/octet-stream",
                      bool kindFirst = false);

  private:
    /// Sends a body made of `pieces` back to back, each with as few writes as the socket
    /// takes (as curl and browsers do), not through Poco's 4 KB request stream buffer.
    HttpResult send(const std::string& method, const std::string& path,
                    const std::map<std::string, std::string>& headers,
                    const std::string& contentType, const std::vector<std::string_view>& pieces);

    std::uint16_t port_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::string bearer_;
};

}  // namespace dossier::test
