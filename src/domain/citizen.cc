#include "domain/citizen.h"

#include <algorithm>

#include "common/error.h"

namespace sscard::domain {

std::string_view CodePurposeName(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kRegister: return "register";
    case CodePurpose::kLogin: return "login";
    case CodePurpose::kConfirm: return "confirm";
  }
  return "login";
}

std::optional<CodePurpose> ParseCodePurpose(std::string_view name) {
  for (CodePurpose purpose : {CodePurpose::kRegister, CodePurpose::kLogin, CodePurpose::kConfirm}) {
    if (CodePurposeName(purpose) == name) return purpose;
  }
  return std::nullopt;
}

Status CheckCode(const OneTimeCode& stored, std::string_view given_digest, TimePoint now,
                 const CodePolicy& policy) {
  if (stored.used || now >= stored.expires_at || stored.attempts >= policy.max_attempts) {
    return Fail(MakeError(ErrorCode::kCODE_EXPIRED).WithRule("R-ONE-8"));
  }
  if (stored.code_digest != given_digest) {
    return Fail(MakeError(ErrorCode::kCODE_INVALID).WithRule("R-ONE-8"));
  }
  return Ok();
}

Status CheckPhone(std::string_view phone, std::string_view field) {
  bool ok = phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' &&
            std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ok) return Ok();
  return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                  .WithField({std::string(field), "BAD_PHONE",
                              {"手机号码应为11位数字，以13至19开头", "a mainland mobile number: 11 digits starting 13–19"},
                              "R-ONE-8"}));
}

CitizenAccount AfterFailedCitizenSignIn(CitizenAccount account, TimePoint now) {
  ++account.failed_attempts;
  if (account.failed_attempts >= 5) account.locked_until = now + std::chrono::minutes(15);
  return account;
}

}  // namespace sscard::domain
