#include "app/payment_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/admin_service.h"
#include "app/audited.h"
#include "app/idempotency.h"
#include "common/ids.h"
#include "domain/id_document.h"
#include "domain/redact.h"

namespace sscard::app {
namespace {

using domain::PaymentRow;
using domain::PaymentStatus;
using domain::Permission;

// Refusals of a whole batch: what is wrong with the rows, never their content.
std::vector<FieldError> CheckRows(const std::vector<PaymentRowInput>& rows) {
  std::vector<FieldError> problems;
  if (rows.empty()) {
    problems.push_back({"rows", "REQUIRED", {"批次至少要有一行", "a batch has at least one row"}, "R-ONE-7"});
  }
  if (rows.size() > static_cast<size_t>(domain::kMaxPaymentRows)) {
    problems.push_back({"rows", "TOO_MANY_ROWS",
                        {fmt::format("一个批次最多{}行，请拆分后提交", domain::kMaxPaymentRows),
                         fmt::format("at most {} rows per batch; split the file", domain::kMaxPaymentRows)},
                        "R-ONE-7"});
    return problems;
  }
  for (size_t index = 0; index < rows.size() && problems.size() < 50; ++index) {
    const PaymentRowInput& row = rows[index];
    std::string path = fmt::format("rows[{}]", index);
    if (row.row_id.empty() || row.row_id.size() > 64) {
      problems.push_back({path + ".row_id", "REQUIRED", {"行编号必填，最长64个字符", "row_id: 1 to 64 characters"}, "R-ONE-7"});
    }
    if (row.id_number.empty() || row.id_number.size() > 40) {
      problems.push_back({path + ".id_number", "REQUIRED", {"请填写证件号码", "id_number is required"}, "R-ONE-7"});
    }
    if (row.amount <= 0 || row.amount > domain::kMaxPaymentAmount) {
      problems.push_back({path + ".amount", "BAD_AMOUNT",
                          {"金额以分为单位，应为正整数且不超过一千万元", "amount is a positive whole number of fen, at most 10 million yuan"},
                          "R-ONE-7"});
    }
    auto has_control = [](const std::string& text) {
      return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    };
    if (has_control(row.row_id) || has_control(row.purpose) || (!row.row_id.empty() && (row.row_id.front() == ' ' || row.row_id.back() == ' '))) {
      problems.push_back({path, "CONTROL_CHARACTER",
                          {"行编号和发放项目不能含控制字符，行编号首尾不能有空格", "no control characters; no spaces around row_id"},
                          "R-ONE-7"});
    }
    if (row.purpose.empty() || row.purpose.size() > 120) {
      problems.push_back({path + ".purpose", "REQUIRED", {"请填写发放项目，最长40个字", "purpose: 1 to 40 characters"}, "R-ONE-7"});
    }
  }
  return problems;
}

void PointAt(PaymentRow& row, const domain::PaymentTarget& target, const CallContext& context) {
  row.status = target.status;
  row.reason = target.reason;
  row.card_no = target.card_no;
  row.bank_code = target.bank_code;
  if (row.status == PaymentStatus::kPaid) {
    row.paid_at = context.now;
    row.paid_on = ChinaDate(context.now);
  }
}

Result<bool> PaysHere(ports::Tx& tx, const domain::Principal& principal, const domain::Person& person) {
  if (domain::RegionContains(principal.region_code, person.region_code)) return true;
  ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person.id));
  return std::any_of(cards.begin(), cards.end(),
                     [&](const domain::Card& card) { return domain::RegionContains(principal.region_code, card.region_code); });
}

// Points `row` at where its money goes now; true when that changed it.
Result<bool> Route(ports::Tx& tx, const CallContext& context, PaymentRow& row) {
  ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(row.person_id));
  domain::PaymentTarget target = domain::PaymentTargetFor(cards);
  if (target.status == row.status && target.reason == row.reason && target.card_no == row.card_no) return false;
  // A row once accepted for payment is never refused afterwards: it waits for a card.
  if (target.status == PaymentStatus::kRefused) {
    target = {PaymentStatus::kHeld, domain::PaymentReason::kCardCancelled, row.card_no, row.bank_code};
  }
  PointAt(row, target, context);
  return true;
}

