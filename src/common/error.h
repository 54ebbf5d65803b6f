#pragma once
// Error values of the whole system: a closed set of kinds (which decide the HTTP status) and
// a stable code from error_codes.def, with readable Chinese and English text, the rule id of
// RULES.md when a business rule refused, and per-field problems of a form.
// Thread-safety: plain values; the code table is immutable.

#include <string>
#include <string_view>
#include <vector>

namespace sscard {

// When to use which kind:
//   kInvalidArgument    the request itself is malformed or a field is invalid (400)
//   kUnauthenticated    no, bad or expired credentials (401)
//   kPermissionDenied   the caller is known but may not do this here (403)
//   kNotFound           the addressed thing does not exist or is invisible to the caller (404)
//   kMethodNotAllowed   the path exists but not with this verb (405)
//   kRequestTimeout     the client was too slow (408)
//   kConflict           the state forbids it now, or a concurrent change won (409)
//   kPreconditionFailed a stale If-Match version (412)
//   kPayloadTooLarge    body over the limit (413)
//   kUnsupportedMedia   wrong Content-Type (415)
//   kRuleViolation      a business rule of RULES.md refused (422)
//   kLocked             the account is locked (423)
//   kTooManyRequests    the caller went over a rate limit; Retry-After says when to come back (429)
//   kUnavailable        a dependency (the database) is down; retry later (503)
//   kInternal           a bug or an unexpected failure of a library (500)
enum class ErrorKind {
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kMethodNotAllowed,
  kRequestTimeout,
  kConflict,
  kPreconditionFailed,
  kPayloadTooLarge,
  kUnsupportedMedia,
  kRuleViolation,
  kLocked,
  kTooManyRequests,
  kUnavailable,
  kInternal,
};

enum class ErrorCode {
#define SSCARD_ERROR(code, kind, zh, en) k##code,
#include "common/error_codes.def"
#undef SSCARD_ERROR
};

// Text in both languages of the UI.
struct LocalText {
  std::string zh;
  std::string en;
};

// One problem with one field of a submitted form.
struct FieldError {
  std::string field;  // JSON path, e.g. "applicant.id_number"
  std::string code;   // stable UPPER_SNAKE code of the field problem
  LocalText message;
  std::string rule;  // R-… id when a rule decided, else empty
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  ErrorCode code = ErrorCode::kINTERNAL;
  std::string rule;    // R-… id of RULES.md, empty when no business rule decided
  LocalText title;     // from the code table
  LocalText detail;    // what exactly went wrong; may be empty
  std::vector<FieldError> fields;
  int retry_after_seconds = 0;  // with kTooManyRequests (and kUnavailable): the Retry-After header

  Error& WithRule(std::string rule_id) & {
    rule = std::move(rule_id);
    return *this;
  }
  Error&& WithRule(std::string rule_id) && {
    rule = std::move(rule_id);
    return std::move(*this);
  }
  Error&& WithDetail(std::string zh, std::string en) && {
    detail = {std::move(zh), std::move(en)};
    return std::move(*this);
  }
  Error&& WithField(FieldError field) && {
    fields.push_back(std::move(field));
    return std::move(*this);
  }
};

// Builds an error from the code table.
Error MakeError(ErrorCode code);
// Builds an error from the code table with a detail text.
Error MakeError(ErrorCode code, std::string detail_zh, std::string detail_en);

// The stable string of a code, e.g. "ACCOUNT_LOCKED".
std::string_view CodeName(ErrorCode code);
ErrorKind KindOf(ErrorCode code);
// Every code of the table, in table order (for docs and tests).
std::vector<ErrorCode> AllErrorCodes();

}  // namespace sscard
