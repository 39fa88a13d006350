#pragma once

#include <string>
#include <string_view>

namespace dossier {

/// An organization's full name as applicants type it (seed 002, 注册查询: "准确输入单位全称
/// （公章为准）"). Pure functions on UTF-8 text; thread-safe.
namespace organization_name {

/// `name` without surrounding blanks: ASCII space and tab, and the ideographic space U+3000
/// that Chinese input methods type. Inner spaces stay: they are part of the name.
std::string trim(std::string_view name);

/// What two spellings of one name have in common: trim(), then full-width brackets （）
/// turned into ASCII () — seals print either, and applicants type either. Nothing else is
/// folded (no case, no other punctuation): the name must otherwise be the seal's.
/// The database index `organizations_name_key` (migration 9) computes the same from the
/// stored name with REPLACE/TRIM; stored names are trimmed at registration, so the two agree.
std::string key(std::string_view name);

}  // namespace organization_name
}  // namespace dossier
