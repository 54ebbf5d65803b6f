#include "common/metrics.h"

#include <fmt/format.h>

namespace sscard {
namespace {

// Escapes a label value per the exposition format.
std::string Escape(const std::string& value) {
  std::string out;
  for (char character : value) {
    if (character == '\\' || character == '"') out.push_back('\\');
    if (character == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(character);
  }
  return out;
}

}  // namespace

void Histogram::Observe(double seconds) {
  for (size_t index = 0; index < kBounds.size(); ++index) {
    if (seconds <= kBounds[index]) ++buckets_[index];
  }
  ++count_;
  sum_ += seconds;
}

void Histogram::Render(std::string& out, const std::string& name,
                       const std::string& labels) const {
  std::string prefix = labels.empty() ? "" : labels + ",";
  for (size_t index = 0; index < kBounds.size(); ++index) {
    out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, kBounds[index],
                       buckets_[index]);
  }
  out += fmt::format("{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, count_);
  std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, braces, sum_, name, braces, count_);
}

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  request_latency_.Observe(seconds);
}

void Metrics::ObserveTransaction(const std::string& mode, const std::string& outcome,
                                 double seconds) {
  std::lock_guard lock(mutex_);
  ++transactions_[{mode, outcome}];
  transaction_latency_[mode].Observe(seconds);
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP sscard_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE sscard_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("sscard_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       Escape(route), Escape(method), status, count);
  }
  out += "# HELP sscard_http_request_duration_seconds Time from request parsed to response ready.\n";
  out += "# TYPE sscard_http_request_duration_seconds histogram\n";
  request_latency_.Render(out, "sscard_http_request_duration_seconds", "");
  out += "# HELP sscard_db_transactions_total Database transactions by mode and outcome.\n";
  out += "# TYPE sscard_db_transactions_total counter\n";
  for (const auto& [key, count] : transactions_) {
    out += fmt::format("sscard_db_transactions_total{{mode=\"{}\",outcome=\"{}\"}} {}\n",
                       key.first, key.second, count);
  }
  out += "# HELP sscard_db_transaction_duration_seconds Database transaction time by mode.\n";
  out += "# TYPE sscard_db_transaction_duration_seconds histogram\n";
  for (const auto& [mode, histogram] : transaction_latency_) {
    histogram.Render(out, "sscard_db_transaction_duration_seconds",
                     fmt::format("mode=\"{}\"", mode));
  }
  return out;
}

}  // namespace sscard
