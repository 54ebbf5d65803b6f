#pragma once
// Everything that happens to a card outside a case (R-APPLY-4…8, R-ONE-2, R-LOSS-3):
// factory batches and their results, instant production at a window, arrival in an org's
// stock with the holder's notice, mailing and delivery, issuing with the read test (the
// e-card record comes with it, and the card a replacement replaces stops), bank events,
// the daily sweeps, and the card's view with its timeline.
// Thread-safety: all methods may be called concurrently.

#include <string>
#include <vector>

#include "app/context.h"
#include "common/crypto.h"
#include "domain/calendar.h"
#include "common/rate_limiter.h"
#include "domain/card.h"
#include "domain/partner_profile.h"
#include "domain/ports/store.h"

namespace sscard::app {

// What a partner department learns when a holder presents the card (R-ONE-1, R-ONE-6): the
// verdict, and the projection of its profile — the card and holder fields it may receive
// (domain::FieldsToShare), computed here, never in the HTTP layer.
struct Verification {
  domain::CredentialVerdict verdict;
  std::string purpose;                       // the partner's profile purpose
  std::vector<domain::PartnerField> shared;  // empty: the verdict only
  domain::HolderProjection projection;
  // R-ONE-6: the card is not valid, or the holder revoked this partner: the verdict only.
  bool verdict_only = false;
};

struct CardView {
  domain::Card card;
  bool pin_locked = false;
  std::vector<domain::CaseStep> case_steps;     // the steps of the case that asked for the card
  std::vector<domain::CardLogEntry> history;   // production, stock, issue, bank events
};

// One line of a batch's personalisation file for the card factory: what is printed on the
// card and written to the chip, no more (docs/production.md).
struct PersonalisationRow {
  std::string card_no;
  std::string name;
  std::string sex;
  std::string id_number;  // the social security number printed on the card
  std::string birth_date;
  std::string nationality;
  std::string bank_code;
  std::string photo_sha256;  // empty for a child card without photo (R-ID-5)
  std::string issue_month;   // YYYY-MM, printed as the issue date
  std::string delivery;      // "pickup" or "mail"
  std::string org_code;      // where the card goes
};

struct BatchResult {
  std::string card_no;
  bool produced = true;
  std::string reason;  // why a card failed
};

struct OneTimeUse {
  std::string nonce;
  TimePoint expires_at;
};

struct BankEvent {
  std::string event_id;  // the bank's own id; a repeat is answered, not applied again
  std::string card_no;
  std::string event;  // account_activated, account_temporary_loss, …
  std::string at;     // RFC 3339, as the bank reports it
  std::string account_no;  // with account_activated: the card's bank account for payments (R-ONE-7)
};

struct SweepReport {
  std::string action;  // "seal" or "cancel" for stock held over 6 months
  int stock_handled = 0;
  std::vector<std::string> sleeping;  // made over 6 months ago, never handed on: return to the org
  int expired = 0;
  int renewal_notices = 0;
  int child_notices = 0;
};

class CardService {
 public:
  CardService(ports::Store& store, const domain::WorkingCalendar& calendar, PasswordCost pin_cost)
      : store_(store), calendar_(calendar), pin_cost_(pin_cost) {}

  // Makes the approved card of a case at the caller's org, which needs an instant printer.
  // Errors: FORBIDDEN, NOT_FOUND, OUT_OF_REGION, NO_INSTANT_PRINTER, CARD_STATE_CONFLICT.
  Result<domain::Card> ProduceInstant(const CallContext& context, const std::string& case_no);

  // R-ID-5 / R-APPLY-4: the photo printed on a card of the batch — the JPEG whose SHA-256 the
  // factory file names — for the card centre. Audited. Errors: FORBIDDEN, NOT_FOUND (no such
  // batch, a card not in it, or a card without photo).
  Result<ports::StoredFile> BatchPhoto(const CallContext& context, const std::string& batch_no,
                                       const std::string& card_no);

  // R-APPLY-4: a batch of the approved cards waiting for `mode` ("batch" or "fast"), at
  // most `limit`, due 29 or 5 working days later. Errors: FORBIDDEN, VALIDATION_FAILED,
  // NOTHING_TO_BATCH.
  Result<domain::Batch> CreateBatch(const CallContext& context, const std::string& mode, int limit = 1000);
  Result<std::vector<domain::Batch>> ListBatches(const CallContext& context, const ports::BatchQuery& query);
  // The personalisation file's rows; the export is audited. Errors: FORBIDDEN, NOT_FOUND.
  Result<std::vector<PersonalisationRow>> ExportBatch(const CallContext& context, const std::string& batch_no);
  // Produced cards leave the batch for delivery; failed ones go back to wait for a new batch
  // (re-made). Repeating a result already recorded changes nothing. Errors: FORBIDDEN,
  // NOT_FOUND, VALIDATION_FAILED (a card not in the batch), CARD_STATE_CONFLICT.
  Result<domain::Batch> RecordResults(const CallContext& context, const std::string& batch_no,
                                      const std::vector<BatchResult>& results);

