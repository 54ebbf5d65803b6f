#pragma once
// The SQL PaymentRepository (R-ONE-7), portable across SQLite and PostgreSQL.
// Thread-safety: as its Connection (one transaction at a time).

#include <memory>

#include "domain/ports/sealer.h"
#include "domain/ports/store.h"
#include "storage/sql/connection.h"

namespace sscard::storage::sql {

std::unique_ptr<ports::PaymentRepository> MakeSqlPayments(Connection& connection, const ports::Sealer* sealer);

}  // namespace sscard::storage::sql
