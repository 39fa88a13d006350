#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "dossier/core/Account.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace dossier::http {

/// One request in flight: the Poco objects plus what routing found.
struct Exchange {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    Poco::URI uri;
    std::map<std::string, std::string> params;  // path parameters
    std::string requestId;
    std::string route;             // the matched pattern, for metrics and logs
    std::optional<Viewer> caller;  // set before the handler of an authenticated route runs
    std::string token;             // the session token it came with (bearer or cookie)
    /// The token came in the browser's session cookie, not an Authorization header.
    bool tokenFromCookie = false;
    /// The request reached the server over https (through a trusted proxy saying so).
    bool https = false;
    /// scheme://host[:port] of this server as the client addressed it (BrowserSession).
    std::string origin;

    /// The authenticated caller (only on Authenticated routes).
    const Viewer& viewer() const { return *caller; }

    /// The query parameter `name` (%-decoded), `fallback` when absent. Throws
    /// request.malformed (400) when it is given twice, is not UTF-8, or holds a control
    /// character (U+0000–U+001F except tab, U+007F–U+009F). Parameters a route never asks
    /// for are ignored.
    std::string query(const std::string& name, const std::string& fallback = {}) const;
};

using Handler = std::function<void(Exchange&)>;

}  // namespace dossier::http
