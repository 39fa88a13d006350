#include "dossier/core/Error.h"

#include <utility>

namespace dossier {

Error::Error(ErrorCode code, std::string message, std::string detail)
    : std::runtime_error(std::string(code.text()) + ": " + message),
      code_(code),
      message_(std::move(message)),
      detail_(std::move(detail)) {}

}  // namespace dossier
