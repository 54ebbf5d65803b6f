#pragma once
// Fixed-window counters by key (a client address, a phone's lookup key, an account), for
// rate limits on public routes, sign-in and one-time codes. Memory is bounded: at most
// `max_keys` windows are kept; when full, windows that have ended are dropped, and if none
// has, the whole table is reset (a flood of new keys then costs an attacker its own counts,
// never the server's memory).
// Thread-safety: all methods may be called concurrently.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace sscard {

class RateLimiter {
 public:
  struct Limit {
    int count;                     // events allowed per window
    std::chrono::seconds window;
  };

  explicit RateLimiter(size_t max_keys = 100000) : max_keys_(max_keys) {}

  // Counts one event for `key` at `now`. nullopt when within the limit; otherwise the
  // seconds until the window ends (for Retry-After), and the event is not counted.
  std::optional<int> Hit(const std::string& key, Limit limit, TimePoint now);
  // The seconds until `key` may act again when it is over `limit` already, without counting.
  std::optional<int> Blocked(const std::string& key, Limit limit, TimePoint now) const;
  // Forgets `key` (a successful sign-in clears its failures).
  void Reset(const std::string& key);

 private:
  struct Window {
    TimePoint started;
    std::chrono::seconds length;
    int count = 0;
  };
  size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace sscard
