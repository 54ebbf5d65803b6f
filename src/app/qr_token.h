#pragma once
// The e-card QR token's text form (R-ONE-5):
//   SSC1.<base64url JSON payload {kid, ecard, iat, exp, nonce}>.<base64url Ed25519 signature>
// Parsing is apart from the signature check so that it can be fuzzed on its own
// (fuzz/qr_token_fuzz.cc): any bytes give a parsed token or nullopt, in time linear in the
// length, never a crash. The signature covers `signed_part` ("SSC1.<payload>").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sscard::app {

struct ParsedQrToken {
  std::string signed_part;
  std::string signature;  // raw bytes
  std::string kid;
  std::string ecard_no;
  int64_t issued_at = 0;   // Unix seconds
  int64_t expires_at = 0;  // Unix seconds
  std::string nonce;
};

inline constexpr size_t kMaxQrTokenLength = 2048;

std::optional<ParsedQrToken> ParseQrToken(std::string_view token);

// base64url without padding, as the token writes it.
std::string ToBase64Url(std::string base64);
std::optional<std::string> FromBase64Url(std::string_view text);

}  // namespace sscard::app
