#include "Router.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <optional>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier::http {
namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

/// A path segment with its %-escapes decoded; request.malformed for a bad escape (`%ZZ`, `%2`).
std::string decodeSegment(const std::string& segment) {
    std::string decoded;
    try {
        Poco::URI::decode(segment, decoded);
    } catch (const Poco::Exception&) {
        throw Error(codes::kRequestMalformed, "The request path has a malformed %-escape.");
    }
    return decoded;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const auto& p = pattern[i];
        auto close = p.find('}');
        if (p.size() > 2 && p.front() == '{' && close != std::string::npos &&
            close + 1 < p.size()) {
            // "{page}.png": a parameter with a fixed suffix.
            std::string suffix = p.substr(close + 1);
            if (path[i].size() <= suffix.size() ||
                path[i].compare(path[i].size() - suffix.size(), suffix.size(), suffix) != 0) {
                return false;
            }
            found[p.substr(1, close - 1)] =
                decodeSegment(path[i].substr(0, path[i].size() - suffix.size()));
        } else if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (path[i].empty()) return false;
            found[p.substr(1, p.size() - 2)] = decodeSegment(path[i]);
        } else if (p != path[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

std::string Exchange::query(const std::string& name, const std::string& fallback) const {
    std::optional<std::string> found;
    for (auto& [k, v] : uri.getQueryParameters()) {
        if (k != name) continue;
        // Neither the first nor the last: a proxy or a cache may have read the other one.
        if (found) {
            throw Error(codes::kRequestMalformed,
                        "The query parameter '" + name + "' is given twice; give it once.");
        }
        found = std::move(v);
    }
    if (!found) return fallback;
    bool control = false;
    if (utf8::isValid(*found)) {
        for (char32_t c : utf8::decode(*found)) {
            // Tab aside: it is pasted from spreadsheets and trimmed like a space.
            control = control || (c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0);
        }
    }
    if (control || !utf8::isValid(*found)) {
        // Never a filter that matches everything (name=%00) nor one that cannot be shown.
        throw Error(
            codes::kRequestMalformed,
            "The query parameter '" + name + "' must be UTF-8 text without control characters.");
    }
    return *found;
}

void Router::add(std::string method, std::string pattern, Handler handler, Access access,
                 BodyLimit bodyLimit) {
    auto segments = split(pattern);
    routes_.push_back({std::move(method), std::move(pattern), std::move(segments),
                       std::move(handler), access, bodyLimit});
}

bool Router::throttle(const std::string& method, const std::string& pattern) {
    for (auto& route : routes_) {
        if (route.method == method && route.pattern == pattern) {
            route.throttled = true;
            return true;
        }
    }
    return false;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    Match m;
    if (path.empty() || path.front() != '/') return m;
    auto segments = split(path);
    for (const auto& route : routes_) {
        std::map<std::string, std::string> params;
        if (!matches(route.segments, segments, params)) continue;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            m.kind = MatchKind::Found;
            m.route = &route;
            m.params = std::move(params);
            return m;
        }
        m.kind = MatchKind::MethodNotAllowed;
        if (!m.allow.empty()) m.allow += ", ";
        m.allow += route.method;
        if (route.method == "GET") m.allow += ", HEAD";
        if (!m.route) m.route = &route;
    }
    return m;
}

}  // namespace dossier::http
