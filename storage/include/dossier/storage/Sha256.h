#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace dossier::storage {

/// Incremental SHA-256 (OpenSSL EVP). One object is not thread-safe; separate objects on
/// separate threads are (no process-wide state is set up or torn down per object).
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t n);
    /// Lower-case hex digest; the object is reset afterwards.
    std::string hexDigest();

    static std::string of(std::string_view data);
    /// True if `s` is 64 lower-case hex characters.
    static bool isHexDigest(std::string_view s);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::storage
