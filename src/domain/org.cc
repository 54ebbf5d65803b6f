#include "domain/org.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace sscard::domain {
namespace {

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error InvalidId(std::string zh, std::string en) {
  return MakeError(ErrorCode::kINVALID_SERVICE_POINT_ID, std::move(zh), std::move(en))
      .WithRule("R-SEC-4");
}

}  // namespace

std::string_view OrgLevelName(OrgLevel level) {
  return RegionLevelName(static_cast<RegionLevel>(level));
}

std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
  auto level = ParseRegionLevel(name);
  if (!level) return std::nullopt;
  return OrgLevelFor(*level);
}

OrgLevel OrgLevelFor(RegionLevel level) { return static_cast<OrgLevel>(level); }

std::string_view OrgTypeName(OrgType type) {
  switch (type) {
    case OrgType::kHrssHall: return "hrss_hall";
    case OrgType::kTownCentre: return "town_centre";
    case OrgType::kBankBranch: return "bank_branch";
    case OrgType::kCardCentre: return "card_centre";
    case OrgType::kPartner: return "partner";
  }
  return "hrss_hall";
}

std::optional<OrgType> ParseOrgType(std::string_view name) {
  for (OrgType type : {OrgType::kHrssHall, OrgType::kTownCentre, OrgType::kBankBranch,
                       OrgType::kCardCentre, OrgType::kPartner}) {
    if (OrgTypeName(type) == name) return type;
  }
  return std::nullopt;
}

Result<std::string> MakeOrgCode(std::string_view region_code, std::string_view institution) {
  if (!LevelOfCode(region_code)) {
    return Fail(InvalidId("地区代码不是有效的行政区划代码", "the region code is not a region code"));
  }
  if (institution.size() != 5 || !AllDigits(institution)) {
    return Fail(InvalidId("机构代码应为5位数字", "the institution code must be 5 digits"));
  }
  return RegionCode9(region_code) + std::string(institution);
}

Result<ServicePointId> ParseServicePointId(std::string_view id) {
  if (id.size() != 17) {
    return Fail(InvalidId(fmt::format("服务网点编号应为17位，实际为{}位", id.size()),
                          fmt::format("a service point id has 17 digits, not {}", id.size())));
  }
  if (!AllDigits(id)) {
    return Fail(InvalidId("服务网点编号只能包含数字", "a service point id has digits only"));
  }
  ServicePointId parsed{std::string(id.substr(0, 9)), std::string(id.substr(9, 5)),
                        std::stoi(std::string(id.substr(14, 3)))};
  std::string_view region = id.substr(0, 9);
  bool region_ok = region.substr(6) == "000" ? LevelOfCode(region.substr(0, 6)).has_value()
                                             : LevelOfCode(region).has_value();
  if (!region_ok) {
    return Fail(InvalidId("前9位不是有效的地区代码", "the first 9 digits are not a region code"));
  }
  if (parsed.serial == 0) {
    return Fail(InvalidId("流水号应为001至999", "the serial must be 001 to 999"));
  }
  return parsed;
}

Result<std::string> NextServicePointId(std::string_view org_code,
                                       const std::vector<std::string>& taken) {
  if (org_code.size() != 14 || !AllDigits(org_code)) {
    return Fail(InvalidId("机构编码应为14位数字", "an org code has 14 digits"));
  }
  std::set<std::string> used(taken.begin(), taken.end());
  for (int serial = 1; serial <= 999; ++serial) {
    std::string candidate = fmt::format("{}{:03}", org_code, serial);
    if (!used.count(candidate)) {
      RETURN_IF_ERROR(ParseServicePointId(candidate));
      return candidate;
    }
  }
  return Fail(InvalidId("该机构的流水号已用尽", "all 999 serials of this org are taken"));
}

}  // namespace sscard::domain
