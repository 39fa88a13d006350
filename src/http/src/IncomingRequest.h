#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPSession.h>
#include <Poco/Net/SocketAddress.h>

#include <istream>
#include <memory>

#include "RequestHead.h"

namespace dossier::http {

/// One request as the routes see it (Poco's HTTPServerRequest), built from a head the
/// listener has already read and checked. The body stream follows RFC 9112 §6.3: chunked,
/// Content-Length, or else no body at all (Poco read a bodiless OPTIONS or POST until the
/// client closed, holding the thread for the receive timeout). Not thread-safe.
class IncomingRequest final : public Poco::Net::HTTPServerRequest {
  public:
    /// `session`, `response` and `params` must outlive the request.
    IncomingRequest(const RequestHead& head, Poco::Net::HTTPSession& session,
                    Poco::Net::HTTPServerResponse& response, const Poco::Net::SocketAddress& client,
                    const Poco::Net::SocketAddress& server,
                    const Poco::Net::HTTPServerParams& params);

    std::istream& stream() override { return *stream_; }
    const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
    const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
    Poco::Net::HTTPServerResponse& response() const override { return response_; }
    bool secure() const override { return false; }

    /// Whether the request has a body (Content-Length above 0, or chunked).
    bool hasBody() const { return hasBody_; }

  private:
    std::unique_ptr<std::istream> stream_;
    Poco::Net::HTTPServerResponse& response_;
    Poco::Net::SocketAddress client_;
    Poco::Net::SocketAddress server_;
    const Poco::Net::HTTPServerParams& params_;
    bool hasBody_ = false;
};

}  // namespace dossier::http
