#include "apps/http_text_sender.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "domain/person.h"

namespace sscard {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

// One request and its answer on a connected (and, for TLS, handshaken) stream; the status.
template <class Stream>
unsigned Exchange(Stream& stream, const http::request<http::string_body>& request) {
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  http::read(stream, buffer, parser);
  return parser.get().result_int();
}

}  // namespace

Result<std::unique_ptr<HttpTextSender>> HttpTextSender::Create(const std::string& url, std::string token,
                                                               std::string ca_file) {
  auto bad = [] {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED, "短信网关地址应为 https://主机[:端口]/路径（或本机的 http://）",
                          "the SMS gateway URL is https://host[:port]/path (or http:// on this host)"));
  };
  bool tls = url.rfind("https://", 0) == 0;
  if ((!tls && url.rfind("http://", 0) != 0) || url.size() > 500) return bad();
  std::string rest = url.substr(tls ? 8 : 7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = authority.rfind(':');
  std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
  std::string port = colon == std::string::npos ? (tls ? "443" : "80") : authority.substr(colon + 1);
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  return std::unique_ptr<HttpTextSender>(new HttpTextSender(tls, host, port, target, std::move(token), std::move(ca_file)));
}

Status HttpTextSender::Send(const std::string& phone, const std::string& text) {
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    http::request<http::string_body> request{http::verb::post, target_, 11};
    request.set(http::field::host, host_);
    request.set(http::field::content_type, "application/json");
    if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
    request.body() = nlohmann::json{{"phone", phone}, {"text", text}}.dump();
    request.prepare_payload();
    unsigned status = 0;
    beast::error_code ignored;
    if (tls_) {
      ssl::context context(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
      context.set_verify_mode(ssl::verify_peer);
      if (ca_file_.empty()) {
        context.set_default_verify_paths();
      } else {
        context.load_verify_file(ca_file_);
      }
      beast::ssl_stream<beast::tcp_stream> stream(io, context);
      if (SSL_set_tlsext_host_name(stream.native_handle(), host_.c_str()) != 1) throw std::runtime_error("SNI");
      stream.set_verify_callback(ssl::host_name_verification(host_));
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
      beast::get_lowest_layer(stream).connect(resolver.resolve(host_, port_));
      stream.handshake(ssl::stream_base::client);
      status = Exchange(stream, request);
      stream.shutdown(ignored);
    } else {
      beast::tcp_stream stream(io);
      stream.expires_after(std::chrono::seconds(5));
      stream.connect(resolver.resolve(host_, port_));
      status = Exchange(stream, request);
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
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
