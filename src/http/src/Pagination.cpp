#include "Pagination.h"

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::http {
namespace {

std::uint64_t wholeNumber(const Exchange& ex, const std::string& name, std::uint64_t fallback,
                          std::uint64_t max) {
    std::string text = ex.query(name);
    if (text.empty()) return fallback;
    bool digits = text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
    std::uint64_t value = digits ? std::stoull(text) : 0;
    if (value < 1 || value > max) {
        throw Error(codes::kRequestMalformed,
                    name + " must be a whole number from 1 to " + std::to_string(max) + ".",
                    name + "=" + text);
    }
    return value;
}

std::string trim(const std::string& s) {
    auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

PageRequest pageRequestOf(const Exchange& ex) {
    PageRequest p;
    p.page = wholeNumber(ex, "page", 1, 100'000'000);
    p.perPage = wholeNumber(ex, "per_page", 20, PageRequest::kMaxPerPage);
    return p;
}

std::string pageJson(const std::vector<std::string>& items, const PageRequest& page,
                     std::uint64_t total) {
    std::string out = "{\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += items[i];
    }
    out += "],\"page\":" + std::to_string(page.page) +
           ",\"per_page\":" + std::to_string(page.perPage) + ",\"total\":" + std::to_string(total) +
           "}";
    return out;
}

std::optional<std::set<std::int64_t>> ifMatchVersions(const Exchange& ex) {
    if (!ex.request.has("If-Match")) return std::nullopt;
    std::string header = ex.request.get("If-Match");
    std::set<std::int64_t> versions;
    std::size_t start = 0;
    while (start <= header.size()) {
        auto comma = header.find(',', start);
        std::string tag = trim(header.substr(start, comma - start));
        start = comma == std::string::npos ? header.size() + 1 : comma + 1;
        if (tag == "*") return std::nullopt;
        bool ours = tag.size() >= 3 && tag.size() <= 20 && tag.front() == '"' &&
                    tag.back() == '"' && tag.find_first_not_of("0123456789", 1) == tag.size() - 1;
        if (ours) versions.insert(std::stoll(tag.substr(1, tag.size() - 2)));
    }
    return versions;
}

std::string versionTag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace dossier::http
