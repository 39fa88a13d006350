#pragma once

#include <map>
#include <string>
#include <vector>

#include "Exchange.h"

namespace dossier::http {

/// Who may call a route. Everything is Authenticated unless an issue says otherwise.
enum class Access { Public, Authenticated };

/// Method + path-pattern routing with `{name}` segments. Built once, then read-only.
class Router {
  public:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        Access access = Access::Authenticated;
    };

    enum class MatchKind { Found, NotFound, MethodNotAllowed };
    struct Match {
        MatchKind kind = MatchKind::NotFound;
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        std::string allow;  // for 405
    };

    void add(std::string method, std::string pattern, Handler handler,
             Access access = Access::Authenticated);
    /// HEAD matches GET routes.
    Match match(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace dossier::http
