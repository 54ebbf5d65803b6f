#include "app/pin_service.h"

namespace sscard::app {

Status PinService::SetPin(const std::string& card_no, const std::string& pin,
                          const domain::PinContext& context, PinSource source) {
  auto problems = domain::CheckPin(pin, context);
  if (source == PinSource::kInitial) {
    // An initial PIN (e.g. the ID number's last digits) only has to be six digits.
    std::erase_if(problems, [](const FieldError& problem) { return problem.code != "PIN_FORMAT"; });
  }
  if (!problems.empty()) {
    Error error = MakeError(ErrorCode::kVALIDATION_FAILED).WithRule("R-PIN-2");
    error.fields = std::move(problems);
    return Fail(std::move(error));
  }
  std::string hash = HashPassword(pin, cost_);
  return store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) {
    return tx.pins().Put(card_no, hash, source == PinSource::kInitial);
  });
}

Result<bool> PinService::NeedsChange(const std::string& card_no) {
  ASSIGN_OR_RETURN(auto record, ports::Transact<std::optional<ports::PinRecord>>(
                                    store_, ports::TxMode::kRead,
                                    [&](ports::Tx& tx) { return tx.pins().Find(card_no); }));
  if (!record) return Fail(ErrorCode::kNOT_FOUND, "该卡未设置密码", "no PIN is set for this card");
  return record->initial;
}

Result<PinOutcome> PinService::Verify(const std::string& card_no, const std::string& pin) {
  ASSIGN_OR_RETURN(auto record, ports::Transact<std::optional<ports::PinRecord>>(
                                    store_, ports::TxMode::kRead,
                                    [&](ports::Tx& tx) { return tx.pins().Find(card_no); }));
  if (!record) return Fail(ErrorCode::kNOT_FOUND, "该卡未设置密码", "no PIN is set for this card");
  if (record->state.locked) return PinOutcome::kLocked;
  bool correct = VerifyPassword(pin, record->pin_hash);
  return ports::Transact<PinOutcome>(store_, ports::TxMode::kWrite, [&](ports::Tx& tx) -> Result<PinOutcome> {
    if (correct) {
      ASSIGN_OR_RETURN(bool opened, tx.pins().RecordSuccess(card_no));
      return opened ? PinOutcome::kCorrect : PinOutcome::kLocked;
    }
    ASSIGN_OR_RETURN(domain::PinState state, tx.pins().RecordFailure(card_no));
    return state.locked ? PinOutcome::kLocked : PinOutcome::kWrong;
  });
}

}  // namespace sscard::app
