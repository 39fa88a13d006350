#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/ValidationError.h"

namespace dossier::filing::qc {

/// The template's title row (seed 001, in this order); column E also takes 班组人数, as
/// seed 001's import notes write it.
inline constexpr std::array<std::string_view, 7> kTitles{
    "序号", "成果名称", "小组名称", "所属企业", "小组人数", "组长", "小组成立日期"};
inline constexpr std::string_view kTeamMembersTitle = "班组人数";

/// The fields of a record, as the API names them, with their template column (B–G).
struct FieldInfo {
    std::string_view key;
    std::size_t column;  // index into kTitles
    std::size_t maxChars;
    bool required;
};
inline constexpr FieldInfo kTitle{"title", 1, 100, true};
inline constexpr FieldInfo kGroupName{"group_name", 2, 50, true};
inline constexpr FieldInfo kEnterprise{"enterprise", 3, 100, false};
inline constexpr FieldInfo kLeader{"leader", 5, 30, true};
inline constexpr std::int64_t kMaxMembers = 999;

/// The text rules of one field (value already normalized): required, length in characters,
/// valid UTF-8, no control or invisible characters, one line. Appends to `out` with `path`.
void checkText(const FieldInfo& field, const std::string& path, const std::string& value,
               std::vector<FieldProblem>& out);
/// 1–999 members.
void checkMembers(const std::string& path, std::int64_t value, std::vector<FieldProblem>& out);
/// A date YYYY-MM-DD (normalized), not after `today`.
void checkFounded(const std::string& path, const std::string& value, const std::string& today,
                  std::vector<FieldProblem>& out);
/// "group" | "team".
bool isKind(std::string_view type);
/// 2000–2100 written as digits; nullopt otherwise.
std::optional<std::int64_t> parseYear(std::string_view text);
/// The uniqueness key of a record (title and group name, normalized).
std::string duplicateKey(const std::string& title, const std::string& groupName);

}  // namespace dossier::filing::qc