// One notice per person for the rows of one batch or one release: how many were paid into
// the card's account and how many are held, with the amounts — never the payer's free text
// (a department cannot put its own words, a phone number or a link, into people's notices).
Status NotifyHolders(ports::Tx& tx, const CallContext& context, const std::vector<PaymentRow>& rows) {
  struct Sum {
    int paid = 0, held = 0;
    int64_t paid_amount = 0, held_amount = 0;
    std::string card_no, reference;
  };
  std::map<std::string, Sum> sums;
  for (const PaymentRow& row : rows) {
    if (row.person_id.empty() || row.status == PaymentStatus::kRefused) continue;
    Sum& sum = sums[row.person_id];
    sum.reference = row.batch_no;
    if (row.status == PaymentStatus::kPaid) {
      ++sum.paid;
      sum.paid_amount += row.amount;
      sum.card_no = row.card_no;
    } else {
      ++sum.held;
      sum.held_amount += row.amount;
    }
  }
  for (const auto& [person_id, sum] : sums) {
    std::string text;
    if (sum.paid > 0) {
      text += fmt::format("{}笔待遇共{}.{:02}元已发放到您的社会保障卡（卡号尾号{}）银行账户。", sum.paid, sum.paid_amount / 100,
                          sum.paid_amount % 100, sum.card_no.size() > 4 ? sum.card_no.substr(sum.card_no.size() - 4) : sum.card_no);
    }
    if (sum.held > 0) {
      text += fmt::format("{}笔待遇共{}.{:02}元暂缓发放，您的社会保障卡恢复正常使用后自动发放。", sum.held, sum.held_amount / 100,
                          sum.held_amount % 100);
    }
    RETURN_IF_ERROR(tx.outbox().Enqueue({NewSortableId(context.now), sum.paid > 0 ? "payment.paid" : "payment.held",
                                         sum.reference, person_id, text, 0, context.now, std::nullopt, context.now}));
  }
  return Ok();
}

Result<PaymentBatchView> Load(ports::Tx& tx, const std::string& batch_no) {
  ASSIGN_OR_RETURN(auto batch, tx.payments().FindBatch(batch_no));
  if (!batch) return Fail(ErrorCode::kNOT_FOUND);
  PaymentBatchView view;
  view.batch = std::move(*batch);
  ASSIGN_OR_RETURN(view.rows, tx.payments().Rows(batch_no));
  return view;
}

}  // namespace

Status ReleaseHeldPayments(ports::Tx& tx, const CallContext& context, const std::string& person_id) {
  ASSIGN_OR_RETURN(auto held, tx.payments().ForPerson(person_id, /*held_only=*/true, domain::kMaxPaymentRows));
  std::vector<PaymentRow> paid;
  for (PaymentRow& row : held) {
    ASSIGN_OR_RETURN(bool changed, Route(tx, context, row));
    if (!changed) continue;
    ++row.version;
    RETURN_IF_ERROR(tx.payments().UpdateRow(row));
    if (row.status == PaymentStatus::kPaid) paid.push_back(row);
  }
  return NotifyHolders(tx, context, paid);
}

