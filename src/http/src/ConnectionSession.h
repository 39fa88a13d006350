#pragma once

#include <Poco/Net/HTTPSession.h>

#include <string>

namespace dossier::http {

/// Poco's buffered HTTP reader and writer over one client connection, for the whole life of
/// the connection (its destructor closes the socket). Exposes what a connection needs
/// between requests: the bytes Poco buffered beyond the request just served.
class ConnectionSession final : public Poco::Net::HTTPSession {
  public:
    explicit ConnectionSession(const Poco::Net::StreamSocket& socket)
        : Poco::Net::HTTPSession(socket, true) {}

    /// Removes and returns the bytes read from the socket but not yet consumed (the start
    /// of a pipelined request).
    std::string takeBuffered() {
        std::string out;
        while (buffered() > 0) out.push_back(static_cast<char>(get()));
        return out;
    }
};

}  // namespace dossier::http
