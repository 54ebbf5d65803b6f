#include "infra/registry_csv.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sscard::infra {

Result<std::vector<domain::RegistryEntry>> ReadRegistryCsv(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Fail(ErrorCode::kNOT_FOUND, "找不到人口库文件 " + path, "registry file not found: " + path);
  std::vector<domain::RegistryEntry> entries;
  std::string line;
  int line_number = 0;
  auto bad = [&](const char* what) {
    return Fail(ErrorCode::kVALIDATION_FAILED, fmt::format("人口库文件第{}行有误：{}", line_number, what),
                fmt::format("registry line {}: {}", line_number, what));
  };
  while (std::getline(file, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (line_number == 1 && line.rfind("id_number", 0) == 0)) continue;
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    // A trailing empty phone cell is dropped by getline: 6 or 7 columns.
    if (cells.size() != 6 && cells.size() != 7) return bad("应为6或7列 / 6 or 7 columns expected");
    domain::RegistryEntry entry;
    entry.id_number = cells[0];
    entry.name = cells[1];
    entry.sex = cells[2] == "male" || cells[2] == "1"     ? domain::Sex::kMale
                : cells[2] == "female" || cells[2] == "2" ? domain::Sex::kFemale
                                                          : domain::Sex::kUnknown;
    if (!cells[3].empty()) {
      entry.birth_date = ParseDate(cells[3]);
      if (!entry.birth_date) return bad("出生日期格式 / birth date format");
    }
    if (cells[4] != "1" && cells[4] != "0" && cells[4] != "true" && cells[4] != "false") {
      return bad("alive 应为 1 或 0 / alive is 1 or 0");
    }
    entry.alive = cells[4] == "1" || cells[4] == "true";
    entry.region_code = cells[5];
    if (cells.size() == 7) entry.phone = cells[6];  // the phone on file: what online sign-up trusts
    if (entry.id_number.empty() || entry.name.empty()) return bad("证件号码和姓名必填 / id and name required");
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace sscard::infra
