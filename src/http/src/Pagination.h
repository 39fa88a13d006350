#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "Exchange.h"

namespace dossier::http {

/// `?page=&per_page=` of a list route: page from 1 (default 1), per_page 1–100 (default 20).
struct PageRequest {
    static constexpr std::uint64_t kMaxPerPage = 100;
    std::uint64_t page = 1;
    std::uint64_t perPage = 20;
};

/// Throws request.malformed (400) for a value that is not a whole number in its range.
PageRequest pageRequestOf(const Exchange& ex);

/// {"items":[…],"page":…,"per_page":…,"total":…} from items already written as JSON.
std::string pageJson(const std::vector<std::string>& items, const PageRequest& page,
                     std::uint64_t total);

/// The versions an `If-Match` header accepts, for resources whose ETag is `"<version>"`:
/// nullopt when there is no header or it is `*` (any current version); otherwise the versions
/// its strong tags name — possibly none (a weak tag or another shape never matches: RFC 9110
/// 13.1.1 compares If-Match strongly).
std::optional<std::set<std::int64_t>> ifMatchVersions(const Exchange& ex);
/// The strong ETag of a version: `"7"`.
std::string versionTag(std::int64_t version);

}  // namespace dossier::http
