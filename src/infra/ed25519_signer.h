#pragma once
// Ed25519 signing keys for e-card QR tokens, kept in a key file of their own (0600) beside the
// personal-data key: one line per key, the newest signs, older ones keep verifying. A missing
// file is created with one new key; `Rotate` appends a key.
// Thread-safety: immutable after OpenOrCreate.

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/ports/signer.h"

namespace sscard::infra {

class Ed25519Signer final : public ports::Signer {
 public:
  // Errors: UNAVAILABLE (cannot create or read), VALIDATION_FAILED (bad format, loose mode).
  static Result<std::unique_ptr<Ed25519Signer>> OpenOrCreate(const std::string& path);
  // Appends a new key to the file; the next OpenOrCreate signs with it.
  static Status Rotate(const std::string& path);

  std::string CurrentKid() const override;
  std::string Sign(std::string_view message) const override;
  bool Verify(std::string_view kid, std::string_view message, std::string_view signature) const override;
  std::vector<ports::PublicKey> PublishedKeys() const override;

 private:
  struct Key {
    std::string kid;
    std::string public_key;  // 32 bytes
    std::string secret_key;  // 64 bytes (libsodium's seed || public key)
  };
  std::vector<Key> keys_;  // newest last
};

}  // namespace sscard::infra
