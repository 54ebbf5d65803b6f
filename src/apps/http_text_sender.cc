#include "apps/http_text_sender.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "domain/person.h"

namespace sscard {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

Result<std::unique_ptr<HttpTextSender>> HttpTextSender::Create(const std::string& url, std::string token) {
  constexpr std::string_view kScheme = "http://";
  auto bad = [] {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED, "短信网关地址应为 http://主机[:端口]/路径",
                          "the SMS gateway URL is http://host[:port]/path"));
  };
  if (url.compare(0, kScheme.size(), kScheme) != 0 || url.size() > 500) return bad();
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = authority.rfind(':');
  std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  return std::unique_ptr<HttpTextSender>(new HttpTextSender(host, port, target, std::move(token)));
}

Status HttpTextSender::Send(const std::string& phone, const std::string& text) {
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> request{http::verb::post, target_, 11};
    request.set(http::field::host, host_);
    request.set(http::field::content_type, "application/json");
    if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
    request.body() = nlohmann::json{{"phone", phone}, {"text", text}}.dump();
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    http::read(stream, buffer, parser);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    unsigned status = parser.get().result_int();
    if (status < 200 || status > 299) {
      spdlog::warn("sms gateway answered {} for phone={}", status, domain::MaskPhone(phone));
      return Fail(ErrorCode::kUNAVAILABLE, "短信网关暂不可用", "the SMS gateway refused the text");
    }
    spdlog::info("sms sent phone={} (text not logged)", domain::MaskPhone(phone));
    return Ok();
  } catch (const std::exception& error) {
    spdlog::warn("sms gateway unreachable for phone={}: {}", domain::MaskPhone(phone), error.what());
    return Fail(ErrorCode::kUNAVAILABLE, "短信网关暂不可用", "the SMS gateway cannot be reached");
  }
}

}  // namespace sscard
