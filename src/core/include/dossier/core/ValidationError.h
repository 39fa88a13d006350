#pragma once

#include <string>
#include <vector>

#include "dossier/core/Error.h"

namespace dossier {

/// One problem with submitted data: where (a JSON path such as "product.standard_number"),
/// a registered code of category Field (`codes::kFieldRequired`) and a human message.
struct FieldProblem {
    std::string path;
    ErrorCode code;
    std::string message;
};

/// All the problems found in a piece of data at once (not one at a time):
/// code `validation.failed`, the problems in problems().
class ValidationError : public Error {
  public:
    explicit ValidationError(std::vector<FieldProblem> problems);
    const std::vector<FieldProblem>& problems() const noexcept { return problems_; }

  private:
    std::vector<FieldProblem> problems_;
};

}  // namespace dossier
