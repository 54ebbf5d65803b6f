#include "storage/sql/sql_payments.h"

#include <fmt/format.h>

#include "storage/sql/sql_helpers.h"

namespace sscard::storage::sql {
namespace {

using domain::PaymentBatch;
using domain::PaymentRow;

class SqlPayments final : public ports::PaymentRepository {
 public:
  SqlPayments(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}

  Result<int> CountOn(Date day) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT COUNT(*) FROM payment_batches WHERE batch_no LIKE ?",
                                          {"PAY" + CompactDate(day) + "%"}));
    return static_cast<int>(rows[0].Int(0));
  }
  Status InsertBatch(const PaymentBatch& batch) override {
    return db_
        .Execute("INSERT INTO payment_batches (batch_no, org_code, created_by, created_at, row_count, amount_total) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {batch.batch_no, batch.org_code, batch.created_by, Millis(batch.created_at), int64_t{batch.row_count},
                  batch.amount_total})
        .map([](int64_t) {});
  }
  Result<std::optional<PaymentBatch>> FindBatch(const std::string& batch_no) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM payment_batches WHERE batch_no = ?", kBatchColumns),
                                          {batch_no}));
    if (rows.empty()) return std::optional<PaymentBatch>();
    return std::optional<PaymentBatch>(BatchFrom(rows[0]));
  }
  Result<std::vector<PaymentBatch>> ListBatches(const std::string& org_code, int limit) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM payment_batches WHERE org_code = ? "
                                                      "ORDER BY created_at DESC, batch_no DESC LIMIT ?",
                                                      kBatchColumns),
                                          {org_code, int64_t{limit}}));
    std::vector<PaymentBatch> batches;
    for (const Row& row : rows) batches.push_back(BatchFrom(row));
    return batches;
  }
  Status InsertRow(const PaymentRow& row) override {
    if (!sealer_) return Fail(NoSealer());
    static const std::string sql =
        fmt::format("INSERT INTO payment_rows ({}) VALUES ({})", kRowColumns, Placeholders(kRowColumnCount));
    return db_.Execute(sql, Params(row)).map([](int64_t) {});
  }
  Status UpdateRow(const PaymentRow& row) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE payment_rows SET status = ?, reason = ?, card_no = ?, bank_code = ?, paid_at = ?, "
                                 "paid_on = ?, version = ? WHERE batch_no = ? AND line = ? AND version = ?",
                                 {std::string(domain::PaymentStatusName(row.status)),
                                  std::string(domain::PaymentReasonCode(row.reason)), row.card_no, row.bank_code,
                                  row.paid_at ? Millis(*row.paid_at) : Value{},
                                  row.paid_on ? FormatDate(*row.paid_on) : std::string(), row.version, row.batch_no,
                                  int64_t{row.line}, row.version - 1}));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }
  Result<std::vector<PaymentRow>> Rows(const std::string& batch_no) override {
    return Select("batch_no = ? ORDER BY line", {batch_no});
  }
  Result<std::vector<PaymentRow>> ForPerson(const std::string& person_id, bool held_only, int limit) override {
    if (held_only) {
      return Select("person_id = ? AND status = 'held' ORDER BY batch_no, line LIMIT ?", {person_id, int64_t{limit}});
    }
    return Select("person_id = ? ORDER BY batch_no DESC, line LIMIT ?", {person_id, int64_t{limit}});
  }
  Result<bool> RowIdTaken(const std::string& org_code, const std::string& row_id) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT 1 FROM payment_rows WHERE org_code = ? AND row_id = ? AND status <> "
                                          "'refused' LIMIT 1",
                                          {org_code, row_id}));
    return !rows.empty();
  }
  Result<std::vector<PaymentRow>> PaidThrough(const std::string& bank_code, Date day, int limit) override {
    return Select("bank_code = ? AND paid_on = ? AND status = 'paid' ORDER BY paid_at, batch_no, line LIMIT ?",
                  {bank_code, FormatDate(day), int64_t{limit}});
  }
  Status PutAccount(const std::string& card_no, const std::string& account_no, TimePoint at) override {
    if (!sealer_) return Fail(NoSealer());
    return db_
        .Execute("INSERT INTO card_accounts (card_no, account_sealed, reported_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (card_no) DO UPDATE SET account_sealed = excluded.account_sealed, "
                 "reported_at = excluded.reported_at",
                 {card_no, sealer_->Seal(account_no, "card.account_no"), Millis(at)})
        .map([](int64_t) {});
  }
  Result<std::optional<std::string>> FindAccount(const std::string& card_no) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT account_sealed FROM card_accounts WHERE card_no = ?", {card_no}));
    if (rows.empty()) return std::optional<std::string>();
    auto account = sealer_->Open(rows[0].Text(0), "card.account_no");
    if (!account) return Fail(ErrorCode::kINTERNAL, "账户数据无法解密", "cannot open an account number");
    return account;
  }

 private:
  static constexpr const char* kBatchColumns = "batch_no, org_code, created_by, created_at, row_count, amount_total";
  static constexpr const char* kRowColumns =
      "batch_no, line, org_code, row_id, person_id, id_number_sealed, amount, purpose, status, reason, card_no, "
      "bank_code, paid_at, paid_on, version";
  static constexpr int kRowColumnCount = 15;

  static std::string CompactDate(Date day) {
    std::string text = FormatDate(day);
    std::erase(text, '-');
    return text;
  }
  static PaymentBatch BatchFrom(const Row& row) {
    return {row.Text(0), row.Text(1), row.Text(2), FromUnixMillis(row.Int(3)), static_cast<int>(row.Int(4)), row.Int(5)};
  }
  std::vector<Value> Params(const PaymentRow& row) const {
    return {row.batch_no,
            int64_t{row.line},
            row.org_code,
            row.row_id,
            row.person_id,
            sealer_->Seal(row.id_number, "payment.id_number"),
            row.amount,
            row.purpose,
            std::string(domain::PaymentStatusName(row.status)),
            std::string(domain::PaymentReasonCode(row.reason)),
            row.card_no,
            row.bank_code,
            row.paid_at ? Millis(*row.paid_at) : Value{},
            row.paid_on ? FormatDate(*row.paid_on) : std::string(),
            row.version};
  }
  Result<std::vector<PaymentRow>> Select(const std::string& condition, const std::vector<Value>& params) {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM payment_rows WHERE {}", kRowColumns, condition), params));
    std::vector<PaymentRow> result;
    for (const Row& row : rows) {
      PaymentRow payment;
      payment.batch_no = row.Text(0);
      payment.line = static_cast<int>(row.Int(1));
      payment.org_code = row.Text(2);
      payment.row_id = row.Text(3);
      payment.person_id = row.Text(4);
      auto id_number = sealer_->Open(row.Text(5), "payment.id_number");
      if (!id_number) return Fail(ErrorCode::kINTERNAL, "支付数据无法解密", "cannot open a payment row");
      payment.id_number = *id_number;
      payment.amount = row.Int(6);
      payment.purpose = row.Text(7);
      std::string status = row.Text(8);
      payment.status = status == "paid"      ? domain::PaymentStatus::kPaid
                       : status == "refused" ? domain::PaymentStatus::kRefused
                                             : domain::PaymentStatus::kHeld;
      payment.reason = domain::ParsePaymentReason(row.Text(9)).value_or(domain::PaymentReason::kNone);
      payment.card_no = row.Text(10);
      payment.bank_code = row.Text(11);
      if (auto at = row.OptionalInt(12)) payment.paid_at = FromUnixMillis(*at);
      if (auto on = ParseDate(row.Text(13))) payment.paid_on = *on;
      payment.version = row.Int(14);
      result.push_back(std::move(payment));
    }
    return result;
  }

  Connection& db_;
  const ports::Sealer* sealer_;
};

}  // namespace

std::unique_ptr<ports::PaymentRepository> MakeSqlPayments(Connection& connection, const ports::Sealer* sealer) {
  return std::make_unique<SqlPayments>(connection, sealer);
}

}  // namespace sscard::storage::sql
