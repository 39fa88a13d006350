#include "dossier/core/Error.h"

#include <utility>

namespace dossier {

Error::Error(std::string code, std::string message, std::string detail)
    : std::runtime_error(code + ": " + message),
      code_(std::move(code)),
      message_(std::move(message)),
      detail_(std::move(detail)) {}

}  // namespace dossier
