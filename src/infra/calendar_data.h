#pragma once
// The working-day calendar's data: the `holidays` and `workdays` maps of the npm package
// chinese-days ("2026-10-01": "National Day,国庆节,3"). `data/calendar.json` is that subset,
// written by `sscard import calendar` and compiled into the binary.
// Thread-safety: pure functions.

#include <string>

#include "common/result.h"
#include "domain/calendar.h"

namespace sscard::infra {

// Parses chinese-days JSON (the package's file or data/calendar.json).
// Errors: MALFORMED_JSON.
Result<domain::WorkingCalendar> ParseCalendar(const std::string& json_text);
// Reads a file of that format. Errors: NOT_FOUND, MALFORMED_JSON.
Result<domain::WorkingCalendar> ReadCalendarFile(const std::string& path);
// The calendar compiled into the binary (data/calendar.json).
const domain::WorkingCalendar& BuiltInCalendar();
// The data/calendar.json text for a chinese-days file: its holidays and workdays only.
// Errors: NOT_FOUND, MALFORMED_JSON.
Result<std::string> CalendarDataFrom(const std::string& chinese_days_path);

}  // namespace sscard::infra
