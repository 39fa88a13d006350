#pragma once

#include <string>
#include <vector>

/// The `dossier` subcommands, one file each (ServeCommand.cpp, ...). Each takes the whole
/// argument vector (args[0] is the program, args[1] the command), parses the rest with
/// ArgParser, and returns the exit code; a usage error escapes as Error(codes::kCliUsage),
/// which runCli reports with exit code 2.
namespace dossier::app {

int serveCommand(const std::vector<std::string>& args);
int migrateCommand(const std::vector<std::string>& args);
int watermarkCommand(const std::vector<std::string>& args);
int checkCommand(const std::vector<std::string>& args);
int renderCommand(const std::vector<std::string>& args);
int accountCommand(const std::vector<std::string>& args);

}  // namespace dossier::app
