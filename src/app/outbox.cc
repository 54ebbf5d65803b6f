#include "app/outbox.h"

#include <algorithm>

namespace sscard::app {

Status TextNotifier::Send(const ports::OutboxMessage& message) {
  if (message.person_id.empty()) return Ok();
  ASSIGN_OR_RETURN(auto person, ports::Transact<std::optional<domain::Person>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
                     return tx.persons().FindById(message.person_id);
                   }));
  if (!person || person->phone.empty()) return Ok();
  return sender_.Send(person->phone, message.text);
}

Result<DrainReport> OutboxDrainer::DrainOnce(TimePoint now, int limit) {
  ASSIGN_OR_RETURN(auto due, ports::Transact<std::vector<ports::OutboxMessage>>(
                                 store_, ports::TxMode::kRead,
                                 [&](ports::Tx& tx) { return tx.outbox().Due(now, limit); }));
  DrainReport report;
  for (const auto& message : due) {
    Status sent = notifier_.Send(message);
    RETURN_IF_ERROR(store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
      if (sent) return tx.outbox().MarkSent(message.id, now);
      int attempts = message.attempts + 1;
      auto delay = std::min(std::chrono::minutes(60), std::chrono::minutes(1 << std::min(attempts - 1, 6)));
      return tx.outbox().MarkFailed(message.id, attempts, now + delay);
    }));
    ++(sent ? report.sent : report.failed);
  }
  return report;
}

}  // namespace sscard::app
