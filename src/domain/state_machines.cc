#include "domain/state_machines.h"

#include <fmt/format.h>

namespace sscard::domain {
namespace {

template <typename Enum>
struct Named {
  Enum value;
  std::string_view name;
};

using CS = CardStatus;
using CE = CardEvent;

constexpr Named<CS> kCardStatuses[] = {
    {CS::kPendingReview, "pending_review"}, {CS::kApproved, "approved"},
    {CS::kInProduction, "in_production"},   {CS::kProduced, "produced"},
    {CS::kInStock, "in_stock"},             {CS::kMailed, "mailed"},
    {CS::kIssued, "issued"},                {CS::kActive, "active"},
    {CS::kTemporaryLoss, "temporary_loss"}, {CS::kFormalLoss, "formal_loss"},
    {CS::kReplaced, "replaced"},            {CS::kCancelled, "cancelled"},
    {CS::kExpired, "expired"},              {CS::kDefective, "defective"},
    {CS::kSealed, "sealed"}};

struct EventRow {
  CE event;
  std::string_view name;
  std::string_view rule;
};
constexpr EventRow kCardEvents[] = {
    {CE::kApprove, "approve", "R-CAT-2"},
    {CE::kReject, "reject", "R-CAT-2"},
    {CE::kStartProduction, "start_production", "R-APPLY-4"},
    {CE::kProduceInstant, "produce_instant", "R-APPLY-3"},
    {CE::kProduced, "produced", "R-APPLY-4"},
    {CE::kProductionFailed, "production_failed", "R-APPLY-4"},
    {CE::kArrive, "arrive", "R-APPLY-5"},
    {CE::kMail, "mail", "R-APPLY-3"},
    {CE::kDeliver, "deliver", "R-APPLY-3"},
    {CE::kIssue, "issue", "R-APPLY-6"},
    {CE::kReadTestFailed, "read_test_failed", "R-APPLY-6"},
    {CE::kRemake, "remake", "R-APPLY-6"},
    {CE::kActivate, "activate", "R-ACT-2"},
    {CE::kTemporaryLoss, "temporary_loss", "R-LOSS-1"},
    {CE::kFormalLoss, "formal_loss", "R-LOSS-1"},
    {CE::kCancelLoss, "cancel_loss", "R-LOSS-1"},
    {CE::kReplace, "replace", "R-LOSS-4"},
    {CE::kCancel, "cancel", "R-CANCEL-2"},
    {CE::kExpire, "expire", "R-APPLY-8"},
    {CE::kSeal, "seal", "R-APPLY-7"}};

constexpr Named<CaseStatus> kCaseStatuses[] = {
    {CaseStatus::kPendingReview, "pending_review"}, {CaseStatus::kSuspended, "suspended"},
    {CaseStatus::kCompleted, "completed"},          {CaseStatus::kApproved, "approved"},
    {CaseStatus::kRejected, "rejected"},            {CaseStatus::kWithdrawn, "withdrawn"}};
constexpr Named<CaseEvent> kCaseEvents[] = {
    {CaseEvent::kApprove, "approve"},
    {CaseEvent::kReject, "reject"},   {CaseEvent::kSuspend, "suspend"},
    {CaseEvent::kResume, "resume"},   {CaseEvent::kWithdraw, "withdraw"}};

template <typename Enum, size_t N>
std::string_view NameOf(const Named<Enum> (&table)[N], Enum value) {
  for (const auto& row : table) {
    if (row.value == value) return row.name;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> ValueOf(const Named<Enum> (&table)[N], std::string_view name) {
  for (const auto& row : table) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::vector<Enum> ValuesOf(const Named<Enum> (&table)[N]) {
  std::vector<Enum> values;
  for (const auto& row : table) values.push_back(row.value);
  return values;
}

}  // namespace

std::string_view CardStatusName(CardStatus status) { return NameOf(kCardStatuses, status); }
std::optional<CardStatus> ParseCardStatus(std::string_view name) { return ValueOf(kCardStatuses, name); }
std::string_view CaseStatusName(CaseStatus status) { return NameOf(kCaseStatuses, status); }
std::optional<CaseStatus> ParseCaseStatus(std::string_view name) { return ValueOf(kCaseStatuses, name); }
std::string_view CaseEventName(CaseEvent event) { return NameOf(kCaseEvents, event); }

std::string_view CardEventName(CardEvent event) {
  for (const auto& row : kCardEvents) {
    if (row.event == event) return row.name;
  }
  return "?";
}

std::optional<CardEvent> ParseCardEvent(std::string_view name) {
  for (const auto& row : kCardEvents) {
    if (row.name == name) return row.event;
  }
  return std::nullopt;
}

std::string_view RuleOfCardEvent(CardEvent event) {
  for (const auto& row : kCardEvents) {
    if (row.event == event) return row.rule;
  }
  return "";
}

const std::vector<CardStatus>& AllCardStatuses() {
  static const auto values = ValuesOf(kCardStatuses);
  return values;
}
const std::vector<CardEvent>& AllCardEvents() {
  static const std::vector<CardEvent> values = [] {
    std::vector<CardEvent> all;
    for (const auto& row : kCardEvents) all.push_back(row.event);
    return all;
  }();
  return values;
}
const std::vector<CaseStatus>& AllCaseStatuses() {
  static const auto values = ValuesOf(kCaseStatuses);
  return values;
}
const std::vector<CaseEvent>& AllCaseEvents() {
  static const auto values = ValuesOf(kCaseEvents);
  return values;
}

const std::vector<CardTransition>& CardTransitions() {
  static const std::vector<CardTransition> table = {
      {CS::kPendingReview, CE::kApprove, CS::kApproved},
      {CS::kPendingReview, CE::kReject, CS::kCancelled},
      {CS::kApproved, CE::kStartProduction, CS::kInProduction},
      {CS::kApproved, CE::kProduceInstant, CS::kProduced},
      {CS::kInProduction, CE::kProduced, CS::kProduced},
      {CS::kInProduction, CE::kProductionFailed, CS::kApproved},
      {CS::kProduced, CE::kArrive, CS::kInStock},
      {CS::kProduced, CE::kMail, CS::kMailed},
      {CS::kProduced, CE::kIssue, CS::kIssued},
      {CS::kProduced, CE::kReadTestFailed, CS::kDefective},
      {CS::kInStock, CE::kIssue, CS::kIssued},
      {CS::kInStock, CE::kReadTestFailed, CS::kDefective},
      {CS::kInStock, CE::kSeal, CS::kSealed},
      {CS::kInStock, CE::kCancel, CS::kCancelled},
      {CS::kMailed, CE::kDeliver, CS::kIssued},
      {CS::kDefective, CE::kRemake, CS::kApproved},
      {CS::kIssued, CE::kActivate, CS::kActive},
      {CS::kIssued, CE::kTemporaryLoss, CS::kTemporaryLoss},
      {CS::kIssued, CE::kFormalLoss, CS::kFormalLoss},
      {CS::kIssued, CE::kReplace, CS::kReplaced},
      {CS::kIssued, CE::kCancel, CS::kCancelled},
      {CS::kIssued, CE::kExpire, CS::kExpired},
      {CS::kActive, CE::kTemporaryLoss, CS::kTemporaryLoss},
      {CS::kActive, CE::kFormalLoss, CS::kFormalLoss},
      {CS::kActive, CE::kReplace, CS::kReplaced},
      {CS::kActive, CE::kCancel, CS::kCancelled},
      {CS::kActive, CE::kExpire, CS::kExpired},
      {CS::kTemporaryLoss, CE::kCancelLoss, CS::kActive, /*restore=*/true},
      {CS::kTemporaryLoss, CE::kFormalLoss, CS::kFormalLoss},
      {CS::kTemporaryLoss, CE::kCancel, CS::kCancelled},
      {CS::kFormalLoss, CE::kReplace, CS::kReplaced},
      {CS::kFormalLoss, CE::kCancel, CS::kCancelled},
      {CS::kExpired, CE::kReplace, CS::kReplaced},
      {CS::kExpired, CE::kCancel, CS::kCancelled},
      {CS::kSealed, CE::kCancel, CS::kCancelled},
  };
  return table;
}

const std::vector<CaseTransition>& CaseTransitions() {
  using S = CaseStatus;
  using E = CaseEvent;
  static const std::vector<CaseTransition> table = {
      {S::kPendingReview, E::kApprove, S::kApproved},
      {S::kPendingReview, E::kReject, S::kRejected},
      {S::kPendingReview, E::kSuspend, S::kSuspended},
      {S::kPendingReview, E::kWithdraw, S::kWithdrawn},
      {S::kSuspended, E::kResume, S::kPendingReview},
      {S::kSuspended, E::kWithdraw, S::kWithdrawn},
  };
  return table;
}

Result<CardStatus> NextCardStatus(CardStatus from, CardEvent event, const CardFacts& facts) {
  for (const CardTransition& row : CardTransitions()) {
    if (row.from != from || row.event != event) continue;
    if (event == CE::kCancelLoss && facts.replacement_applied) {
      return Fail(MakeError(ErrorCode::kLOSS_REPLACEMENT_APPLIED).WithRule("R-LOSS-2"));
    }
    if (row.restore) return facts.activated ? CS::kActive : CS::kIssued;
    return row.to;
  }
  return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT,
                        fmt::format("卡片状态为 {}，不能办理 {}", CardStatusName(from), CardEventName(event)),
                        fmt::format("a card in status {} does not allow {}", CardStatusName(from),
                                    CardEventName(event)))
                  .WithRule(std::string(RuleOfCardEvent(event))));
}

Result<CaseStatus> NextCaseStatus(CaseStatus from, CaseEvent event) {
  for (const CaseTransition& row : CaseTransitions()) {
    if (row.from == from && row.event == event) return row.to;
  }
  return Fail(MakeError(ErrorCode::kCASE_STATE_CONFLICT,
                        fmt::format("办件状态为 {}，不能 {}", CaseStatusName(from), CaseEventName(event)),
                        fmt::format("a case in status {} does not allow {}", CaseStatusName(from),
                                    CaseEventName(event))));
}

bool IsValidCard(CardStatus status) {
  switch (status) {
    case CS::kReplaced:
    case CS::kCancelled:
    case CS::kExpired:
    case CS::kSealed:
    case CS::kDefective:
      return false;
    default:
      return true;
  }
}

}  // namespace sscard::domain
