#include "common/crypto.h"

#include <cstring>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace sscard {
namespace {

std::string ToHex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

}  // namespace

void InitCrypto() {
  if (sodium_init() < 0) std::abort();  // cannot happen on a supported platform
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string encoded(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

std::string DigestHex(std::string_view data) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  return ToHex(digest, sizeof digest);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return ToHex(digest, sizeof digest);
}

std::string HashPassword(std::string_view password, PasswordCost cost) {
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long ops = cost == PasswordCost::kInteractive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                              : crypto_pwhash_OPSLIMIT_MIN;
  size_t memory = cost == PasswordCost::kInteractive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                                     : crypto_pwhash_MEMLIMIT_MIN;
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), ops, memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return hash;
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomBytes(size_t bytes) {
  std::string random(bytes, '\0');
  randombytes_buf(random.data(), random.size());
  return random;
}

namespace {

// 96-bit GCM nonces from the CSPRNG, drawn 4 KiB at a time (one getrandom per ~340 seals).
void RandomNonce(unsigned char* out) {
  thread_local unsigned char pool[4096];
  thread_local size_t used = sizeof pool;
  if (used + 12 > sizeof pool) {
    randombytes_buf(pool, sizeof pool);
    used = 0;
  }
  std::memcpy(out, pool + used, 12);
  sodium_memzero(pool + used, 12);  // a nonce handed out is never handed out again
  used += 12;
}

// One encryption context per thread, keyed once: a bulk import seals millions of fields
// with the same key, and the AES key schedule then runs once instead of per field.
struct GcmEncryptor {
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  unsigned char key[32] = {};
  bool keyed = false;
  ~GcmEncryptor() {
    EVP_CIPHER_CTX_free(context);
    OPENSSL_cleanse(key, sizeof key);
  }
  bool Start(std::string_view new_key, const unsigned char* iv) {
    if (keyed && std::memcmp(key, new_key.data(), sizeof key) == 0) {
      return EVP_EncryptInit_ex(context, nullptr, nullptr, nullptr, iv) == 1;
    }
    std::memcpy(key, new_key.data(), sizeof key);
    keyed = EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nullptr, key, iv) == 1;
    return keyed;
  }
};

}  // namespace

std::string AesGcmEncrypt(std::string_view key, std::string_view plaintext, std::string_view aad) {
  if (key.size() != 32) std::abort();
  thread_local GcmEncryptor encryptor;
  std::string out(12 + plaintext.size() + 16, '\0');
  auto* iv_bytes = reinterpret_cast<unsigned char*>(out.data());
  RandomNonce(iv_bytes);
  EVP_CIPHER_CTX* context = encryptor.context;
  int length = 0;
  auto* cipher_out = reinterpret_cast<unsigned char*>(out.data() + 12);
  bool ok = encryptor.Start(key, iv_bytes) &&
            EVP_EncryptUpdate(context, nullptr, &length,
                              reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(context, cipher_out, &length,
                              reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(context, cipher_out + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16,
                                out.data() + 12 + plaintext.size()) == 1;
  if (!ok) std::abort();  // cannot happen with a valid key and OpenSSL 3
  return out;
}

std::optional<std::string> AesGcmDecrypt(std::string_view key, std::string_view sealed,
                                         std::string_view aad) {
  if (key.size() != 32) std::abort();
  if (sealed.size() < 28) return std::nullopt;
  size_t text_size = sealed.size() - 28;
  std::string plaintext(text_size, '\0');
  std::string tag(sealed.substr(12 + text_size));
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  int length = 0;
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  bool ok = EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(sealed.data())) == 1 &&
            EVP_DecryptUpdate(context, nullptr, &length,
                              reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(context, out, &length,
                              reinterpret_cast<const unsigned char*>(sealed.data() + 12),
                              static_cast<int>(text_size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(context, out + length, &length) == 1;
  EVP_CIPHER_CTX_free(context);
  if (!ok) return std::nullopt;
  return plaintext;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return ToHex(digest, length);
}

std::string Base64Encode(std::string_view bytes) {
  std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string decoded(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  decoded.resize(length);
  return decoded;
}

}  // namespace sscard
