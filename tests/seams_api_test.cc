// Rules that must hold across whole flows, not only where a unit test looks (issue 14).

#include <atomic>
#include <set>
#include <thread>

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
