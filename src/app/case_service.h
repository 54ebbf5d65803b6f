#pragma once
// The unified acceptance use cases (R-ACCEPT-2…5, R-CAT-2…4, R-ID-8): intake at a window,
// online or directly in the card system; commitment cases routed to the county-level org
// over the accepting org and decided there; tracking by staff and by applicants.
// Each use case is one transaction with its audit row.
// Thread-safety: all methods may be called concurrently.

#include <optional>
#include <string>

#include "app/context.h"
#include "app/pin_service.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/intake.h"
#include "domain/lifecycle.h"
#include "domain/photo.h"
#include "domain/pension.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct IntakeResult {
  domain::Case record;
  bool replayed = false;  // the same Idempotency-Key and body were seen before
};

// A PIN case's prepared change: the new PIN's hash (argon2id, made before the transaction) and,
// for change_pin, the stored hash the current PIN was verified against. The transaction
// refuses when the stored hash is no longer that one: two changes racing with the right old
// PIN cannot both succeed (R-PIN-3).
struct PinChange {
  std::string new_hash;
  std::string verified_hash;
};

struct CasePage {
  std::vector<domain::Case> items;
  std::string next_cursor;
};

// A reviewer's decision. Approving a cancellation needs the reviewer's check that the
// person's insured status is closed (R-CANCEL-2).
struct ReviewDecision {
  bool approve = false;
  std::string reason;  // required to reject
  bool insured_closed = false;
};

class CaseService {
 public:
  CaseService(ports::Store& store, const domain::Catalog& catalog, const domain::WorkingCalendar& calendar,
              PasswordCost pin_cost, domain::EligibilityPolicy eligibility = {});

  // The R-ID-5 check of an uploaded photo's bytes (the JPEG adapter's), used at intake.
  using PhotoChecker = std::function<domain::PhotoCheck(std::string_view)>;
  void CheckPhotosWith(PhotoChecker checker) { photo_check_ = std::move(checker); }

  // Errors: FORBIDDEN, VALIDATION_FAILED (every field problem), CHANNEL_NOT_ALLOWED (R-CAT-3),
  // PIN_PAD_REQUIRED (R-CAT-4), REGISTRY_MISMATCH (R-ID-8), PERSON_NOT_FOUND, CARD_NOT_FOUND,
  // NO_REVIEWING_ORG, IDEMPOTENCY_KEY_REUSED; for cards NOT_ELIGIBLE (R-APPLY-1), BANK_FIXED
  // (R-APPLY-2), PRODUCTION_MODE_NOT_ALLOWED / NO_INSTANT_PRINTER (R-APPLY-3),
  // ONE_PERSON_ONE_CARD (R-ID-6), FORMAL_LOSS_REQUIRED (R-LOSS-4), RENEWAL_NOT_DUE
  // (R-REPL-1), BANK_ACCOUNT_NOT_CLOSED (R-REPL-2, R-CANCEL-2), REPLACEMENT_UNDER_WAY,
  // OPEN_BUSINESS (R-CANCEL-1).
  // `idempotency_key` (may be empty) with `request_digest`: a retry returns the first case.
  Result<IntakeResult> Intake(const CallContext& context, const domain::IntakeRequest& request,
                              const std::string& idempotency_key, const std::string& request_digest);

  // Approve or reject a pending commitment case. Errors: FORBIDDEN (not a reviewer, below
  // county level), OUT_OF_REGION, NOT_FOUND, REVIEW_OWN_CASE, REJECT_REASON_REQUIRED,
  // CASE_STATE_CONFLICT (decided already: the loser of two reviewers), CONFLICT.
  // Approving an application or a replacement makes the new card (waiting for production);
  // approving a cancellation cancels the card (INSURED_STATUS_OPEN, OPEN_BUSINESS when the
  // review finds business still open). Rejecting a replacement lets the old card's loss be
  // lifted again (R-LOSS-2).
  Result<domain::Case> Review(const CallContext& context, const std::string& case_no, const ReviewDecision& decision,
                              std::optional<int64_t> expected_version = {});

  // Suspends a pending case waiting for missing materials: the time limit stops until
  // Resume, which moves the due date by the working days spent suspended.
  // Errors: as Review's (without REVIEW_OWN_CASE), CASE_STATE_CONFLICT.
  // `expected_version` (If-Match): VERSION_MISMATCH when the case changed meanwhile.
  Result<domain::Case> Suspend(const CallContext& context, const std::string& case_no, const std::string& reason,
                               std::optional<int64_t> expected_version = {});
  Result<domain::Case> Resume(const CallContext& context, const std::string& case_no,
                              std::optional<int64_t> expected_version = {});
  // Withdraws a pending or suspended case with notice to the applicant (R-APPLY-9: the
  // producing side cannot act). Errors: as Suspend's, REJECT_REASON_REQUIRED.
  Result<domain::Case> Withdraw(const CallContext& context, const std::string& case_no, const std::string& reason,
                                std::optional<int64_t> expected_version = {});

