#pragma once
// The numbered, forward-only schema migrations (storage/migrations/NNNN_name.sql), embedded
// in the binary. Scripts are portable SQL; `AdaptForDialect` is the one place that turns
// the few engine-specific tokens into each engine's spelling.

#include <string>
#include <string_view>
#include <vector>

#include "storage/sql/connection.h"

namespace sscard::storage::sql {

struct Migration {
  int version = 0;
  std::string name;
  std::string script;
};

// All migrations in version order.
const std::vector<Migration>& AllMigrations();

// Replaces `{{BLOB}}` (BLOB / BYTEA) and similar tokens for the engine.
std::string AdaptForDialect(std::string_view script, Dialect dialect);

}  // namespace sscard::storage::sql
