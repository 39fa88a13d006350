#include "dossier/storage/Sha256.h"

#include <Poco/DigestEngine.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace dossier::storage {

// OpenSSL's EVP interface directly, not Poco::Crypto::DigestEngine: every DigestEngine holds
// a reference-counted OpenSSLInitializer, and when the count fell to zero on one thread its
// uninitialize() destroyed OpenSSL state other threads were using (SIGSEGV in
// pthread_mutex_destroy under concurrent sign-ins). OpenSSL ≥ 1.1 initializes itself once per
// process and needs no such calls; EVP_sha256() is a static, thread-safe method table.
struct Sha256::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();

    Impl() {
        if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
            EVP_MD_CTX_free(ctx);
            throw std::bad_alloc();
        }
    }
    ~Impl() { EVP_MD_CTX_free(ctx); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t n) {
    // Only fails for a context that was never initialized, which the constructor rules out.
    EVP_DigestUpdate(impl_->ctx, data, n);
}

std::string Sha256::hexDigest() {
    Poco::DigestEngine::Digest digest(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    EVP_DigestFinal_ex(impl_->ctx, digest.data(), &length);
    EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr);
    digest.resize(length);
    return Poco::DigestEngine::digestToHex(digest);  // Foundation only: no crypto state
}

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
