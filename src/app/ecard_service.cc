#include "app/ecard_service.h"

#include <nlohmann/json.hpp>

#include "common/crypto.h"

namespace sscard::app {
namespace {

std::string UrlSafe(std::string base64) {
  for (char& c : base64) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!base64.empty() && base64.back() == '=') base64.pop_back();
  return base64;
}

std::optional<std::string> FromUrlSafe(std::string text) {
  if (text.size() > 4096) return std::nullopt;
  for (char& c : text) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;
  }
  while (text.size() % 4 != 0) text += '=';
  return Base64Decode(text);
}

int64_t UnixSeconds(TimePoint at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

Error Refuse(ErrorCode code) { return MakeError(code).WithRule("R-ONE-6"); }

}  // namespace

QrToken EcardService::TokenForECard(const std::string& ecard_no, TimePoint now) const {
  int64_t issued = UnixSeconds(now);
  nlohmann::json payload = {{"kid", signer_.CurrentKid()}, {"ecard", ecard_no}, {"iat", issued},
                            {"exp", issued + kLifetime.count()}, {"nonce", UrlSafe(Base64Encode(RandomBytes(12)))}};
  std::string signed_part = "SSC1." + UrlSafe(Base64Encode(payload.dump()));
  std::string token = signed_part + "." + UrlSafe(Base64Encode(signer_.Sign(signed_part)));
  return {token, TimePoint(std::chrono::seconds(issued + kLifetime.count())), ecard_no};
}

Result<QrToken> EcardService::MyQr(const CallContext& context) {
  if (!context.principal || !context.principal->IsCitizen()) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN).WithRule("R-ONE-8"));
  }
  ASSIGN_OR_RETURN(auto cards, ports::Transact<std::vector<domain::Card>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
                     return tx.cards().ListByPerson(context.principal->person_id);
                   }));
  for (const domain::Card& card : cards) {
    // R-ONE-5: the e-card follows its card; only an issued or active card shows a code.
    bool usable = card.status == domain::CardStatus::kIssued || card.status == domain::CardStatus::kActive;
    if (usable && !card.ecard_no.empty()) return TokenFor(card, context.now);
  }
  return Fail(MakeError(ErrorCode::kNO_VALID_ECARD).WithRule("R-ONE-5"));
}

Result<std::string> EcardService::Redeem(const CallContext& context, const std::string& token) {
  size_t first = token.find('.');
  size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (token.size() > 2048 || token.compare(0, 5, "SSC1.") != 0 || second == std::string::npos) {
    return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  }
  auto payload_text = FromUrlSafe(token.substr(first + 1, second - first - 1));
  auto signature = FromUrlSafe(token.substr(second + 1));
  if (!payload_text || !signature) return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  nlohmann::json payload = nlohmann::json::parse(*payload_text, nullptr, false);
  if (!payload.is_object() || !payload["kid"].is_string() || !payload["ecard"].is_string() ||
      !payload["iat"].is_number_integer() || !payload["exp"].is_number_integer() || !payload["nonce"].is_string()) {
    return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  }
  if (!signer_.Verify(payload["kid"].get<std::string>(), token.substr(0, second), *signature)) {
    return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  }
  int64_t issued = payload["iat"], expires = payload["exp"], now = UnixSeconds(context.now);
  if (expires - issued > kLifetime.count() || expires < issued) return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  if (now >= expires || now + 5 < issued) return Fail(Refuse(ErrorCode::kCREDENTIAL_EXPIRED));
  // Only a partner's presentation uses the token up (a caller without the right is refused,
  // and audited, by the verification itself); once used, no partner may present it again.
  if (!context.principal || !context.principal->Has(domain::Permission::kVerifyCard)) {
    return payload["ecard"].get<std::string>();
  }
  std::string key = payload["nonce"].get<std::string>();
  {
    std::lock_guard lock(seen_mutex_);
    if (seen_.size() > 200000) std::erase_if(seen_, [&](const auto& entry) { return entry.second <= context.now; });
    auto [entry, fresh] = seen_.emplace(key, TimePoint(std::chrono::seconds(expires)));
    if (!fresh) return Fail(Refuse(ErrorCode::kCREDENTIAL_REPLAYED));
  }
  return payload["ecard"].get<std::string>();
}

}  // namespace sscard::app
