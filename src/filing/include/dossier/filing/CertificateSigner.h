#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace dossier::filing {

/// The server's Ed25519 key that signs what a leader certificate's QR code states (README,
/// "Leader certificates": the signed message, offline verification). The private key lives in
/// one file of the data directory, PKCS#8 PEM, mode 0600; it is made on first start. The
/// public key is published at GET /api/v1/certificates/keys. Immutable after opening:
/// thread-safe.
class CertificateSigner {
  public:
    /// Reads the key at `path`, or makes one there (written to a temporary file, fsynced and
    /// linked into place, so two processes starting at once end up with the same key).
    /// Throws certificate.key_invalid when the file is not an Ed25519 private key, or is
    /// readable by group or others.
    static std::unique_ptr<CertificateSigner> openOrCreate(const std::string& path);
    ~CertificateSigner();
    CertificateSigner(const CertificateSigner&) = delete;
    CertificateSigner& operator=(const CertificateSigner&) = delete;

    /// The message a certificate's signature covers: the lines
    /// `dossier-leader-certificate/1`, number, credit code, star level, issued on, valid until,
    /// joined with "\n" (no trailing newline), UTF-8.
    static std::string message(const std::string& number, const std::string& creditCode,
                               int starLevel, const std::string& issuedOn,
                               const std::string& validUntil);

    /// The Ed25519 signature of `message`, base64url without padding (86 characters).
    std::string sign(std::string_view message) const;
    /// True when `signatureBase64url` is this key's signature of `message`.
    bool verify(std::string_view message, std::string_view signatureBase64url) const;

    /// The first 16 hex digits of the SHA-256 of the raw public key.
    const std::string& keyId() const { return keyId_; }
    /// The raw 32-byte public key, base64 (standard alphabet, padded).
    const std::string& publicKeyBase64() const { return publicKeyBase64_; }
    /// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), for `openssl pkeyutl`.
    const std::string& publicKeyPem() const { return publicKeyPem_; }

    static std::string base64url(std::string_view bytes);
    /// nullopt-like: "" when `text` is not base64url without padding.
    static std::string fromBase64url(std::string_view text);

  private:
    struct Impl;
    explicit CertificateSigner(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    std::string keyId_;
    std::string publicKeyBase64_;
    std::string publicKeyPem_;
};

}  // namespace dossier::filing
