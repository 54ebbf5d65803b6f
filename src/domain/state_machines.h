#pragma once
// The card's and the case's state machines as transition tables (docs/state-machines.md
// shows the same rows; state_machines_test checks both). Every (state, event) pair either
// moves to the documented state or is refused with CARD_STATE_CONFLICT / CASE_STATE_CONFLICT
// and the rule id of the event. Pure; thread-safe.

#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sscard::domain {

enum class CardStatus {
  kPendingReview, kApproved, kInProduction, kProduced, kInStock, kMailed, kIssued, kActive,
  kTemporaryLoss, kFormalLoss, kReplaced, kCancelled, kExpired, kDefective, kSealed,
};

enum class CardEvent {
  kApprove, kReject, kStartProduction, kProduceInstant, kProduced, kProductionFailed, kArrive,
  kMail, kDeliver, kIssue, kReadTestFailed, kRemake, kActivate, kTemporaryLoss, kFormalLoss,
  kCancelLoss, kReplace, kCancel, kExpire, kSeal,
};

enum class CaseStatus { kPendingReview, kSuspended, kCompleted, kApproved, kRejected, kWithdrawn };
enum class CaseEvent { kApprove, kReject, kSuspend, kResume, kWithdraw };

std::string_view CardStatusName(CardStatus status);
std::optional<CardStatus> ParseCardStatus(std::string_view name);
std::string_view CardEventName(CardEvent event);
std::optional<CardEvent> ParseCardEvent(std::string_view name);
std::string_view CaseStatusName(CaseStatus status);
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);
std::string_view CaseEventName(CaseEvent event);
const std::vector<CardStatus>& AllCardStatuses();
const std::vector<CardEvent>& AllCardEvents();
const std::vector<CaseStatus>& AllCaseStatuses();
const std::vector<CaseEvent>& AllCaseEvents();

// A row of a transition table. `restore` rows go back to the state before the loss report
// (active when the card was activated, else issued).
struct CardTransition {
  CardStatus from;
  CardEvent event;
  CardStatus to;
  bool restore = false;
};
struct CaseTransition {
  CaseStatus from;
  CaseEvent event;
  CaseStatus to;
};

const std::vector<CardTransition>& CardTransitions();
const std::vector<CaseTransition>& CaseTransitions();
// The rule that refuses an event in a wrong state (e.g. activate -> R-ACT-2).
std::string_view RuleOfCardEvent(CardEvent event);

// What the table's guards need to know about the card.
struct CardFacts {
  bool activated = false;            // the social-security function was activated once
  bool replacement_applied = false;  // a reissue/renewal is under way (R-LOSS-2)
};

// The next status. Errors: CARD_STATE_CONFLICT (with the event's rule),
// LOSS_REPLACEMENT_APPLIED (R-LOSS-2).
Result<CardStatus> NextCardStatus(CardStatus from, CardEvent event, const CardFacts& facts = {});
// Errors: CASE_STATE_CONFLICT.
Result<CaseStatus> NextCaseStatus(CaseStatus from, CaseEvent event);

// A card that counts for "one person one card" (R-ID-6, R-REPL-3): not replaced, cancelled,
// expired, sealed, defective or rejected.
bool IsValidCard(CardStatus status);

}  // namespace sscard::domain
