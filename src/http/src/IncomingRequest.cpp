#include "IncomingRequest.h"

#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>

namespace dossier::http {

IncomingRequest::IncomingRequest(const RequestHead& head, Poco::Net::HTTPSession& session,
                                 Poco::Net::HTTPServerResponse& response,
                                 const Poco::Net::SocketAddress& client,
                                 const Poco::Net::SocketAddress& server,
                                 const Poco::Net::HTTPServerParams& params)
    : response_(response), client_(client), server_(server), params_(params) {
    setMethod(head.method);
    setURI(head.target);
    setVersion(head.minorVersion == 0 ? HTTP_1_0 : HTTP_1_1);
    for (const auto& [name, value] : head.fields) add(name, value);
    if (head.chunked) {
        stream_ = std::make_unique<Poco::Net::HTTPChunkedInputStream>(session);
        hasBody_ = true;
    } else {
        auto length = head.contentLength.value_or(0);
        stream_ = std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(session, length);
        hasBody_ = length > 0;
    }
}

}  // namespace dossier::http
