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

// Who sets the PIN: the initial PIN at issue must be changed by the holder (R-PIN-1); weak-PIN
// rules apply to PINs the holder chooses.
enum class PinSource { kInitial, kHolder };

class PinService {
 public:
  PinService(ports::Store& store, PasswordCost cost) : store_(store), cost_(cost) {}
  // Stores a new PIN (initial, change after verification, reset or unlock at an org).
  // Errors: VALIDATION_FAILED with every weak-PIN problem (R-PIN-2).
  Status SetPin(const std::string& card_no, const std::string& pin, const domain::PinContext& context,
                PinSource source = PinSource::kHolder);
  // True while the card still has its initial PIN (R-PIN-1). Errors: NOT_FOUND.
  Result<bool> NeedsChange(const std::string& card_no);
  // One entry of the PIN. Errors: NOT_FOUND (no PIN for the card).
  Result<PinOutcome> Verify(const std::string& card_no, const std::string& pin);

 private:
  ports::Store& store_;
  PasswordCost cost_;
};

}  // namespace sscard::app
