#include "domain/card.h"

#include <fmt/format.h>

namespace sscard::domain {

std::string_view BankAccountStatusName(BankAccountStatus status) {
  switch (status) {
    case BankAccountStatus::kNotActivated: return "not_activated";
    case BankAccountStatus::kActive: return "active";
    case BankAccountStatus::kTemporaryLoss: return "temporary_loss";
    case BankAccountStatus::kFormalLoss: return "formal_loss";
    case BankAccountStatus::kClosed: return "closed";
  }
  return "not_activated";
}

std::optional<BankAccountStatus> ParseBankAccountStatus(std::string_view name) {
  for (auto status : {BankAccountStatus::kNotActivated, BankAccountStatus::kActive, BankAccountStatus::kTemporaryLoss,
                      BankAccountStatus::kFormalLoss, BankAccountStatus::kClosed}) {
    if (BankAccountStatusName(status) == name) return status;
  }
  return std::nullopt;
}

Date ExpiryOf(Date issued_on) {
  Date expiry{issued_on.year() + std::chrono::years(10), issued_on.month(), issued_on.day()};
  if (!expiry.ok()) expiry = Date{expiry.year(), expiry.month(), std::chrono::day(28)};  // 29 February
  return expiry;
}

std::string FormatCardNo(std::string_view province2, int64_t serial) {
  return fmt::format("{}{:010}", province2.substr(0, 2), serial);
}

}  // namespace sscard::domain
