#pragma once
// The SQL CredentialRepository (R-ONE-6), portable across SQLite and PostgreSQL.
// Thread-safety: as its Connection (one transaction at a time).

#include <memory>

#include "domain/ports/sealer.h"
#include "domain/ports/store.h"
#include "storage/sql/connection.h"

namespace sscard::storage::sql {

std::unique_ptr<ports::CredentialRepository> MakeSqlCredentials(Connection& connection, const ports::Sealer* sealer);

}  // namespace sscard::storage::sql
