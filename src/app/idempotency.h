#pragma once
// Idempotent creation (API.md: the same Idempotency-Key and body answer the first response
// again; the same key with another body is refused). Use cases store the key with the id of
// what they created in the creating transaction; a retry finds it here.
// Thread-safety: as the Store.

#include <functional>
#include <optional>
#include <string>

#include "domain/ports/store.h"

namespace sscard::app {

// What a retried request created first: `load` reads it by the id stored with the key; none
// when the key is empty or unknown (or what it names is gone). Errors: IDEMPOTENCY_KEY_REUSED
// when the key came with another body; `load`'s errors.
template <typename T>
Result<std::optional<T>> Replay(ports::Store& store, const std::string& scoped_key, const std::string& request_digest,
                                const std::function<Result<std::optional<T>>(ports::Tx&, const std::string&)>& load) {
  return ports::Transact<std::optional<T>>(store, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::optional<T>> {
    if (scoped_key.empty()) return std::optional<T>();
    ASSIGN_OR_RETURN(auto seen, tx.idempotency().Find(scoped_key));
    if (!seen) return std::optional<T>();
    if (seen->request_digest != request_digest) return Fail(ErrorCode::kIDEMPOTENCY_KEY_REUSED);
    return load(tx, seen->body);
  });
}

}  // namespace sscard::app
