#include "infra/person_csv.h"

#include <sstream>
#include <vector>

#include "domain/id_document.h"

namespace sscard::infra {

namespace {
constexpr const char* kHeader = "id_type,id_number,name,phone,ethnicity,household_address,residence_address";
}  // namespace

Result<PersonCsvReader> PersonCsvReader::Open(const std::string& path, Date today) {
  std::ifstream file(path);
  if (!file) return Fail(ErrorCode::kNOT_FOUND, "找不到人员文件 " + path, "person file not found: " + path);
  std::string header;
  std::getline(file, header);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);
  if (header != kHeader) {
    return Fail(ErrorCode::kVALIDATION_FAILED, std::string("人员文件的表头应为：") + kHeader,
                std::string("the header must be: ") + kHeader);
  }
  return PersonCsvReader(std::move(file), today);
}

std::optional<PersonCsvReader::Row> PersonCsvReader::Next() {
  std::string text;
  while (std::getline(file_, text)) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty()) continue;
    Row row;
    row.line = line_;
    std::vector<std::string> cells;
    std::stringstream stream(text);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    if (!text.empty() && text.back() == ',') cells.emplace_back();
    if (cells.size() != 7) {
      row.reason = "应为7列 / 7 columns expected";
      return row;
    }
    auto type = domain::ParseIdType(cells[0]);
    if (!type) {
      row.reason = "证件类型无效 / unknown id_type";
      return row;
    }
    domain::IdCheck check = domain::CheckIdNumber(*type, cells[1], today_);
    if (!check.valid) {
      row.reason = "证件号码无效 / invalid ID number";
      return row;
    }
    if (cells[2].empty()) {
      row.reason = "姓名必填 / name required";
      return row;
    }
    domain::Person person;
    person.id_type = *type;
    person.id_number = check.normalized;
    person.name = cells[2];
    person.phone = cells[3];
    person.ethnicity = cells[4];
    person.household_address = cells[5];
    person.residence_address = cells[6];
    person.sex = check.sex;
    person.birth_date = check.birth_date;
    person.region_code = check.region_code;
    row.person = std::move(person);
    return row;
  }
  return std::nullopt;
}

}  // namespace sscard::infra
