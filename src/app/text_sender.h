#pragma once
// The SMS port (R-ONE-8, issue 15): one-time codes and notices reach people as texts. The
// installation plugs in an SMS gateway adapter (`sscard serve --sms-url`), or the log sink that
// writes the masked phone and never the text.
// Thread-safety: implementations may be called concurrently.

#include <string>

#include "common/result.h"

namespace sscard::app {

// The SMS port: delivers a text to a phone. Errors: UNAVAILABLE (try later).
class TextSender {
 public:
  virtual ~TextSender() = default;
  virtual Status Send(const std::string& phone, const std::string& text) = 0;
};

}  // namespace sscard::app
