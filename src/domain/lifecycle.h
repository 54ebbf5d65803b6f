#pragma once
// The rules that decide whether a card may be applied for, replaced or cancelled
// (R-APPLY-1…3, R-LOSS-4, R-REPL-1/2, R-CANCEL-1/2) and the dates the sweeps use
// (R-APPLY-7/8). Each check answers the refusal with its rule id, or nothing.
// Pure; thread-safe.

#include <optional>
#include <set>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "domain/card.h"
#include "domain/intake.h"

namespace sscard::domain {

// R-APPLY-1: residents of the province by household registration, and others who legally
// receive the province's services on one of the configured bases.
struct EligibilityPolicy {
  std::string province2 = "42";
  std::set<std::string> other_bases = {"insured", "residence_permit"};
};
// `household_region`: the region of the ID number (resident IDs) or empty; `basis`: the
// form's eligibility_basis ("household" when empty).
std::optional<Error> CheckEligibility(const std::string& household_region, const std::string& basis,
                                      const EligibilityPolicy& policy);

// R-APPLY-3 (and R-ID-7): window — instant (needs an instant printer) or fast; online —
// fast, mailed; the card-management system itself (direct) may also make batch cards.
std::optional<Error> CheckProductionChoice(Channel channel, const std::string& mode,
                                           const std::string& delivery_method, bool org_has_instant_printer);

// R-APPLY-2: the bank chosen at the first application stays while the card is valid; at a
// renewal for expiry the holder may choose again unless a rural-pension bank contract runs.
std::optional<Error> CheckBankChoice(const Card& previous, const std::string& requested_bank,
                                     const std::string& renewal_reason, std::optional<Date> pension_bank_until,
                                     Date today);

// Days before expiry from which a renewal for expiry may be applied for and a notice is sent.
inline constexpr int kRenewalWindowDays = 90;

// R-REPL-1/2, R-LOSS-4: may `old` be replaced by `operation` ("reissue" or "renew" with
// `reason`) today?
std::optional<Error> CheckReplacement(const std::string& operation, const std::string& reason, const Card& old,
                                      Date today);

// R-APPLY-7: the day after which a stock or sleeping card counts as held too long.
Date SixMonthsBefore(Date today);
// R-ID-5 / R-REPL-1: a child's card without photo must be renewed from the 7th birthday.
Date SeventhBirthday(Date birth_date);

}  // namespace sscard::domain
