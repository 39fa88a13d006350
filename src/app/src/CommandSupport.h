#pragma once

#include <string>

/// Small pieces several commands share.
namespace dossier::app {

/// DOSSIER_CONFIG, or empty when it is not set.
std::string configFileFromEnvironment();

/// The whole file; Error(codes::kCliUsage) when it cannot be read.
std::string readWholeFile(const std::string& path);

/// Writes beside the target and renames, so a failure never leaves a partial file. False
/// (and nothing left behind) when it cannot.
bool writeAtomically(const std::string& path, const std::string& bytes);

}  // namespace dossier::app
