#include "domain/lifecycle.h"

namespace sscard::domain {

namespace {

Error Refuse(ErrorCode code, const char* rule, std::string zh, std::string en) {
  return MakeError(code, std::move(zh), std::move(en)).WithRule(rule);
}

Date AddMonths(Date day, int months) {
  std::chrono::year_month month = std::chrono::year_month{day.year(), day.month()} + std::chrono::months(months);
  Date result{month.year(), month.month(), day.day()};
  if (!result.ok()) result = Date{month.year() / month.month() / std::chrono::last};
  return result;
}

}  // namespace

std::optional<Error> CheckEligibility(const std::string& household_region, const std::string& basis,
                                      const EligibilityPolicy& policy) {
  std::string chosen = basis.empty() ? "household" : basis;
  if (chosen == "household") {
    if (household_region.rfind(policy.province2, 0) == 0) return std::nullopt;
    return Refuse(ErrorCode::kNOT_ELIGIBLE, "R-APPLY-1", "证件所载户籍不在本省；非本省户籍人员须在本省参保或持本省居住证申领",
                  "the document's household region is outside the province; others apply as insured here or "
                  "with a residence permit");
  }
  if (policy.other_bases.count(chosen)) return std::nullopt;
  return Refuse(ErrorCode::kNOT_ELIGIBLE, "R-APPLY-1", "本省未开放此申领资格：" + chosen,
                "the province does not accept this basis: " + chosen);
}

std::optional<Error> CheckProductionChoice(Channel channel, const std::string& mode,
                                           const std::string& delivery_method, bool org_has_instant_printer) {
  switch (channel) {
    case Channel::kOnline:
      if (mode != "fast" || delivery_method != "mail") {
        return Refuse(ErrorCode::kPRODUCTION_MODE_NOT_ALLOWED, "R-APPLY-3", "网上申领只能选择快速制卡并邮寄",
                      "online applications are made fast and mailed");
      }
      return std::nullopt;
    case Channel::kWindow:
      if (mode == "batch") {
        return Refuse(ErrorCode::kPRODUCTION_MODE_NOT_ALLOWED, "R-APPLY-3", "窗口申领可选择即时制卡或快速制卡",
                      "in person: instant or fast production");
      }
      break;
    case Channel::kDirect: break;
  }
  if (mode == "instant" && !org_has_instant_printer) {
    return MakeError(ErrorCode::kNO_INSTANT_PRINTER).WithRule("R-APPLY-3");
  }
  return std::nullopt;
}

std::optional<Error> CheckBankChoice(const Card& previous, const std::string& requested_bank,
                                     const std::string& renewal_reason, std::optional<Date> pension_bank_until,
                                     Date today) {
  if (requested_bank.empty() || requested_bank == previous.bank_code) return std::nullopt;
  bool expired = previous.status == CardStatus::kExpired || (previous.expires_on && *previous.expires_on <= today);
  if (renewal_reason != "expiry" || !expired) {
    return Refuse(ErrorCode::kBANK_FIXED, "R-APPLY-2", "有效期内不能变更合作银行（原银行：" + previous.bank_code + "）",
                  "the bank cannot change while the card is valid (bank: " + previous.bank_code + ")");
  }
  if (pension_bank_until && *pension_bank_until >= today) {
    return Refuse(ErrorCode::kBANK_FIXED, "R-APPLY-2", "新农保待遇领取人在银行合同期内（至" + FormatDate(*pension_bank_until) + "）不能变更银行",
                  "a rural-pension holder keeps the bank during its contract (until " +
                      FormatDate(*pension_bank_until) + ")");
  }
  return std::nullopt;
}

std::optional<Error> CheckReplacement(const std::string& operation, const std::string& reason, const Card& old,
                                      Date today) {
  if (old.replacement_applied) {
    return Refuse(ErrorCode::kREPLACEMENT_UNDER_WAY, "R-REPL-3", "该卡已在补换卡办理中", "a replacement is already under way");
  }
  if (operation == "reissue") {
    if (old.status != CardStatus::kFormalLoss) {
      return Refuse(ErrorCode::kFORMAL_LOSS_REQUIRED, "R-LOSS-4", "补领须先办理正式挂失", "a lost card is reissued only after a formal loss report");
    }
  } else {
    bool usable = old.status == CardStatus::kIssued || old.status == CardStatus::kActive ||
                  old.status == CardStatus::kExpired;
    if (!usable) {
      return Refuse(ErrorCode::kCARD_STATE_CONFLICT, "R-REPL-1",
                    "当前卡状态不能换领（挂失的卡请办理补领）", "this card cannot be renewed (a lost card is reissued)");
    }
    if (reason == "expiry") {
      bool due = old.status == CardStatus::kExpired ||
                 (old.expires_on && *old.expires_on <= Date{std::chrono::sys_days(today) + std::chrono::days(kRenewalWindowDays)});
      if (!due) {
        return Refuse(ErrorCode::kRENEWAL_NOT_DUE, "R-REPL-1", "卡片未到期，不能以到期为由换发", "the card is not near its expiry");
      }
    }
    if (reason == "child_turns_7" && (!old.photo_due_on || *old.photo_due_on > today)) {
      return Refuse(ErrorCode::kRENEWAL_NOT_DUE, "R-REPL-1", "该卡不是未满7周岁的无照片卡，或持卡人未满7周岁",
                    "not a child card without photo whose holder turned 7");
    }
  }
  // R-REPL-2: the old card's bank account must be formally lost or closed first.
  if (old.bank_account != BankAccountStatus::kFormalLoss && old.bank_account != BankAccountStatus::kClosed) {
    return Refuse(ErrorCode::kBANK_ACCOUNT_NOT_CLOSED, "R-REPL-2",
                  "原卡银行账户尚未正式挂失或销户，请先到" + old.bank_code + "办理",
                  "the old card's bank account is not formally lost or closed; see the bank (" + old.bank_code + ")");
  }
  return std::nullopt;
}

Date SixMonthsBefore(Date today) { return AddMonths(today, -6); }

Date SeventhBirthday(Date birth_date) { return AddMonths(birth_date, 7 * 12); }

}  // namespace sscard::domain
