#pragma once
// The social-security PIN (R-PIN-1…3). The platform manages only this PIN, never the bank's.
// Chosen reading of the seed's advice (seed 004 FAQ, documented in docs/rules.md): a PIN is
// 6 ASCII digits and is refused when it is six equal digits, an ascending or descending run,
// a birth-date form (YYMMDD, MMDDYY, DDMMYY), or the last 6 digits of the holder's phone or
// ID number. Six wrong entries in a row lock the function until an unlock at a service org.
// Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace sscard::domain {

struct PinContext {
  std::optional<Date> birth_date;
  std::string phone;
  std::string id_number;
};

// Every reason the PIN is refused (empty when acceptable), each with rule R-PIN-2.
std::vector<FieldError> CheckPin(std::string_view pin, const PinContext& context);

inline constexpr int kPinMaxFailures = 6;

struct PinState {
  int failures = 0;  // wrong entries in a row
  bool locked = false;
};

// The state after one verification: a right PIN clears the count (unless locked: a locked
// card stays locked whatever is typed); the sixth wrong one in a row locks (R-PIN-3).
PinState AfterPinEntry(PinState state, bool correct);

}  // namespace sscard::domain
