#pragma once
// Verifying and setting a card's social-security PIN (R-PIN-1…3). The slow hash runs outside
// any transaction; the counter moves in one atomic statement, so concurrent entries cannot
// get more than six tries, and a right PIN typed after the lock does not open it.
// Thread-safety: all methods may be called concurrently.

#include <string>

#include "common/crypto.h"
#include "domain/pin.h"
#include "domain/ports/store.h"

namespace sscard::app {

enum class PinOutcome { kCorrect, kWrong, kLocked };

class PinService {
 public:
  PinService(ports::Store& store, PasswordCost cost) : store_(store), cost_(cost) {}
  // Stores a new PIN (initial, change after verification, reset or unlock at an org).
  // Errors: VALIDATION_FAILED with every weak-PIN problem (R-PIN-2).
  Status SetPin(const std::string& card_no, const std::string& pin, const domain::PinContext& context);
  // One entry of the PIN. Errors: NOT_FOUND (no PIN for the card).
  Result<PinOutcome> Verify(const std::string& card_no, const std::string& pin);

 private:
  ports::Store& store_;
  PasswordCost cost_;
};

}  // namespace sscard::app
