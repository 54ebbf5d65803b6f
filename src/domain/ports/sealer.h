#pragma once
// The port through which storage protects personal data at rest (R-SEC-3, non-negotiable 7):
// `Seal` encrypts a field (AES-256-GCM in production), `Open` decrypts it, and `LookupKey`
// gives the keyed hash (HMAC-SHA256) that finds a person by ID number without storing it.
// Thread-safety: implementations are immutable after construction and safe to share.

#include <optional>
#include <string>
#include <string_view>

namespace sscard::ports {

class Sealer {
 public:
  virtual ~Sealer() = default;
  // Text safe to store (key id + base64 of IV, ciphertext, tag). `context` binds the value
  // to its column ("person.name"), so a value moved to another column does not open.
  virtual std::string Seal(std::string_view plaintext, std::string_view context) const = 0;
  // nullopt when the value was tampered with, belongs to another context, or the key is
  // unknown.
  virtual std::optional<std::string> Open(std::string_view sealed, std::string_view context) const = 0;
  virtual std::string LookupKey(std::string_view value) const = 0;
};

}  // namespace sscard::ports
