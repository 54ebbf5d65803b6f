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
  // Production, stock and delivery (R-APPLY-3…7).
  std::string batch_no;           // the factory batch (batch and fast modes); empty otherwise
  std::string delivery = "pickup";  // "pickup" at org_code, or "mail"
  std::string tracking_no;        // the mail tracking number once mailed
  std::optional<Date> produced_on;
  std::optional<Date> stocked_on;  // arrival in org_code's stock
  std::string replaces;            // the card this one replaces (R-REPL-3)
  std::string ecard_no;            // the e-card issued with it (R-ONE-2); empty before issue
  std::optional<Date> photo_due_on;  // a child card without photo: the holder's 7th birthday
  std::string notice;              // the last renewal notice a sweep sent ("expiry", "child_7")

  CardFacts Facts() const { return {activated, replacement_applied}; }
};

// A step in a card's life: production, stock, issue, bank events (the production timeline).
struct CardLogEntry {
  std::string card_no;
  TimePoint at;
  std::string actor;     // username, "bank:CODE" or "sweep"
  std::string org_code;
  std::string event;     // e.g. "batched", "produced", "arrive", "bank.account_closed"
  std::string note;
};

// A factory batch (R-APPLY-4): the cards of one mode sent to the card factory together.
enum class BatchStatus { kOpen, kCompleted };
struct Batch {
  std::string batch_no;  // "P" + YYYYMMDD + 4-digit serial
  std::string mode;      // "batch" or "fast"
  BatchStatus status = BatchStatus::kOpen;
  std::string created_by;
  std::string org_code;  // the org that made the batch (the card centre)
  TimePoint created_at;
  Date due_on;           // R-APPLY-4: 29 (batch) or 5 (fast) working days after creation
  int size = 0;
  int produced = 0;
  int failed = 0;
  int64_t version = 1;
};
std::string_view BatchStatusName(BatchStatus status);
std::optional<BatchStatus> ParseBatchStatus(std::string_view name);

// The e-card follows its physical card (R-ONE-2): "none" before issue, "active" while the
// card is usable, "suspended" during a loss report, "cancelled" once replaced, cancelled,
// expired or sealed.
std::string_view ECardStatusOf(const Card& card);

// The card status in the words of a notice or a case result ("已发放"); the web UI uses the
// same words (web/src/cardText.ts).
std::string_view CardStatusLabel(CardStatus status);

// R-ONE-1: whether a partner department may accept the card — or, with `ecard`, its e-card —
// as the holder's identity credential on `today`: handed over (issued or active), not
// reported lost, not replaced, cancelled, sealed or past its expiry date. `code` is "VALID" or
// the reason, with a message a partner's clerk can read.
struct CredentialVerdict {
  bool valid = false;
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};
CredentialVerdict VerifyCredential(const Card& card, bool ecard, Date today);

// R-APPLY-8: a card is valid for 10 years from the issue date printed on it.
Date ExpiryOf(Date issued_on);

// Card numbers: the province code and a 10-digit serial, e.g. "420000000017".
std::string FormatCardNo(std::string_view province2, int64_t serial);
std::string FormatBatchNo(Date day, int serial);

}  // namespace sscard::domain
