#pragma once
// The Store over SQL connections (SQLite or PostgreSQL): a pool of connections, one
// transaction per Run, retry of serialization failures, metrics of every transaction.
// Thread-safety: all methods may be called concurrently; each Run holds one connection.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/metrics.h"
#include "domain/ports/sealer.h"
#include "domain/ports/store.h"
#include "storage/sql/connection.h"

namespace sscard::storage::sql {

using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

struct SqlStoreOptions {
  int pool_size = 4;
  int max_attempts = 5;        // tries of a body that hit TRANSACTION_CONFLICT
  Metrics* metrics = nullptr;  // optional
  std::string engine;          // "sqlite" or "postgresql"
  const ports::Sealer* sealer = nullptr;  // required for personal data (persons, registry)
};

class SqlStore final : public ports::Store {
 public:
  // Opens `options.pool_size` connections. Errors: UNAVAILABLE when the first one fails.
  static Result<std::unique_ptr<SqlStore>> Open(ConnectionFactory factory,
                                                SqlStoreOptions options);
  Status Run(ports::TxMode mode, const std::function<Status(ports::Tx&)>& body) override;
  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;
  Status Ping() override;
  std::string Engine() const override { return options_.engine; }
  bool SerializesWriters() const override { return options_.engine == "sqlite"; }

 private:
  SqlStore(SqlStoreOptions options, std::vector<std::unique_ptr<Connection>> connections);
  // A connection taken from the pool for one scope.
  class Lease {
   public:
    explicit Lease(SqlStore& store);
    ~Lease();
    Connection& get() { return *connection_; }

   private:
    SqlStore& store_;
    std::unique_ptr<Connection> connection_;
  };
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  SqlStoreOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace sscard::storage::sql
