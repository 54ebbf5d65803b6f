#include "domain/person.h"
#include "domain/redact.h"

#include <gtest/gtest.h>

#include <set>

namespace sscard::domain {
namespace {

const Date kToday{std::chrono::year(2026), std::chrono::month(11), std::chrono::day(23)};

Date D(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

Person Complete() {
  Person person;
  person.id_number = "420115199003071234";
  person.name = "张敏";
  person.sex = Sex::kMale;
  person.ethnicity = "汉族";
  person.household_address = "武汉市江夏区纸坊街1号";
  person.residence_address = "武汉市江夏区纸坊街1号";
  person.phone = "13800135678";
  person.birth_date = D(1990, 3, 7);
  person.id_valid_from = D(2020, 1, 1);
  person.photo_file_id = "f1";
  return person;
}

std::set<std::string> Codes(const std::vector<FieldError>& problems) {
  std::set<std::string> codes;
  for (const auto& problem : problems) codes.insert(problem.field + ":" + problem.code);
  return codes;
}

// R-ID-4: the data collected at application.
TEST(Person, ApplicationDataNeedsEveryFieldForRId4) {
  EXPECT_TRUE(MissingApplicationData(Complete(), kToday).empty());
  Person bare;
  bare.nationality = "";
  auto missing = Codes(MissingApplicationData(bare, kToday));
  for (const char* field : {"name", "sex", "ethnicity", "nationality", "household_address",
                            "residence_address", "phone", "id_number", "id_valid_from", "photo"}) {
    EXPECT_TRUE(missing.count(std::string(field) + ":REQUIRED")) << field;
  }
  for (const auto& problem : MissingApplicationData(bare, kToday)) EXPECT_EQ(problem.rule, "R-ID-4");
}

// R-ID-5: a child under 7 may go without a photo.
TEST(Person, ChildUnderSevenNeedsNoPhotoForRId5) {
  Person child = Complete();
  child.birth_date = D(2020, 8, 15);
  child.photo_file_id.clear();
  EXPECT_TRUE(MissingApplicationData(child, kToday).empty());
  child.birth_date = D(2019, 11, 23);  // 7 today
  EXPECT_EQ(Codes(MissingApplicationData(child, kToday)), std::set<std::string>{"photo:REQUIRED"});
}

// R-ID-6: complete data, insured, alive, one person one card.
TEST(Person, IssueEligibilityForRId6) {
  EXPECT_TRUE(CheckIssueEligibility(Complete(), 0, kToday).empty());
  Person person = Complete();
  person.insured = false;
  person.alive = false;
  EXPECT_EQ(Codes(CheckIssueEligibility(person, 1, kToday)),
            (std::set<std::string>{"insured:NOT_INSURED", "alive:NOT_ALIVE", "cards:ONE_PERSON_ONE_CARD"}));
  for (const auto& problem : CheckIssueEligibility(person, 1, kToday)) EXPECT_EQ(problem.rule, "R-ID-6");
}

// R-ID-8: compared with the population registry.
TEST(Person, RegistryComparisonFindsDifferencesForRId8) {
  RegistryEntry same{"420115199003071234", "张敏", Sex::kMale, D(1990, 3, 7), true, "420115"};
  EXPECT_TRUE(CompareWithRegistry(Complete(), same).empty());
  RegistryEntry other{"420115199003071234", "张明", Sex::kFemale, D(1990, 3, 8), false, "420115"};
  EXPECT_EQ(Codes(CompareWithRegistry(Complete(), other)),
            (std::set<std::string>{"name:NAME_MISMATCH", "sex:SEX_MISMATCH",
                                   "birth_date:BIRTH_DATE_MISMATCH", "alive:REGISTRY_DECEASED"}));
}

// R-ID-3: agents need both documents; organisations a letter; minors a guardian with proof.
TEST(Representation, FollowsTheAgentRulesForRId3) {
  EXPECT_TRUE(CheckRepresentation(30, true, {}).empty());
  EXPECT_EQ(Codes(CheckRepresentation(30, true, {AgentKind::kPerson, true, false})),
            std::set<std::string>{"applicant.document:APPLICANT_DOCUMENT"});
  EXPECT_TRUE(CheckRepresentation(30, true, {AgentKind::kPerson, true, true}).empty());
  EXPECT_EQ(Codes(CheckRepresentation(30, true, {AgentKind::kOrganisation, true, true})),
            (std::set<std::string>{"agent.authorisation_letter:AUTHORISATION_LETTER",
                                   "agent.officer_document_copy:OFFICER_DOCUMENT_COPY"}));
  EXPECT_TRUE(CheckRepresentation(30, true, {AgentKind::kOrganisation, true, true, true, true}).empty());
  // A 15-year-old applies through a guardian with proof of guardianship.
  EXPECT_EQ(Codes(CheckRepresentation(15, true, {})), std::set<std::string>{"agent.kind:GUARDIAN_REQUIRED"});
  EXPECT_EQ(Codes(CheckRepresentation(15, true, {AgentKind::kPerson, true, true})),
            std::set<std::string>{"agent.kind:GUARDIAN_REQUIRED"});
  EXPECT_EQ(Codes(CheckRepresentation(15, true, {AgentKind::kGuardian, true, true})),
            std::set<std::string>{"agent.guardianship_proof:GUARDIANSHIP_PROOF"});
  EXPECT_TRUE(CheckRepresentation(15, true, {AgentKind::kGuardian, true, true, false, false, true}).empty());
  EXPECT_FALSE(CheckRepresentation(40, false, {}).empty());  // no full capacity
}

TEST(Masks, HideTheMiddleOfPersonalData) {
  EXPECT_EQ(MaskIdNumber("420115199003071234"), "4201**********1234");
  EXPECT_EQ(MaskPhone("13800135678"), "138****5678");
  EXPECT_EQ(MaskName("张敏"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("王"), "*");
  EXPECT_EQ(MaskAddress("武汉市江夏区纸坊街1号"), "武汉市江夏区****");
  EXPECT_EQ(MaskIdNumber("123"), "***");
}

}  // namespace
}  // namespace sscard::domain

TEST(Redact, PersonalNumbersInFreeTextAreMaskedForRSec3) {
  using sscard::domain::MaskPersonalNumbers;
  EXPECT_EQ(MaskPersonalNumbers("申请人420115199003071234身份证有误"), "申请人4201**********1234身份证有误");
  EXPECT_EQ(MaskPersonalNumbers("id 42011519900307123x."), "id 4201**********123X.");
  EXPECT_EQ(MaskPersonalNumbers("旧证420115900307123"), "旧证4201*******7123");
  EXPECT_EQ(MaskPersonalNumbers("请联系13800135678"), "请联系138****5678");
  EXPECT_EQ(MaskPersonalNumbers("电话 138 0013 5678 或 138-0013-5678"), "电话 138****5678 或 138****5678");
  EXPECT_EQ(MaskPersonalNumbers("电话１３８００１３５６７８"), "电话138****5678");
  EXPECT_EQ(MaskPersonalNumbers("账户6222020200112233445"), "账户***************3445");
  // Dates, amounts, case and card numbers and short codes stay as they were.
  for (const char* kept : {"2026-12-02 材料不全", "金额 120000 分", "照片 358 x 441", "见 S4201150012026120200001 号",
                           "卡号 420000000123", "138 00", "", "十二号"}) {
    EXPECT_EQ(MaskPersonalNumbers(kept), kept);
  }
}
