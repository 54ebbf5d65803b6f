#pragma once
// The loopback load generator of the HTTP benchmarks: keep-alive connections, each sending
// the requests a callback makes back to back until the time is up, one thread each.
// Throughput, p50/p99 and errors (any non-2xx answer or socket error).

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace sscard::bench {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using HttpRequest = http::request<http::string_body>;

struct LoadResult {
  double seconds = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double Throughput() const { return requests / seconds; }
  nlohmann::json ToJson() const {
    return {{"requests_per_second", Throughput()}, {"p50_ms", p50_ms}, {"p99_ms", p99_ms},
            {"requests", requests}, {"errors", errors}, {"seconds", seconds}};
  }
};

// Throughput and percentiles of per-worker latency lists (ms) since `started`.
inline LoadResult Summarize(const std::vector<std::vector<double>>& latencies, uint64_t errors,
                            SteadyClock::time_point started) {
  LoadResult result;
  result.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  std::vector<double> all;
  for (const auto& list : latencies) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  result.requests = all.size();
  result.errors = errors;
  if (!all.empty()) {
    result.p50_ms = all[all.size() / 2];
    result.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

// `make(connection, sequence)` builds the next request of a connection.
inline LoadResult Load(uint16_t port, int connections, double seconds,
                       const std::function<HttpRequest(int, uint64_t)>& make) {
  std::vector<std::vector<double>> latencies(connections);
  std::atomic<uint64_t> errors{0};
  auto deadline = SteadyClock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  auto started = SteadyClock::now();
  for (int index = 0; index < connections; ++index) {
    threads.emplace_back([&, index] {
      boost::asio::io_context io;
      tcp::socket socket(io);
      beast::error_code error;
      socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), error);
      if (error) {
        ++errors;
        return;
      }
      socket.set_option(tcp::no_delay(true));
      beast::flat_buffer buffer;
      for (uint64_t sequence = 0; SteadyClock::now() < deadline; ++sequence) {
        HttpRequest request = make(index, sequence);
        request.set(http::field::host, "127.0.0.1");
        request.keep_alive(true);
        request.prepare_payload();
        auto begin = SteadyClock::now();
        http::write(socket, request, error);
        http::response<http::string_body> response;
        if (!error) http::read(socket, buffer, response, error);
        if (error || response.result_int() >= 300) {
          ++errors;
          if (error) return;
          continue;
        }
        latencies[index].push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - begin).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return Summarize(latencies, errors, started);
}

}  // namespace sscard::bench
