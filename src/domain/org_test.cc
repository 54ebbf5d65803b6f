#include "domain/org.h"

#include <gtest/gtest.h>

namespace sscard::domain {
namespace {

// R-SEC-4: service point id = region code (9) + institution code (5) + serial (3).
TEST(ServicePointId, ParsesTheThreePartsForRSec4) {
  auto parsed = ParseServicePointId("42011500100001001");
  ASSERT_TRUE(parsed) << parsed.error().detail.en;
  EXPECT_EQ(parsed->region, "420115001");
  EXPECT_EQ(parsed->institution, "00001");
  EXPECT_EQ(parsed->serial, 1);
}

TEST(ServicePointId, RefusesMalformedIdsNamingThePartForRSec4) {
  struct Case {
    const char* id;
    const char* why;
  };
  for (const Case& bad : {Case{"4201150010000100", "16 digits"},
                          Case{"420115001000010011", "18 digits"},
                          Case{"4201150010000100A", "a letter"},
                          Case{"42011500100001000", "serial 000"},
                          Case{"42011500000001001x", "a letter, 18 long"},
                          Case{"00000000000001001", "region 000000000"}}) {
    auto parsed = ParseServicePointId(bad.id);
    ASSERT_FALSE(parsed) << bad.why;
    EXPECT_EQ(parsed.error().code, ErrorCode::kINVALID_SERVICE_POINT_ID) << bad.why;
    EXPECT_EQ(parsed.error().rule, "R-SEC-4");
    EXPECT_FALSE(parsed.error().detail.zh.empty());
  }
  EXPECT_TRUE(ParseServicePointId("42011500000001001"));  // a county org (padded region)
}

TEST(ServicePointId, NextTakesTheLowestFreeSerialForRSec4) {
  EXPECT_EQ(NextServicePointId("42011500100001", {}).value(), "42011500100001001");
  EXPECT_EQ(NextServicePointId("42011500100001", {"42011500100001001", "42011500100001003"})
                .value(),
            "42011500100001002");
  std::vector<std::string> all;
  for (int serial = 1; serial <= 999; ++serial) {
    all.push_back("42011500100001" + std::string(3 - std::to_string(serial).size(), '0') +
                  std::to_string(serial));
  }
  auto full = NextServicePointId("42011500100001", all);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().rule, "R-SEC-4");
  EXPECT_FALSE(NextServicePointId("4201150010000", {}));
}

TEST(OrgCode, JoinsTheNineDigitRegionAndInstitution) {
  EXPECT_EQ(MakeOrgCode("420115", "00001").value(), "42011500000001");
  EXPECT_EQ(MakeOrgCode("420115001", "00002").value(), "42011500100002");
  EXPECT_FALSE(MakeOrgCode("420115", "0001"));
  EXPECT_FALSE(MakeOrgCode("4201", "00001"));
}

TEST(OrgNames, RoundTrip) {
  for (OrgType type : {OrgType::kHrssHall, OrgType::kTownCentre, OrgType::kBankBranch,
                       OrgType::kCardCentre, OrgType::kPartner}) {
    EXPECT_EQ(ParseOrgType(OrgTypeName(type)), type);
  }
  for (OrgLevel level : {OrgLevel::kProvince, OrgLevel::kCity, OrgLevel::kCounty, OrgLevel::kTown}) {
    EXPECT_EQ(ParseOrgLevel(OrgLevelName(level)), level);
  }
  EXPECT_FALSE(ParseOrgType("bank"));
}

}  // namespace
}  // namespace sscard::domain
