#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace dossier::storage {

/// One schema step. Statements run in order; `postgres` replaces `sqlite` where the dialects
/// differ (empty = same text). Never edit a released migration: add a new version.
struct Migration {
    int version;
    std::string_view name;
    std::vector<std::string_view> sqlite;
    std::vector<std::string_view> postgres;
};

std::span<const Migration> allMigrations();

}  // namespace dossier::storage
