#include "dossier/core/ValidationError.h"

#include "dossier/core/ErrorCodes.h"

namespace dossier {
namespace {

std::string summary(const std::vector<FieldProblem>& problems) {
    std::string out = "The data has " + std::to_string(problems.size()) + " problem(s): ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) out += "; ";
        out += problems[i].path + ": " + problems[i].message;
    }
    return out;
}

}  // namespace

ValidationError::ValidationError(std::vector<FieldProblem> problems)
    : Error(codes::kValidationFailed, summary(problems)), problems_(std::move(problems)) {}

}  // namespace dossier
