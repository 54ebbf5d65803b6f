#pragma once
// E-card QR tokens (R-ONE-5, R-ONE-6): a signed token of at most 60 s naming the e-card, its
// issue time and a nonce, with the signing key's id. The holder's phone shows it; a partner's
// terminal presents it to POST /cards/verify, or verifies it offline with the published keys.
// Token: "SSC1." + base64url(payload JSON) + "." + base64url(Ed25519 signature of the part
// before the second dot); payload {"kid","ecard","iat","exp","nonce"} (Unix seconds).
// Thread-safety: all methods may be called concurrently.

#include <chrono>
#include <string>
#include <vector>

#include "app/card_service.h"
#include "app/context.h"
#include "domain/ports/signer.h"
#include "domain/ports/store.h"
#include "domain/terminal.h"

namespace sscard::app {

struct Challenge {
  std::string challenge;
  TimePoint expires_at;
};

struct ChipRead {
  std::string terminal_id;
  std::string card_no;
  std::string challenge;
  std::string mac;  // lowercase hex
};

struct PresentedQr {
  std::string ecard_no;
  OneTimeUse use;  // the token's nonce, used up by its first presentation
};

struct QrToken {
  std::string token;
  TimePoint expires_at;
  std::string ecard_no;
};

class EcardService {
 public:
  static constexpr std::chrono::seconds kLifetime{60};

  EcardService(ports::Store& store, const ports::Signer& signer) : store_(store), signer_(signer) {}

  // The signed-in citizen's QR token for their current valid card. Errors: FORBIDDEN (not a
  // citizen), NO_VALID_ECARD (no issued or active card: the e-card follows its card).
  Result<QrToken> MyQr(const CallContext& context);
  // A token for a card (its e-card) at `now`.
  QrToken TokenFor(const domain::Card& card, TimePoint now) const { return TokenForECard(card.ecard_no, now); }
  QrToken TokenForECard(const std::string& ecard_no, TimePoint now) const;
  // Checks a presented token: the signature of a published key, issued at most 60 s before
  // it expires, not expired. Answers its e-card number and the nonce that the verification
  // uses up in its own transaction (CardService::Verify: one presentation per token, kept in
  // the database until the token expires, so neither a restart nor a second server forgets).
  // Errors: CREDENTIAL_INVALID, CREDENTIAL_EXPIRED (rule R-ONE-6).
  Result<PresentedQr> Check(const std::string& token, TimePoint now) const;
  std::vector<ports::PublicKey> Keys() const { return signer_.PublishedKeys(); }

  // Chip reads (R-ONE-6): the card's chip is read at a partner's registered terminal whose
  // PSAM answers a one-time challenge of the platform with
  //   mac = hex(HMAC-SHA256(terminal key, card_no + "\n" + challenge + "\n" + terminal_id)).
  static constexpr std::chrono::seconds kChallengeLifetime{60};
  // A challenge for the calling partner. Errors: FORBIDDEN (not a partner).
  Result<Challenge> NewChallenge(const CallContext& context);
  // The card number a chip read proves: the terminal is the caller's own and not revoked, the
  // challenge the caller's own, unspent (it is spent by this read, right or wrong) and not
  // expired, the MAC right. Errors: CREDENTIAL_INVALID, CREDENTIAL_EXPIRED, CREDENTIAL_REPLAYED.
  Result<std::string> RedeemChip(const CallContext& context, const ChipRead& read);
  // The province registers a partner's terminal; the key is in the answer, once.
  // Errors: FORBIDDEN, UNKNOWN_ORG (no such partner department), VALIDATION_FAILED.
  Result<domain::Terminal> RegisterTerminal(const CallContext& context, const std::string& org_code,
                                            const std::string& name);
  Result<std::vector<domain::Terminal>> Terminals(const CallContext& context, const std::string& org_code);
  Status RevokeTerminal(const CallContext& context, const std::string& org_code, const std::string& terminal_id);

 private:
  ports::Store& store_;
  const ports::Signer& signer_;
};

}  // namespace sscard::app
