#pragma once
// Idempotent creation (API.md: the same Idempotency-Key and body answer the first response
// again; the same key with another body is refused). A creating use case stores the key with
// the id of what it created in its own audited transaction; a retry finds it — before any
// state check, and again when its own attempt failed because a racing twin committed first
// (a clash on the key, or the state the twin made: a card already reported lost).
// Thread-safety: as the Store.

#include <functional>
#include <optional>
#include <string>

#include "app/audited.h"
#include "domain/ports/store.h"

namespace sscard::app {

template <typename T>
class CreateOnce {
 public:
  // Reads what the first request created, by the id stored with the key; none when it is gone.
  using Loader = std::function<Result<std::optional<T>>(ports::Tx&, const std::string&)>;

  // `scoped_key`: the caller's key prefixed by the principal and the route ("" = no key).
  CreateOnce(ports::Store& store, std::string scoped_key, std::string request_digest, Loader load)
      : store_(store), key_(std::move(scoped_key)), digest_(std::move(request_digest)), load_(std::move(load)) {}

  // The first answer for this key, when there is one. Errors: IDEMPOTENCY_KEY_REUSED when the
  // key came with another body; the loader's errors.
  Result<std::optional<T>> Replay() {
    return ports::Transact<std::optional<T>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::optional<T>> {
      if (key_.empty()) return std::optional<T>();
      ASSIGN_OR_RETURN(auto seen, tx.idempotency().Find(key_));
      if (!seen) return std::optional<T>();
      if (seen->request_digest != digest_) return Fail(ErrorCode::kIDEMPOTENCY_KEY_REUSED);
      return load_(tx, seen->body);
    });
  }

  // Runs `create` in one audited transaction and stores the key with `id_of` what it made.
  // When that fails and a racing retry with the same key committed first, answers with the
  // twin's result instead of the failure.
  Result<T> Run(const CallContext& context, AuditTarget& what, const std::function<Result<T>(ports::Tx&)>& create,
                const std::function<std::string(const T&)>& id_of) {
    auto made = RunAudited<T>(store_, context, what, [&](ports::Tx& tx) -> Result<T> {
      ASSIGN_OR_RETURN(T value, create(tx));
      if (!key_.empty()) RETURN_IF_ERROR(tx.idempotency().Insert({key_, digest_, 201, id_of(value), context.now}));
      return value;
    });
    if (!made && !key_.empty()) {
      ASSIGN_OR_RETURN(auto raced, Replay());
      if (raced) return std::move(*raced);
    }
    return made;
  }

 private:
  ports::Store& store_;
  std::string key_;
  std::string digest_;
  Loader load_;
};

}  // namespace sscard::app
