#include "common/rate_limiter.h"

#include <algorithm>
#include <iterator>

namespace sscard {
namespace {

int SecondsLeft(TimePoint started, std::chrono::seconds length, TimePoint now) {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(started + length - now).count();
  return static_cast<int>(std::max<int64_t>(1, left));
}

}  // namespace

std::optional<int> RateLimiter::Hit(const std::string& key, Limit limit, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto found = windows_.find(key);
  if (found == windows_.end() || now >= found->second.started + found->second.length || now < found->second.started) {
    if (found == windows_.end() && windows_.size() >= max_keys_) {
      std::erase_if(windows_, [now](const auto& entry) { return now >= entry.second.started + entry.second.length; });
      if (windows_.size() >= max_keys_) windows_.clear();
    }
    windows_[key] = Window{now, limit.window, 1};
    return limit.count >= 1 ? std::nullopt : std::optional<int>(SecondsLeft(now, limit.window, now));
  }
  Window& window = found->second;
  if (window.count >= limit.count) return SecondsLeft(window.started, window.length, now);
  ++window.count;
  return std::nullopt;
}

std::optional<int> RateLimiter::Blocked(const std::string& key, Limit limit, TimePoint now) const {
  std::lock_guard lock(mutex_);
  auto found = windows_.find(key);
  if (found == windows_.end()) return std::nullopt;
  const Window& window = found->second;
  if (now >= window.started + window.length || now < window.started || window.count < limit.count) return std::nullopt;
  return SecondsLeft(window.started, window.length, now);
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  windows_.erase(key);
}

}  // namespace sscard
