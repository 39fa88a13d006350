#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

    /// Adds a member to the problem body the client gets (`json`: a JSON value's text, e.g.
    /// "\"2026-12-14\"" or an object), for what a client needs to act on the error (the
    /// date a notice ends). Safe to show, like the message. Returns *this.
    Error& withMember(std::string name, std::string json) {
        members_.emplace_back(std::move(name), std::move(json));
        return *this;
    }
    const std::vector<std::pair<std::string, std::string>>& members() const noexcept {
        return members_;
    }

  private:
    ErrorCode code_;
    std::string message_;
    std::string detail_;
    std::vector<std::pair<std::string, std::string>> members_;
};

}  // namespace dossier
