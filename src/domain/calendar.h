#pragma once
// The national working-day calendar (R-APPLY-4): weekends off unless adjusted to workdays,
// statutory holidays off. Time limits of cases and production cycles count working days.
// Years the data does not cover fall back to weekends only, and say so (Covers).
// Thread-safety: immutable after construction; safe to share.

#include <map>
#include <set>
#include <string>

#include "common/clock.h"

namespace sscard::domain {

class WorkingCalendar {
 public:
  WorkingCalendar() = default;
  // `holidays` and `workdays` map dates to the festival's name (中文).
  WorkingCalendar(std::map<Date, std::string> holidays, std::map<Date, std::string> workdays);

  bool IsWorkingDay(Date date) const;
  // The festival a date belongs to (a holiday or an adjusted workday), or "".
  std::string FestivalOf(Date date) const;
  // True when the data covers the date's year (published schedules).
  bool Covers(Date date) const;
  // The `days`-th working day after `from` (`from` itself does not count); `from` when 0.
  Date AddWorkingDays(Date from, int days) const;
  // The number of working days in (from, to]; 0 when to <= from.
  int WorkingDaysBetween(Date from, Date to) const;
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

 private:
  std::map<Date, std::string> holidays_;
  std::map<Date, std::string> workdays_;
  int first_year_ = 0;
  int last_year_ = -1;
};

}  // namespace sscard::domain
