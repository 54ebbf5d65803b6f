#pragma once
// The SMS gateway adapter (issue 15): texts go to an HTTP gateway as
//   POST <url>  {"phone": "...", "text": "..."}  (Authorization: Bearer <token> when set)
// and any 2xx answer means sent. https:// URLs are spoken over TLS 1.2+ with the gateway's
// certificate verified against the system's CAs, or against `ca_file` (a private CA), and its
// host name checked; http:// only for a gateway on the same host. Each send is bounded (5 s
// to connect, shake hands, write and read).
// Thread-safety: Send may be called concurrently (a connection per send).

#include <memory>
#include <string>

#include "app/text_sender.h"

namespace sscard {

class HttpTextSender final : public app::TextSender {
 public:
  // Errors: VALIDATION_FAILED for a URL that is not http(s)://host[:port]/path.
  static Result<std::unique_ptr<HttpTextSender>> Create(const std::string& url, std::string token,
                                                        std::string ca_file = "");
  Status Send(const std::string& phone, const std::string& text) override;

 private:
  HttpTextSender(bool tls, std::string host, std::string port, std::string target, std::string token, std::string ca_file)
      : tls_(tls), host_(std::move(host)), port_(std::move(port)), target_(std::move(target)), token_(std::move(token)),
        ca_file_(std::move(ca_file)) {}
  bool tls_;
  std::string host_, port_, target_, token_, ca_file_;
};

}  // namespace sscard
