#include "dossier/filing/CertificateSigner.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/storage/Sha256.h"

namespace dossier::filing {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

[[noreturn]] void keyInvalid(const std::string& detail) {
    throw Error(codes::kCertificateKeyInvalid,
                "The certificate signing key in the data directory cannot be used.", detail);
}

std::string privatePem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        keyInvalid("PEM_write_bio_PrivateKey failed");
    }
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

/// Writes `pem` to `path` unless a file is there already (then that one wins): a temporary
/// file of mode 0600 in the same directory, fsynced, linked to `path` (link refuses to
/// replace), then removed.
void writeNew(const std::string& path, const std::string& pem) {
    std::string temp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) keyInvalid("cannot create " + temp + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0 &&
              ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(temp.c_str());
        keyInvalid("cannot write " + temp);
    }
    int linked = ::link(temp.c_str(), path.c_str());
    int linkErrno = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && linkErrno != EEXIST) {
        keyInvalid("cannot link " + path + ": " + std::strerror(linkErrno));
    }
    std::string dir =
        path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

std::string base64(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

}  // namespace

struct CertificateSigner::Impl {
    Pkey key;
};

CertificateSigner::CertificateSigner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    unsigned char raw[32];
    std::size_t n = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(impl_->key.get(), raw, &n) != 1 || n != 32) {
        keyInvalid("cannot read the public key");
    }
    keyId_ = storage::Sha256::of(std::string_view(reinterpret_cast<char*>(raw), n)).substr(0, 16);
    publicKeyBase64_ = base64(raw, n);
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->key.get()) != 1) {
        keyInvalid("PEM_write_bio_PUBKEY failed");
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    publicKeyPem_.assign(data, static_cast<std::size_t>(len));
}

CertificateSigner::~CertificateSigner() = default;

std::unique_ptr<CertificateSigner> CertificateSigner::openOrCreate(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) keyInvalid("cannot stat " + path + ": " + std::strerror(errno));
        Pkey fresh(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        if (!fresh) keyInvalid("Ed25519 key generation failed");
        writeNew(path, privatePem(fresh.get()));
        if (::stat(path.c_str(), &st) != 0) keyInvalid("the new key " + path + " is gone");
    }
    // Like ssh: a private key others can read is not used.
    if ((st.st_mode & 077) != 0) {
        keyInvalid(path + " is readable by group or others: chmod 600 it");
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string pem = buffer.str();
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
        keyInvalid(path + " is not an Ed25519 private key (PKCS#8 PEM)");
    }
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    return std::unique_ptr<CertificateSigner>(new CertificateSigner(std::move(impl)));
}

std::string CertificateSigner::message(const std::string& number, const std::string& creditCode,
                                       int starLevel, const std::string& issuedOn,
                                       const std::string& validUntil) {
    return "dossier-leader-certificate/1\n" + number + "\n" + creditCode + "\n" +
           std::to_string(starLevel) + "\n" + issuedOn + "\n" + validUntil;
}

std::string CertificateSigner::sign(std::string_view message) const {
    MdCtx ctx(EVP_MD_CTX_new());
    unsigned char signature[64];
    std::size_t n = sizeof signature;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), signature, &n,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        throw Error(codes::kInternal, "Internal server error.", "Ed25519 signing failed");
    }
    return base64url(std::string_view(reinterpret_cast<char*>(signature), n));
}

bool CertificateSigner::verify(std::string_view message,
                               std::string_view signatureBase64url) const {
    std::string signature = fromBase64url(signatureBase64url);
    if (signature.size() != 64) return false;
    MdCtx ctx(EVP_MD_CTX_new());
    return ctx &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

std::string CertificateSigner::base64url(std::string_view bytes) {
    std::string out = base64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (auto& c : out) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    return out;
}

std::string CertificateSigner::fromBase64url(std::string_view text) {
    if (text.empty() || text.size() % 4 == 1) return {};
    std::string padded(text);
    for (auto& c : padded) {
        if (c == '-') {
            c = '+';
        } else if (c == '_') {
            c = '/';
        } else if (!std::isalnum(static_cast<unsigned char>(c))) {
            return {};
        }
    }
    std::size_t pad = (4 - padded.size() % 4) % 4;
    padded.append(pad, '=');
    std::string out(padded.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(padded.data()),
                            static_cast<int>(padded.size()));
    if (n < 0) return {};
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

}  // namespace dossier::filing
