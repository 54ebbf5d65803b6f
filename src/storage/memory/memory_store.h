#pragma once
// In-memory Store for fast unit tests: the same contract as the SQL stores (the contract
// test suite proves it). Transactions are serialised by one mutex; a write transaction works
// on a copy of the state that replaces it on commit, so a failed body leaves nothing behind.
// Thread-safety: all methods may be called concurrently.

#include <memory>
#include <mutex>

#include "domain/ports/store.h"

namespace sscard::storage {

class MemoryStore final : public ports::Store {
 public:
  MemoryStore();
  ~MemoryStore() override;
  Status Run(ports::TxMode mode, const std::function<Status(ports::Tx&)>& body) override;
  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;
  Status Ping() override { return Ok(); }
  std::string Engine() const override { return "memory"; }
  bool SerializesWriters() const override { return true; }

  struct State;

 private:
  std::mutex mutex_;
  std::unique_ptr<State> state_;
};

}  // namespace sscard::storage
