#pragma once
// The citizen online channel (R-ONE-8, API.md "Citizens"): real-name sign-up checked against
// the population registry, one-time codes to the phone, sign-in by phone + code or ID number +
// password, and the citizen's own view: cards, cases, notices, who looked at their data, and
// the partners they allow to receive it (R-ONE-6, R-SEC-2). A citizen session reaches only the
// citizen's own person; every method takes it from the session, never from the request.
// Thread-safety: all methods may be called concurrently.

#include <optional>
#include <string>
#include <vector>

#include "app/card_service.h"
#include "app/context.h"
#include "app/text_sender.h"
#include "common/crypto.h"
#include "common/rate_limiter.h"
#include "domain/citizen.h"
#include "domain/ports/store.h"

namespace sscard::app {


struct CitizenConfig {
  domain::CodePolicy codes;
  domain::SessionPolicy session;
  PasswordCost password_cost = PasswordCost::kInteractive;
  bool demo = false;       // the code's answer carries the code (a newcomer can sign up)
  int codes_per_day = 10;  // per phone
};

struct CodeSent {
  int expires_in = 0;
  int retry_after = 0;
  std::string demo_code;  // demo mode only
};

struct Registration {
  std::string id_type;
  std::string id_number;
  std::string name;
  std::string phone;
  std::string code;
  std::string password;  // optional
};

struct CitizenLogin {
  std::string token;
  TimePoint expires_at;
  domain::CitizenAccount account;
};

struct AccessEntry {
  TimePoint at;
  std::string kind;  // "unmask" (a staff member saw the data in full) or "verify" (a partner)
  std::string org_code;
  std::string org_name;
  std::string purpose;
};

struct Consent {
  std::string partner_code;
  std::string name;
  std::string purpose;
  std::vector<std::string> fields;
  bool revoked = false;
};

class CitizenService {
 public:
  CitizenService(ports::Store& store, TextSender& sender, CitizenConfig config);

  // Sends a code for sign-up or sign-in. At most one a minute and codes_per_day a day per
  // phone. Errors: VALIDATION_FAILED (phone), RATE_LIMITED (with retry_after). The answer is
  // the same whether or not the phone has an account (no oracle).
  Result<CodeSent> SendCode(const CallContext& context, const std::string& phone, domain::CodePurpose purpose);
  // A fresh code to the signed-in citizen's own phone, for a sensitive action.
  Result<CodeSent> SendConfirmCode(const CallContext& context);

  // Every attempt uses the code up. Errors: VALIDATION_FAILED, CODE_INVALID, CODE_EXPIRED,
  // REGISTRY_MISMATCH (R-ONE-8: one answer for an unknown number, another name, a death, another
  // phone or no phone on file), ALREADY_REGISTERED.
  Result<CitizenLogin> Register(const CallContext& context, const Registration& registration);
  // Errors: BAD_CREDENTIALS (unknown phone or wrong code/password: the same answer),
  // CODE_EXPIRED, ACCOUNT_LOCKED.
  Result<CitizenLogin> LoginByCode(const CallContext& context, const std::string& phone, const std::string& code);
  Result<CitizenLogin> LoginByPassword(const CallContext& context, const std::string& id_number,
                                       const std::string& password);

  // Uses up the citizen's confirmation code. Errors: CONFIRMATION_REQUIRED (none given),
  // CODE_INVALID, CODE_EXPIRED.
  Status Confirm(const CallContext& context, const std::string& code);
  // Sensitive online operations (loss reports, lifting them, cancellation, the pension
  // account, and a new phone number, which would carry the next codes) need a fresh code sent
  // to the phone on file first: uses up `code` for them, nothing for the others. Errors: as
  // Confirm's.
  Status ConfirmIfSensitive(const CallContext& context, const std::string& operation, const std::string& code,
                            bool changes_phone = false);
  static bool IsSensitive(const std::string& operation, bool changes_phone = false);

  // The signed-in citizen's own data. Errors: FORBIDDEN (not a citizen session).
  Result<domain::CitizenAccount> Me(const CallContext& context);
  // Newest first, each with its production timeline.
  Result<std::vector<CardView>> MyCards(const CallContext& context);
  Result<std::vector<domain::Case>> MyCases(const CallContext& context, int limit);
  Result<std::vector<ports::OutboxMessage>> MyNotices(const CallContext& context, int limit);
  Result<std::vector<AccessEntry>> MyAccessLog(const CallContext& context, int limit);
  Result<std::vector<Consent>> MyConsents(const CallContext& context);
  // Errors: NOT_FOUND (no such partner).
  Status Revoke(const CallContext& context, const std::string& partner_code);

 private:
  Result<domain::Principal> RequireCitizen(const CallContext& context);
  Result<CodeSent> Send(const CallContext& context, const std::string& phone, domain::CodePurpose purpose);
  // Checks and uses up a code in a transaction of its own (a wrong try counts even when the
  // use case is refused later).
  Status UseCode(const CallContext& context, const std::string& phone, domain::CodePurpose purpose,
                 const std::string& code);
  Result<CitizenLogin> StartSession(ports::Tx& tx, const CallContext& context, const domain::CitizenAccount& account);

  ports::Store& store_;
  TextSender& sender_;
  CitizenConfig config_;
  std::string dummy_hash_;
  RateLimiter daily_;
};

// The county hall that accepts a citizen's online cases: the county-level HRSS hall of the
// person's household county, else of their city, else the province's.
Result<domain::Org> OnlineOrgFor(ports::Tx& tx, const std::string& region_code);

}  // namespace sscard::app
