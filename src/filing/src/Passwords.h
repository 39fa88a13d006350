#pragma once

#include <string>

namespace dossier::filing::passwords {

/// "pbkdf2-sha256$<iterations>$<salt, base64>$<key, base64>": PBKDF2-HMAC-SHA256 with a
/// 16-byte random salt and a 32-byte key (OpenSSL). The cost travels with the hash, so it
/// can be raised later: `needsRehash` tells when a stored hash is below today's cost.
std::string hash(const std::string& password, int iterations);
/// Constant-time comparison; false for a malformed stored hash.
bool verify(const std::string& password, const std::string& stored);
bool needsRehash(const std::string& stored, int iterations);

/// `bytes` cryptographically random bytes, base64url without padding.
std::string randomToken(int bytes);

}  // namespace dossier::filing::passwords
