#pragma once
// The catalog's data file (data/catalog.json), compiled into the binary; a file given at
// start-up replaces it. Thread-safety: pure functions; the built-in catalog is immutable.

#include <string>

#include "domain/catalog.h"

namespace sscard::infra {

// Errors: MALFORMED_JSON (not the documented shape), VALIDATION_FAILED (inconsistent).
Result<domain::Catalog> ParseCatalog(const std::string& json_text);
Result<domain::Catalog> ReadCatalogFile(const std::string& path);
const domain::Catalog& BuiltInCatalog();

}  // namespace sscard::infra
