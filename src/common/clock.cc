#include "common/clock.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <charconv>

namespace sscard {
namespace {

constexpr auto kChinaOffset = std::chrono::hours(8);

bool ParseDigits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char character : text) {
    if (character < '0' || character > '9') return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

int64_t ToUnixMillis(TimePoint when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
}

TimePoint FromUnixMillis(int64_t millis) {
  return TimePoint(std::chrono::milliseconds(millis));
}

Date ChinaDate(TimePoint when) {
  return Date(std::chrono::floor<std::chrono::days>(when + kChinaOffset));
}

std::string FormatRfc3339(TimePoint when) {
  auto local = when + kChinaOffset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  Date date(day);
  std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::milliseconds>(local - day));
  // Compiled at build time: this runs for every timestamp of every answer.
  return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+08:00"), int(date.year()),
                     unsigned(date.month()), unsigned(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(),
                     time.subseconds().count());
}

std::string FormatDate(Date date) {
  return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}"), int(date.year()), unsigned(date.month()),
                     unsigned(date.day()));
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!ParseDigits(text.substr(0, 4), year) || !ParseDigits(text.substr(5, 2), month) ||
      !ParseDigits(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  Date date{std::chrono::year(year), std::chrono::month(unsigned(month)),
            std::chrono::day(unsigned(day))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<TimePoint> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  auto date = ParseDate(text.substr(0, 10));
  if (!date || text[13] != ':' || text[16] != ':') return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (!ParseDigits(text.substr(11, 2), hour) || !ParseDigits(text.substr(14, 2), minute) ||
      !ParseDigits(text.substr(17, 2), second) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t position = 19;
  int64_t micros = 0;
  if (position < text.size() && text[position] == '.') {
    size_t start = ++position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') ++position;
    std::string_view fraction = text.substr(start, position - start);
    if (fraction.empty()) return std::nullopt;
    for (size_t index = 0; index < 6; ++index) {
      micros = micros * 10 + (index < fraction.size() ? fraction[index] - '0' : 0);
    }
  }
  std::string_view zone = text.substr(position);
  std::chrono::minutes offset{0};
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int offset_hours = 0, offset_minutes = 0;
    if (!ParseDigits(zone.substr(1, 2), offset_hours) ||
        !ParseDigits(zone.substr(4, 2), offset_minutes) || offset_hours > 23 ||
        offset_minutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::minutes(offset_hours * 60 + offset_minutes);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  TimePoint when = std::chrono::sys_days(*date) + std::chrono::hours(hour) +
                   std::chrono::minutes(minute) + std::chrono::seconds(second) +
                   std::chrono::microseconds(micros);
  return when - offset;
}

}  // namespace sscard
