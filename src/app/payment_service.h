#pragma once
// Benefit payments into the card's bank account (R-ONE-3, R-ONE-7). A paying department
// submits a batch of rows; each row is paid at once to the account of the holder's current
// valid card, held with a reason while there is none, or refused. A held row follows the
// card: every card event that can make a card valid again (issue, mail delivery, a lifted
// loss, a bank account in use again) pays the holder's held rows in the same transaction.
// Thread-safety: as the Store.

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/payment.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct PaymentRowInput {
  std::string row_id;
  std::string id_number;
  int64_t amount = 0;  // fen
  std::string purpose;
};

struct PaymentBatchView {
  domain::PaymentBatch batch;
  std::vector<domain::PaymentRow> rows;
  bool replayed = false;
};

// A row of a bank's disbursement file.
struct Disbursement {
  domain::PaymentRow row;
  std::string account_no;  // as the bank reported it; empty when it never did
};

class PaymentService {
 public:
  explicit PaymentService(ports::Store& store) : store_(store) {}

  // Errors: FORBIDDEN (not a paying department), VALIDATION_FAILED (no rows, too many,
  // an empty or overlong row id or purpose, an amount that is not a positive number of fen),
  // IDEMPOTENCY_KEY_REUSED.
  Result<PaymentBatchView> Submit(const CallContext& context, const std::vector<PaymentRowInput>& rows,
                                  const std::string& idempotency_key, const std::string& request_digest);
  // The department's own batch. Errors: NOT_FOUND (unknown, or another department's).
  Result<PaymentBatchView> Get(const CallContext& context, const std::string& batch_no);
  Result<std::vector<domain::PaymentBatch>> List(const CallContext& context);
  // The rows paid on `day` to the calling bank's cards, with their account numbers.
  Result<std::vector<Disbursement>> Disbursements(const CallContext& context, Date day);
  // The signed-in citizen's own payments, newest first.
  Result<std::vector<domain::PaymentRow>> Mine(const CallContext& context);

 private:
  ports::Store& store_;
};

// Pays the person's held rows whose holder now has a valid card (R-ONE-7). Called inside the
// transaction of each card event that can make a card valid again.
Status ReleaseHeldPayments(ports::Tx& tx, const CallContext& context, const std::string& person_id);

}  // namespace sscard::app
