#include "dossier/core/ErrorCodes.h"

#include <array>
#include <ostream>

namespace dossier {
namespace {

struct Row {
    std::string_view text;
    int status;
    ErrorCategory category;
    std::string_view meaning;
};

constexpr std::array kRows{
#define DOSSIER_ERROR_CODE_ROW(name, text, status, category, meaning) \
    Row{text, status, ErrorCategory::category, meaning},
    DOSSIER_ERROR_CODES(DOSSIER_ERROR_CODE_ROW)
#undef DOSSIER_ERROR_CODE_ROW
};

constexpr std::array kAll{
#define DOSSIER_ERROR_CODE_ALL(name, text, status, category, meaning) codes::k##name,
    DOSSIER_ERROR_CODES(DOSSIER_ERROR_CODE_ALL)
#undef DOSSIER_ERROR_CODE_ALL
};

static_assert(kRows.size() == kAll.size());

}  // namespace

std::string_view nameOf(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::Request:
            return "request";
        case ErrorCategory::Auth:
            return "auth";
        case ErrorCategory::NotFound:
            return "not_found";
        case ErrorCategory::Conflict:
            return "conflict";
        case ErrorCategory::Content:
            return "content";
        case ErrorCategory::Validation:
            return "validation";
        case ErrorCategory::Field:
            return "field";
        case ErrorCategory::Check:
            return "check";
        case ErrorCategory::Server:
            return "server";
        case ErrorCategory::Cli:
            return "cli";
    }
    return "server";
}

std::string_view ErrorCode::text() const noexcept { return kRows[std::size_t(index_)].text; }

int ErrorCode::httpStatus() const noexcept { return kRows[std::size_t(index_)].status; }

ErrorCategory ErrorCode::category() const noexcept { return kRows[std::size_t(index_)].category; }

std::string_view ErrorCode::meaning() const noexcept { return kRows[std::size_t(index_)].meaning; }

std::span<const ErrorCode> ErrorCode::all() noexcept { return kAll; }

std::optional<ErrorCode> ErrorCode::parse(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kRows.size(); ++i) {
        if (kRows[i].text == text) return kAll[i];
    }
    return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << code.text(); }

std::string operator+(const std::string& left, ErrorCode code) {
    std::string out = left;
    out += code.text();
    return out;
}

std::string operator+(const char* left, ErrorCode code) { return std::string(left) + code; }

}  // namespace dossier
