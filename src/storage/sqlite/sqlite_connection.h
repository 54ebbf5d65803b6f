#pragma once
// The SQLite driver: WAL journal, synchronous=FULL by default, foreign keys on, a busy
// timeout, BEGIN IMMEDIATE for write transactions, and a cache of prepared statements.
// Thread-safety: one thread at a time per connection (the pool guarantees it).

#include <memory>
#include <string>

#include "storage/sql/connection.h"

namespace sscard::storage::sqlite {

enum class Synchronous { kFull, kNormal };

struct SqliteOptions {
  std::string path;  // a file path, or ":memory:" (each connection then has its own database)
  Synchronous synchronous = Synchronous::kFull;
  int busy_timeout_ms = 5000;
};

// Opens one connection. Errors: UNAVAILABLE when the file cannot be opened or configured.
Result<std::unique_ptr<sql::Connection>> OpenSqlite(const SqliteOptions& options);

// Copies the live database at `source_path` into `target_path` with SQLite's online backup
// API (readers and writers may go on meanwhile). Errors: UNAVAILABLE.
Status BackupSqlite(const std::string& source_path, const std::string& target_path);

}  // namespace sscard::storage::sqlite
