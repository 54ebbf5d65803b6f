#pragma once
// Reads a population registry export (R-ID-8) as CSV with a header row:
//   id_number,name,sex,birth_date,alive,region_code[,phone[,other_documents]]
// sex is male/female (or 1/2), birth_date YYYY-MM-DD, alive 1/0 (or true/false), phone the
// phone on file, other_documents the id types the person also holds, ';'-separated (R-ID-1).
// And the insurance system's status file (R-CANCEL-2):
//   id_number,status,as_of          status open/closed (or 1/0), as_of YYYY-MM-DD
// Thread-safety: a pure function of the file.

#include <string>
#include <vector>

#include "common/result.h"
#include "domain/person.h"

namespace sscard::infra {

// Errors: NOT_FOUND (no file), VALIDATION_FAILED (a bad row; the message names the line —
// never its content, which is personal data).
Result<std::vector<domain::RegistryEntry>> ReadRegistryCsv(const std::string& path);
Result<std::vector<domain::InsuredStatus>> ReadInsuredCsv(const std::string& path);

}  // namespace sscard::infra
