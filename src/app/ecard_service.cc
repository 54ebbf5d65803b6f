#include "app/ecard_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "app/admin_service.h"
#include "app/audited.h"
#include "app/qr_token.h"
#include "common/crypto.h"

namespace sscard::app {
namespace {

int64_t UnixSeconds(TimePoint at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

Error Refuse(ErrorCode code) { return MakeError(code).WithRule("R-ONE-6"); }

}  // namespace

QrToken EcardService::TokenForECard(const std::string& ecard_no, TimePoint now) const {
  int64_t issued = UnixSeconds(now);
  nlohmann::json payload = {{"kid", signer_.CurrentKid()}, {"ecard", ecard_no}, {"iat", issued},
                            {"exp", issued + kLifetime.count()}, {"nonce", ToBase64Url(Base64Encode(RandomBytes(12)))}};
  std::string signed_part = "SSC1." + ToBase64Url(Base64Encode(payload.dump()));
  std::string token = signed_part + "." + ToBase64Url(Base64Encode(signer_.Sign(signed_part)));
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
  std::optional<ParsedQrToken> parsed = ParseQrToken(token);
  if (!parsed || !signer_.Verify(parsed->kid, parsed->signed_part, parsed->signature)) {
    return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  }
  int64_t issued = parsed->issued_at, expires = parsed->expires_at, now = UnixSeconds(now_at);
  if (expires < issued || expires - issued > kLifetime.count()) return Fail(Refuse(ErrorCode::kCREDENTIAL_INVALID));
  if (now >= expires || now + 5 < issued) return Fail(Refuse(ErrorCode::kCREDENTIAL_EXPIRED));
  return PresentedQr{parsed->ecard_no, {"qr:" + parsed->nonce, TimePoint(std::chrono::seconds(expires))}};
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
