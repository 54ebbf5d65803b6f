#pragma once
// E-card QR tokens (R-ONE-5, R-ONE-6): a signed token of at most 60 s naming the e-card, its
// issue time and a nonce, with the signing key's id. The holder's phone shows it; a partner's
// terminal presents it to POST /cards/verify, or verifies it offline with the published keys.
// Token: "SSC1." + base64url(payload JSON) + "." + base64url(Ed25519 signature of the part
// before the second dot); payload {"kid","ecard","iat","exp","nonce"} (Unix seconds).
// Thread-safety: all methods may be called concurrently.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/ports/signer.h"
#include "domain/ports/store.h"

namespace sscard::app {

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
  // Checks a presented token for the calling partner and answers its e-card number: the
  // signature of a published key, issued at most 60 s before it expires, not expired, and
  // not presented before by any partner (one presentation per token, so a token shown to one
  // partner cannot be carried to another). Errors: CREDENTIAL_INVALID, CREDENTIAL_EXPIRED,
  // CREDENTIAL_REPLAYED (all rule R-ONE-6).
  Result<std::string> Redeem(const CallContext& context, const std::string& token);
  std::vector<ports::PublicKey> Keys() const { return signer_.PublishedKeys(); }

 private:
  ports::Store& store_;
  const ports::Signer& signer_;
  std::mutex seen_mutex_;
  std::map<std::string, TimePoint> seen_;  // nonce → expiry; forgotten once expired (in memory:
                                           // a restart forgets, within the token's 60 s)
};

}  // namespace sscard::app
