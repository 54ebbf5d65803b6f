#pragma once
// A social security card: its status (state_machines.h), its cooperative bank account, its
// production and issue dates. Pure data and rules; thread-safe as values.

#include <optional>
#include <string>

#include "common/clock.h"
#include "domain/state_machines.h"

namespace sscard::domain {

enum class BankAccountStatus { kNotActivated, kActive, kTemporaryLoss, kFormalLoss, kClosed };
std::string_view BankAccountStatusName(BankAccountStatus status);
std::optional<BankAccountStatus> ParseBankAccountStatus(std::string_view name);

struct Card {
  std::string card_no;
  std::string person_id;
  CardStatus status = CardStatus::kApproved;
  std::string bank_code;
  BankAccountStatus bank_account = BankAccountStatus::kNotActivated;
  std::string production_mode;  // "instant", "fast", "batch"
  std::string case_no;          // the case that asked for it
  std::string org_code;         // where it is made, kept and issued
  std::string region_code;
  std::optional<Date> issued_on;
  std::optional<Date> expires_on;
  bool activated = false;
  bool replacement_applied = false;
  TimePoint created_at;
  int64_t version = 1;

  CardFacts Facts() const { return {activated, replacement_applied}; }
};

// R-APPLY-8: a card is valid for 10 years from the issue date printed on it.
Date ExpiryOf(Date issued_on);

// Card numbers: the province code and a 10-digit serial, e.g. "420000000017".
std::string FormatCardNo(std::string_view province2, int64_t serial);

}  // namespace sscard::domain
