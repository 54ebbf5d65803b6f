// Home service by appointment through the API (R-ONE-4): an elderly, ill or disabled person
// books online; the county's staff schedule, complete or cancel the visit; the person is told
// at each step. Same fixture and engines as api_test.cc.

#include "api_fixture.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::ApplyBody;
using testing::Json;

constexpr const char* kElderId = "420115194001011235";  // born 1 January 1940

class BookingTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // Both people are on file: each applied for a card at the town window.
    std::string clerk = TokenOf("clerk");
    ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).status, 201);
    ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody(kElderId, "王秀英").dump()).status, 201);
  }
  static Json Request(const std::string& id_number, const std::string& name, const std::string& reason,
                      const std::string& day = "2026-11-24") {
    return {{"id_number", id_number}, {"name", name}, {"reason", reason}, {"item", "002014010002"}, {"preferred_on", day}};
  }
  Answer Book(const Json& body) { return Call("POST", "/api/v1/bookings", "", body.dump()); }
};

// R-ONE-4: advanced age (80 or over), serious illness or disability; online, without an
// account; the county hall of the home region is assigned; the person is told.
TEST_F(BookingTest, TheElderlyIllAndDisabledBookHomeServiceOnlineForROne4) {
  Answer elder = Book(Request(kElderId, "王秀英", "advanced_age"));
  ASSERT_EQ(elder.status, 201) << elder.raw.body;
  EXPECT_EQ(elder.body["status"], "requested");
  EXPECT_EQ(elder.body["org_code"], "42011500000001");
  EXPECT_EQ(elder.body["item_name"], "社会保障卡启用（含社会保障卡银行账户激活）");
  EXPECT_EQ(elder.raw.body.find(kElderId), std::string::npos);  // masked
  EXPECT_EQ(elder.raw.body.find("王秀英"), std::string::npos);

  Answer young = Book(Request("420115199003071234", "张敏", "advanced_age"));
  ExpectProblem(young, 422, "NOT_ELIGIBLE");
  EXPECT_EQ(young.body["rule"], "R-ONE-4");
  EXPECT_EQ(Book(Request("420115199003071234", "张敏", "disabled")).status, 201);

  ExpectProblem(Book(Request(kElderId, "王秀", "advanced_age")), 404, "NOT_FOUND");  // not the name on file
  Answer weekend = Book(Request(kElderId, "王秀英", "seriously_ill", "2026-11-28"));
  ExpectProblem(weekend, 400, "VALIDATION_FAILED");
  EXPECT_EQ(weekend.body["errors"][0]["code"], "NOT_A_WORKING_DAY");
  Json pin = Request(kElderId, "王秀英", "seriously_ill");
  pin["item"] = "002014010006";
  ExpectProblem(Book(pin), 400, "VALIDATION_FAILED");
  auto rows = AuditRows("booking.request", elder.body["booking_no"]);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["actor"], "-");
}

// The public booking checks a name against an ID number: guessing names for one number gets
// ten tries a day, from any address; other numbers are not held up (R-SEC-2, no oracle).
TEST_F(BookingTest, GuessingNamesForAnIdNumberIsBoundedForROne4) {
  for (int guess = 0; guess < 10; ++guess) {
    api::Request request;
    request.method = "POST";
    request.target = "/api/v1/bookings";
    request.remote_address = "127.0.0." + std::to_string(10 + guess);
    request.headers.emplace_back("content-type", "application/json");
    request.body = Request(kElderId, "王秀" + std::to_string(guess), "advanced_age").dump();
    ExpectProblem(Send(request), 404, "NOT_FOUND");
  }
  Answer waits = Book(Request(kElderId, "王秀英", "advanced_age"));
  ExpectProblem(waits, 429, "RATE_LIMITED");
  EXPECT_FALSE(waits.Header("Retry-After").empty());
  EXPECT_EQ(Book(Request("420115199003071234", "张敏", "disabled")).status, 201);
  test_.clock.Advance(std::chrono::hours(25));
  EXPECT_EQ(Book(Request(kElderId, "王秀英", "advanced_age", "2026-11-27")).status, 201);
}

