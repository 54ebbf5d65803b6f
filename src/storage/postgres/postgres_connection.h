#pragma once
// The PostgreSQL driver (libpq): `?` placeholders rewritten to $n, statements prepared once
// per connection, write transactions SERIALIZABLE (the store retries 40001/40P01 as
// TRANSACTION_CONFLICT), read transactions REPEATABLE READ READ ONLY.
// Thread-safety: one thread at a time per connection (the pool guarantees it).

#include <memory>
#include <string>

#include "storage/sql/connection.h"

namespace sscard::storage::postgres {

// Opens one connection to a postgresql:// URL. Errors: UNAVAILABLE.
Result<std::unique_ptr<sql::Connection>> OpenPostgres(const std::string& url);

// `?` placeholders to $1, $2, … (outside quoted literals and identifiers).
std::string RewritePlaceholders(std::string_view sql);

}  // namespace sscard::storage::postgres
