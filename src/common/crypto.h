#pragma once
// Cryptographic helpers over libsodium: random tokens, keyed-free digests of secrets that
// are looked up (session tokens), and argon2id password hashes.
// Thread-safety: all functions are safe to call concurrently after InitCrypto().

#include <optional>
#include <string>
#include <string_view>

namespace sscard {

// Initialises libsodium; call once at start-up (idempotent). Aborts if the library fails.
void InitCrypto();

// `bytes` random bytes, URL-safe base64 without padding.
std::string RandomToken(size_t bytes = 32);
// Lowercase hex BLAKE2b-256 digest: how session tokens are stored.
std::string DigestHex(std::string_view data);
// Lowercase hex SHA-256 digest (OpenSSL): content addressing of uploaded files.
std::string Sha256Hex(std::string_view data);
// Equal contents, compared in time that depends only on the length (secrets, MACs).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

enum class PasswordCost {
  kInteractive,  // production: argon2id with libsodium's interactive limits (~50 ms)
  kMinimal,      // tests only: the smallest limits argon2id allows
};

// AES-256-GCM with a random 96-bit IV. Returns IV || ciphertext || 16-byte tag.
// `key` must be 32 bytes (a bug otherwise: aborts).
std::string AesGcmEncrypt(std::string_view key, std::string_view plaintext, std::string_view aad);
// The plaintext, or nullopt when the tag does not verify (tampered, wrong key or AAD).
std::optional<std::string> AesGcmDecrypt(std::string_view key, std::string_view sealed,
                                         std::string_view aad);
// Lowercase hex HMAC-SHA256.
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Standard base64 (with padding) and back; nullopt on bad input.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
// `bytes` random bytes.
std::string RandomBytes(size_t bytes);

// argon2id hash string ("$argon2id$v=19$…") of a password.
std::string HashPassword(std::string_view password, PasswordCost cost);
// True when the password matches the stored hash (constant time).
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

}  // namespace sscard
