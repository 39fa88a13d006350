#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <functional>
#include <map>
#include <string>

namespace dossier::http {

/// One request in flight: the Poco objects plus what routing found.
struct Exchange {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    Poco::URI uri;
    std::map<std::string, std::string> params;  // path parameters
    std::string requestId;
    std::string route;  // the matched pattern, for metrics and logs

    std::string query(const std::string& name, const std::string& fallback = {}) const;
};

using Handler = std::function<void(Exchange&)>;

}  // namespace dossier::http
