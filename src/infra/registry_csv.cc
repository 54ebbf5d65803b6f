#include "infra/registry_csv.h"

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <sstream>

namespace sscard::infra {

namespace {

// An external system's CSV export with an optional "id_number,…" header row: `row` is called
// with each line's cells and answers the line's problem (a fixed text, never the content,
// which is personal data) or nullptr. Errors: NOT_FOUND, VALIDATION_FAILED naming the line.
Status ForEachRow(const std::string& path, const std::string& file_zh, const std::string& file_en,
                  const std::function<const char*(const std::vector<std::string>&)>& row) {
  std::ifstream file(path);
  if (!file) return Fail(ErrorCode::kNOT_FOUND, "找不到" + file_zh + " " + path, file_en + " not found: " + path);
  std::string line;
  int line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (line_number == 1 && line.rfind("id_number", 0) == 0)) continue;
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    if (const char* problem = row(cells)) {
      return Fail(ErrorCode::kVALIDATION_FAILED, fmt::format("{}第{}行有误：{}", file_zh, line_number, problem),
                  fmt::format("{} line {}: {}", file_en, line_number, problem));
    }
  }
  return Ok();
}

}  // namespace

Result<std::vector<domain::RegistryEntry>> ReadRegistryCsv(const std::string& path) {
  std::vector<domain::RegistryEntry> entries;
  RETURN_IF_ERROR(ForEachRow(path, "人口库文件", "registry", [&](const std::vector<std::string>& cells) -> const char* {
    // A trailing empty cell is dropped by getline: 6 to 8 columns.
    if (cells.size() < 6 || cells.size() > 8) return "应为6至8列 / 6 to 8 columns expected";
    domain::RegistryEntry entry;
    entry.id_number = cells[0];
    entry.name = cells[1];
    entry.sex = cells[2] == "male" || cells[2] == "1"     ? domain::Sex::kMale
                : cells[2] == "female" || cells[2] == "2" ? domain::Sex::kFemale
                                                          : domain::Sex::kUnknown;
    if (!cells[3].empty()) {
      entry.birth_date = ParseDate(cells[3]);
      if (!entry.birth_date) return "出生日期格式 / birth date format";
    }
    if (cells[4] != "1" && cells[4] != "0" && cells[4] != "true" && cells[4] != "false") {
      return "alive 应为 1 或 0 / alive is 1 or 0";
    }
    entry.alive = cells[4] == "1" || cells[4] == "true";
    entry.region_code = cells[5];
    if (cells.size() >= 7) entry.phone = cells[6];  // the phone on file: what online sign-up trusts
    if (cells.size() == 8) {
      // R-ID-1: the other documents the person holds ("hk_macao_residence_permit;...").
      auto documents = domain::ParseIdTypeList(cells[7]);
      if (!documents) return "other_documents 含未知证件类型 / unknown document type in other_documents";
      entry.other_documents = *documents;
    }
    if (entry.id_number.empty() || entry.name.empty()) return "证件号码和姓名必填 / id and name required";
    entries.push_back(std::move(entry));
    return nullptr;
  }));
  return entries;
}

Result<std::vector<domain::InsuredStatus>> ReadInsuredCsv(const std::string& path) {
  std::vector<domain::InsuredStatus> rows;
  RETURN_IF_ERROR(ForEachRow(path, "参保状态文件", "insured status", [&](const std::vector<std::string>& cells) -> const char* {
    if (cells.size() != 3) return "应为3列：id_number,status,as_of / 3 columns expected";
    domain::InsuredStatus row;
    row.id_number = domain::NormalizeIdNumber(cells[0]);
    if (row.id_number.empty() || row.id_number.size() > 40) return "证件号码 / id_number";
    if (cells[1] == "open" || cells[1] == "1") {
      row.open = true;
    } else if (cells[1] == "closed" || cells[1] == "0") {
      row.open = false;
    } else {
      return "status 应为 open 或 closed / status is open or closed";
    }
    auto as_of = ParseDate(cells[2]);
    if (!as_of) return "as_of 日期格式 / as_of date format";
    row.as_of = *as_of;
    rows.push_back(std::move(row));
    return nullptr;
  }));
  return rows;
}

}  // namespace sscard::infra
