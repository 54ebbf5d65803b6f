#pragma once
// Process metrics rendered in the Prometheus text exposition format: HTTP requests by route
// pattern, method and status; an HTTP latency histogram; database transaction timings.
// Thread-safety: every method may be called concurrently.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace sscard {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void Observe(double seconds);
  // Appends the `name` histogram with the given label text (e.g. `mode="write"`).
  void Render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<uint64_t, kBounds.size()> buckets_{};
  uint64_t count_ = 0;
  double sum_ = 0;
};

class Metrics {
 public:
  // `route` is the route pattern (never the raw path: paths may carry personal data).
  void ObserveRequest(const std::string& route, const std::string& method, int status,
                      double seconds);
  // `mode` is "read" or "write"; `outcome` is "commit" or "rollback".
  void ObserveTransaction(const std::string& mode, const std::string& outcome, double seconds);
  std::string RenderPrometheus() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  Histogram request_latency_;
  std::map<std::pair<std::string, std::string>, uint64_t> transactions_;
  std::map<std::string, Histogram> transaction_latency_;
};

}  // namespace sscard
