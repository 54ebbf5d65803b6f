#pragma once
// The in-memory CredentialRepository (R-ONE-6) over its part of the memory store's state.
// Thread-safety: as the memory store (its mutex serialises transactions).

#include <map>
#include <memory>
#include <string>

#include "domain/ports/store.h"

namespace sscard::storage {

struct MemoryCredentialState {
  struct Nonce {
    std::string org_code;  // empty for QR nonces
    bool challenge = false;
    TimePoint expires_at;
    bool used = false;
  };
  std::map<std::string, Nonce> nonces;
  std::map<std::string, domain::Terminal> terminals;
};

std::unique_ptr<ports::CredentialRepository> MakeMemoryCredentials(MemoryCredentialState& state);

}  // namespace sscard::storage
