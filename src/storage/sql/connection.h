#pragma once
// The small SQL interface the portable repositories are written against, implemented by the
// SQLite and PostgreSQL drivers. SQL text uses `?` placeholders; a driver rewrites them for
// its engine, and that is the only place where dialects differ in queries.
// Thread-safety: a Connection is used by one thread at a time (the pool hands it out).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "domain/ports/store.h"

namespace sscard::storage::sql {

using Value = std::variant<std::monostate, int64_t, std::string>;

struct Row {
  std::vector<Value> values;

  bool IsNull(size_t column) const { return std::holds_alternative<std::monostate>(values[column]); }
  int64_t Int(size_t column) const;
  std::string Text(size_t column) const;
  std::optional<int64_t> OptionalInt(size_t column) const;
};

enum class Dialect { kSqlite, kPostgres };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement that returns rows.
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<Value>& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  // Errors: ALREADY_EXISTS on a unique violation; TRANSACTION_CONFLICT on a serialization
  // failure or deadlock (the store retries the transaction).
  virtual Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  virtual Status Begin(ports::TxMode mode) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
};

}  // namespace sscard::storage::sql
