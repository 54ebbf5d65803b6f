#pragma once
// Service orgs (服务机构) and their service point ids (R-SEC-4). Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/region.h"

namespace sscard::domain {

enum class OrgLevel { kProvince, kCity, kCounty, kTown };
enum class OrgType {
  kHrssHall,     // 人社服务大厅
  kTownCentre,   // 乡镇（街道）便民服务中心
  kBankBranch,   // 合作银行网点
  kCardCentre,   // 省社会保障卡制卡中心
  kPartner,      // 合作部门：医院、交通、图书馆、景区、政务大厅等 (R-ONE-1)
};

struct OrgCapabilities {
  bool pin_pad = false;          // card reader with PIN pad and PSAM (R-CAT-4)
  bool instant_printer = false;  // instant card printer (即时制卡)
};

struct Org {
  std::string code;  // 14 digits: the 9-digit region code + the 5-digit institution code
  std::string name;
  OrgLevel level = OrgLevel::kTown;
  OrgType type = OrgType::kTownCentre;
  std::string region_code;  // the region the org serves (6 or 9 digits)
  OrgCapabilities capabilities;
  std::string service_point_id;  // 17 digits (R-SEC-4)
  std::string address;
  std::string bank_code;  // for bank branches: the cooperative bank, e.g. "ICBC"
  bool active = true;
  int64_t version = 1;
};

std::string_view OrgLevelName(OrgLevel level);
std::optional<OrgLevel> ParseOrgLevel(std::string_view name);
std::string_view OrgTypeName(OrgType type);
std::optional<OrgType> ParseOrgType(std::string_view name);

// The org level that matches a region level (a county hall serves a county).
OrgLevel OrgLevelFor(RegionLevel level);

// The org code of an institution in a region: RegionCode9(region) + institution (5 digits).
Result<std::string> MakeOrgCode(std::string_view region_code, std::string_view institution);

// A service point id split into its parts.
struct ServicePointId {
  std::string region;       // 9 digits
  std::string institution;  // 5 digits
  int serial = 0;           // 1..999
};

// Checks the R-SEC-4 form: 9-digit region + 5-digit institution + 3-digit serial (001..999).
// Does not check that the region exists (the caller does, against the region data).
// Errors: INVALID_SERVICE_POINT_ID (R-SEC-4) naming the failed part.
Result<ServicePointId> ParseServicePointId(std::string_view id);

// The next service point id for an org: its code + the lowest serial not in `taken`.
// Errors: INVALID_SERVICE_POINT_ID when the org code is malformed or all 999 are taken.
Result<std::string> NextServicePointId(std::string_view org_code,
                                       const std::vector<std::string>& taken);

}  // namespace sscard::domain
