#pragma once
// Opens the store a database URL names:
//   sqlite:///abs/path.db, sqlite:relative/path.db   the embedded engine (default)
//   postgresql://user@host:port/db?options=…         PostgreSQL (production)
//   memory:                                          the in-memory store (tests, trials)
// Errors: VALIDATION_FAILED for an unknown scheme; UNAVAILABLE when the database cannot be
// opened.

#include <memory>
#include <string>

#include "common/metrics.h"
#include "domain/ports/sealer.h"
#include "domain/ports/store.h"

namespace sscard::storage {

struct StoreOptions {
  int pool_size = 4;
  bool sqlite_synchronous_full = true;
  Metrics* metrics = nullptr;
  const ports::Sealer* sealer = nullptr;  // seals personal data in SQL stores
};

Result<std::unique_ptr<ports::Store>> OpenStore(const std::string& url, const StoreOptions& options);

// The file path of a sqlite URL, or empty when the URL is not sqlite.
std::string SqlitePathOf(const std::string& url);

}  // namespace sscard::storage
