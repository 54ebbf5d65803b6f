// libFuzzer target: the e-card QR token parser (R-ONE-5/6) never crashes on any bytes, stays
// within its length bound, and what it accepts keeps the signed part as a prefix of the input.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/qr_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto parsed = sscard::app::ParseQrToken(token);
  if (parsed) {
    if (size > sscard::app::kMaxQrTokenLength) std::abort();
    if (token.substr(0, parsed->signed_part.size()) != parsed->signed_part) std::abort();
    if (parsed->signed_part.compare(0, 5, "SSC1.") != 0) std::abort();
  }
  return 0;
}
