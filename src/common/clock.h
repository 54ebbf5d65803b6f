#pragma once
// Time for the whole system: an injectable clock (tests use FakeClock), the business time
// zone (China Standard Time, UTC+8, no daylight saving) and RFC 3339 / ISO date formatting.
// Thread-safety: SystemClock is stateless; FakeClock is safe to read and advance concurrently.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sscard {

using TimePoint = std::chrono::system_clock::time_point;
using Date = std::chrono::year_month_day;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : micros_(ToMicros(start)) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(micros_.load())); }
  void Advance(std::chrono::microseconds delta) { micros_ += delta.count(); }
  void Set(TimePoint when) { micros_ = ToMicros(when); }

 private:
  static int64_t ToMicros(TimePoint when) {
    return std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
  }
  std::atomic<int64_t> micros_;
};

// Milliseconds since the Unix epoch: the storage form of instants.
int64_t ToUnixMillis(TimePoint when);
TimePoint FromUnixMillis(int64_t millis);

// The business date (China Standard Time) of an instant.
Date ChinaDate(TimePoint when);
// "2026-11-23T09:30:00.123+08:00"
std::string FormatRfc3339(TimePoint when);
// "2026-11-23"
std::string FormatDate(Date date);
// Parses "YYYY-MM-DD" strictly (real calendar date); nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);
// Parses an RFC 3339 instant with offset or 'Z'; nullopt otherwise.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace sscard
