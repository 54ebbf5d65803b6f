#include "domain/calendar.h"

namespace sscard::domain {

WorkingCalendar::WorkingCalendar(std::map<Date, std::string> holidays,
                                 std::map<Date, std::string> workdays)
    : holidays_(std::move(holidays)), workdays_(std::move(workdays)) {
  if (!holidays_.empty()) {
    first_year_ = int(holidays_.begin()->first.year());
    last_year_ = int(holidays_.rbegin()->first.year());
  }
}

bool WorkingCalendar::IsWorkingDay(Date date) const {
  if (workdays_.count(date)) return true;
  if (holidays_.count(date)) return false;
  std::chrono::weekday weekday{std::chrono::sys_days(date)};
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

std::string WorkingCalendar::FestivalOf(Date date) const {
  if (auto found = holidays_.find(date); found != holidays_.end()) return found->second;
  if (auto found = workdays_.find(date); found != workdays_.end()) return found->second;
  return {};
}

bool WorkingCalendar::Covers(Date date) const {
  int year = int(date.year());
  return year >= first_year_ && year <= last_year_;
}

Date WorkingCalendar::AddWorkingDays(Date from, int days) const {
  std::chrono::sys_days day{from};
  while (days > 0) {
    day += std::chrono::days(1);
    if (IsWorkingDay(Date(day))) --days;
  }
  return Date(day);
}

int WorkingCalendar::WorkingDaysBetween(Date from, Date to) const {
  int count = 0;
  for (std::chrono::sys_days day = std::chrono::sys_days(from) + std::chrono::days(1);
       day <= std::chrono::sys_days(to); day += std::chrono::days(1)) {
    if (IsWorkingDay(Date(day))) ++count;
  }
  return count;
}

}  // namespace sscard::domain
