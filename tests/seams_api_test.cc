// Rules that must hold across whole flows, not only where a unit test looks (issue 14).

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <fstream>

#include "api_fixture.h"

namespace sscard::testing {
namespace {

// R-ID-6: while an application is pending, a second one for the same person is refused; the
// refusal names the rule and changes nothing.
TEST_F(ApiTest, ASecondApplicationWhileTheFirstIsPendingIsRefusedForRId6) {
  std::string clerk = TokenOf("clerk");
  Answer first = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
  ASSERT_EQ(first.status, 201) << first.raw.body;
  Json other_bank = ApplyBody();
  other_bank["form"]["bank_code"] = "ICBC";
  Answer second = Call("POST", "/api/v1/cases", clerk, other_bank.dump());
  ExpectProblem(second, 422, "ONE_PERSON_ONE_CARD");
  EXPECT_EQ(second.body["rule"], "R-ID-6");
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].size(), 1u);
  // Once the first is rejected, a new application may go ahead.
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + first.body["case_no"].get<std::string>() + "/review",
                 TokenOf("reviewer"), Json{{"decision", "reject"}, {"reason", "资料不全"}}.dump()).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, other_bank.dump()).status, 201);
}

// R-ID-6 by construction: 16 clerks' requests for the same person at once — exactly one is
// accepted, on every engine.
TEST_F(ApiTest, SixteenConcurrentApplicationsForOnePersonMakeOneCaseForRId6) {
  std::string clerk = TokenOf("clerk");
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int index = 0; index < 16; ++index) {
    threads.emplace_back([&] {
      Answer answer = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
      if (answer.status == 201) ++accepted;
      else if (answer.body.value("code", "") == "ONE_PERSON_ONE_CARD") ++refused;
      else ++other;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(refused.load(), 15);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].size(), 1u);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-ID-5 where a flow reaches it: an adult's application with a paper photo, or with an
// upload that the photo check itself calls invalid, is refused with every problem and leaves
// nothing; a valid upload or the shared police photo goes ahead.
TEST_F(ApiTest, AnAdultsApplicationNeedsADigitalPhotoThatPassesForRId5) {
  std::string clerk = TokenOf("clerk");
  Json paper = ApplyBody();
  paper["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "paper"}};
  Answer refused = Call("POST", "/api/v1/cases", clerk, paper.dump());
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["rule"], "R-ID-5");
  EXPECT_EQ(refused.body["errors"][0]["code"], "PHOTO_NOT_DIGITAL");

  domain::RgbImage small{32, 40, std::vector<uint8_t>(32 * 40 * 3, 255)};
  std::string tiny = Call("POST", "/api/v1/files", clerk, infra::EncodeJpeg(small, 90), "image/jpeg").body["file_id"];
  Json upload = ApplyBody();
  upload["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", tiny}};
  Answer invalid = Call("POST", "/api/v1/cases", clerk, upload.dump());
  ExpectProblem(invalid, 400, "VALIDATION_FAILED");
  EXPECT_EQ(invalid.body["rule"], "R-ID-5");
  std::set<std::string> codes;
  for (const Json& problem : invalid.body["errors"]) codes.insert(problem["code"]);
  EXPECT_TRUE(codes.count("PHOTO_DIMENSIONS")) << invalid.raw.body;
  EXPECT_TRUE(codes.count("PHOTO_SIZE")) << invalid.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/cases", clerk).body["items"].size(), 0u);

  std::string good = Call("POST", "/api/v1/files", clerk, ValidPhotoJpeg(), "image/jpeg").body["file_id"];
  upload["materials"][1]["file_id"] = good;
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, upload.dump()).status, 201);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-PIN-3 under concurrency (security issue item 4): eight changes racing with the right old
// PIN — exactly one is acknowledged; the others are refused and the PIN is the winner's.
TEST_F(ApiTest, RacingPinChangesWithTheRightOldPinSucceedOnceForRPin3) {
  std::string clerk = TokenOf("clerk");
  IssueCard(clerk);
  const std::vector<std::string> pins = {"480259", "375918", "592047", "618305", "703942", "829134", "941627", "265803"};
  std::atomic<int> changed{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (const std::string& pin : pins) {
    threads.emplace_back([&, pin] {
      Json body = InstantBody("002014010006", "change_pin");
      body["form"] = {{"old_pin", "071234"}, {"new_pin", pin}};
      Answer answer = Call("POST", "/api/v1/cases", clerk, body.dump());
      if (answer.status == 201) ++changed;
      // The losers' old PIN is wrong once the winner changed it: it counts, and may lock.
      else if (std::set<std::string>{"PIN_WRONG", "PIN_LOCKED", "TRANSACTION_CONFLICT"}.count(answer.body.value("code", ""))) ++refused;
      else {
        ++other;
        ADD_FAILURE() << answer.raw.body;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(changed.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(other.load(), 0);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-CAT-1: the catalog served over the API holds seed 000's items and seed 002's pension item.
TEST_F(ApiTest, TheCatalogHoldsTheSeedItemsForRCat1) {
  Answer items = Call("GET", "/api/v1/catalog/items");
  ASSERT_EQ(items.status, 200) << items.raw.body;
  std::set<std::string> codes;
  for (const Json& item : items.body["items"]) codes.insert(item["code"]);
  for (const char* code : {"002014010001", "002014010002", "002014010003", "002014010004", "002014010006",
                           "002014010007", "002014010008", "002014010009", "002014019901"}) {
    EXPECT_TRUE(codes.count(code)) << code;
  }
}

// R-ID-1: a household register serves only people under 16 — at intake, not only in the live
// check: an adult's application on one is refused and leaves no case.
TEST_F(ApiTest, AHouseholdRegisterServesOnlyUnderSixteensAtIntakeForRId1) {
  std::string clerk = TokenOf("clerk");
  Json adult = ApplyBody();
  adult["applicant"]["id_type"] = "household_register";
  Answer refused = Call("POST", "/api/v1/cases", clerk, adult.dump());
  EXPECT_EQ(refused.status / 100, 4) << refused.raw.body;
  EXPECT_NE(refused.raw.body.find("R-ID-1"), std::string::npos) << refused.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/cases", clerk).body["items"].size(), 0u);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-APPLY-9 / R-ACCEPT-2: a card for pickup at another county's hall is issued there — by the
// org whose stock holds it — and not by the town that accepted the case; a pickup org that
// does not exist or cannot hand cards over is refused at intake and leaves no case.
TEST_F(ApiTest, ACrossCountyPickupIsIssuedWhereTheCardIsHeldForRApply9) {
  std::string clerk = TokenOf("clerk");
  for (const char* bad : {"42999900000001", "NOT-AN-ORG", "42000000000002", "42011500090001"}) {
    Json body = ApplyBody();
    body["delivery"]["org_code"] = bad;
    Answer refused = Call("POST", "/api/v1/cases", clerk, body.dump());
    ExpectProblem(refused, 400, "VALIDATION_FAILED");
    EXPECT_NE(refused.raw.body.find("UNKNOWN_PICKUP_ORG"), std::string::npos) << bad << ": " << refused.raw.body;
    EXPECT_NE(refused.raw.body.find("R-APPLY-9"), std::string::npos);
  }
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].size(), 0u);

  const std::string huangpi = "42011600000001";
  Json body = ApplyBody();
  body["delivery"]["org_code"] = huangpi;
  Answer created = Call("POST", "/api/v1/cases", clerk, body.dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string case_no = created.body["case_no"];
  // Until it is decided, the case is on the dashboard's cross-region list (R-APPLY-9).
  auto cross_region = [&](const std::string& token) {
    Answer board = Call("GET", "/api/v1/reports/dashboard", token);
    EXPECT_EQ(board.status, 200) << board.raw.body;
    return board.body["cross_region"];
  };
  Json listed = cross_region(TokenOf("reviewer"));
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["case_no"], case_no);
  EXPECT_EQ(listed[0]["other_region"], "420116");
  EXPECT_EQ(listed[0]["late"], false);
  Answer approved = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                         Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  EXPECT_EQ(cross_region(TokenOf("reviewer")).size(), 0u);
  std::string card_no = approved.body["card_no"];
  std::string centre = TokenOf("card_centre");
  Answer batch = Call("POST", "/api/v1/production/batches", centre, Json{{"mode", "fast"}}.dump());
  ASSERT_EQ(batch.status, 201) << batch.raw.body;
  std::string batch_no = batch.body["batch_no"];
  ASSERT_EQ(Call("POST", "/api/v1/production/batches/" + batch_no + "/results", centre,
                 Json{{"results", {{{"card_no", card_no}, {"outcome", "produced"}}}}}.dump()).status, 200);

  // Huangpi's hall staff (another county) receive the card into their stock and hand it over.
  ASSERT_EQ(Call("POST", "/api/v1/staff", TokenOf("province_admin"),
                 Json{{"username", "huangpi_clerk"}, {"name", "孙丽"}, {"org_code", huangpi},
                      {"roles", {"clerk", "stock_keeper"}}, {"password", "Huangpi-Clerk-2026"}}.dump()).status, 201);
  std::string hall = Call("POST", "/api/v1/auth/login", "",
                          Json{{"username", "huangpi_clerk"}, {"password", "Huangpi-Clerk-2026"}}.dump()).body["token"];
  Answer arrived = Call("POST", "/api/v1/cards/" + card_no + "/arrive", hall, Json{{"org_code", huangpi}}.dump());
  ASSERT_EQ(arrived.status, 200) << arrived.raw.body;
  EXPECT_EQ(arrived.body["status"], "in_stock");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, hall).status, 200);
  // The hall finds the holder who comes to collect it by the ID number, and the card with it.
  const std::string holder = ApplyBody()["applicant"]["id_number"];
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + holder, hall).status, 200);
  Answer held = Call("GET", "/api/v1/persons/" + holder + "/cards", hall);
  ASSERT_EQ(held.status, 200) << held.raw.body;
  EXPECT_NE(held.raw.body.find(card_no), std::string::npos) << held.raw.body;

  // The accepting town does not hold the card: it cannot hand it over.
  Answer town = Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump());
  ExpectProblem(town, 409, "CARD_STATE_CONFLICT");
  EXPECT_EQ(town.body["rule"], "R-ACCEPT-2");
  Answer issued = Call("POST", "/api/v1/cards/" + card_no + "/issue", hall, Json{{"read_check", "pass"}}.dump());
  ASSERT_EQ(issued.status, 200) << issued.raw.body;
  EXPECT_EQ(issued.body["status"], "issued");

  // The other county's staff cannot pull into their stock a card made for the town: it
  // answers like no card at all, and the card stays where it is.
  Json local = ApplyBody("42011519700101005X", "李娟");
  std::string local_case = Call("POST", "/api/v1/cases", clerk, local.dump()).body["case_no"];
  std::string local_card = Call("POST", "/api/v1/cases/" + local_case + "/review", TokenOf("reviewer"),
                                Json{{"decision", "approve"}}.dump()).body["card_no"];
  ASSERT_EQ(Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", local_case}}.dump()).status, 200);
  ExpectProblem(Call("POST", "/api/v1/cards/" + local_card + "/arrive", hall, Json{{"org_code", huangpi}}.dump()), 404,
                "NOT_FOUND");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + local_card, clerk).body["status"], "produced");
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-BUNDLE-6: the new pension payment card is the applicant's own card in use — another
// person's card and a made-up number are refused alike; the effective month follows the
// cut-off (23 November is after the 15th: January) and is in the case and its result.
TEST_F(ApiTest, APensionAccountChangeNamesTheApplicantsOwnCardAndItsEffectiveMonthForRBundle6) {
  std::string clerk = TokenOf("clerk");
  std::string own = IssueCard(clerk);
  std::string others = IssueCard(clerk, ApplyBody("42011519700101005X", "李娟"));
  auto change = [](const std::string& card_no) {
    Json body = InstantBody("002014019901", "pension_account_change");
    body["form"] = {{"new_card_no", card_no}};
    return body;
  };
  Answer foreign = Call("POST", "/api/v1/cases", clerk, change(others).dump());
  ExpectProblem(foreign, 400, "VALIDATION_FAILED");
  EXPECT_EQ(foreign.body["rule"], "R-BUNDLE-6");
  EXPECT_EQ(foreign.body["errors"][0]["code"], "NOT_OWN_VALID_CARD");
  EXPECT_EQ(foreign.body["errors"][0]["rule"], "R-BUNDLE-6");
  Answer made_up = Call("POST", "/api/v1/cases", clerk, change("429999999999").dump());
  ExpectProblem(made_up, 400, "VALIDATION_FAILED");
  EXPECT_EQ(made_up.body["errors"], foreign.body["errors"]);  // no oracle on other people's cards
  EXPECT_TRUE(Call("GET", "/api/v1/cases?item=002014019901", clerk).body["items"].empty());

  Answer accepted = Call("POST", "/api/v1/cases", clerk, change(own).dump());
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["status"], "pending_review");
  EXPECT_EQ(accepted.body["effective_month"], "2027-01");
  Answer approved = Call("POST", "/api/v1/cases/" + accepted.body["case_no"].get<std::string>() + "/review",
                         TokenOf("reviewer"), Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string result = approved.body["result"];
  EXPECT_NE(result.find("2027年01月起生效"), std::string::npos) << result;
  EXPECT_NE(result.find(own), std::string::npos);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-ID-4: the data collected at application — ethnicity, nationality (GB/T 2659), occupation
// (GB/T 6565 major group), household and residence addresses, phone, document validity — is
// validated, stored with the person and shown (masked unless unmasked); bad values refuse the
// application and leave no case.
TEST_F(ApiTest, TheApplicationDataIsValidatedAndStoredForRId4) {
  std::string clerk = TokenOf("clerk");
  Json body = ApplyBody();
  const std::vector<std::pair<Json, std::string>> bad = {
      {{{"nationality", "china"}}, "form.nationality"},
      {{{"occupation", "程序员"}}, "form.occupation"},
      {{{"id_valid_from", "2030-01-01"}, {"id_valid_to", "2020-01-01"}}, "form.id_valid_to"},
      {{{"id_valid_from", "2020-02-30"}}, "form.id_valid_from"},
  };
  for (const auto& [form, field] : bad) {
    Json wrong = body;
    for (const auto& [key, value] : form.items()) wrong["form"][key] = value;
    Answer refused = Call("POST", "/api/v1/cases", clerk, wrong.dump());
    EXPECT_EQ(refused.status / 100, 4) << form.dump();
    bool named = false;
    for (const Json& error : refused.body["errors"]) named = named || error["field"] == field;
    EXPECT_TRUE(named) << form.dump() << " → " << refused.raw.body;
  }
  EXPECT_TRUE(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].empty());

  body["form"]["nationality"] = "CHN";
  body["form"]["occupation"] = "2";
  body["form"]["id_valid_from"] = "2020-03-01";
  body["form"]["id_valid_to"] = "2040-03-01";
  body["applicant"]["residence_address"] = "武汉市江夏区文化大道99号";
  Answer accepted = Call("POST", "/api/v1/cases", clerk, body.dump());
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  Answer person = Call("GET", "/api/v1/persons/420115199003071234?unmask=true", TokenOf("reviewer"));
  ASSERT_EQ(person.status, 200) << person.raw.body;
  EXPECT_EQ(person.body["ethnicity"], "汉族");
  EXPECT_EQ(person.body["nationality"], "CHN");
  EXPECT_EQ(person.body["occupation"], "2");
  EXPECT_EQ(person.body["sex"], "male");
  EXPECT_EQ(person.body["phone"], "13800135678");
  EXPECT_EQ(person.body["household_address"], "武汉市江夏区纸坊街1号");
  EXPECT_EQ(person.body["residence_address"], "武汉市江夏区文化大道99号");
  EXPECT_EQ(person.body["id_valid_from"], "2020-03-01");
  EXPECT_EQ(person.body["id_valid_to"], "2040-03-01");
  Answer masked = Call("GET", "/api/v1/persons/420115199003071234", TokenOf("reviewer"));
  EXPECT_EQ(masked.body["phone"], "138****5678");
  EXPECT_EQ(masked.raw.body.find("文化大道99号"), std::string::npos);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// API.md Idempotency-Key: eight racing retries of one instant case — a loss report, which
// changes the card — all get the first answer; the card is reported lost once.
TEST_F(ApiTest, RacingRetriesOfAnInstantCaseAllGetTheFirstAnswerForRAccept3) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string body = InstantBody("002014010007", "temporary_loss").dump();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> case_nos;
  std::vector<int> statuses;
  for (int index = 0; index < 8; ++index) {
    threads.emplace_back([&] {
      api::Request request;
      request.method = "POST";
      request.target = "/api/v1/cases";
      request.headers = {{"authorization", "Bearer " + clerk}, {"content-type", "application/json"},
                         {"idempotency-key", "loss-retry-1"}};
      request.body = body;
      api::Response response = test_.runtime->api().Handle(request);
      Json answer = Json::parse(response.body, nullptr, false);
      std::lock_guard lock(mutex);
      statuses.push_back(response.status);
      if (answer.is_object()) case_nos.insert(answer.value("case_no", ""));
    });
  }
  for (auto& thread : threads) thread.join();
  for (int status : statuses) EXPECT_EQ(status, 201);
  EXPECT_EQ(case_nos.size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010007", clerk).body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "temporary_loss");
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// R-APPLY-9: a case accepted for a person of another county stays on the dashboard's
// cross-region list until it is decided, marked late from the day after it was accepted.
TEST_F(ApiTest, ACaseForAnotherCountyIsListedUntilHandedOnForRApply9) {
  std::string clerk = TokenOf("clerk");
  Answer created = Call("POST", "/api/v1/cases", clerk, ApplyBody("420116199001010039", "周杰").dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string case_no = created.body["case_no"];
  Answer local = Call("POST", "/api/v1/cases", clerk, ApplyBody("42011519700101005X", "李娟").dump());
  ASSERT_EQ(local.status, 201) << local.raw.body;
  Answer board = Call("GET", "/api/v1/reports/dashboard", TokenOf("reviewer"));
  ASSERT_EQ(board.status, 200) << board.raw.body;
  ASSERT_EQ(board.body["cross_region"].size(), 1u) << board.raw.body;
  EXPECT_EQ(board.body["cross_region"][0]["case_no"], case_no);
  EXPECT_EQ(board.body["cross_region"][0]["other_region"], "420116");
  EXPECT_EQ(board.body["cross_region"][0]["status"], "pending_review");
  test_.clock.Advance(std::chrono::hours(24));
  Answer next_day = Call("GET", "/api/v1/reports/dashboard", TokenOf("reviewer"));
  ASSERT_EQ(next_day.body["cross_region"].size(), 1u) << next_day.raw.body;
  EXPECT_EQ(next_day.body["cross_region"][0]["late"], true);
  // Withdrawn with notice to the applicant (to apply at home), it has been handed on.
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + case_no + "/withdraw", TokenOf("reviewer"),
                 Json{{"reason", "户籍地办理"}}.dump()).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/reports/dashboard", TokenOf("reviewer")).body["cross_region"].size(), 0u);
}

// R-ID-1: an HK/Macau resident who also holds the residence permit must present it; the
// population registry knows which documents a person holds. Refused with the rule, nothing made.
TEST_F(ApiTest, AnHkResidentWhoHoldsTheResidencePermitMustUseItForRId1) {
  std::string csv = test_.dir.File("registry-documents.csv");
  std::ofstream(csv) << "id_number,name,sex,birth_date,alive,region_code,phone,other_documents\n"
                     << "H12345678,陈港生,male,1985-05-05,1,420115,,hk_macao_residence_permit\n";
  ASSERT_TRUE(test_.runtime->ImportRegistry(csv));
  std::string clerk = TokenOf("clerk");
  Json permit = ApplyBody();
  permit["applicant"]["id_type"] = "hk_macao_permit";
  permit["applicant"]["id_number"] = "H12345678";
  permit["applicant"]["name"] = "陈港生";
  permit["applicant"]["birth_date"] = "1985-05-05";
  permit["applicant"]["sex"] = "male";
  permit["form"]["eligibility_basis"] = "insured";
  Answer refused = Call("POST", "/api/v1/cases", clerk, permit.dump());
  ExpectProblem(refused, 422, "DOCUMENT_NOT_PREFERRED");
  EXPECT_EQ(refused.body["rule"], "R-ID-1");
  EXPECT_EQ(refused.body["errors"][0]["field"], "applicant.id_type") << refused.raw.body;
  EXPECT_NE(refused.raw.body.find("hk_macao_residence_permit"), std::string::npos) << refused.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/cases?limit=50", clerk).raw.body.find("陈"), std::string::npos);

  // A permit holder the registry knows no residence permit of applies with the permit.
  permit["applicant"]["id_number"] = "H87654321";
  Answer accepted = Call("POST", "/api/v1/cases", clerk, permit.dump());
  EXPECT_EQ(accepted.status, 201) << accepted.raw.body;
}

// R-ID-3 / R-ID-4: a passport carries neither birth date nor sex, so the application gives
// them — and a passport holder whose birth date makes them a child applies through a guardian;
// so does an adult without full civil capacity. A typed guardianship proof is recognised.
TEST_F(ApiTest, ChildrenAndPeopleWithoutFullCapacityApplyThroughAGuardianWhateverTheDocumentForRId3) {
  std::string clerk = TokenOf("clerk");
  auto has_code = [](const Answer& answer, const std::string& code) {
    for (const Json& error : answer.body["errors"]) {
      if (error["code"] == code) return true;
    }
    return false;
  };
  Json passport = ApplyBody();
  passport["applicant"]["id_type"] = "passport";
  passport["applicant"]["id_number"] = "E12345678";
  passport["form"]["eligibility_basis"] = "insured";
  Answer missing = Call("POST", "/api/v1/cases", clerk, passport.dump());
  ExpectProblem(missing, 400, "VALIDATION_FAILED");
  EXPECT_TRUE(has_code(missing, "REQUIRED")) << missing.raw.body;
  EXPECT_NE(missing.raw.body.find("applicant.birth_date"), std::string::npos);
  EXPECT_NE(missing.raw.body.find("applicant.sex"), std::string::npos);

  passport["applicant"]["birth_date"] = "2015-06-01";
  passport["applicant"]["sex"] = "female";
  Answer child = Call("POST", "/api/v1/cases", clerk, passport.dump());
  ExpectProblem(child, 400, "VALIDATION_FAILED");
  EXPECT_TRUE(has_code(child, "GUARDIAN_REQUIRED")) << child.raw.body;
  passport["applicant"]["birth_date"] = "2099-01-01";
  EXPECT_TRUE(has_code(Call("POST", "/api/v1/cases", clerk, passport.dump()), "BAD_DATE"));

  // An adult resident who lacks full civil capacity: a guardian with a typed proof.
  Json adult = ApplyBody();
  adult["applicant"]["full_capacity"] = false;
  Answer alone = Call("POST", "/api/v1/cases", clerk, adult.dump());
  ExpectProblem(alone, 400, "VALIDATION_FAILED");
  EXPECT_TRUE(has_code(alone, "GUARDIAN_REQUIRED")) << alone.raw.body;
  adult["agent"] = {{"kind", "guardian"}, {"id_type", "resident_id"}, {"id_number", "42011519700101005X"},
                    {"name", "李娟"}, {"relationship", "配偶"}};
  Answer no_proof = Call("POST", "/api/v1/cases", clerk, adult.dump());
  EXPECT_TRUE(has_code(no_proof, "GUARDIANSHIP_PROOF")) << no_proof.raw.body;
  adult["materials"].push_back({{"name", "人民法院民事判决书"}, {"kind", "paper"}, {"type", "guardianship_proof"}});
  Answer accepted = Call("POST", "/api/v1/cases", clerk, adult.dump());
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["agent"]["kind"], "guardian");
}

}  // namespace
}  // namespace sscard::testing
