#pragma once
// Card production at the window and issuing (R-APPLY-3, R-APPLY-6, R-APPLY-8, R-ONE-2 comes
// with issue 5's e-card): the card made while the applicant waits, the read test before
// hand-over, the card's view for staff.
// Thread-safety: all methods may be called concurrently.

#include <string>
#include <vector>

#include "app/context.h"
#include "common/crypto.h"
#include "domain/card.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct CardView {
  domain::Card card;
  bool pin_locked = false;
  std::vector<domain::CaseStep> timeline;  // the steps of the case that asked for the card
};

class CardService {
 public:
  CardService(ports::Store& store, PasswordCost pin_cost) : store_(store), pin_cost_(pin_cost) {}
  // Makes the approved card of a case at the caller's org, which needs an instant printer.
  // Errors: FORBIDDEN, NOT_FOUND, OUT_OF_REGION, NO_INSTANT_PRINTER, CARD_STATE_CONFLICT.
  Result<domain::Card> ProduceInstant(const CallContext& context, const std::string& case_no);
  // Hands a produced or stocked card over after the read test; a failed test marks it
  // defective for re-making and it is never issued (R-APPLY-6). Issuing starts the 10-year
  // validity (R-APPLY-8) and sets the initial PIN — the last six digits of the ID number,
  // flagged for change (R-PIN-1). Errors: FORBIDDEN, NOT_FOUND, OUT_OF_REGION, CARD_STATE_CONFLICT.
  Result<domain::Card> Issue(const CallContext& context, const std::string& card_no, bool read_check_passed,
                             const std::vector<std::string>& problems);
  // Errors: NOT_FOUND, OUT_OF_REGION.
  Result<CardView> Get(const CallContext& context, const std::string& card_no);

 private:
  ports::Store& store_;
  PasswordCost pin_cost_;
};

}  // namespace sscard::app
