#pragma once

#include <stdexcept>
#include <string>

namespace dossier {

/// The one error type of the project.
///
/// `code` is stable and machine-readable (`upload.too_large`); `message` is safe to show to
/// the client; `detail` is internal (paths, errno, library messages) and only ever logged.
/// The HTTP layer maps codes to statuses in one place (http/ProblemMapper).
class Error : public std::runtime_error {
  public:
    Error(std::string code, std::string message, std::string detail = {});

    const std::string& code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& detail() const noexcept { return detail_; }

  private:
    std::string code_;
    std::string message_;
    std::string detail_;
};

}  // namespace dossier
