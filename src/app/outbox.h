#pragma once
// Sends the outbox's messages to applicants through a pluggable Notifier (SMS gateway,
// 12333 push, …); the default writes a log line without personal data. Failed sends are
// retried with growing delays (1, 2, 4 … minutes, at most an hour).
// Thread-safety: DrainOnce may be called concurrently with everything else; one drainer
// per process.

#include <functional>
#include <string>

#include "app/text_sender.h"
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

// Notices as texts: the message goes to the phone on file of the person it is for (sealed at
// rest, opened here only). A person without a phone on file: nothing to send, done.
// Errors: the sender's (UNAVAILABLE: the drainer tries again later).
class TextNotifier final : public Notifier {
 public:
  TextNotifier(ports::Store& store, TextSender& sender) : store_(store), sender_(sender) {}
  Status Send(const ports::OutboxMessage& message) override;

 private:
  ports::Store& store_;
  TextSender& sender_;
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
