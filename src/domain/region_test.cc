#include "domain/region.h"

#include <gtest/gtest.h>

namespace sscard::domain {
namespace {

TEST(Region, LevelOfCodeReadsTheCodeShape) {
  EXPECT_EQ(LevelOfCode("420000"), RegionLevel::kProvince);
  EXPECT_EQ(LevelOfCode("420100"), RegionLevel::kCity);
  EXPECT_EQ(LevelOfCode("420115"), RegionLevel::kCounty);
  EXPECT_EQ(LevelOfCode("420115001"), RegionLevel::kTown);
  EXPECT_FALSE(LevelOfCode("42011"));
  EXPECT_FALSE(LevelOfCode("420115000"));  // a county padded to 9 digits is no town
  EXPECT_FALSE(LevelOfCode("00abcd"));
  EXPECT_FALSE(LevelOfCode(""));
}

TEST(Region, NormalizeTurnsPackageShortCodesIntoSixDigits) {
  EXPECT_EQ(NormalizeRegionCode("42"), "420000");
  EXPECT_EQ(NormalizeRegionCode("4201"), "420100");
  EXPECT_EQ(NormalizeRegionCode("420115"), "420115");
  EXPECT_EQ(NormalizeRegionCode("420115001"), "420115001");
  EXPECT_FALSE(NormalizeRegionCode("4x"));
}

// R-SEC-1: permissions follow org level and region; a county never sees another county.
TEST(Region, ContainsFollowsTheSubtreeForRSec1) {
  EXPECT_TRUE(RegionContains("420000", "420115001"));
  EXPECT_TRUE(RegionContains("420100", "420115"));
  EXPECT_TRUE(RegionContains("420115", "420115001"));
  EXPECT_TRUE(RegionContains("420115", "420115"));
  EXPECT_FALSE(RegionContains("420115", "420116"));
  EXPECT_FALSE(RegionContains("420115", "420116001"));
  EXPECT_FALSE(RegionContains("420115001", "420115"));  // a town does not see its county
  EXPECT_FALSE(RegionContains("420115001", "420115002"));
  EXPECT_FALSE(RegionContains("420000", "430000"));
  EXPECT_FALSE(RegionContains("", "420115"));
}

TEST(Region, Code9PadsCountiesForServicePointIds) {
  EXPECT_EQ(RegionCode9("420115"), "420115000");
  EXPECT_EQ(RegionCode9("420115001"), "420115001");
}

}  // namespace
}  // namespace sscard::domain
