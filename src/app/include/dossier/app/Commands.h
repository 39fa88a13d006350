#pragma once

#include <string>
#include <vector>

namespace dossier::app {

/// `dossier <command> [options]`; returns the process exit code
/// (0 ok, 1 failure, 2 bad usage or configuration).
int runCli(const std::vector<std::string>& args);

/// One-line structured logs on stderr through an async channel (Poco).
void configureLogging(const std::string& level);

}  // namespace dossier::app
