#include "app/ecard_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "app/admin_service.h"
#include "app/audited.h"
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

Result<PresentedQr> EcardService::Check(const std::string& token, TimePoint now_at) const {
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
  int64_t issued = payload["iat"], expires = payload["exp"], now = UnixSeconds(now_at);
  if (expires - issued > kLifetime.count() || expires < issued) return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  if (now >= expires || now + 5 < issued) return Fail(Refuse(ErrorCode::kCREDENTIAL_EXPIRED));
  return PresentedQr{payload["ecard"].get<std::string>(),
                     {"qr:" + payload["nonce"].get<std::string>(), TimePoint(std::chrono::seconds(expires))}};
}

namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

Result<domain::Principal> RequirePartner(const CallContext& context) {
  if (!context.principal || !context.principal->Has(domain::Permission::kVerifyCard)) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN).WithRule("R-ONE-6"));
  }
  return *context.principal;
}

}  // namespace

Result<Challenge> EcardService::NewChallenge(const CallContext& context) {
  ASSIGN_OR_RETURN(domain::Principal partner, RequirePartner(context));
  Challenge challenge{RandomToken(16), context.now + kChallengeLifetime};
  RETURN_IF_ERROR(store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    // Expired challenges and nonces go as new ones come (one indexed DELETE): with the
    // per-address limit on this route, the table holds at most about a minute's worth.
    RETURN_IF_ERROR(tx.credentials().Purge(context.now));
    return tx.credentials().PutChallenge("chip:" + challenge.challenge, partner.org_code, challenge.expires_at);
  }));
  return challenge;
}

Result<std::string> EcardService::RedeemChip(const CallContext& context, const ChipRead& read) {
  ASSIGN_OR_RETURN(domain::Principal partner, RequirePartner(context));
  auto token_like = [](const std::string& text, size_t most) {
    return !text.empty() && text.size() <= most && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
  };
  bool well_formed = token_like(read.terminal_id, 40) && token_like(read.challenge, 100) && read.card_no.size() <= 20 &&
                     !read.card_no.empty() && std::all_of(read.card_no.begin(), read.card_no.end(), ::isdigit) &&
                     read.mac.size() == 64 && IsLowerHex(read.mac);
  // Every refused read leaves its audit row, as every verification does (R-SEC-3).
  auto refuse = [&](ErrorCode code) {
    Error error = Refuse(code);
    (void)RunAudited(store_, context, {"card.verify", well_formed ? "chip:" + read.terminal_id : "chip"},
                     [&](ports::Tx&) -> Status { return Fail(error); });
    return Fail(error);
  };
  if (!well_formed) return refuse(ErrorCode::kCREDENTIAL_INVALID);
  // The challenge is spent in a transaction of its own, so that a wrong MAC spends it too.
  std::optional<domain::Terminal> terminal;
  ASSIGN_OR_RETURN(domain::ChallengeState state,
                   ports::Transact<domain::ChallengeState>(store_, ports::TxMode::kWrite,
                                                           [&](ports::Tx& tx) -> Result<domain::ChallengeState> {
                     ASSIGN_OR_RETURN(terminal, tx.credentials().FindTerminal(read.terminal_id));
                     return tx.credentials().TakeChallenge("chip:" + read.challenge, partner.org_code, context.now);
                   }));
  if (state == domain::ChallengeState::kSpent) return refuse(ErrorCode::kCREDENTIAL_REPLAYED);
  if (state == domain::ChallengeState::kExpired) return refuse(ErrorCode::kCREDENTIAL_EXPIRED);
  if (state != domain::ChallengeState::kTaken || !terminal || terminal->revoked || terminal->org_code != partner.org_code) {
    return refuse(ErrorCode::kCREDENTIAL_INVALID);
  }
  std::string expected = HmacSha256Hex(terminal->key, read.card_no + "\n" + read.challenge + "\n" + read.terminal_id);
  if (!SameText(expected, read.mac)) return refuse(ErrorCode::kCREDENTIAL_INVALID);
  return read.card_no;
}

Result<domain::Terminal> EcardService::RegisterTerminal(const CallContext& context, const std::string& org_code,
                                                        const std::string& name) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<domain::Terminal>(store_, context, {"terminal.register", org_code},
                                      [&](ports::Tx& tx) -> Result<domain::Terminal> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(org_code));
    if (!org || org->type != domain::OrgType::kPartner) {
      return Fail(MakeError(ErrorCode::kUNKNOWN_ORG, "没有这个合作部门", "no such partner department").WithRule("R-ONE-6"));
    }
    RETURN_IF_ERROR(domain::Authorize(principal, domain::Permission::kManageOrgs, org->region_code));
    if (name.empty() || name.size() > 120) {
      return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                      .WithField({"name", "REQUIRED", {"请填写终端位置或名称", "name the terminal"}, "R-ONE-6"}));
    }
    domain::Terminal terminal{"T" + RandomToken(8), org->code, name, RandomBytes(32), context.now, false};
    RETURN_IF_ERROR(tx.credentials().InsertTerminal(terminal));
    return terminal;
  });
}

Result<std::vector<domain::Terminal>> EcardService::Terminals(const CallContext& context, const std::string& org_code) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
  return ports::Transact<std::vector<domain::Terminal>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
    return tx.credentials().ListTerminals(org_code);
  });
}

Status EcardService::RevokeTerminal(const CallContext& context, const std::string& org_code, const std::string& terminal_id) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited(store_, context, {"terminal.revoke", terminal_id}, [&](ports::Tx& tx) -> Status {
    RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
    ASSIGN_OR_RETURN(auto terminal, tx.credentials().FindTerminal(terminal_id));
    if (!terminal || terminal->org_code != org_code) return Fail(ErrorCode::kNOT_FOUND);
    return tx.credentials().RevokeTerminal(terminal_id);
  });
}

}  // namespace sscard::app