// R-ONE-4: the county's staff — the hall and its town centres — see the bookings, schedule
// the visit on a working day, take the case at home and complete the booking; another
// county's staff see none of it.
TEST_F(BookingTest, TheCountySchedulesVisitsAndCompletesThemForROne4) {
  std::string booking_no = Book(Request(kElderId, "王秀英", "advanced_age")).body["booking_no"];
  std::string reviewer = TokenOf("reviewer");
  Answer listed = Call("GET", "/api/v1/bookings?status=requested", reviewer);
  ASSERT_EQ(listed.status, 200) << listed.raw.body;
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.body["items"][0]["booking_no"], booking_no);
  EXPECT_EQ(Call("GET", "/api/v1/bookings", TokenOf("clerk")).body["items"].size(), 1u);  // the town centre too
  ExpectProblem(Call("GET", "/api/v1/bookings", TokenOf("hospital")), 403, "FORBIDDEN");

  std::string base = "/api/v1/bookings/" + booking_no;
  Answer weekend = Call("POST", base + "/schedule", reviewer, Json{{"on", "2026-11-29"}}.dump());
  ExpectProblem(weekend, 400, "VALIDATION_FAILED");
  Answer scheduled = Call("POST", base + "/schedule", reviewer, Json{{"on", "2026-11-25"}}.dump());
  ASSERT_EQ(scheduled.status, 200) << scheduled.raw.body;
  EXPECT_EQ(scheduled.body["status"], "scheduled");
  EXPECT_EQ(scheduled.body["scheduled_on"], "2026-11-25");

  // At home: the clerk takes the activation as an ordinary case, then completes the booking.
  ExpectProblem(Call("POST", base + "/complete", reviewer, Json{{"case_no", "42011520261123000001"}}.dump()), 400,
                "VALIDATION_FAILED");  // the first application is 张敏's, not hers
  Answer cases = Call("GET", "/api/v1/cases", TokenOf("clerk"));
  std::string her_case;
  for (const Json& record : cases.body["items"]) {
    if (record["applicant"]["id_number"].get<std::string>().substr(14) == "1235") her_case = record["case_no"];
  }
  ASSERT_FALSE(her_case.empty());
  Answer done = Call("POST", base + "/complete", reviewer, Json{{"case_no", her_case}}.dump());
  ASSERT_EQ(done.status, 200) << done.raw.body;
  EXPECT_EQ(done.body["status"], "done");
  EXPECT_EQ(done.body["case_no"], her_case);
  ExpectProblem(Call("POST", base + "/cancel", reviewer, Json{{"reason", "too late"}}.dump()), 409, "CASE_STATE_CONFLICT");
  for (const char* action : {"booking.schedule", "booking.complete"}) EXPECT_FALSE(AuditRows(action, booking_no).empty());
}

TEST_F(BookingTest, ACancellationNeedsAReasonAndOtherCountiesKeepOutForROne4) {
  std::string booking_no = Book(Request("420115199003071234", "张敏", "disabled")).body["booking_no"];
  std::string base = "/api/v1/bookings/" + booking_no;
  std::string reviewer = TokenOf("reviewer");
  ExpectProblem(Call("POST", base + "/cancel", reviewer, Json::object().dump()), 400, "REJECT_REASON_REQUIRED");
  std::string province = TokenOf("province_admin");
  ASSERT_EQ(Call("POST", "/api/v1/staff", province,
                 Json{{"username", "huangpi_reviewer"}, {"name", "黄陂审核员"}, {"org_code", "42011600000001"},
                      {"roles", {"reviewer"}}, {"password", "Huangpi-Review-2026"}}.dump())
                .status,
            201);
  std::string huangpi = Call("POST", "/api/v1/auth/login", "",
                             Json{{"username", "huangpi_reviewer"}, {"password", "Huangpi-Review-2026"}}.dump())
                            .body["token"];
  EXPECT_TRUE(Call("GET", "/api/v1/bookings", huangpi).body["items"].empty());
  // Another county's booking answers like none (no existence oracle).
  ExpectProblem(Call("POST", base + "/schedule", huangpi, Json{{"on", "2026-11-25"}}.dump()), 404, "NOT_FOUND");
  ExpectProblem(Call("POST", "/api/v1/bookings/H00000000000000000000000000/schedule", huangpi,
                     Json{{"on", "2026-11-25"}}.dump()), 404, "NOT_FOUND");
  Answer cancelled = Call("POST", base + "/cancel", reviewer, Json{{"reason", "本人已到窗口办理"}}.dump());
  ASSERT_EQ(cancelled.status, 200) << cancelled.raw.body;
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  EXPECT_EQ(cancelled.body["note"], "本人已到窗口办理");
}

}  // namespace
}  // namespace sscard
