#include "domain/pension.h"

namespace sscard::domain {

Date PensionEffectiveMonth(Date change_date, const PensionPolicy& policy) {
  std::chrono::year_month month{change_date.year(), change_date.month()};
  month += std::chrono::months(unsigned(change_date.day()) <= policy.cutoff_day ? 1 : 2);
  return Date{month.year(), month.month(), std::chrono::day(1)};
}

}  // namespace sscard::domain