  // One case visible to the caller (accepted in its subtree). Errors: NOT_FOUND, OUT_OF_REGION.
  Result<domain::Case> Get(const CallContext& context, const std::string& case_no);
  // Cases visible to the caller. Clerks see the cases they handled (R-ACCEPT-4).
  Result<CasePage> List(const CallContext& context, ports::CaseQuery query);
  // An applicant follows a case with its number and their ID number. Errors: NOT_FOUND for
  // any mismatch (no hint which part was wrong).
  Result<domain::Case> Track(const std::string& case_no, const std::string& id_number);

  // Accepts one case inside the caller's transaction (Intake's, or a bundle's): checks the
  // request against the item, the accepting org, the person and their cards; creates the
  // person of a first application, the case and its notice; handles an instant case.
  // `serial`: the case number's serial when drawn before. Errors: as Intake's.
  // Makes `request` a signed-in citizen's own online request (R-ONE-8): the applicant is the
  // citizen's person; the account and shared data stand for the document and photo.
  // Errors: UNAUTHENTICATED (no person behind the session).
  Status ActAsCitizen(ports::Tx& tx, const domain::Principal& principal, domain::IntakeRequest& request) const;
  Result<domain::Case> Accept(ports::Tx& tx, const CallContext& context, const domain::Principal& principal,
                              const domain::CatalogItem& item, const domain::IntakeRequest& request,
                              const PinChange& pin, const std::vector<FieldError>& pin_problems,
                              std::optional<int> serial);

 private:
  domain::IntakeCheck CheckIn(ports::Tx& tx, const domain::CatalogItem& item, const domain::IntakeRequest& request,
                              const domain::Org& accepting, Date today);
  Result<std::string> ReviewingOrgFor(ports::Tx& tx, const domain::Org& accepting);
  // An instant card operation at intake (R-ACCEPT-3): the card's next status and the result
  // text. Errors: CARD_NOT_FOUND, CARD_STATE_CONFLICT, LOSS_REPLACEMENT_APPLIED,
  // HOLDER_NOT_AUTHORISED (R-ACT-1), OPERATION_NOT_AVAILABLE.
  Result<std::string> HandleInstant(ports::Tx& tx, const CallContext& context, domain::Case& record,
                                    const domain::Card* card, const PinChange& pin);
  // The card checks of apply, replacement and cancel at intake; sets record.card_no to the
  // card acted on and marks a card being replaced (R-LOSS-2).
  Status ApproveKeyChange(ports::Tx& tx, const CallContext& context, domain::Case& record);
  Status ApprovePensionChange(ports::Tx& tx, const CallContext& context, domain::Case& record);
  Status CheckCardCase(ports::Tx& tx, const CallContext& context, const domain::IntakeCheck& check,
                       const domain::Org& accepting, const domain::Person& person,
                       const std::vector<domain::Card>& cards, domain::Case& record);
  // A new card for an approved application or replacement (or a key-data change), waiting
  // for production (R-APPLY-3/4, R-ID-7, R-ID-5).
  Result<domain::Card> MakeCard(ports::Tx& tx, const CallContext& context, const domain::Case& record,
                                const domain::Card* replaces);
  // R-ID-5: an application or replacement for anyone 7 or older carries a digital photo that
  // passes the check — uploaded, or the police photo from shared data (R-BUNDLE-5); a paper
  // photo or an upload that fails is refused with every problem.
  // R-ID-5: the applicant's digital photo — uploaded, or the police photo of the shared data —
  // checked for anyone 7 or older; its file id, empty when the case carries none.
  // Errors: VALIDATION_FAILED (R-ID-5: PHOTO_NOT_DIGITAL, PHOTO_NOT_SHARED, the check's problems).
  Result<std::string> DigitalPhoto(ports::Tx& tx, const domain::IntakeRequest& request, const domain::IntakeCheck& check,
                                   Date today);
  // R-ID-6: refuses while the person has another open application or replacement case.
  // Errors: ONE_PERSON_ONE_CARD.
  Status NoOpenCardCase(ports::Tx& tx, const std::string& person_id, const std::string& except_case_no);
  // Lets a card's loss be lifted again when its replacement did not go ahead.
  Status ReleaseReplacement(ports::Tx& tx, const CallContext& context, const domain::Case& record);
  // PIN cases: the weak-PIN problems of the new PIN, its hash (made before the transaction:
  // argon2id is slow), and for a change the check of the current PIN, which counts toward
  // the lock in its own transaction. Errors: PIN_WRONG, PIN_LOCKED (R-PIN-3).
  Result<PinChange> PreparePin(const domain::IntakeRequest& request, Date today,
                               std::vector<FieldError>& problems);

  // Loads a case the principal may decide on, applies `change`, writes it with its step and
  // a notice to the applicant, all audited as `action`.
  Result<domain::Case> Decide(const CallContext& context, const std::string& case_no, const std::string& action,
                              std::optional<int64_t> expected_version,
                              const std::function<Status(domain::Case&, const domain::Principal&, ports::Tx&)>& change);

  ports::Store& store_;
  const domain::Catalog& catalog_;
  const domain::WorkingCalendar& calendar_;
  PasswordCost pin_cost_;
  PinService pins_;
  domain::EligibilityPolicy eligibility_;
  domain::PensionPolicy pension_policy_;  // R-BUNDLE-6 cut-off day (15)
  PhotoChecker photo_check_;
};

}  // namespace sscard::app
