#include "dossier/core/Account.h"

#include <algorithm>
#include <cctype>

#include "dossier/core/Utf8.h"

namespace dossier {

std::string_view nameOf(Role role) {
    switch (role) {
        case Role::Applicant:
            return "applicant";
        case Role::Reviewer:
            return "reviewer";
        case Role::Operator:
            return "operator";
        case Role::Organizer:
            return "organizer";
        case Role::Evaluator:
            return "evaluator";
    }
    return "applicant";
}

std::optional<Role> parseRole(std::string_view name) {
    for (Role r :
         {Role::Applicant, Role::Reviewer, Role::Operator, Role::Organizer, Role::Evaluator}) {
        if (nameOf(r) == name) return r;
    }
    return std::nullopt;
}

namespace account_rules {

void checkUsername(const std::string& path, const std::string& value,
                   std::vector<FieldProblem>& out) {
    if (value.empty()) {
        out.push_back({path, codes::kFieldRequired, "A username is required."});
        return;
    }
    bool alnum = std::all_of(value.begin(), value.end(),
                             [](unsigned char c) { return c < 0x80 && std::isalnum(c); });
    if (!alnum || value.size() < 4 || value.size() > 16) {
        out.push_back({path, codes::kFieldUsername,
                       "The username must be 4 to 16 letters (a-z, A-Z) or digits."});
    }
}

void checkPassword(const std::string& path, const std::string& value, const std::string& username,
                   std::vector<FieldProblem>& out) {
    if (value.empty()) {
        out.push_back({path, codes::kFieldRequired, "A password is required."});
        return;
    }
    if (hasControlCharacter(value)) {
        out.push_back(
            {path, codes::kFieldControlCharacter, "The password contains a control character."});
        return;
    }
    bool printable = std::all_of(value.begin(), value.end(),
                                 [](unsigned char c) { return c > 0x20 && c < 0x7F; });
    if (!printable || value.size() < 6 || value.size() > 16) {
        out.push_back({path, codes::kFieldPassword,
                       "The password must be 6 to 16 characters: letters, digits or ASCII "
                       "punctuation, without spaces."});
        return;
    }
    if (!username.empty() && usernameKey(value) == usernameKey(username)) {
        out.push_back({path, codes::kFieldPassword, "The password must not be the username."});
    }
}

void checkMobile(const std::string& path, const std::string& value,
                 std::vector<FieldProblem>& out) {
    if (value.empty()) {
        out.push_back({path, codes::kFieldRequired, "A mobile number is required."});
        return;
    }
    bool digits = std::all_of(value.begin(), value.end(),
                              [](unsigned char c) { return c >= '0' && c <= '9'; });
    if (!digits || value.size() != 11 || value[0] != '1' || value[1] < '3') {
        out.push_back({path, codes::kFieldMobile,
                       "The mobile number must be 11 digits, such as 13812345678."});
    }
}

void checkName(const std::string& path, const std::string& value, std::size_t maxChars,
               std::vector<FieldProblem>& out) {
    if (!utf8::isValid(value)) {
        out.push_back({path, codes::kFieldEncoding, "The text is not valid UTF-8."});
        return;
    }
    auto cps = utf8::decode(value);
    bool blank = std::all_of(cps.begin(), cps.end(),
                             [](char32_t c) { return c == ' ' || c == 0x3000 || c == '\t'; });
    if (cps.empty() || blank) {
        out.push_back({path, codes::kFieldRequired, "This name is required."});
        return;
    }
    bool control = std::any_of(cps.begin(), cps.end(), utf8::isRefusedInText);
    if (control) {
        out.push_back({path, codes::kFieldControlCharacter,
                       "The name contains a control character or an invisible format character."});
    }
    if (cps.size() > maxChars) {
        out.push_back({path, codes::kFieldTooLong,
                       "At most " + std::to_string(maxChars) + " characters; this has " +
                           std::to_string(cps.size()) + "."});
    }
}

bool hasControlCharacter(std::string_view value) {
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7F) return true;
        if (c == 0xC2 && i + 1 < value.size()) {
            auto next = static_cast<unsigned char>(value[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return true;
        }
    }
    return false;
}

std::string usernameKey(const std::string& username) {
    std::string key = username;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return key;
}

}  // namespace account_rules
}  // namespace dossier
