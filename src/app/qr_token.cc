#include "app/qr_token.h"

#include <nlohmann/json.hpp>

#include "common/crypto.h"

namespace sscard::app {

std::string ToBase64Url(std::string base64) {
  for (char& c : base64) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!base64.empty() && base64.back() == '=') base64.pop_back();
  return base64;
}

std::optional<std::string> FromBase64Url(std::string_view url_safe) {
  if (url_safe.size() > 4096) return std::nullopt;
  std::string text(url_safe);
  for (char& c : text) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;
  }
  while (text.size() % 4 != 0) text += '=';
  return Base64Decode(text);
}

std::optional<ParsedQrToken> ParseQrToken(std::string_view token) {
  if (token.size() > kMaxQrTokenLength || token.substr(0, 5) != "SSC1.") return std::nullopt;
  size_t second = token.find('.', 5);
  if (second == std::string_view::npos) return std::nullopt;
  auto payload_text = FromBase64Url(token.substr(5, second - 5));
  auto signature = FromBase64Url(token.substr(second + 1));
  if (!payload_text || !signature) return std::nullopt;
  nlohmann::json payload = nlohmann::json::parse(*payload_text, nullptr, false);
  if (!payload.is_object()) return std::nullopt;
  auto text = [&](const char* name) -> const nlohmann::json* {
    auto found = payload.find(name);
    return found != payload.end() && found->is_string() ? &*found : nullptr;
  };
  auto number = [&](const char* name) -> const nlohmann::json* {
    auto found = payload.find(name);
    return found != payload.end() && found->is_number_integer() ? &*found : nullptr;
  };
  const nlohmann::json *kid = text("kid"), *ecard = text("ecard"), *nonce = text("nonce");
  const nlohmann::json *iat = number("iat"), *exp = number("exp");
  if (!kid || !ecard || !nonce || !iat || !exp) return std::nullopt;
  ParsedQrToken parsed;
  parsed.signed_part = std::string(token.substr(0, second));
  parsed.signature = std::move(*signature);
  parsed.kid = kid->get<std::string>();
  parsed.ecard_no = ecard->get<std::string>();
  parsed.nonce = nonce->get<std::string>();
  parsed.issued_at = iat->get<int64_t>();
  parsed.expires_at = exp->get<int64_t>();
  return parsed;
}

}  // namespace sscard::app
