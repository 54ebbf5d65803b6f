#pragma once
// Citizens' own accounts for the online channel (R-ONE-8, API.md "Citizens"): a real-name
// account checked against the population registry, one-time codes sent to the phone, and the
// holder's revocations of partners' access to their data (R-ONE-6, R-SEC-2). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "domain/id_document.h"

namespace sscard::domain {

struct CitizenAccount {
  std::string id;         // time-ordered id; sessions name the account "citizen:<id>"
  std::string person_id;  // the holder's person record
  IdType id_type = IdType::kResidentId;
  std::string id_number;  // sealed at rest, looked up by keyed hash
  std::string name;       // sealed at rest
  std::string phone;      // sealed at rest, looked up by keyed hash
  std::string password_hash;  // argon2id; empty: signs in by code only
  int failed_attempts = 0;
  std::optional<TimePoint> locked_until;
  TimePoint created_at;
  int64_t version = 1;
};

// What a one-time code is for; a code of one purpose never serves another.
enum class CodePurpose { kRegister, kLogin, kConfirm };
std::string_view CodePurposeName(CodePurpose purpose);
std::optional<CodePurpose> ParseCodePurpose(std::string_view name);

// A one-time code as stored: its keyed digest only, never the code.
struct OneTimeCode {
  std::string code_digest;
  TimePoint sent_at;
  TimePoint expires_at;
  int attempts = 0;  // wrong tries so far
  bool used = false;
};

struct CodePolicy {
  std::chrono::seconds valid_for{300};
  std::chrono::seconds resend_after{60};
  int max_attempts = 5;  // then the code is spent and a new one must be asked for
};

// The verdict on a code given for a stored one at `now`. Errors: CODE_INVALID (wrong, and
// counted), CODE_EXPIRED (expired, spent by too many tries, or used already). A code that
// matches is used up by the caller.
Status CheckCode(const OneTimeCode& stored, std::string_view given_digest, TimePoint now,
                 const CodePolicy& policy);

// Mainland mobile numbers: 11 digits starting with 1[3-9]. Errors: VALIDATION_FAILED.
Status CheckPhone(std::string_view phone, std::string_view field = "phone");

// The lock after a failed password sign-in: 5 in a row lock the account 15 minutes.
CitizenAccount AfterFailedCitizenSignIn(CitizenAccount account, TimePoint now);

}  // namespace sscard::domain
