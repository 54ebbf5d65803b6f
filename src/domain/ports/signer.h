#pragma once
// The port that signs e-card QR tokens (R-ONE-5): Ed25519 in production (libsodium, infra/).
// Keys rotate: the current key signs, every published key still verifies until it is retired.
// Thread-safety: implementations are immutable after construction and safe to share.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sscard::ports {

struct PublicKey {
  std::string kid;        // key id, carried in every token
  std::string algorithm;  // "Ed25519"
  std::string key;        // base64 of the raw public key
};

class Signer {
 public:
  virtual ~Signer() = default;
  // The id of the key that signs now.
  virtual std::string CurrentKid() const = 0;
  // The detached signature of `message` with the current key.
  virtual std::string Sign(std::string_view message) const = 0;
  // True when `signature` is a valid signature of `message` by the published key `kid`.
  virtual bool Verify(std::string_view kid, std::string_view message, std::string_view signature) const = 0;
  // Every key that verifies, the current one first (GET /api/v1/ecard/keys).
  virtual std::vector<PublicKey> PublishedKeys() const = 0;
};

}  // namespace sscard::ports
