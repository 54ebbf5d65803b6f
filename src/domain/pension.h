#pragma once
// Pension payment account maintenance (R-BUNDLE-6): a change made on day 1 to the cut-off day
// (default 15) of a month takes effect the next month — that month's benefit still goes to
// the old card. Interpretation (configurable): a change after the cut-off takes effect the
// month after next. Pure; thread-safe.

#include "common/clock.h"

namespace sscard::domain {

struct PensionPolicy {
  unsigned cutoff_day = 15;
};

// The first day of the month from which benefits go to the new account.
Date PensionEffectiveMonth(Date change_date, const PensionPolicy& policy = {});

}  // namespace sscard::domain
