#pragma once
// The SQL AuditRepository (R-SEC-3), portable across SQLite and PostgreSQL: rows with their
// keyed MAC, the sealer that chains them, verification and retention.
// Thread-safety: as its Connection (one transaction at a time).

#include <memory>

#include "domain/ports/sealer.h"
#include "domain/ports/store.h"
#include "storage/sql/connection.h"

namespace sscard::storage::sql {

std::unique_ptr<ports::AuditRepository> MakeSqlAudit(Connection& connection, const ports::Sealer* sealer);

// Walks the chain on a connection already inside a transaction: the store's VerifyChain, and
// the tamper test, which changes rows and verifies inside one transaction it rolls back.
Result<ports::AuditChainReport> VerifyAuditChain(Connection& connection, const ports::Sealer* sealer);

}  // namespace sscard::storage::sql
