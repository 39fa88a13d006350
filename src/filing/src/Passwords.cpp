#include "Passwords.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace dossier::filing::passwords {
namespace {

constexpr int kSaltBytes = 16;
constexpr int kKeyBytes = 32;
constexpr int kMaxIterations = 10'000'000;
constexpr const char* kScheme = "pbkdf2-sha256";

std::string base64(const unsigned char* data, int n) {
    std::string out(static_cast<std::size_t>(4 * ((n + 2) / 3)) + 1, '\0');
    int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, n);
    out.resize(static_cast<std::size_t>(len));
    return out;
}

bool unbase64(const std::string& text, std::vector<unsigned char>& out) {
    if (text.empty() || text.size() % 4 != 0) return false;
    out.assign(text.size() / 4 * 3 + 1, 0);
    int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                              static_cast<int>(text.size()));
    if (len < 0) return false;
    std::size_t pad = 0;
    if (text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(len) - pad);
    return true;
}

void random(unsigned char* out, int n) {
    if (RAND_bytes(out, n) != 1) throw std::runtime_error("RAND_bytes failed");
}

bool derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations,
            unsigned char* key, int keyBytes) {
    return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                             static_cast<int>(salt.size()), iterations, EVP_sha256(), keyBytes,
                             key) == 1;
}

struct Parsed {
    int iterations = 0;
    std::vector<unsigned char> salt, key;
};

bool parse(const std::string& stored, Parsed& p) {
    auto a = stored.find('$');
    auto b = a == std::string::npos ? a : stored.find('$', a + 1);
    auto c = b == std::string::npos ? b : stored.find('$', b + 1);
    if (c == std::string::npos || stored.substr(0, a) != kScheme) return false;
    std::string iter = stored.substr(a + 1, b - a - 1);
    if (iter.empty() || iter.size() > 8 ||
        iter.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    p.iterations = std::stoi(iter);
    if (p.iterations < 1 || p.iterations > kMaxIterations) return false;
    return unbase64(stored.substr(b + 1, c - b - 1), p.salt) &&
           unbase64(stored.substr(c + 1), p.key) && !p.key.empty() && p.key.size() <= 64;
}

}  // namespace

std::string hash(const std::string& password, int iterations) {
    std::vector<unsigned char> salt(kSaltBytes);
    random(salt.data(), kSaltBytes);
    unsigned char key[kKeyBytes];
    if (!derive(password, salt, iterations, key, kKeyBytes)) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
           base64(salt.data(), kSaltBytes) + "$" + base64(key, kKeyBytes);
}

bool verify(const std::string& password, const std::string& stored) {
    Parsed p;
    if (!parse(stored, p)) return false;
    std::vector<unsigned char> key(p.key.size());
    if (!derive(password, p.salt, p.iterations, key.data(), static_cast<int>(key.size()))) {
        return false;
    }
    return CRYPTO_memcmp(key.data(), p.key.data(), key.size()) == 0;
}

bool needsRehash(const std::string& stored, int iterations) {
    Parsed p;
    return !parse(stored, p) || p.iterations < iterations;
}

std::string randomToken(int bytes) {
    std::vector<unsigned char> raw(static_cast<std::size_t>(bytes));
    random(raw.data(), bytes);
    std::string text = base64(raw.data(), bytes);
    for (auto& ch : text) {
        if (ch == '+') ch = '-';
        if (ch == '/') ch = '_';
    }
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
}

}  // namespace dossier::filing::passwords
