#pragma once
// Runs a state-changing use case in one write transaction with its audit row (R-SEC-3).
// Accepted: the changes and an "ok" row commit together. Refused: the changes roll back and
// a "refused" row with the error code and rule is written in a transaction of its own, so a
// refused request changes nothing but still leaves its trace.
// Thread-safety: as the Store.

#include <functional>
#include <string>

#include "app/context.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct AuditTarget {
  std::string action;  // "staff.add"
  std::string target;  // never personal data
  std::string org_code;  // the org the row belongs to; the caller's org when empty
};

domain::AuditEntry MakeAuditEntry(const CallContext& context, const AuditTarget& what,
                                  const Error* refusal);

Status RunAudited(ports::Store& store, const CallContext& context, const AuditTarget& what,
                  const std::function<Status(ports::Tx&)>& body);

template <typename T>
Result<T> RunAudited(ports::Store& store, const CallContext& context, const AuditTarget& what,
                     const std::function<Result<T>(ports::Tx&)>& body) {
  std::optional<T> value;
  Status status = RunAudited(store, context, what, [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(T result, body(tx));
    value = std::move(result);
    return Ok();
  });
  if (!status) return tl::unexpected(std::move(status).error());
  return std::move(*value);
}

}  // namespace sscard::app
