#include "domain/region.h"

#include <algorithm>

namespace sscard::domain {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view RegionLevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince: return "province";
    case RegionLevel::kCity: return "city";
    case RegionLevel::kCounty: return "county";
    case RegionLevel::kTown: return "town";
  }
  return "province";
}

std::optional<RegionLevel> ParseRegionLevel(std::string_view name) {
  for (RegionLevel level : {RegionLevel::kProvince, RegionLevel::kCity, RegionLevel::kCounty,
                            RegionLevel::kTown}) {
    if (RegionLevelName(level) == name) return level;
  }
  return std::nullopt;
}

std::optional<RegionLevel> LevelOfCode(std::string_view code) {
  if (!AllDigits(code)) return std::nullopt;
  if (code.size() == 9) return code.substr(6) == "000" ? std::nullopt
                                                       : std::optional(RegionLevel::kTown);
  if (code.size() != 6 || code.substr(0, 2) == "00") return std::nullopt;
  if (code.substr(2) == "0000") return RegionLevel::kProvince;
  if (code.substr(4) == "00") return RegionLevel::kCity;
  return RegionLevel::kCounty;
}

std::optional<std::string> NormalizeRegionCode(std::string_view code) {
  if (!AllDigits(code)) return std::nullopt;
  std::string normalized(code);
  if (code.size() == 2) normalized += "0000";
  else if (code.size() == 4) normalized += "00";
  if (!LevelOfCode(normalized)) return std::nullopt;
  return normalized;
}

std::string_view ScopePrefix(std::string_view code) {
  auto level = LevelOfCode(code);
  if (!level) return code;
  switch (*level) {
    case RegionLevel::kProvince: return code.substr(0, 2);
    case RegionLevel::kCity: return code.substr(0, 4);
    case RegionLevel::kCounty: return code.substr(0, 6);
    case RegionLevel::kTown: return code;
  }
  return code;
}

bool RegionContains(std::string_view scope, std::string_view code) {
  if (!LevelOfCode(scope) || !LevelOfCode(code)) return false;
  return code.substr(0, std::min(code.size(), ScopePrefix(scope).size())) == ScopePrefix(scope) &&
         code.size() >= ScopePrefix(scope).size();
}

std::string RegionCode9(std::string_view code) {
  std::string padded(code);
  if (padded.size() == 6) padded += "000";
  return padded;
}

}  // namespace sscard::domain