  // R-APPLY-5: the card is in `org_code`'s stock; the holder is told within 3 working days.
  // Errors: FORBIDDEN, NOT_FOUND, OUT_OF_REGION, UNKNOWN_ORG, CARD_STATE_CONFLICT.
  Result<domain::Card> Arrive(const CallContext& context, const std::string& card_no, const std::string& org_code);
  // R-APPLY-3: a card for mail delivery leaves with a tracking number; Deliver records the
  // holder's signature at the door, which issues it. Errors: as Arrive's, VALIDATION_FAILED.
  Result<domain::Card> Mail(const CallContext& context, const std::string& card_no, const std::string& tracking_no);
  Result<domain::Card> Deliver(const CallContext& context, const std::string& card_no);

  // Hands a produced or stocked card over after the read test; a failed test marks it
  // defective and sends it back to production, never issued (R-APPLY-6). Issuing starts the
  // 10-year validity (R-APPLY-8), sets the initial PIN — the last six digits of the ID
  // number, flagged for change (R-PIN-1) — issues the e-card (R-ONE-2) and stops the card
  // it replaces (R-REPL-3). Errors: FORBIDDEN, NOT_FOUND, OUT_OF_REGION, CARD_STATE_CONFLICT.
  Result<domain::Card> Issue(const CallContext& context, const std::string& card_no, bool read_check_passed,
                             const std::vector<std::string>& problems);

  // A cooperative bank's report on one of its own cards (R-LOSS-3, R-REPL-2, R-CANCEL-2).
  // `replayed` is set when the event id was seen before. Errors: FORBIDDEN, NOT_OWN_CARD,
  // NOT_FOUND, VALIDATION_FAILED, CARD_STATE_CONFLICT, IDEMPOTENCY_KEY_REUSED.
  Result<domain::Card> ReportBankEvent(const CallContext& context, const BankEvent& event, bool* replayed = nullptr);

  // R-APPLY-7/8, R-REPL-1: stock over 6 months sealed or cancelled (`action`), sleeping
  // cards listed, expired cards marked, renewal and child notices sent once. Running it
  // again the same day changes nothing more. Errors: FORBIDDEN, VALIDATION_FAILED.
  Result<SweepReport> Sweep(const CallContext& context, const std::string& action);

  // Errors: NOT_FOUND, OUT_OF_REGION.
  Result<CardView> Get(const CallContext& context, const std::string& card_no);

  // R-ONE-1 / R-ONE-6: a partner's system verifies the card a holder presents (its chip, or
  // its e-card's QR token: `credential`) and learns the verdict and what its profile allows,
  // narrowed to `requested` fields when it names some. Every look is audited ("card.verify"),
  // refusals too; the partner's profile bounds its verifications a minute. An invalid card is
  // an answer, not an error. Errors: FORBIDDEN (not a partner), NOT_FOUND (no such card or
  // e-card), FIELD_NOT_IN_PROFILE, RATE_LIMITED, CREDENTIAL_REPLAYED.
  enum class Credential { kCard, kECard };
  // `once`: a one-time credential (a QR token's nonce) used up in the verification's own
  // transaction; a second presentation is CREDENTIAL_REPLAYED (R-ONE-6).
  Result<Verification> Verify(const CallContext& context, const std::string& card_no, Credential credential,
                              const OneTimeUse* once = nullptr,
                              const std::optional<std::vector<domain::PartnerField>>& requested = std::nullopt);
  // The person behind an ID number; `unmask` (roles that may see personal data in full)
  // leaves an audit row. Errors: NOT_FOUND, OUT_OF_REGION, FORBIDDEN.
  Result<domain::Person> GetPerson(const CallContext& context, const std::string& id_number, bool unmask);
  // The person's cards, newest first. Errors: NOT_FOUND, OUT_OF_REGION.
  Result<std::vector<domain::Card>> ListForPerson(const CallContext& context, const std::string& id_number);

 private:
  Status HandOver(ports::Tx& tx, const CallContext& context, domain::Card& card, const std::string& pin_hash);
  Result<std::string> InitialPinHash(const std::string& card_no);

  ports::Store& store_;
  const domain::WorkingCalendar& calendar_;
  PasswordCost pin_cost_;
  RateLimiter partner_quota_;  // verifications a minute per partner org (its profile's limit)
};

}  // namespace sscard::app
