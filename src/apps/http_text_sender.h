#pragma once
// The SMS gateway adapter (issue 15): texts go to an HTTP gateway as
//   POST <url>  {"phone": "...", "text": "..."}  (Authorization: Bearer <token> when set)
// and any 2xx answer means sent. Plain http only: put a TLS-terminating proxy on the same
// host in front of a gateway on another network. Each send is bounded (5 s connect and read).
// Thread-safety: Send may be called concurrently (a connection per send).

#include <memory>
#include <string>

#include "app/text_sender.h"

namespace sscard {

class HttpTextSender final : public app::TextSender {
 public:
  // Errors: VALIDATION_FAILED for a URL that is not http://host[:port]/path.
  static Result<std::unique_ptr<HttpTextSender>> Create(const std::string& url, std::string token);
  Status Send(const std::string& phone, const std::string& text) override;

 private:
  HttpTextSender(std::string host, std::string port, std::string target, std::string token)
      : host_(std::move(host)), port_(std::move(port)), target_(std::move(target)), token_(std::move(token)) {}
  std::string host_, port_, target_, token_;
};

}  // namespace sscard
