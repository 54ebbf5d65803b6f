#pragma once
// Sends the outbox's messages to applicants through a pluggable Notifier (SMS gateway,
// 12333 push, …); the default writes a log line without personal data. Failed sends are
// retried with growing delays (1, 2, 4 … minutes, at most an hour).
// Thread-safety: DrainOnce may be called concurrently with everything else; one drainer
// per process.

#include <functional>
#include <string>

#include "domain/ports/store.h"

namespace sscard::app {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Delivers one message to the person. Errors: UNAVAILABLE (try later).
  virtual Status Send(const ports::OutboxMessage& message) = 0;
};

struct DrainReport {
  int sent = 0;
  int failed = 0;
};

class OutboxDrainer {
 public:
  OutboxDrainer(ports::Store& store, Notifier& notifier) : store_(store), notifier_(notifier) {}
  // Sends what is due at `now` (at most `limit` messages).
  Result<DrainReport> DrainOnce(TimePoint now, int limit = 100);

 private:
  ports::Store& store_;
  Notifier& notifier_;
};

}  // namespace sscard::app
