#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace dossier::test {

/// A `dossier serve` started by a bench as its own process: on 127.0.0.1 with a free port,
/// data under `dataDir`/var, `database`, no per-address throttle, stderr in
/// `dataDir`/server.log; the caller's DOSSIER_* settings are replaced. Throws
/// std::runtime_error when it cannot start. The caller stops it (kill + waitpid).
struct ServerProcess {
    pid_t pid = -1;
    std::uint16_t port = 0;
};
ServerProcess spawnServer(const std::string& binary, const std::string& dataDir,
                          const std::string& database);

/// A kB field of /proc/`pid`/status ("VmRSS:", "VmHWM:"); -1 when absent.
long procStatusKb(pid_t pid, const char* field);

}  // namespace dossier::test
