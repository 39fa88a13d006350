#include "dossier/storage/Sha256.h"

#include <Poco/Crypto/DigestEngine.h>

namespace dossier::storage {

struct Sha256::Impl {
    Poco::Crypto::DigestEngine engine{"SHA256"};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t n) { impl_->engine.update(data, n); }

std::string Sha256::hexDigest() { return Poco::DigestEngine::digestToHex(impl_->engine.digest()); }

std::string Sha256::of(std::string_view data) {
    Sha256 h;
    h.update(data.data(), data.size());
    return h.hexDigest();
}

bool Sha256::isHexDigest(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

}  // namespace dossier::storage