Result<PaymentBatchView> PaymentService::Submit(const CallContext& context, const std::vector<PaymentRowInput>& rows,
                                                const std::string& idempotency_key, const std::string& request_digest) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kPayments));
  std::string scoped_key = idempotency_key.empty() ? "" : principal.username + ":payments:" + idempotency_key;
  CreateOnce<PaymentBatchView> once(store_, scoped_key, request_digest,
                                    [&](ports::Tx& tx, const std::string& batch_no) -> Result<std::optional<PaymentBatchView>> {
                                      ASSIGN_OR_RETURN(PaymentBatchView view, Load(tx, batch_no));
                                      view.replayed = true;
                                      return std::optional<PaymentBatchView>(std::move(view));
                                    });
  ASSIGN_OR_RETURN(auto seen, once.Replay());
  if (seen) return std::move(*seen);
  std::vector<FieldError> problems = CheckRows(rows);
  if (!problems.empty()) {
    Error error = MakeError(ErrorCode::kVALIDATION_FAILED).WithRule("R-ONE-7");
    error.fields = std::move(problems);
    return Fail(std::move(error));
  }
  AuditTarget what{"payment.batch", "new"};
  return once.Run(
      context, what,
      [&](ports::Tx& tx) -> Result<PaymentBatchView> {
    Date today = ChinaDate(context.now);
    ASSIGN_OR_RETURN(int count, tx.payments().CountOn(today));
    std::string compact = FormatDate(today);
    std::erase(compact, '-');
    PaymentBatchView view;
    view.batch = {fmt::format("PAY{}{:04}", compact, count + 1), principal.org_code, principal.username, context.now,
                  static_cast<int>(rows.size()), 0};
    what.target = view.batch.batch_no;
    for (const PaymentRowInput& input : rows) view.batch.amount_total += input.amount;
    RETURN_IF_ERROR(tx.payments().InsertBatch(view.batch));
    std::set<std::string> seen_ids;
    int line = 0;
    for (const PaymentRowInput& input : rows) {
      PaymentRow row;
      row.batch_no = view.batch.batch_no;
      row.line = ++line;
      row.org_code = principal.org_code;
      row.row_id = input.row_id;
      row.id_number = domain::NormalizeIdNumber(input.id_number);
      row.amount = input.amount;
      row.purpose = domain::MaskPersonalNumbers(input.purpose);
      ASSIGN_OR_RETURN(bool taken, tx.payments().RowIdTaken(row.org_code, row.row_id));
      // Nothing is paid twice: a row id this department sent before is refused.
      if (taken || !seen_ids.insert(row.row_id).second) {
        row.status = PaymentStatus::kRefused;
        row.reason = domain::PaymentReason::kDuplicateRow;
      } else {
        ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(row.id_number));
        // A department pays the people of its region: those living there or whose card was
        // applied for there. Anyone else answers as an unknown number (no status oracle).
        if (person) {
          ASSIGN_OR_RETURN(bool ours, PaysHere(tx, principal, *person));
          if (!ours) person.reset();
        }
        if (!person) {
          row.status = PaymentStatus::kRefused;
          row.reason = domain::PaymentReason::kUnknownPerson;
        } else {
          row.person_id = person->id;
          ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(row.person_id));
          PointAt(row, domain::PaymentTargetFor(cards), context);
        }
      }
      RETURN_IF_ERROR(tx.payments().InsertRow(row));
      view.rows.push_back(std::move(row));
    }
    RETURN_IF_ERROR(NotifyHolders(tx, context, view.rows));
    return view;
      },
      [](const PaymentBatchView& view) { return view.batch.batch_no; });
}

Result<PaymentBatchView> PaymentService::Get(const CallContext& context, const std::string& batch_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kPayments));
  return ports::Transact<PaymentBatchView>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<PaymentBatchView> {
    ASSIGN_OR_RETURN(PaymentBatchView view, Load(tx, batch_no));
    // Another department's batch answers like no batch at all.
    if (view.batch.org_code != principal.org_code) return Fail(ErrorCode::kNOT_FOUND);
    return view;
  });
}

Result<std::vector<domain::PaymentBatch>> PaymentService::List(const CallContext& context) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kPayments));
  return ports::Transact<std::vector<domain::PaymentBatch>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.payments().ListBatches(principal.org_code, 200); });
}

Result<std::vector<Disbursement>> PaymentService::Disbursements(const CallContext& context, Date day) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kBankEvents));
  return ports::Transact<std::vector<Disbursement>>(store_, ports::TxMode::kRead,
                                                    [&](ports::Tx& tx) -> Result<std::vector<Disbursement>> {
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(principal.org_code));
    std::vector<Disbursement> result;
    if (!org || org->bank_code.empty()) return result;
    ASSIGN_OR_RETURN(auto rows, tx.payments().PaidThrough(org->bank_code, day, 100000));
    for (PaymentRow& row : rows) {
      ASSIGN_OR_RETURN(auto account, tx.payments().FindAccount(row.card_no));
      result.push_back({std::move(row), account.value_or("")});
    }
    return result;
  });
}

Result<std::vector<domain::PaymentRow>> PaymentService::Mine(const CallContext& context) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  if (!principal.IsCitizen()) return Fail(ErrorCode::kFORBIDDEN);
  return ports::Transact<std::vector<domain::PaymentRow>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
    return tx.payments().ForPerson(principal.person_id, /*held_only=*/false, 200);
  });
}

}  // namespace sscard::app
