#pragma once

#include <map>
#include <string>
#include <vector>

namespace dossier::evidence {

enum class CheckStatus { Pass, Warn, Fail };

std::string_view nameOf(CheckStatus status);

/// Where on a page something was found, in pixels of the page as stored (before any
/// rotation the check applied; `rotation` says how the page had to be turned to read).
struct Region {
    int page = 1;
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    std::string label;  // "credit_code", "credit_code_label", "seal", ...
};

/// One stored check outcome: {check, status, code, message, details, regions}.
/// Expected outcomes (a mismatched code, no seal) are values, never exceptions.
struct CheckResult {
    std::string check;  // "license", "seals", "quality"
    CheckStatus status = CheckStatus::Fail;
    std::string code;     // stable, e.g. "license.code_mismatch"
    std::string message;  // human, client-safe
    std::map<std::string, std::string> details;
    std::vector<Region> regions;

    std::string toJson() const;
};

}  // namespace dossier::evidence
