// PIN policy, names and rare characters, pension effective month.

#include <gtest/gtest.h>

#include <set>

#include "domain/name.h"
#include "domain/pension.h"
#include "domain/pin.h"
#include "domain/photo.h"

namespace sscard::domain {
namespace {

Date D(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

std::set<std::string> Codes(const std::vector<FieldError>& problems) {
  std::set<std::string> codes;
  for (const auto& problem : problems) codes.insert(problem.code);
  return codes;
}

// R-PIN-2: six digits; refuse equal digits, runs, birth dates, phone and ID tails.
TEST(Pin, RefusesWeakPinsForRPin2) {
  PinContext context{D(1990, 3, 7), "13800135678", "420115199003071234"};
  EXPECT_TRUE(CheckPin("480259", context).empty());
  EXPECT_EQ(Codes(CheckPin("12345", context)), std::set<std::string>{"PIN_FORMAT"});
  EXPECT_EQ(Codes(CheckPin("12a456", context)), std::set<std::string>{"PIN_FORMAT"});
  EXPECT_EQ(Codes(CheckPin("１２３４５６", context)), std::set<std::string>{"PIN_FORMAT"});
  EXPECT_EQ(Codes(CheckPin("777777", context)), std::set<std::string>{"PIN_ALL_SAME"});
  EXPECT_EQ(Codes(CheckPin("123456", context)), std::set<std::string>{"PIN_SEQUENCE"});
  EXPECT_EQ(Codes(CheckPin("987654", context)), std::set<std::string>{"PIN_SEQUENCE"});
  EXPECT_EQ(Codes(CheckPin("900307", context)), std::set<std::string>{"PIN_BIRTH_DATE"});  // YYMMDD
  EXPECT_EQ(Codes(CheckPin("030790", context)), std::set<std::string>{"PIN_BIRTH_DATE"});  // MMDDYY
  EXPECT_EQ(Codes(CheckPin("070390", context)), std::set<std::string>{"PIN_BIRTH_DATE"});  // DDMMYY
  EXPECT_EQ(Codes(CheckPin("135678", context)), std::set<std::string>{"PIN_PHONE"});
  EXPECT_EQ(Codes(CheckPin("071234", context)), std::set<std::string>{"PIN_ID_NUMBER"});
  for (const auto& problem : CheckPin("123456", context)) EXPECT_EQ(problem.rule, "R-PIN-2");
  EXPECT_TRUE(CheckPin("900307", {}).empty());  // without a birth date, nothing to compare
}

// R-PIN-3: six wrong PINs in a row lock the social-security function.
TEST(Pin, SixWrongEntriesLockForRPin3) {
  PinState state;
  for (int wrong = 1; wrong <= 5; ++wrong) {
    state = AfterPinEntry(state, false);
    EXPECT_FALSE(state.locked);
  }
  EXPECT_EQ(AfterPinEntry(state, true).failures, 0);  // a right one clears the count
  state = AfterPinEntry(state, false);
  EXPECT_TRUE(state.locked);
  EXPECT_TRUE(AfterPinEntry(state, true).locked);  // locked stays locked
}

// R-ID-7: a name character outside the common GB18030 range makes a rare-character name.
TEST(Name, DetectsRareCharactersForRId7) {
  NameCheck common = CheckName("张三");
  EXPECT_TRUE(common.valid);
  EXPECT_FALSE(common.rare);
  NameCheck minority = CheckName("买买提·艾力");
  EXPECT_TRUE(minority.valid);
  EXPECT_FALSE(minority.rare);
  NameCheck rare = CheckName("王𠀀明");  // U+20000, Extension B
  EXPECT_TRUE(rare.valid);
  EXPECT_TRUE(rare.rare);
  EXPECT_EQ(rare.rare_chars, std::vector<std::string>{"𠀀"});
  NameCheck private_use = CheckName("李\xEE\x80\x80");  // U+E000
  EXPECT_TRUE(private_use.rare);
  EXPECT_TRUE(CheckName("䶮").valid);  // U+4DAE, Extension A: common
  EXPECT_FALSE(CheckName("䶮").rare);
  EXPECT_TRUE(CheckName("龦").rare);  // U+9FA6, beyond U+9FA5
  EXPECT_TRUE(CheckName("John Smith").valid);
}

TEST(Name, RefusesWhatIsNoNameForRId7) {
  EXPECT_EQ(Codes(CheckName("").problems), std::set<std::string>{"NAME_EMPTY"});
  EXPECT_EQ(Codes(CheckName("张3").problems), std::set<std::string>{"NAME_BAD_CHARACTER"});
  EXPECT_EQ(Codes(CheckName("\xFF\xFE").problems), std::set<std::string>{"NAME_ENCODING"});
  EXPECT_EQ(Codes(CheckName("\xE4\xB8").problems), std::set<std::string>{"NAME_ENCODING"});
  EXPECT_EQ(Codes(CheckName("\xC0\x80").problems), std::set<std::string>{"NAME_ENCODING"});  // overlong
  EXPECT_EQ(CheckName("张三").problems.size(), 0u);
  NamePolicy narrow;
  narrow.common = {{0x4E00, 0x4E00}};
  EXPECT_TRUE(CheckName("张", narrow).rare);  // the ranges are configuration
}

// R-BUNDLE-6: a change on day 1–15 takes effect next month; later, the month after next.
TEST(Pension, EffectiveMonthFollowsTheCutoffForRBundle6) {
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 3, 1))), "2026-04-01");
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 3, 15))), "2026-04-01");
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 3, 16))), "2026-05-01");
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 12, 10))), "2027-01-01");
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 12, 20))), "2027-02-01");
  EXPECT_EQ(FormatDate(PensionEffectiveMonth(D(2026, 3, 20), {20})), "2026-04-01");
}

// R-ID-5: under 7 the photo may be omitted.
TEST(Photo, ChildrenUnderSevenMayHaveNoPhotoForRId5) {
  EXPECT_FALSE(PhotoRequired(6));
  EXPECT_TRUE(PhotoRequired(7));
}

}  // namespace
}  // namespace sscard::domain
