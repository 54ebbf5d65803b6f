#include "domain/payment.h"

#include <algorithm>
#include <array>

namespace sscard::domain {
namespace {

struct ReasonRow {
  PaymentReason reason;
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array<ReasonRow, 10> kReasons = {{
    {PaymentReason::kNone, "", "", ""},
    {PaymentReason::kCardLost, "CARD_LOST", "社会保障卡已挂失，解除挂失或补卡发放后自动发放",
     "the card is reported lost; paid once the loss is lifted or a new card is issued"},
    {PaymentReason::kCardNotIssued, "CARD_NOT_ISSUED", "社会保障卡尚未发放，发卡后自动发放",
     "the card is not issued yet; paid once it is"},
    {PaymentReason::kReplacementNotIssued, "REPLACEMENT_NOT_ISSUED", "原卡已停用，新卡发放后自动发放",
     "the card was replaced; paid once the new card is issued"},
    {PaymentReason::kCardCancelled, "CARD_CANCELLED", "社会保障卡已注销，重新申领并发卡后发放",
     "the card is cancelled; paid once a new card is issued"},
    {PaymentReason::kCardExpired, "CARD_EXPIRED", "社会保障卡已过有效期，换卡发放后自动发放",
     "the card has expired; paid once a renewed card is issued"},
    {PaymentReason::kAccountSuspended, "ACCOUNT_SUSPENDED", "银行账户已挂失或销户，恢复后自动发放",
     "the card's bank account is reported lost or closed; paid once it is active again"},
    {PaymentReason::kUnknownPerson, "UNKNOWN_PERSON", "平台没有此证件号码的人员",
     "no person with this ID number on the platform"},
    {PaymentReason::kNoCard, "NO_CARD", "此人未申领社会保障卡", "this person never applied for a card"},
    {PaymentReason::kDuplicateRow, "DUPLICATE_ROW", "行编号重复，此行不发放（不会重复支付）",
     "the row id was sent before; this row is not paid (nothing is paid twice)"},
}};

const ReasonRow& RowOf(PaymentReason reason) {
  for (const ReasonRow& row : kReasons) {
    if (row.reason == reason) return row;
  }
  return kReasons[0];
}

bool IsValid(const Card& card) { return card.status == CardStatus::kIssued || card.status == CardStatus::kActive; }

bool InPipeline(CardStatus status) {
  switch (status) {
    case CardStatus::kPendingReview:
    case CardStatus::kApproved:
    case CardStatus::kInProduction:
    case CardStatus::kProduced:
    case CardStatus::kInStock:
    case CardStatus::kMailed:
    case CardStatus::kDefective:
      return true;
    default:
      return false;
  }
}

PaymentTarget Held(PaymentReason reason, const Card& card) {
  return {PaymentStatus::kHeld, reason, card.card_no, card.bank_code};
}

}  // namespace

std::string_view PaymentStatusName(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kPaid: return "paid";
    case PaymentStatus::kHeld: return "held";
    case PaymentStatus::kRefused: return "refused";
  }
  return "held";
}

std::string_view PaymentReasonCode(PaymentReason reason) { return RowOf(reason).code; }
std::string_view PaymentReasonZh(PaymentReason reason) { return RowOf(reason).zh; }
std::string_view PaymentReasonEn(PaymentReason reason) { return RowOf(reason).en; }

std::optional<PaymentReason> ParsePaymentReason(std::string_view code) {
  for (const ReasonRow& row : kReasons) {
    if (row.code == code) return row.reason;
  }
  return std::nullopt;
}

PaymentTarget PaymentTargetFor(const std::vector<Card>& cards) {
  if (cards.empty()) return {PaymentStatus::kRefused, PaymentReason::kNoCard, "", ""};
  // R-ID-6 keeps at most one valid card; the newest issued one wins if data says otherwise.
  const Card* valid = nullptr;
  for (const Card& card : cards) {
    if (IsValid(card) && (!valid || card.created_at > valid->created_at)) valid = &card;
  }
  if (valid) {
    if (valid->bank_account == BankAccountStatus::kTemporaryLoss || valid->bank_account == BankAccountStatus::kFormalLoss ||
        valid->bank_account == BankAccountStatus::kClosed) {
      return Held(PaymentReason::kAccountSuspended, *valid);
    }
    return {PaymentStatus::kPaid, PaymentReason::kNone, valid->card_no, valid->bank_code};
  }
  const Card& newest = *std::max_element(cards.begin(), cards.end(),
                                         [](const Card& a, const Card& b) { return a.created_at < b.created_at; });
  if (InPipeline(newest.status)) {
    bool had_card = std::any_of(cards.begin(), cards.end(), [](const Card& card) { return card.issued_on.has_value(); });
    return Held(had_card || !newest.replaces.empty() ? PaymentReason::kReplacementNotIssued : PaymentReason::kCardNotIssued,
                newest);
  }
  switch (newest.status) {
    case CardStatus::kTemporaryLoss:
    case CardStatus::kFormalLoss: return Held(PaymentReason::kCardLost, newest);
    case CardStatus::kReplaced: return Held(PaymentReason::kReplacementNotIssued, newest);
    case CardStatus::kExpired: return Held(PaymentReason::kCardExpired, newest);
    default: return Held(PaymentReason::kCardCancelled, newest);  // cancelled, sealed
  }
}

}  // namespace sscard::domain
