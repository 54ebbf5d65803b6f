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

std::string FormatBatchNo(Date day, int serial) {
  return fmt::format("P{:04}{:02}{:02}{:04}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                     static_cast<unsigned>(day.day()), serial);
}

std::string_view BatchStatusName(BatchStatus status) {
  return status == BatchStatus::kOpen ? "open" : "completed";
}

std::optional<BatchStatus> ParseBatchStatus(std::string_view name) {
  if (name == "open") return BatchStatus::kOpen;
  if (name == "completed") return BatchStatus::kCompleted;
  return std::nullopt;
}

std::string_view ECardStatusOf(const Card& card) {
  if (card.ecard_no.empty()) return "none";
  switch (card.status) {
    case CardStatus::kIssued:
    case CardStatus::kActive: return "active";
    case CardStatus::kTemporaryLoss:
    case CardStatus::kFormalLoss: return "suspended";
    default: return "cancelled";
  }
}

std::string_view CardStatusLabel(CardStatus status) {
  switch (status) {
    case CardStatus::kPendingReview: return "待审核";
    case CardStatus::kApproved: return "待制卡";
    case CardStatus::kInProduction: return "制卡中";
    case CardStatus::kProduced: return "已制成";
    case CardStatus::kInStock: return "已入库待领";
    case CardStatus::kMailed: return "已邮寄";
    case CardStatus::kIssued: return "已发放";
    case CardStatus::kActive: return "已启用";
    case CardStatus::kTemporaryLoss: return "临时挂失";
    case CardStatus::kFormalLoss: return "正式挂失";
    case CardStatus::kReplaced: return "已换卡停用";
    case CardStatus::kCancelled: return "已注销";
    case CardStatus::kExpired: return "已过期";
    case CardStatus::kDefective: return "不合格";
    case CardStatus::kSealed: return "已封存";
  }
  return "未知";
}

CredentialVerdict VerifyCredential(const Card& card, bool ecard, Date today) {
  switch (card.status) {
    case CardStatus::kIssued:
    case CardStatus::kActive: break;
    case CardStatus::kTemporaryLoss:
    case CardStatus::kFormalLoss:
      return {false, "CARD_REPORTED_LOST", "该卡已挂失，不能使用", "the card is reported lost"};
    case CardStatus::kReplaced:
      return {false, "CARD_REPLACED", "该卡已补换，请使用新卡", "the card was replaced by a new one"};
    case CardStatus::kCancelled:
    case CardStatus::kSealed:
      return {false, "CARD_CANCELLED", "该卡已注销", "the card is cancelled"};
    case CardStatus::kExpired:
      return {false, "CARD_EXPIRED", "该卡已过有效期", "the card has expired"};
    default:
      return {false, "CARD_NOT_ISSUED", "该卡尚未发放", "the card has not been handed over yet"};
  }
  if (card.expires_on && *card.expires_on < today) {
    return {false, "CARD_EXPIRED", "该卡已过有效期", "the card has expired"};
  }
  if (ecard && ECardStatusOf(card) != "active") {
    return {false, "ECARD_NOT_ACTIVE", "电子社保卡未签发或不可用", "the e-card is not active"};
  }
  return {true, "VALID", "有效", "valid"};
}

}  // namespace sscard::domain
