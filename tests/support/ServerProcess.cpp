#include "ServerProcess.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace dossier::test {

ServerProcess spawnServer(const std::string& binary, const std::string& dataDir,
                          const std::string& database) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, (dataDir + "/server.log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> envStrings;
    // Our settings replace any DOSSIER_* the caller has (getenv takes the first match).
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, "DOSSIER_", 8) != 0) envStrings.emplace_back(*e);
    }
    envStrings.push_back("DOSSIER_LISTEN=127.0.0.1:0");
    envStrings.push_back("DOSSIER_DATA_DIR=" + dataDir + "/var");
    envStrings.push_back("DOSSIER_DATABASE=" + database);
    envStrings.push_back("OMP_THREAD_LIMIT=1");
    // Every bench client is 127.0.0.1 and signs in far more often than a person would.
    envStrings.push_back("DOSSIER_THROTTLE_PER_MINUTE=0");
    std::vector<char*> envp;
    for (auto& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string serve = "serve";
    char* argv[] = {const_cast<char*>(binary.c_str()), serve.data(), nullptr};
    ServerProcess p;
    if (posix_spawn(&p.pid, binary.c_str(), &actions, nullptr, argv, envp.data()) != 0) {
        throw std::runtime_error("cannot start " + binary);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    auto colon = line.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("server did not start: " + line);
    p.port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    return p;
}

long procStatusKb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
    }
    return -1;
}

}  // namespace dossier::test
