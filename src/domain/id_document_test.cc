#include "domain/id_document.h"

#include <gtest/gtest.h>

#include <set>

namespace sscard::domain {
namespace {

const Date kToday{std::chrono::year(2026), std::chrono::month(11), std::chrono::day(23)};

// Valid numbers whose check digits were computed outside this code base (two are the
// examples of GB 11643 itself).
const std::vector<std::string> kValidResidentIds = {
    "11010519491231002X", "440524188001010014", "420115199003071234",
    "420115202008150040", "420115201203010057"};

std::set<std::string> ProblemCodes(const IdCheck& check) {
  std::set<std::string> codes;
  for (const auto& problem : check.problems) codes.insert(problem.code);
  return codes;
}

// R-ID-2: 18 characters, region prefix, real birth date, GB 11643 check digit.
TEST(ResidentId, AcceptsValidNumbersAndDerivesBirthSexRegionForRId2) {
  IdCheck check = CheckIdNumber(IdType::kResidentId, "11010519491231002X", kToday);
  ASSERT_TRUE(check.valid);
  EXPECT_EQ(check.normalized, "11010519491231002X");
  EXPECT_EQ(FormatDate(*check.birth_date), "1949-12-31");
  EXPECT_EQ(check.sex, Sex::kFemale);
  EXPECT_EQ(check.region_code, "110105");
  IdCheck male = CheckIdNumber(IdType::kResidentId, "440524188001010014", kToday);
  ASSERT_TRUE(male.valid);
  EXPECT_EQ(male.sex, Sex::kMale);
  EXPECT_EQ(FormatDate(*male.birth_date), "1880-01-01");
}

TEST(ResidentId, NormalisesLowerCaseXForRId2) {
  IdCheck check = CheckIdNumber(IdType::kResidentId, "11010519491231002x", kToday);
  ASSERT_TRUE(check.valid);
  EXPECT_EQ(check.normalized, "11010519491231002X");
}

// Exhaustive: every single-character change and every adjacent swap of a valid number is
// refused (the MOD 11-2 check catches them; a few also break the date or region first).
TEST(ResidentId, RefusesEverySingleChangeAndAdjacentSwapForRId2) {
  const std::string kCharacters = "0123456789X";
  int refused = 0;
  for (const std::string& valid : kValidResidentIds) {
    ASSERT_TRUE(CheckIdNumber(IdType::kResidentId, valid, kToday).valid) << valid;
    for (size_t position = 0; position < valid.size(); ++position) {
      for (char replacement : kCharacters) {
        if (replacement == valid[position] || (replacement == 'X' && position < 17)) continue;
        std::string changed = valid;
        changed[position] = replacement;
        EXPECT_FALSE(CheckIdNumber(IdType::kResidentId, changed, kToday).valid) << changed;
        ++refused;
      }
      if (position + 1 < valid.size() && valid[position] != valid[position + 1]) {
        std::string swapped = valid;
        std::swap(swapped[position], swapped[position + 1]);
        EXPECT_FALSE(CheckIdNumber(IdType::kResidentId, swapped, kToday).valid) << swapped;
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 5 * 17 * 9);
}

TEST(ResidentId, NamesThePreciseReasonForRId2) {
  struct Case {
    std::string number;
    std::string code;
  };
  for (const Case& bad : std::vector<Case>{
           {"42011519900307123", "ID_LENGTH"},
           {"4201151990030712345", "ID_LENGTH"},
           {"４２０１１５１９９００３０７１２３４", "ID_FULL_WIDTH"},
           {"420115 199003071234", "ID_WHITESPACE"},
           {"42011519900307123A", "ID_BAD_CHECK_CHARACTER"},
           {"4201151990030712X4", "ID_NOT_DIGITS"},
           {"420115199002301233", "ID_BAD_BIRTH_DATE"},     // 30 February
           {"420115203001011230", "ID_BIRTH_IN_FUTURE"},    // 2030
           {"420115199003071235", "ID_CHECK_DIGIT"},
           {"990115199003071235", "ID_BAD_REGION"},
           {"", "ID_EMPTY"}}) {
    IdCheck check = CheckIdNumber(IdType::kResidentId, bad.number, kToday);
    EXPECT_FALSE(check.valid) << bad.number;
    EXPECT_TRUE(ProblemCodes(check).count(bad.code)) << bad.number << " wanted " << bad.code;
    for (const auto& problem : check.problems) {
      EXPECT_FALSE(problem.message.zh.empty());
      EXPECT_FALSE(problem.message.en.empty());
    }
  }
}

TEST(ResidentId, AcceptsUnknownCountiesWithAWarningForRId2) {
  CountyLookup known = [](std::string_view code) { return code == "420115"; };
  IdCheck current = CheckIdNumber(IdType::kResidentId, "420115199003071234", kToday, known);
  EXPECT_TRUE(current.valid);
  EXPECT_TRUE(current.warnings.empty());
  IdCheck old = CheckIdNumber(IdType::kResidentId, "429999198001010010", kToday, known);
  EXPECT_TRUE(old.valid);
  ASSERT_EQ(old.warnings.size(), 1u);
  EXPECT_EQ(old.warnings[0].code, "ID_UNKNOWN_COUNTY");
}

// R-ID-1: a household register only for people under 16.
TEST(HouseholdRegister, OnlyUnderSixteenForRId1) {
  IdCheck child = CheckIdNumber(IdType::kHouseholdRegister, "420115201203010057", kToday);
  EXPECT_TRUE(child.valid);  // 14 years old
  IdCheck adult = CheckIdNumber(IdType::kHouseholdRegister, "420115199003071234", kToday);
  EXPECT_FALSE(adult.valid);
  ASSERT_TRUE(ProblemCodes(adult).count("HOUSEHOLD_REGISTER_AGE"));
  EXPECT_EQ(adult.problems[0].rule, "R-ID-1");
  Date sixteenth{std::chrono::year(2028), std::chrono::month(3), std::chrono::day(1)};
  EXPECT_FALSE(CheckIdNumber(IdType::kHouseholdRegister, "420115201203010057", sixteenth).valid);
}

// R-ID-1: HK/Macau and Taiwan residence permits carry 810000/820000/830000 and GB 11643.
TEST(ResidencePermit, ChecksPrefixAndCheckDigitForRId1) {
  IdCheck hong_kong = CheckIdNumber(IdType::kHkMacaoResidencePermit, "810000199501010023", kToday);
  EXPECT_TRUE(hong_kong.valid);
  EXPECT_EQ(hong_kong.sex, Sex::kFemale);
  EXPECT_TRUE(CheckIdNumber(IdType::kTaiwanResidencePermit, "830000200002290031", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kTaiwanResidencePermit, "810000199501010023", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kHkMacaoResidencePermit, "420115199003071234", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kHkMacaoResidencePermit, "810000199501010024", kToday).valid);
}

// R-ID-1: whoever holds both a travel permit and a residence permit uses the residence permit.
TEST(DocumentChoice, ResidencePermitWinsOverTravelPermitForRId1) {
  EXPECT_EQ(PreferredDocument({IdType::kHkMacaoPermit, IdType::kHkMacaoResidencePermit}),
            IdType::kHkMacaoResidencePermit);
  EXPECT_EQ(PreferredDocument({IdType::kTaiwanPermit, IdType::kTaiwanResidencePermit}),
            IdType::kTaiwanResidencePermit);
  EXPECT_EQ(PreferredDocument({IdType::kTaiwanPermit}), IdType::kTaiwanPermit);
}

TEST(ForeignPermanentId, AcceptsBothFormsForRId1) {
  IdCheck current = CheckIdNumber(IdType::kForeignPermanentId, "911042198506120014", kToday);
  EXPECT_TRUE(current.valid);
  EXPECT_EQ(FormatDate(*current.birth_date), "1985-06-12");
  EXPECT_FALSE(CheckIdNumber(IdType::kForeignPermanentId, "911042198506120015", kToday).valid);
  IdCheck older = CheckIdNumber(IdType::kForeignPermanentId, "usa318506120114", kToday);
  EXPECT_TRUE(older.valid);
  EXPECT_EQ(older.normalized, "USA318506120114");
  EXPECT_EQ(FormatDate(*older.birth_date), "1985-06-12");
  EXPECT_FALSE(CheckIdNumber(IdType::kForeignPermanentId, "US1318506120114", kToday).valid);
}

TEST(TravelPermitsAndPassports, CheckTheirFormatForRId1) {
  EXPECT_TRUE(CheckIdNumber(IdType::kHkMacaoPermit, "H12345678", kToday).valid);
  EXPECT_TRUE(CheckIdNumber(IdType::kHkMacaoPermit, "m1234567890", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kHkMacaoPermit, "X12345678", kToday).valid);
  EXPECT_TRUE(CheckIdNumber(IdType::kTaiwanPermit, "12345678", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kTaiwanPermit, "1234567", kToday).valid);
  EXPECT_TRUE(CheckIdNumber(IdType::kPassport, "E12345678", kToday).valid);
  EXPECT_FALSE(CheckIdNumber(IdType::kPassport, "E12-345", kToday).valid);
}

TEST(IdTypes, NamesRoundTripAndCoverApiMd) {
  EXPECT_EQ(AllIdTypes().size(), 9u);
  for (IdType type : AllIdTypes()) EXPECT_EQ(ParseIdType(IdTypeName(type)), type);
  EXPECT_FALSE(ParseIdType("driving_licence"));
}

TEST(IdCheck, NeverCrashesOnArbitraryBytes) {
  std::string bytes;
  for (int value = 0; value < 256; ++value) bytes.push_back(static_cast<char>(value));
  for (IdType type : AllIdTypes()) {
    for (size_t length = 0; length < 40; ++length) {
      for (size_t start = 0; start + length <= bytes.size(); start += 37) {
        IdCheck check = CheckIdNumber(type, bytes.substr(start, length), kToday);
        EXPECT_EQ(check.valid, check.problems.empty());
      }
    }
  }
}

}  // namespace
}  // namespace sscard::domain
