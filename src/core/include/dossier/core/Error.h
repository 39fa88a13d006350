#pragma once

#include <stdexcept>
#include <string>

#include "dossier/core/ErrorCodes.h"

namespace dossier {

/// The one error type of the project.
///
/// `code` is a registered code (dossier/core/ErrorCodes.h: `codes::kUploadTooLarge`), which
/// also gives the HTTP status; `message` is safe to show to the client; `detail` is internal
/// (paths, errno, library messages) and only ever logged.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, std::string message, std::string detail = {});

    ErrorCode code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& detail() const noexcept { return detail_; }

  private:
    ErrorCode code_;
    std::string message_;
    std::string detail_;
};

}  // namespace dossier
