#pragma once
// Streams holder records from a legacy system's CSV export (bulk import) with a header row:
//   id_type,id_number,name,phone,ethnicity,household_address,residence_address
// Each row is checked like a form (the ID number by GB 11643, a name); sex, birth date and
// region come from the number. Rows that fail are reported by line number only — never by
// content, which is personal data. Memory stays flat: one row at a time.
// Thread-safety: one reader per thread.

#include <fstream>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "domain/person.h"

namespace sscard::infra {

class PersonCsvReader {
 public:
  // Errors: NOT_FOUND (no file), VALIDATION_FAILED (not the expected header).
  static Result<PersonCsvReader> Open(const std::string& path, Date today);

  struct Row {
    int line = 0;
    std::optional<domain::Person> person;  // empty: the row was refused for `reason`
    std::string reason;
  };
  // The next row, or nothing at the end of the file.
  std::optional<Row> Next();

 private:
  PersonCsvReader(std::ifstream file, Date today) : file_(std::move(file)), today_(today) {}
  std::ifstream file_;
  Date today_;
  int line_ = 1;
};

}  // namespace sscard::infra
