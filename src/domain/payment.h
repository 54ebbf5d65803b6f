#pragma once
// Benefit payments into the card's bank account (R-ONE-3, R-ONE-7): a paying department's
// batch of rows, each paid to the account of the holder's current valid card, held with a
// reason while there is none (lost, replaced before issue, cancelled, …) and paid as soon as
// one is issued, or refused (unknown person, no card at all, a row id seen before).
// Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "domain/card.h"

namespace sscard::domain {

enum class PaymentStatus { kPaid, kHeld, kRefused };
std::string_view PaymentStatusName(PaymentStatus status);

// Why a row is held or refused: stable codes, with words for people.
enum class PaymentReason {
  kNone,
  kCardLost,           // held: the card is reported lost
  kCardNotIssued,      // held: the first card is still being made
  kReplacementNotIssued,  // held: the card was replaced (or lost) and the new one is not issued yet
  kCardCancelled,      // held: the card is cancelled and no new one is under way
  kCardExpired,        // held: the card expired and no new one is under way
  kAccountSuspended,   // held: the bank reports the card's account lost or closed
  kUnknownPerson,      // refused: no such person on the platform
  kNoCard,             // refused: the person never applied for a card
  kDuplicateRow,       // refused: this department sent the row id before
};
std::string_view PaymentReasonCode(PaymentReason reason);
std::optional<PaymentReason> ParsePaymentReason(std::string_view code);
std::string_view PaymentReasonZh(PaymentReason reason);
std::string_view PaymentReasonEn(PaymentReason reason);

struct PaymentBatch {
  std::string batch_no;
  std::string org_code;    // the paying department
  std::string created_by;  // the department's account
  TimePoint created_at;
  int row_count = 0;
  int64_t amount_total = 0;  // fen
};

struct PaymentRow {
  std::string batch_no;
  int line = 0;  // 1-based position in the batch
  std::string org_code;
  std::string row_id;  // the department's own id of the row
  std::string person_id;  // empty when the person is unknown
  std::string id_number;  // sealed at rest
  int64_t amount = 0;     // fen, > 0
  std::string purpose;
  PaymentStatus status = PaymentStatus::kHeld;
  PaymentReason reason = PaymentReason::kNone;
  std::string card_no;    // paid to, or held against
  std::string bank_code;
  std::optional<TimePoint> paid_at;
  std::optional<Date> paid_on;  // China date of paid_at: the bank's disbursement day
  int64_t version = 1;
};

// Where a payment for a person holding `cards` (any order) goes now.
struct PaymentTarget {
  PaymentStatus status = PaymentStatus::kRefused;
  PaymentReason reason = PaymentReason::kNoCard;
  std::string card_no;
  std::string bank_code;
};
PaymentTarget PaymentTargetFor(const std::vector<Card>& cards);

// The largest amount of one row (10 million yuan) and the most rows in one batch.
inline constexpr int64_t kMaxPaymentAmount = 1'000'000'000;
inline constexpr int kMaxPaymentRows = 5000;

}  // namespace sscard::domain
