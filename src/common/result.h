#pragma once
// Result<T>: a value or an Error. Expected failures are values; bugs are checks.
// tl::expected (Debian's libexpected-dev) behind one alias, until the toolchain has
// std::expected.

#include <tl/expected.hpp>

#include "common/error.h"

namespace sscard {

template <typename T>
using Result = tl::expected<T, Error>;

using Status = Result<void>;

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }
inline tl::unexpected<Error> Fail(ErrorCode code) { return tl::unexpected<Error>(MakeError(code)); }
inline tl::unexpected<Error> Fail(ErrorCode code, std::string zh, std::string en) {
  return tl::unexpected<Error>(MakeError(code, std::move(zh), std::move(en)));
}

inline Status Ok() { return {}; }

}  // namespace sscard

#define SSCARD_CONCAT_INNER(a, b) a##b
#define SSCARD_CONCAT(a, b) SSCARD_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define RETURN_IF_ERROR(expr)                                       \
  do {                                                              \
    auto&& sscard_status_ = (expr);                                 \
    if (!sscard_status_) return tl::unexpected(sscard_status_.error()); \
  } while (0)

// Declares `lhs` from the value of `expr` (a Result) or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(SSCARD_CONCAT(sscard_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)               \
  auto tmp = (expr);                                        \
  if (!tmp) return tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
