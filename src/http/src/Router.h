#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "Exchange.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {

/// Who may call a route. Everything is Authenticated unless an issue says otherwise.
enum class Access { Public, Authenticated };

/// A body size a route refuses from its Content-Length alone, before the body is sent (no
/// 100 Continue), with the code it answers; the same code the handler gives a body found too
/// large while reading, so a size gets one answer whether it was declared or streamed.
struct BodyLimit {
    std::uint64_t bytes;
    ErrorCode code;
};

/// Method + path-pattern routing with `{name}` segments. Built once, then read-only.
class Router {
  public:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        Access access = Access::Authenticated;
        BodyLimit bodyLimit;
        /// Counted against the caller's address by the AddressThrottle (README, "Throttling").
        bool throttled = false;
    };

    /// The body limit of a route added without one: the largest JSON body a route reads
    /// (handlers may refuse smaller ones while reading, with the same code).
    static constexpr std::uint64_t kDefaultBodyLimit = 1 << 20;

    enum class MatchKind { Found, NotFound, MethodNotAllowed };
    struct Match {
        MatchKind kind = MatchKind::NotFound;
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        std::string allow;  // for 405
    };

    void add(std::string method, std::string pattern, Handler handler,
             Access access = Access::Authenticated,
             BodyLimit bodyLimit = {kDefaultBodyLimit, codes::kRequestTooLarge});
    /// Marks the route `method pattern` as throttled per client address; false when there is
    /// no such route.
    bool throttle(const std::string& method, const std::string& pattern);
    /// HEAD matches GET routes. Throws request.malformed for a parameter segment with a bad
    /// %-escape.
    Match match(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace dossier::http
