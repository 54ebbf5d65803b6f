#pragma once
// The production Sealer: keys from a key file created at first start with mode 0600
// (`<data>/keys/sscard.key`: key id, 32-byte encryption key, 32-byte lookup key, base64).
// Sealed values are "k<id>:<base64(iv|ciphertext|tag)>" so keys can be rotated later.
// Thread-safety: immutable; safe to share.

#include <memory>
#include <string>

#include "common/result.h"
#include "domain/ports/sealer.h"

namespace sscard::infra {

class KeySealer final : public ports::Sealer {
 public:
  // Reads the key file, creating it (and its folder, 0700) when missing.
  // Errors: UNAVAILABLE (cannot read or write), VALIDATION_FAILED (a malformed or
  // group/world-readable key file).
  static Result<std::unique_ptr<KeySealer>> OpenOrCreate(const std::string& path);
  // A sealer with fixed keys (tests, benchmarks).
  KeySealer(std::string key_id, std::string encryption_key, std::string lookup_key);

  std::string Seal(std::string_view plaintext, std::string_view context) const override;
  std::optional<std::string> Open(std::string_view sealed, std::string_view context) const override;
  std::string LookupKey(std::string_view value) const override;

 private:
  std::string key_id_;
  std::string encryption_key_;
  std::string lookup_key_;
};

}  // namespace sscard::infra
