#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/ValidationError.h"

namespace dossier {

/// What an account may do. Applicants belong to at most one organization (a personal
/// account may belong to none); staff never do. Staff are created with the CLI only.
enum class Role {
    Applicant,  // 申报者: an organization's admin (组织管理员) or member
    Reviewer,   // 形式审查 / 备案审核: reads every organization's evidence, marked per view
    Operator,   // runs the service: metrics, accounts; no access to documents
    Organizer,  // 活动组织方: opens activities and their submission windows (issue 12)
    Evaluator,  // 评估机构: evaluates and issues leader certificates (issue 14)
};

std::string_view nameOf(Role role);
std::optional<Role> parseRole(std::string_view name);

/// The authenticated caller of a request, as the use cases see it.
struct Viewer {
    std::string accountId;
    std::string username;
    std::string displayName;
    Role role = Role::Applicant;
    std::string organizationId;  // empty for staff
    bool organizationAdmin = false;

    bool isStaff() const { return role != Role::Applicant; }
};

/// Field rules of an account (seeds 001, 002). Each returns the problems of one field
/// (path given by the caller), empty when the value is acceptable.
namespace account_rules {

/// 4–16 ASCII letters or digits ("用户名为4-16个字符或数字"). Compared case-insensitively.
void checkUsername(const std::string& path, const std::string& value,
                   std::vector<FieldProblem>& out);
/// 6–16 printable ASCII characters ("密码为6-16位"), not the username itself. A control
/// character is reported as such (field.control_character).
void checkPassword(const std::string& path, const std::string& value, const std::string& username,
                   std::vector<FieldProblem>& out);
/// A mainland mobile number, 11 digits starting 13–19 ("每个手机号仅能注册1个账号").
void checkMobile(const std::string& path, const std::string& value, std::vector<FieldProblem>& out);
/// 1–`maxChars` characters of valid UTF-8 without control characters, not blank.
void checkName(const std::string& path, const std::string& value, std::size_t maxChars,
               std::vector<FieldProblem>& out);

/// True when `value` has a C0 control character (NUL included), DEL, or a C1 control
/// character encoded as UTF-8 (U+0080–U+009F). Looks at bytes: any encoding is accepted.
bool hasControlCharacter(std::string_view value);

/// The case-folded key usernames are unique on.
std::string usernameKey(const std::string& username);

}  // namespace account_rules

}  // namespace dossier
