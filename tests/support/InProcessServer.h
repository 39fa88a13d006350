#pragma once

#include <memory>
#include <string>

#include "dossier/app/Services.h"
#include "dossier/http/Server.h"

namespace dossier::test {

class TestDatabase;

/// What every test server starts from: data under `dir`/data, the test database `db`, the
/// repository's templates and a cheap password hash (1,000 PBKDF2 iterations; the production
/// cost is 600,000). A test changes what it needs from there.
app::Config testConfig(const std::string& dir, const TestDatabase& db);

/// A real HTTP server over `services` (which must outlive it), started on a free port of
/// 127.0.0.1 with the default options otherwise — but no per-address throttle: every test
/// client is 127.0.0.1, and a test signs in more often than a person would (tests of the
/// throttle pass options). Read the port with server->port().
std::unique_ptr<http::Server> startInProcessServer(app::Services& services);
/// The same with `options` as given (its port is replaced by 0).
std::unique_ptr<http::Server> startInProcessServer(app::Services& services,
                                                   http::ServerOptions options);

}  // namespace dossier::test
