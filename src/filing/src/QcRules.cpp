#include "QcRules.h"

#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"

namespace dossier::filing::qc {

void checkText(const FieldInfo& field, const std::string& path, const std::string& value,
               std::vector<FieldProblem>& out) {
    if (value.empty()) {
        if (field.required) {
            out.push_back({path, codes::kFieldRequired,
                           std::string(kTitles[field.column]) + " is required."});
        }
        return;
    }
    if (!utf8::isValid(value)) {
        out.push_back({path, codes::kFieldEncoding, "The text is not valid UTF-8."});
        return;
    }
    auto cps = utf8::decode(value);
    for (char32_t c : cps) {
        if (c == U'\n' || c == U'\r') {
            out.push_back({path, codes::kFieldLineBreak,
                           std::string(kTitles[field.column]) + " must be one line."});
            return;
        }
        if (utf8::isRefusedInText(c)) {
            out.push_back({path, codes::kFieldControlCharacter,
                           std::string(kTitles[field.column]) +
                               " contains the invisible or control character " + utf8::describe(c) +
                               "."});
            return;
        }
    }
    if (cps.size() > field.maxChars) {
        out.push_back({path, codes::kFieldTooLong,
                       std::string(kTitles[field.column]) + " is " + std::to_string(cps.size()) +
                           " characters long; at most " + std::to_string(field.maxChars) + "."});
    }
}

void checkMembers(const std::string& path, std::int64_t value, std::vector<FieldProblem>& out) {
    if (value < 1 || value > kMaxMembers) {
        out.push_back({path, codes::kFieldRange,
                       "小组人数 must be a positive whole number (1 to " +
                           std::to_string(kMaxMembers) + "), not " + std::to_string(value) + "."});
    }
}

void checkFounded(const std::string& path, const std::string& value, const std::string& today,
                  std::vector<FieldProblem>& out) {
    if (value.empty()) return;
    if (value > today) {
        out.push_back(
            {path, codes::kFieldFutureDate,
             "小组成立日期 " + value + " lies in the future (today is " + today + " in Beijing)."});
    }
}

bool isKind(std::string_view type) { return type == "group" || type == "team"; }

std::optional<std::int64_t> parseYear(std::string_view text) {
    if (text.size() != 4) return std::nullopt;
    std::int64_t y = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        y = y * 10 + (c - '0');
    }
    if (y < 2000 || y > 2100) return std::nullopt;
    return y;
}

std::string duplicateKey(const std::string& title, const std::string& groupName) {
    return title + '\x1f' + groupName;
}

}  // namespace dossier::filing::qc
