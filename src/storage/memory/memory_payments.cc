#include "storage/memory/memory_payments.h"

#include <algorithm>

namespace sscard::storage {
namespace {

using domain::PaymentBatch;
using domain::PaymentRow;

class MemoryPayments final : public ports::PaymentRepository {
 public:
  explicit MemoryPayments(MemoryPaymentState& state) : state_(state) {}
  Result<int> CountOn(Date day) override {
    std::string prefix = "PAY" + FormatDate(day);
    std::erase(prefix, '-');
    return static_cast<int>(std::count_if(state_.batches.begin(), state_.batches.end(), [&](const auto& entry) {
      return entry.first.compare(0, prefix.size(), prefix) == 0;
    }));
  }
  Status InsertBatch(const PaymentBatch& batch) override {
    if (!state_.batches.emplace(batch.batch_no, batch).second) return Fail(ErrorCode::kALREADY_EXISTS);
    return Ok();
  }
  Result<std::optional<PaymentBatch>> FindBatch(const std::string& batch_no) override {
    auto found = state_.batches.find(batch_no);
    if (found == state_.batches.end()) return std::optional<PaymentBatch>();
    return std::optional<PaymentBatch>(found->second);
  }
  Result<std::vector<PaymentBatch>> ListBatches(const std::string& org_code, int limit) override {
    std::vector<PaymentBatch> batches;
    for (const auto& [number, batch] : state_.batches) {
      if (batch.org_code == org_code) batches.push_back(batch);
    }
    std::sort(batches.begin(), batches.end(), [](const PaymentBatch& a, const PaymentBatch& b) {
      return std::tie(a.created_at, a.batch_no) > std::tie(b.created_at, b.batch_no);
    });
    if (static_cast<int>(batches.size()) > limit) batches.resize(limit);
    return batches;
  }
  Status InsertRow(const PaymentRow& row) override {
    if (!state_.rows.emplace(std::make_pair(row.batch_no, row.line), row).second) return Fail(ErrorCode::kALREADY_EXISTS);
    return Ok();
  }
  Status UpdateRow(const PaymentRow& row) override {
    auto found = state_.rows.find({row.batch_no, row.line});
    if (found == state_.rows.end() || found->second.version != row.version - 1) return Fail(ErrorCode::kCONFLICT);
    found->second = row;
    return Ok();
  }
  Result<std::vector<PaymentRow>> Rows(const std::string& batch_no) override {
    return Where([&](const PaymentRow& row) { return row.batch_no == batch_no; }, -1);
  }
  Result<std::vector<PaymentRow>> ForPerson(const std::string& person_id, bool held_only, int limit) override {
    auto rows = Where(
        [&](const PaymentRow& row) {
          return row.person_id == person_id && (!held_only || row.status == domain::PaymentStatus::kHeld);
        },
        -1);
    if (!held_only) std::reverse(rows.begin(), rows.end());
    if (static_cast<int>(rows.size()) > limit) rows.resize(limit);
    return rows;
  }
  Result<bool> RowIdTaken(const std::string& org_code, const std::string& row_id) override {
    return std::any_of(state_.rows.begin(), state_.rows.end(), [&](const auto& entry) {
      return entry.second.org_code == org_code && entry.second.row_id == row_id &&
             entry.second.status != domain::PaymentStatus::kRefused;
    });
  }
  Result<std::vector<PaymentRow>> PaidThrough(const std::string& bank_code, Date day, int limit) override {
    auto rows = Where(
        [&](const PaymentRow& row) {
          return row.bank_code == bank_code && row.paid_on == day && row.status == domain::PaymentStatus::kPaid;
        },
        limit);
    std::stable_sort(rows.begin(), rows.end(), [](const PaymentRow& a, const PaymentRow& b) { return a.paid_at < b.paid_at; });
    return rows;
  }
  Status PutAccount(const std::string& card_no, const std::string& account_no, TimePoint) override {
    state_.accounts[card_no] = account_no;
    return Ok();
  }
  Result<std::optional<std::string>> FindAccount(const std::string& card_no) override {
    auto found = state_.accounts.find(card_no);
    if (found == state_.accounts.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second);
  }

 private:
  template <typename Predicate>
  std::vector<PaymentRow> Where(Predicate predicate, int limit) {
    std::vector<PaymentRow> rows;
    for (const auto& [key, row] : state_.rows) {
      if (limit >= 0 && static_cast<int>(rows.size()) >= limit) break;
      if (predicate(row)) rows.push_back(row);
    }
    return rows;
  }
  MemoryPaymentState& state_;
};

}  // namespace

std::unique_ptr<ports::PaymentRepository> MakeMemoryPayments(MemoryPaymentState& state) {
  return std::make_unique<MemoryPayments>(state);
}

}  // namespace sscard::storage
