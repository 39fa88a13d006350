#pragma once

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPSession.h>

#include <memory>
#include <ostream>

namespace dossier::http {

/// The response of one request, written through the connection's session. Poco's
/// HTTPServerResponseImpl, which only works with Poco's own request and connection classes;
/// the same framing: Content-Length when set, chunked when asked, otherwise to the end of
/// the connection, and no body at all for HEAD, 1xx, 204 and 304. Not thread-safe.
class OutgoingResponse final : public Poco::Net::HTTPServerResponse {
  public:
    /// `session` must outlive the response. `headRequest`: the request was HEAD.
    OutgoingResponse(Poco::Net::HTTPSession& session, bool headRequest);
    ~OutgoingResponse() override;

    void sendContinue() override;
    std::ostream& send() override;
    void sendFile(const std::string& path, const std::string& mediaType) override;
    void sendBuffer(const void* buffer, std::size_t length) override;
    void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
    void requireAuthentication(const std::string& realm) override;
    bool sent() const override { return sent_; }
    /// Flushes and closes the body (the last chunk of a chunked one). Returns false when
    /// the client could not be written to: the connection cannot be reused.
    bool finish();
    /// Breaks the body off after the headers went out (a bundle whose stored file turned out
    /// damaged mid-stream): the connection is shut at once, so a chunked body ends without
    /// its last chunk and the client sees a failed download rather than a whole-looking one.
    /// The connection is not reused. Never throws.
    void abandon();

  private:
    Poco::Net::HTTPSession& session_;
    bool headRequest_;
    std::unique_ptr<std::ostream> stream_;
    bool sent_ = false;
    bool abandoned_ = false;
};

}  // namespace dossier::http
