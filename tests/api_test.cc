// The HTTP API without sockets: each test builds requests, calls Api::Handle, and reads the
// responses as a client would. The runtime is the production wiring on the memory store
// with a fake clock; api_sqlite_test runs the same file on SQLite.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "api_fixture.h"
#include "common/crypto.h"
#include "infra/jpeg.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::ApplyBody;
using testing::InstantBody;
using testing::Json;

TEST_F(ApiTest, HealthAndReadiness) {
  Answer health = Call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
  Answer ready = Call("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body["status"], "ready");
  EXPECT_FALSE(health.Header("X-Request-Id").empty());
}

// R-ACCEPT-1: clerks sign in with the accounts the department assigned (real-name, R-SEC-1).
TEST_F(ApiTest, EveryDemoAccountSignsInForRAccept1) {
  for (const auto& account : app::DemoAccounts()) {
    Answer answer = Login(account.username);
    ASSERT_EQ(answer.status, 200) << account.username << " " << answer.raw.body;
    EXPECT_FALSE(answer.body["token"].get<std::string>().empty());
    EXPECT_EQ(answer.body["user"]["username"], account.username);
    EXPECT_EQ(answer.body["user"]["roles"], Json::array({account.role}));
    EXPECT_FALSE(answer.body["user"]["name"].get<std::string>().empty());  // real name
    EXPECT_EQ(answer.body["expires_at"], "2026-11-23T21:00:00.000+08:00");  // 12 h
    Answer me = Call("GET", "/api/v1/auth/me", answer.body["token"]);
    EXPECT_EQ(me.status, 200);
    EXPECT_EQ(me.body["org_code"], answer.body["user"]["org_code"]);
  }
}

TEST_F(ApiTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  Answer wrong = Login("clerk", "Wrong-Password-1");
  Answer unknown = Login("nobody", "Wrong-Password-1");
  ExpectProblem(wrong, 401, "BAD_CREDENTIALS");
  ExpectProblem(unknown, 401, "BAD_CREDENTIALS");
  EXPECT_EQ(wrong.body["title"], unknown.body["title"]);
  EXPECT_EQ(wrong.Header("WWW-Authenticate"), "Bearer");
}

// R-SEC-1: five failed sign-ins in a row lock the account; an admin reset lifts the lock.
TEST_F(ApiTest, FiveFailuresLockTheAccountForRSec1) {
  for (int failure = 1; failure <= 4; ++failure) {
    ExpectProblem(Login("clerk", "Wrong-Password-1"), 401, "BAD_CREDENTIALS");
  }
  ExpectProblem(Login("clerk", "Wrong-Password-1"), 423, "ACCOUNT_LOCKED");
  Answer locked = Login("clerk");  // even the right password
  ExpectProblem(locked, 423, "ACCOUNT_LOCKED");
  EXPECT_EQ(locked.body["rule"], "R-SEC-1");
  EXPECT_EQ(AuditRows("auth.login", "clerk").size(), 6u);

  // The lock runs out after 15 minutes.
  test_.clock.Advance(std::chrono::minutes(15));
  EXPECT_EQ(Login("clerk").status, 200);
}

TEST_F(ApiTest, ASuccessResetsTheFailureCount) {
  for (int failure = 1; failure <= 4; ++failure) Login("clerk", "Wrong-Password-1");
  EXPECT_EQ(Login("clerk").status, 200);
  for (int failure = 1; failure <= 4; ++failure) {
    ExpectProblem(Login("clerk", "Wrong-Password-1"), 401, "BAD_CREDENTIALS");
  }
}

TEST_F(ApiTest, AdminResetLiftsALock) {
  for (int failure = 1; failure <= 5; ++failure) Login("clerk", "Wrong-Password-1");
  ExpectProblem(Login("clerk"), 423, "ACCOUNT_LOCKED");
  Answer reset = Call("POST", "/api/v1/staff/clerk/reset-password", TokenOf("org_admin"),
                      Json{{"password", "New-Password-2026"}}.dump());
  EXPECT_EQ(reset.status, 204) << reset.raw.body;
  EXPECT_EQ(Login("clerk", "New-Password-2026").status, 200);
}

TEST_F(ApiTest, SessionsExpireWhenIdleAndAfterTwelveHours) {
  std::string token = TokenOf("clerk");
  test_.clock.Advance(std::chrono::minutes(29));
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", token).status, 200);  // touches the session
  test_.clock.Advance(std::chrono::minutes(29));
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", token).status, 200);
  test_.clock.Advance(std::chrono::minutes(30));
  ExpectProblem(Call("GET", "/api/v1/auth/me", token), 401, "SESSION_EXPIRED");

  std::string busy = TokenOf("reviewer");
  for (int step = 0; step < 12 * 3; ++step) {
    test_.clock.Advance(std::chrono::minutes(20));
    if (Call("GET", "/api/v1/auth/me", busy).status != 200) break;
  }
  ExpectProblem(Call("GET", "/api/v1/auth/me", busy), 401, "SESSION_EXPIRED");
}

TEST_F(ApiTest, LogoutEndsTheSession) {
  std::string token = TokenOf("clerk");
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", token).status, 204);
  ExpectProblem(Call("GET", "/api/v1/auth/me", token), 401, "SESSION_EXPIRED");
  ExpectProblem(Call("GET", "/api/v1/auth/me", "made-up-token"), 401, "UNAUTHENTICATED");
  ExpectProblem(Call("GET", "/api/v1/auth/me"), 401, "UNAUTHENTICATED");
}

// R-SEC-1: a town clerk cannot read another county's org admin data; a county admin cannot
// reach another county's staff.
TEST_F(ApiTest, AccountsSeeOnlyTheirRegionForRSec1) {
  std::string clerk = TokenOf("clerk");
  Answer own = Call("GET", "/api/v1/orgs/42011500100001", clerk);
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(own.body["service_point_id"], "42011500100001001");
  Answer other = Call("GET", "/api/v1/orgs/42011600000001", clerk);
  ExpectProblem(other, 403, "OUT_OF_REGION");
  EXPECT_EQ(other.body["rule"], "R-SEC-1");
  ExpectProblem(Call("GET", "/api/v1/staff?org=42011600000001", clerk), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", "/api/v1/staff", clerk), 403, "FORBIDDEN");

  Answer orgs = Call("GET", "/api/v1/orgs", clerk);
  ASSERT_EQ(orgs.status, 200);
  EXPECT_EQ(orgs.body["items"].size(), 1u);  // only the town centre itself

  std::string admin = TokenOf("org_admin");  // Jiangxia county
  Answer county_staff = Call("GET", "/api/v1/staff", admin);
  ASSERT_EQ(county_staff.status, 200);
  std::set<std::string> usernames;
  for (const Json& account : county_staff.body["items"]) usernames.insert(account["username"]);
  EXPECT_EQ(usernames, (std::set<std::string>{"bank", "civil_affairs", "clerk", "hospital", "org_admin", "payer",
                                              "reviewer", "stock_keeper"}));
  ExpectProblem(Call("GET", "/api/v1/staff?org=42011600000001", admin), 403, "OUT_OF_REGION");
  ExpectProblem(Call("GET", "/api/v1/orgs/42011600000001", admin), 403, "OUT_OF_REGION");
  ExpectProblem(Call("GET", "/api/v1/audit", admin), 403, "FORBIDDEN");

  // A second county's admin, created by the province, sees none of Jiangxia.
  std::string province = TokenOf("province_admin");
  Answer created = Call("POST", "/api/v1/staff", province,
                        Json{{"username", "huangpi_admin"},
                             {"name", "黄陂管理员"},
                             {"org_code", "42011600000001"},
                             {"roles", {"org_admin"}},
                             {"password", "Huangpi-Admin-2026"}}
                            .dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string huangpi = Call("POST", "/api/v1/auth/login", "",
                             Json{{"username", "huangpi_admin"}, {"password", "Huangpi-Admin-2026"}}
                                 .dump())
                            .body["token"];
  Answer theirs = Call("GET", "/api/v1/staff", huangpi);
  ASSERT_EQ(theirs.status, 200);
  ASSERT_EQ(theirs.body["items"].size(), 1u);
  ExpectProblem(Call("GET", "/api/v1/staff?org=42011500000001", huangpi), 403, "OUT_OF_REGION");
  ExpectProblem(Call("POST", "/api/v1/staff/clerk/disable", huangpi), 403, "OUT_OF_REGION");
}

// R-SEC-4: a new org gets its service point id generated from region, institution, serial.
TEST_F(ApiTest, CreatingAnOrgGeneratesItsServicePointIdForRSec4) {
  std::string province = TokenOf("province_admin");
  Answer created = Call("POST", "/api/v1/orgs", province,
                        Json{{"name", "金口街道便民服务中心"},
                             {"region_code", "420115002"},
                             {"institution", "00001"},
                             {"type", "town_centre"},
                             {"capabilities", {{"pin_pad", true}}}}
                            .dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  EXPECT_EQ(created.body["code"], "42011500200001");
  EXPECT_EQ(created.body["service_point_id"], "42011500200001001");
  EXPECT_EQ(created.body["level"], "town");
  EXPECT_EQ(created.body["capabilities"]["pin_pad"], true);

  Answer bad_institution = Call("POST", "/api/v1/orgs", province,
                                Json{{"name", "x"}, {"region_code", "420115002"},
                                     {"institution", "1"}, {"type", "town_centre"}}
                                    .dump());
  ExpectProblem(bad_institution, 422, "INVALID_SERVICE_POINT_ID");
  EXPECT_EQ(bad_institution.body["rule"], "R-SEC-4");
  ExpectProblem(Call("POST", "/api/v1/orgs", province,
                     Json{{"name", "x"}, {"region_code", "999999"}, {"institution", "00001"},
                          {"type", "town_centre"}}
                         .dump()),
                422, "UNKNOWN_REGION");
  ExpectProblem(Call("POST", "/api/v1/orgs", TokenOf("org_admin"),
                     Json{{"name", "x"}, {"region_code", "420115002"}, {"institution", "00009"},
                          {"type", "town_centre"}}
                         .dump()),
                403, "FORBIDDEN");
}

// R-SEC-3: a refused request changes nothing and still leaves one audit row.
TEST_F(ApiTest, RefusedRequestsChangeNothingAndAreAuditedForRSec3) {
  std::string admin = TokenOf("org_admin");
  Answer weak = Call("POST", "/api/v1/staff", admin,
                     Json{{"username", "newclerk"}, {"name", "新职员"},
                          {"org_code", "42011500100001"}, {"roles", {"clerk"}},
                          {"password", "short"}}
                         .dump());
  ExpectProblem(weak, 422, "WEAK_PASSWORD");
  Answer list = Call("GET", "/api/v1/staff?org=42011500100001", admin);
  for (const Json& account : list.body["items"]) EXPECT_NE(account["username"], "newclerk");
  auto rows = AuditRows("staff.add", "newclerk");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["result"], "refused");
  EXPECT_EQ(rows[0]["code"], "WEAK_PASSWORD");
  EXPECT_EQ(rows[0]["actor"], "org_admin");
  EXPECT_EQ(rows[0]["request_id"], weak.body["request_id"]);

  Answer ok = Call("POST", "/api/v1/staff", admin,
                   Json{{"username", "newclerk"}, {"name", "新职员"},
                        {"org_code", "42011500100001"}, {"roles", {"clerk"}},
                        {"password", "Good-Password-2026"}}
                       .dump());
  EXPECT_EQ(ok.status, 201) << ok.raw.body;
  rows = AuditRows("staff.add", "newclerk");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["result"], "ok");

  ExpectProblem(Call("POST", "/api/v1/staff", admin,
                     Json{{"username", "newclerk"}, {"name", "新职员"},
                          {"org_code", "42011500100001"}, {"roles", {"clerk"}},
                          {"password", "Good-Password-2026"}}
                         .dump()),
                409, "ALREADY_EXISTS");
  // Only the province grants province-wide roles.
  ExpectProblem(Call("POST", "/api/v1/staff", admin,
                     Json{{"username", "sneaky"}, {"name", "某人"}, {"org_code", "42011500000001"},
                          {"roles", {"province_admin"}}, {"password", "Good-Password-2026"}}
                         .dump()),
                403, "FORBIDDEN");
}

// R-SEC-1: roles fit the org's level — no reviewer at a town centre.
TEST_F(ApiTest, RolesMustFitTheOrgLevelForRSec1) {
  Answer town_reviewer = Call("POST", "/api/v1/staff", TokenOf("org_admin"),
                              Json{{"username", "town_reviewer"}, {"name", "某人"},
                                   {"org_code", "42011500100001"}, {"roles", {"reviewer"}},
                                   {"password", "Good-Password-2026"}}
                                  .dump());
  ExpectProblem(town_reviewer, 400, "VALIDATION_FAILED");
  EXPECT_EQ(town_reviewer.body["errors"][0]["code"], "ROLE_LEVEL_MISMATCH");
  EXPECT_EQ(town_reviewer.body["rule"], "R-SEC-1");
}

TEST_F(ApiTest, DisabledAccountsCannotSignInAndLoseTheirSessions) {
  std::string clerk = TokenOf("clerk");
  EXPECT_EQ(Call("POST", "/api/v1/staff/clerk/disable", TokenOf("org_admin")).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", clerk).status, 401);
  ExpectProblem(Login("clerk"), 403, "ACCOUNT_DISABLED");
}

TEST_F(ApiTest, BadInputGetsAClearProblem) {
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "{not json"), 400, "MALFORMED_JSON");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "[1,2]"), 400, "MALFORMED_JSON");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "username=clerk", "text/plain"), 415,
                "UNSUPPORTED_MEDIA_TYPE");
  Answer fields = Call("POST", "/api/v1/auth/login", "",
                       R"({"username": 5, "pasword": "x"})");
  ExpectProblem(fields, 400, "VALIDATION_FAILED");
  std::set<std::string> problems;
  for (const Json& field : fields.body["errors"]) {
    problems.insert(field["field"].get<std::string>() + ":" + field["code"].get<std::string>());
  }
  EXPECT_EQ(problems, (std::set<std::string>{"username:WRONG_TYPE", "password:REQUIRED",
                                             "pasword:UNKNOWN_FIELD"}));
  ExpectProblem(Call("GET", "/api/v1/nothing-here"), 404, "ROUTE_NOT_FOUND");
  Answer method = Call("DELETE", "/healthz");
  ExpectProblem(method, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(method.Header("Allow"), "GET");
  ExpectProblem(Call("GET", "/api/v1/regions?parent=%zz", TokenOf("clerk")), 400, "BAD_QUERY");
  ExpectProblem(Call("GET", "/api/v1/audit?limit=0", TokenOf("auditor")), 400, "BAD_QUERY");
  ExpectProblem(Call("GET", "/api/v1/audit?from=2026-02-30", TokenOf("auditor")), 400, "BAD_QUERY");
}

TEST_F(ApiTest, ProblemsSpeakChineseByDefaultAndEnglishOnRequest) {
  Answer chinese = Call("GET", "/api/v1/auth/me");
  EXPECT_EQ(chinese.body["title"], "请先登录");
  Answer english = Call("GET", "/api/v1/auth/me", "", "", "", "en-US,en;q=0.9");
  EXPECT_EQ(english.body["title"], "Sign-in required");
}

TEST_F(ApiTest, RegionsComeFromTheRealDivisionData) {
  std::string token = TokenOf("clerk");
  Answer provinces = Call("GET", "/api/v1/regions", token);
  ASSERT_EQ(provinces.status, 200);
  ASSERT_EQ(provinces.body["items"].size(), 1u);
  EXPECT_EQ(provinces.body["items"][0]["name"], "湖北省");
  Answer towns = Call("GET", "/api/v1/regions?parent=420115", token);
  ASSERT_EQ(towns.status, 200);
  EXPECT_GT(towns.body["items"].size(), 5u);
  EXPECT_EQ(towns.body["items"][0]["code"], "420115001");
  EXPECT_EQ(towns.body["items"][0]["name"], "纸坊街道");
  EXPECT_EQ(Call("GET", "/api/v1/regions?parent=4201", token).body["items"][0]["name"], "江岸区");
  ExpectProblem(Call("GET", "/api/v1/regions/999999", token), 404, "NOT_FOUND");
}

TEST_F(ApiTest, AuditRowsCarryNoPersonalDataAndPage) {
  std::string auditor = TokenOf("auditor");
  Answer first = Call("GET", "/api/v1/audit?limit=3", auditor);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.body["items"].size(), 3u);
  ASSERT_TRUE(first.body["next_cursor"].is_string());
  Answer second =
      Call("GET", "/api/v1/audit?limit=3&cursor=" + first.body["next_cursor"].get<std::string>(),
           auditor);
  ASSERT_EQ(second.status, 200);
  EXPECT_LT(second.body["items"][0]["id"].get<std::string>(),
            first.body["items"][2]["id"].get<std::string>());
  for (const Json& row : first.body["items"]) {
    for (const char* field : {"id", "at", "actor", "org_code", "action", "target", "result",
                              "request_id"}) {
      EXPECT_TRUE(row.contains(field)) << field;
    }
  }
}

TEST_F(ApiTest, MetricsCountRequestsByRoutePattern) {
  Call("GET", "/healthz");
  Call("GET", "/api/v1/orgs/42011500100001", TokenOf("clerk"));
  api::Request local;
  local.method = "GET";
  local.target = "/metrics";
  local.remote_address = "127.0.0.1";
  Answer metrics = Send(local);
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.raw.body;
  EXPECT_NE(text.find(R"(sscard_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(route="/api/v1/orgs/{code}")"), std::string::npos);
  EXPECT_EQ(text.find("42011500100001"), std::string::npos);  // patterns, never raw paths
  EXPECT_NE(text.find("sscard_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("sscard_db_transaction_duration_seconds"), std::string::npos);
}

// R-ID-2: the live check answers 200 with valid, normalized number, birth date, sex, region.
TEST_F(ApiTest, IdDocumentCheckAnswersAsTheFunctionForRId2) {
  std::string token = TokenOf("clerk");
  Answer valid = Call("POST", "/api/v1/checks/id-document", token,
                      Json{{"type", "resident_id"}, {"number", "11010519491231002x"}}.dump());
  ASSERT_EQ(valid.status, 200) << valid.raw.body;
  EXPECT_EQ(valid.body["valid"], true);
  EXPECT_EQ(valid.body["normalized"], "11010519491231002X");
  EXPECT_EQ(valid.body["birth_date"], "1949-12-31");
  EXPECT_EQ(valid.body["sex"], "female");
  EXPECT_EQ(valid.body["region_code"], "110105");
  EXPECT_EQ(valid.body["warnings"].size(), 1u);  // Beijing is not in the imported Hubei data
  Answer invalid = Call("POST", "/api/v1/checks/id-document", token,
                        Json{{"type", "resident_id"}, {"number", "420115199003071235"}}.dump());
  ASSERT_EQ(invalid.status, 200);
  EXPECT_EQ(invalid.body["valid"], false);
  EXPECT_EQ(invalid.body["code"], "ID_CHECK_DIGIT");
  EXPECT_EQ(invalid.body["rule"], "R-ID-2");
  EXPECT_FALSE(invalid.body["message"].get<std::string>().empty());
  Answer hubei = Call("POST", "/api/v1/checks/id-document", token,
                      Json{{"type", "resident_id"}, {"number", "420115199003071234"}}.dump());
  EXPECT_EQ(hubei.body["warnings"].size(), 0u);  // a real Jiangxia county code
  ExpectProblem(Call("POST", "/api/v1/checks/id-document", token,
                     Json{{"type", "driving_licence"}, {"number", "1"}}.dump()),
                400, "VALIDATION_FAILED");
  ExpectProblem(Call("POST", "/api/v1/checks/id-document", "",
                     Json{{"type", "resident_id"}, {"number", "1"}}.dump()),
                401, "UNAUTHENTICATED");
}

// R-ID-7: the name check finds rare characters and names the routing.
TEST_F(ApiTest, NameCheckFindsRareCharactersForRId7) {
  std::string token = TokenOf("clerk");
  Answer rare = Call("POST", "/api/v1/checks/name", token, Json{{"name", "王𠀀明"}}.dump());
  ASSERT_EQ(rare.status, 200);
  EXPECT_EQ(rare.body["valid"], true);
  EXPECT_EQ(rare.body["rare"], true);
  EXPECT_EQ(rare.body["rare_chars"], Json::array({"𠀀"}));
  EXPECT_EQ(rare.body["routing"]["production"], "provincial_card_centre");
  EXPECT_EQ(rare.body["routing"]["delivery"], "mail");
  Answer common = Call("POST", "/api/v1/checks/name", token, Json{{"name", "张敏"}}.dump());
  EXPECT_EQ(common.body["rare"], false);
  EXPECT_FALSE(common.body.contains("routing"));
}

// R-PIN-2: the PIN check with the holder's data.
TEST_F(ApiTest, PinCheckRefusesWeakPinsForRPin2) {
  std::string token = TokenOf("clerk");
  Answer weak = Call("POST", "/api/v1/checks/pin", token,
                     Json{{"pin", "900307"}, {"birth_date", "1990-03-07"}}.dump());
  ASSERT_EQ(weak.status, 200);
  EXPECT_EQ(weak.body["valid"], false);
  EXPECT_EQ(weak.body["code"], "PIN_BIRTH_DATE");
  EXPECT_EQ(weak.body["rule"], "R-PIN-2");
  Answer good = Call("POST", "/api/v1/checks/pin", token, Json{{"pin", "480259"}}.dump());
  EXPECT_EQ(good.body["valid"], true);
  Answer english = Call("POST", "/api/v1/checks/pin", token, Json{{"pin", "111111"}}.dump(),
                        "application/json", "en");
  EXPECT_EQ(english.body["message"], "six equal digits");
}

// R-ID-5: the photo check takes the raw JPEG.
TEST_F(ApiTest, PhotoCheckTakesRawJpegForRId5) {
  std::string token = TokenOf("clerk");
  domain::RgbImage small{100, 120, std::vector<uint8_t>(100 * 120 * 3, 255)};
  Answer answer = Call("POST", "/api/v1/checks/photo", token, infra::EncodeJpeg(small, 90), "image/jpeg");
  ASSERT_EQ(answer.status, 200) << answer.raw.body;
  EXPECT_EQ(answer.body["valid"], false);
  EXPECT_EQ(answer.body["width"], 100);
  EXPECT_EQ(answer.body["height"], 120);
  std::set<std::string> codes;
  for (const Json& problem : answer.body["problems"]) codes.insert(problem["code"]);
  EXPECT_EQ(codes, (std::set<std::string>{"PHOTO_SIZE", "PHOTO_DIMENSIONS"}));
  ExpectProblem(Call("POST", "/api/v1/checks/photo", token, "abc", "image/png"), 415,
                "UNSUPPORTED_MEDIA_TYPE");
}

// R-APPLY-4: due dates count working days on the national calendar.
TEST_F(ApiTest, DueDateCountsWorkingDaysForRApply4) {
  Answer due = Call("GET", "/api/v1/calendar/due-date?from=2025-09-26&working_days=5");
  ASSERT_EQ(due.status, 200) << due.raw.body;
  EXPECT_EQ(due.body["due_on"], "2025-10-10");
  EXPECT_EQ(due.body["calendar_complete"], true);
  Answer batch = Call("GET", "/api/v1/calendar/due-date?from=2026-12-20&working_days=29");
  EXPECT_EQ(batch.body["calendar_complete"], false);  // runs into 2027, not yet published
  Answer day = Call("GET", "/api/v1/calendar/days/2025-10-11");
  EXPECT_EQ(day.body["working_day"], true);
  EXPECT_EQ(day.body["festival"], "国庆节");
  ExpectProblem(Call("GET", "/api/v1/calendar/due-date?from=2025-02-30&working_days=5"), 400, "BAD_QUERY");
  ExpectProblem(Call("GET", "/api/v1/calendar/due-date?from=2025-02-01&working_days=-1"), 400, "BAD_QUERY");
  ExpectProblem(Call("GET", "/api/v1/calendar/due-date?from=2025-02-01&working_days=999"), 400, "BAD_QUERY");
}

// R-CAT-5: the catalog and each item's guide per org are published; R-CAT-6 fees per region.
TEST_F(ApiTest, CatalogAndGuidesArePublishedForRCat5) {
  Answer items = Call("GET", "/api/v1/catalog/items");
  ASSERT_EQ(items.status, 200);
  EXPECT_EQ(items.body["items"].size(), 9u);
  Answer search = Call("GET", "/api/v1/catalog/items?q=%E6%8C%82%E5%A4%B1");  // 挂失
  ASSERT_EQ(search.body["items"].size(), 1u);
  EXPECT_EQ(search.body["items"][0]["code"], "002014010007");
  EXPECT_EQ(search.body["items"][0]["handling"], "instant");
  Answer guide = Call("GET", "/api/v1/catalog/items/002014010006/guide?org=42011500100001");
  ASSERT_EQ(guide.status, 200) << guide.raw.body;
  EXPECT_EQ(guide.body["org"]["name"], "纸坊街道便民服务中心");
  EXPECT_EQ(guide.body["requires_pin_pad"], true);
  EXPECT_EQ(guide.body["available_here"], true);  // the town centre has a PIN pad
  EXPECT_EQ(guide.body["online_here"], false);    // R-CAT-3: offline only at town level
  EXPECT_EQ(guide.body["fees_here"], Json::object());
  EXPECT_FALSE(guide.body["steps"].empty());
  Answer query_guide = Call("GET", "/api/v1/catalog/items/002014010003/guide?org=42011500100001");
  EXPECT_EQ(query_guide.body["online_here"], true);  // status query has no such limit
  ExpectProblem(Call("GET", "/api/v1/catalog/items/002014010006/guide"), 400, "BAD_QUERY");
  ExpectProblem(Call("GET", "/api/v1/catalog/items/999/guide?org=42011500100001"), 404, "NOT_FOUND");
  ExpectProblem(Call("GET", "/api/v1/catalog/items/002014010006/guide?org=1"), 404, "NOT_FOUND");
}

// An apply case as a town clerk takes it at the window (seed 000 annex 2).

// R-ACCEPT-2, R-CAT-2: an apply case goes from a town window to the county reviewer; the
// audit trail shows both steps.
TEST_F(ApiTest, ApplyCaseGoesFromTownWindowThroughCountyReviewForRAccept2) {
  std::string clerk = TokenOf("clerk");
  Answer created = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string case_no = created.body["case_no"];
  EXPECT_EQ(case_no, "42011520261123000001");
  EXPECT_EQ(created.body["status"], "pending_review");
  EXPECT_EQ(created.body["reviewing_org"], "42011500000001");
  EXPECT_EQ(created.body["due_on"], "2026-11-24");  // 1 working day after Monday
  EXPECT_EQ(created.body["applicant"]["id_number"], "4201**********1234");
  EXPECT_EQ(created.body["applicant"]["name"], "张*");
  EXPECT_EQ(created.Header("Location"), "/api/v1/cases/" + case_no);

  Answer approved = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                         Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  EXPECT_EQ(approved.body["status"], "approved");
  ASSERT_EQ(approved.body["steps"].size(), 2u);
  EXPECT_EQ(approved.body["steps"][0]["action"], "accept");
  EXPECT_EQ(approved.body["steps"][0]["actor"], "clerk");
  EXPECT_EQ(approved.body["steps"][0]["org_code"], "42011500100001");
  EXPECT_EQ(approved.body["steps"][1]["action"], "approve");
  EXPECT_EQ(approved.body["steps"][1]["actor"], "reviewer");

  // R-ACCEPT-4: the clerk finds it among the cases they handled.
  Answer handled = Call("GET", "/api/v1/cases", clerk);
  ASSERT_EQ(handled.status, 200);
  ASSERT_EQ(handled.body["items"].size(), 1u);
  EXPECT_EQ(handled.body["items"][0]["status"], "approved");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_no, clerk).body["version"], 2);

  auto intake = AuditRows("case.intake", case_no);
  auto approve = AuditRows("case.approve", case_no);
  ASSERT_EQ(intake.size(), 1u);
  EXPECT_EQ(intake[0]["actor"], "clerk");
  EXPECT_EQ(intake[0]["result"], "ok");
  ASSERT_EQ(approve.size(), 1u);
  EXPECT_EQ(approve[0]["actor"], "reviewer");
}

// R-ACCEPT-4: case numbers are unique, sortable and carry the region and the date.
TEST_F(ApiTest, CaseNumbersCountPerCountyAndDayForRAccept4) {
  std::string clerk = TokenOf("clerk");
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"], "42011520261123000001");
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody("42011519700101005X", "李娟").dump()).body["case_no"],
            "42011520261123000002");
  test_.clock.Advance(std::chrono::hours(24));
  Answer next_day = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody("420115198503151236", "王强").dump());
  EXPECT_EQ(next_day.body["case_no"], "42011520261124000001") << next_day.raw.body;
}

TEST_F(ApiTest, RejectionNeedsAReasonAndOnlyOneDecisionWinsForRCat2) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  Answer no_reason = Call("POST", "/api/v1/cases/" + case_no + "/review", reviewer, Json{{"decision", "reject"}}.dump());
  ExpectProblem(no_reason, 400, "REJECT_REASON_REQUIRED");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_no, reviewer).body["status"], "pending_review");

  // Two reviewers at once: exactly one decides, the other gets 409.
  std::string org_admin = TokenOf("org_admin");
  ASSERT_EQ(Call("POST", "/api/v1/staff", org_admin,
                 Json{{"username", "reviewer2"}, {"name", "孙丽"}, {"org_code", "42011500000001"},
                      {"roles", {"reviewer"}}, {"password", "Reviewer-Two-2026"}}.dump()).status, 201);
  std::string second = Call("POST", "/api/v1/auth/login", "",
                            Json{{"username", "reviewer2"}, {"password", "Reviewer-Two-2026"}}.dump()).body["token"];
  Answer first_answer, second_answer;
  std::thread a([&] { first_answer = Call("POST", "/api/v1/cases/" + case_no + "/review", reviewer,
                                          Json{{"decision", "reject"}, {"reason", "照片不合格"}}.dump()); });
  std::thread b([&] { second_answer = Call("POST", "/api/v1/cases/" + case_no + "/review", second,
                                           Json{{"decision", "approve"}}.dump()); });
  a.join();
  b.join();
  std::multiset<int> statuses = {first_answer.status, second_answer.status};
  EXPECT_EQ(statuses, (std::multiset<int>{200, 409})) << first_answer.raw.body << second_answer.raw.body;
  Answer final_state = Call("GET", "/api/v1/cases/" + case_no, reviewer);
  EXPECT_EQ(final_state.body["steps"].size(), 2u);
  if (first_answer.status == 200) {
    EXPECT_EQ(final_state.body["reason"], "照片不合格");
  }
}

// R-CAT-2: a reviewer never decides a case they accepted; reviews stay in the county.
TEST_F(ApiTest, ReviewersDecideOnlyOthersCasesInTheirCountyForRCat2) {
  std::string org_admin = TokenOf("org_admin");
  ASSERT_EQ(Call("POST", "/api/v1/staff", org_admin,
                 Json{{"username", "both_roles"}, {"name", "钱进"}, {"org_code", "42011500000001"},
                      {"roles", {"clerk", "reviewer"}}, {"password", "Both-Roles-2026"}}.dump()).status, 201);
  std::string both = Call("POST", "/api/v1/auth/login", "",
                          Json{{"username", "both_roles"}, {"password", "Both-Roles-2026"}}.dump()).body["token"];
  Answer own = Call("POST", "/api/v1/cases", both, ApplyBody().dump());
  ASSERT_EQ(own.status, 201) << own.raw.body;
  EXPECT_EQ(own.body["reviewing_org"], "42011500000001");  // a county hall reviews its own intake
  std::string case_no = own.body["case_no"];
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/review", both, Json{{"decision", "approve"}}.dump()),
                403, "REVIEW_OWN_CASE");
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("clerk"), Json{{"decision", "approve"}}.dump()),
                403, "FORBIDDEN");
  std::string province = TokenOf("province_admin");
  ASSERT_EQ(Call("POST", "/api/v1/staff", province,
                 Json{{"username", "huangpi_reviewer"}, {"name", "吴刚"}, {"org_code", "42011600000001"},
                      {"roles", {"reviewer"}}, {"password", "Huangpi-Review-2026"}}.dump()).status, 201);
  std::string huangpi = Call("POST", "/api/v1/auth/login", "",
                             Json{{"username", "huangpi_reviewer"}, {"password", "Huangpi-Review-2026"}}.dump()).body["token"];
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/review", huangpi, Json{{"decision", "approve"}}.dump()),
                404, "NOT_FOUND");
  // Not yours answers as not there: no existence oracle (security issue, item 3).
  ExpectProblem(Call("GET", "/api/v1/cases/" + case_no, huangpi), 404, "NOT_FOUND");
}

// R-CAT-3: town-level orgs take these items at the window only; status query has no limit.
TEST_F(ApiTest, TownOrgsTakeItemsOfflineOnlyForRCat3) {
  std::string clerk = TokenOf("clerk");
  Json online = ApplyBody();
  online["channel"] = "online";
  Answer refused = Call("POST", "/api/v1/cases", clerk, online.dump());
  ExpectProblem(refused, 422, "CHANNEL_NOT_ALLOWED");
  EXPECT_EQ(refused.body["rule"], "R-CAT-3");
  ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).status, 201);
  Json query = {{"item", "002014010003"}, {"operation", "query"}, {"channel", "online"},
                {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"}}},
                {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  Answer instant = Call("POST", "/api/v1/cases", clerk, query.dump());
  ASSERT_EQ(instant.status, 201) << instant.raw.body;
  EXPECT_EQ(instant.body["status"], "completed");  // R-ACCEPT-3: handled on the spot
  EXPECT_FALSE(instant.body["result"].is_null());
}

// R-ACCEPT-3: instant cases are handled at intake with the result on the spot.
TEST_F(ApiTest, InstantCasesCompleteAtIntakeForRAccept3) {
  std::string clerk = TokenOf("clerk");
  Json query = {{"item", "002014010003"}, {"operation", "query"},
                {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"}}},
                {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  ExpectProblem(Call("POST", "/api/v1/cases", clerk, query.dump()), 422, "PERSON_NOT_FOUND");
  ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).status, 201);
  Answer done = Call("POST", "/api/v1/cases", clerk, query.dump());
  ASSERT_EQ(done.status, 201) << done.raw.body;
  EXPECT_EQ(done.body["status"], "completed");
  EXPECT_TRUE(done.body["reviewing_org"].is_null());
  EXPECT_EQ(done.body["steps"].size(), 2u);
  EXPECT_EQ(done.body["steps"][1]["action"], "complete");
}

// R-CAT-4: PIN services need a PIN pad with PSAM at the org.
TEST_F(ApiTest, PinServicesNeedAPinPadForRCat4) {
  std::string province = TokenOf("province_admin");
  ASSERT_EQ(Call("POST", "/api/v1/orgs", province,
                 Json{{"name", "金口街道便民服务中心"}, {"region_code", "420115002"}, {"institution", "00001"},
                      {"type", "town_centre"}}.dump()).status, 201);
  ASSERT_EQ(Call("POST", "/api/v1/staff", province,
                 Json{{"username", "jinkou_clerk"}, {"name", "郑芳"}, {"org_code", "42011500200001"},
                      {"roles", {"clerk"}}, {"password", "Jinkou-Clerk-2026"}}.dump()).status, 201);
  std::string clerk = Call("POST", "/api/v1/auth/login", "",
                           Json{{"username", "jinkou_clerk"}, {"password", "Jinkou-Clerk-2026"}}.dump()).body["token"];
  Json pin = {{"item", "002014010006"}, {"operation", "reset_pin"},
              {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"}}},
              {"materials", {{{"name", "中华人民共和国社会保障卡"}, {"kind", "paper"}},
                             {{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  Answer refused = Call("POST", "/api/v1/cases", clerk, pin.dump());
  ExpectProblem(refused, 422, "PIN_PAD_REQUIRED");
  EXPECT_EQ(refused.body["rule"], "R-CAT-4");
}

// R-ACCEPT-2: every problem of the form at once, with rule ids; a refused intake leaves no
// case and one audit row.
TEST_F(ApiTest, IntakeReportsEveryProblemAndLeavesNothingForRAccept2) {
  std::string clerk = TokenOf("clerk");
  Json bad = ApplyBody("420115199003071235");
  bad["form"]["bank_code"] = "NOPE";
  bad["form"].erase("production_mode");
  bad["form"]["colour"] = "red";
  bad["materials"] = Json::array({{{"name", "申领人电子照片"}, {"kind", "paper"}}});
  bad["delivery"] = {{"method", "mail"}};
  Answer answer = Call("POST", "/api/v1/cases", clerk, bad.dump());
  ExpectProblem(answer, 400, "VALIDATION_FAILED");
  std::set<std::string> problems;
  for (const Json& field : answer.body["errors"]) {
    problems.insert(field["field"].get<std::string>() + ":" + field["code"].get<std::string>());
  }
  for (const char* expected : {"applicant.id_number:ID_CHECK_DIGIT", "form.bank_code:NOT_AN_OPTION",
                               "form.production_mode:REQUIRED", "form.colour:UNKNOWN_FIELD",
                               "materials:MATERIAL_MISSING", "delivery.address:REQUIRED"}) {
    EXPECT_TRUE(problems.count(expected)) << expected << " in " << answer.raw.body;
  }
  EXPECT_EQ(Call("GET", "/api/v1/cases", clerk).body["items"].size(), 0u);
  auto rows = AuditRows("case.intake", "new");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["result"], "refused");
  EXPECT_EQ(rows[0]["code"], "VALIDATION_FAILED");

  Json mail_for_loss = {{"item", "002014010007"}, {"operation", "temporary_loss"},
                        {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"}}},
                        {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}},
                        {"delivery", {{"method", "mail"}, {"address", "某地"}}}};
  Answer mail = Call("POST", "/api/v1/cases", clerk, mail_for_loss.dump());
  ExpectProblem(mail, 400, "VALIDATION_FAILED");
  EXPECT_EQ(mail.body["errors"][0]["code"], "MAIL_NOT_ALLOWED");
}

// R-ID-3: a child applies through a guardian with proof of guardianship.
TEST_F(ApiTest, MinorsApplyThroughAGuardianForRId3) {
  std::string clerk = TokenOf("clerk");
  Json child = ApplyBody("420115201203010057", "李小明");
  Answer refused = Call("POST", "/api/v1/cases", clerk, child.dump());
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["errors"][0]["code"], "GUARDIAN_REQUIRED");
  child["agent"] = {{"kind", "guardian"}, {"id_type", "resident_id"}, {"id_number", "420115199003071234"},
                    {"name", "李娟"}, {"relationship", "母亲"}};
  child["materials"].push_back({{"name", "代办人有效身份证件"}, {"kind", "paper"}});
  child["materials"].push_back({{"name", "监护关系证明（户口簿）"}, {"kind", "paper"}});
  Answer accepted = Call("POST", "/api/v1/cases", clerk, child.dump());
  EXPECT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["agent"]["kind"], "guardian");
}

// R-ID-8: the applicant's data is compared with the population registry.
TEST_F(ApiTest, ApplyComparesWithThePopulationRegistryForRId8) {
  std::string csv = test_.dir.File("registry.csv");
  std::ofstream(csv) << "id_number,name,sex,birth_date,alive,region_code\n"
                     << "420115199003071234,张明,male,1990-03-07,1,420115\n";
  ASSERT_TRUE(test_.runtime->ImportRegistry(csv));
  Answer mismatch = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump());
  ExpectProblem(mismatch, 422, "REGISTRY_MISMATCH");
  EXPECT_EQ(mismatch.body["rule"], "R-ID-8");
  EXPECT_EQ(mismatch.body["errors"][0]["code"], "NAME_MISMATCH");
  EXPECT_EQ(Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody("420115199003071234", "张明").dump()).status, 201);
}

// Retries after a timeout never create a second case (API.md Idempotency-Key).
TEST_F(ApiTest, IdempotencyKeyReplaysTheFirstCase) {
  std::string clerk = TokenOf("clerk");
  auto post = [&](const std::string& body, const std::string& key) {
    api::Request request;
    request.method = "POST";
    request.target = "/api/v1/cases";
    request.headers = {{"authorization", "Bearer " + clerk}, {"content-type", "application/json"},
                       {"idempotency-key", key}};
    request.body = body;
    return test_.runtime->api().Handle(request);
  };
  api::Response first = post(ApplyBody().dump(), "retry-1");
  api::Response again = post(ApplyBody().dump(), "retry-1");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Json::parse(first.body)["case_no"], Json::parse(again.body)["case_no"]);
  EXPECT_EQ(Call("GET", "/api/v1/cases", clerk).body["items"].size(), 1u);
  api::Response other = post(ApplyBody("11010519491231002X", "李娟").dump(), "retry-1");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(Json::parse(other.body)["code"], "IDEMPOTENCY_KEY_REUSED");
}

// R-ACCEPT-5: the card system takes the case directly when the acceptance front is down.
TEST_F(ApiTest, DirectHandlingIsRecordedForRAccept5) {
  Json direct = ApplyBody();
  direct["channel"] = "direct";
  Answer answer = Call("POST", "/api/v1/cases", TokenOf("clerk"), direct.dump());
  ASSERT_EQ(answer.status, 201) << answer.raw.body;
  EXPECT_EQ(answer.body["channel"], "direct");
  EXPECT_FALSE(answer.body["steps"][0]["note"].is_null());
}

// R-INFO-3: the applicant follows the case with its number and their ID number.
TEST_F(ApiTest, ApplicantsTrackTheirCaseForRInfo3) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  Answer tracked = Call("POST", "/api/v1/cases/track", "",
                        Json{{"case_no", case_no}, {"id_number", "420115199003071234"}}.dump());
  ASSERT_EQ(tracked.status, 200) << tracked.raw.body;
  EXPECT_EQ(tracked.body["status"], "pending_review");
  EXPECT_FALSE(tracked.body["steps"][0].contains("actor"));
  ExpectProblem(Call("POST", "/api/v1/cases/track", "",
                     Json{{"case_no", case_no}, {"id_number", "11010519491231002X"}}.dump()),
                404, "NOT_FOUND");
}

TEST_F(ApiTest, OverdueCasesAreListed) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  EXPECT_EQ(Call("GET", "/api/v1/cases?overdue=true", reviewer).body["items"].size(), 0u);
  test_.clock.Advance(std::chrono::hours(48));  // Wednesday: due Tuesday
  reviewer = TokenOf("reviewer");
  Answer overdue = Call("GET", "/api/v1/cases?overdue=true", reviewer);
  ASSERT_EQ(overdue.body["items"].size(), 1u);
  EXPECT_EQ(overdue.body["items"][0]["case_no"], case_no);
  EXPECT_EQ(overdue.body["items"][0]["overdue"], true);
  ExpectProblem(Call("GET", "/api/v1/cases?status=lost", reviewer), 400, "BAD_QUERY");
}

// R-ACCEPT-2: materials are uploaded files (content-addressed) or marked as paper.
TEST_F(ApiTest, UploadedMaterialsAreContentAddressedForRAccept2) {
  std::string clerk = TokenOf("clerk");
  domain::RgbImage image{40, 50, std::vector<uint8_t>(40 * 50 * 3, 200)};
  std::string jpeg = infra::EncodeJpeg(image, 80);
  Answer uploaded = Call("POST", "/api/v1/files", clerk, jpeg, "image/jpeg");
  ASSERT_EQ(uploaded.status, 201) << uploaded.raw.body;
  std::string file_id = uploaded.body["file_id"];
  EXPECT_EQ(file_id, Sha256Hex(jpeg));
  EXPECT_EQ(uploaded.body["bytes"], jpeg.size());
  EXPECT_EQ(Call("POST", "/api/v1/files", clerk, jpeg, "image/jpeg").body["file_id"], file_id);  // same content, same id
  Answer download = Call("GET", "/api/v1/files/" + file_id, clerk);
  EXPECT_EQ(download.raw.body, jpeg);
  EXPECT_EQ(download.content_type, "image/jpeg");
  ExpectProblem(Call("POST", "/api/v1/files", clerk, "MZ\x90", "application/x-msdownload"), 415, "UNSUPPORTED_MEDIA_TYPE");
  // The bytes must be what the type says: a program named as a photo or a PDF is refused.
  ExpectProblem(Call("POST", "/api/v1/files", clerk, "MZ\x90\x00program", "image/jpeg"), 415, "UNSUPPORTED_MEDIA_TYPE");
  ExpectProblem(Call("POST", "/api/v1/files", clerk, "<script>alert(1)</script>", "application/pdf"), 415,
                "UNSUPPORTED_MEDIA_TYPE");
  ExpectProblem(Call("POST", "/api/v1/files", clerk, jpeg, "image/png"), 415, "UNSUPPORTED_MEDIA_TYPE");
  ExpectProblem(Call("POST", "/api/v1/files", clerk, std::string(5 * 1024 * 1024 + 1, 'x'), "application/pdf"), 413,
                "PAYLOAD_TOO_LARGE");

  std::string photo_id = Call("POST", "/api/v1/files", clerk, testing::ValidPhotoJpeg(), "image/jpeg").body["file_id"];
  Json body = ApplyBody();
  body["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", photo_id}};
  Answer created = Call("POST", "/api/v1/cases", clerk, body.dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  EXPECT_EQ(created.body["materials"][1]["file_id"], photo_id);
  Json missing_file = ApplyBody("440524188001010014", "王强");
  missing_file["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", std::string(64, 'a')}};
  Answer refused = Call("POST", "/api/v1/cases", clerk, missing_file.dump());
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["errors"][0]["code"], "UNKNOWN_FILE");
}

// A case waiting for missing materials stops its clock; resuming moves the due date.
TEST_F(ApiTest, SuspensionStopsTheClock) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/suspend", reviewer, "{}"), 400, "REJECT_REASON_REQUIRED");
  Answer suspended = Call("POST", "/api/v1/cases/" + case_no + "/suspend", reviewer,
                          Json{{"reason", "请补充户口簿"}}.dump());
  ASSERT_EQ(suspended.status, 200) << suspended.raw.body;
  EXPECT_EQ(suspended.body["status"], "suspended");
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/review", reviewer, Json{{"decision", "approve"}}.dump()),
                409, "CASE_STATE_CONFLICT");
  test_.clock.Advance(std::chrono::hours(24 * 3));  // Thursday: Tue, Wed, Thu were working days
  reviewer = TokenOf("reviewer");
  Answer resumed = Call("POST", "/api/v1/cases/" + case_no + "/resume", reviewer);
  ASSERT_EQ(resumed.status, 200) << resumed.raw.body;
  EXPECT_EQ(resumed.body["status"], "pending_review");
  EXPECT_EQ(resumed.body["due_on"], "2026-11-27");  // due Tue 24th + 3 working days
  EXPECT_EQ(resumed.body["overdue"], false);
  EXPECT_EQ(Call("POST", "/api/v1/cases/" + case_no + "/review", reviewer, Json{{"decision", "approve"}}.dump()).status, 200);
}

// R-APPLY-9: a case the producing side cannot act on is withdrawn, and the applicant told.
TEST_F(ApiTest, WithdrawnCasesNotifyTheApplicantForRApply9) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/withdraw", reviewer, "{}"), 400, "REJECT_REASON_REQUIRED");
  Answer withdrawn = Call("POST", "/api/v1/cases/" + case_no + "/withdraw", reviewer,
                          Json{{"reason", "承办机构无法制卡"}}.dump());
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.raw.body;
  EXPECT_EQ(withdrawn.body["status"], "withdrawn");
  std::vector<ports::OutboxMessage> due;
  ASSERT_TRUE(test_.runtime->store().Run(ports::TxMode::kRead, [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(due, tx.outbox().Due(test_.clock.Now(), 10));
    return Ok();
  }));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, "case_accepted");
  EXPECT_EQ(due[1].kind, "case_withdraw");
  EXPECT_NE(due[1].text.find("承办机构无法制卡"), std::string::npos);
}

// The outbox is written with the case and drained with retries.
TEST_F(ApiTest, OutboxDeliversWithRetries) {
  struct FlakyNotifier : app::Notifier {
    int calls = 0;
    std::vector<std::string> delivered;
    Status Send(const ports::OutboxMessage& message) override {
      if (++calls == 1) return Fail(ErrorCode::kUNAVAILABLE);
      delivered.push_back(message.case_no);
      return Ok();
    }
  } notifier;
  test_.runtime->SetNotifier(notifier);
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  auto first = test_.runtime->DrainOutbox();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->failed, 1);
  EXPECT_EQ(test_.runtime->DrainOutbox()->sent, 0);  // not due again yet
  test_.clock.Advance(std::chrono::minutes(1));
  EXPECT_EQ(test_.runtime->DrainOutbox()->sent, 1);
  EXPECT_EQ(notifier.delivered, std::vector<std::string>{case_no});
  EXPECT_EQ(test_.runtime->DrainOutbox()->sent, 0);  // sent once only
}

// R-ACCEPT-6: the connectivity report lists each town org with its hall and sign-in state.
TEST_F(ApiTest, ConnectivityReportListsTownOrgsForRAccept6) {
  std::string admin = TokenOf("org_admin");
  Answer before = Call("GET", "/api/v1/reports/connectivity", admin);
  ASSERT_EQ(before.status, 200) << before.raw.body;
  ASSERT_EQ(before.body["items"].size(), 1u);
  const Json& row = before.body["items"][0];
  EXPECT_EQ(row["county"], "江夏区");
  EXPECT_EQ(row["town"], "纸坊街道");
  EXPECT_EQ(row["hall_type"], "便民服务中心");
  EXPECT_EQ(row["can_login"], false);
  EXPECT_TRUE(row["pin_case_no"].is_null());
  TokenOf("clerk");
  Answer after = Call("GET", "/api/v1/reports/connectivity", admin);
  EXPECT_EQ(after.body["items"][0]["can_login"], true);
  Answer csv = Call("GET", "/api/v1/reports/connectivity?format=csv", admin);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.raw.body.find("社保卡密码服务办件编号"), std::string::npos);
  EXPECT_NE(csv.raw.body.find("\"1\",\"江夏区\",\"纸坊街道\",\"\",\"\",\"便民服务中心\""), std::string::npos) << csv.raw.body;
  ExpectProblem(Call("GET", "/api/v1/reports/connectivity", TokenOf("clerk")), 403, "FORBIDDEN");
}

// API.md: a stale If-Match answers 412 and changes nothing.
TEST_F(ApiTest, StaleIfMatchIsRefusedWith412) {
  std::string case_no = Call("POST", "/api/v1/cases", TokenOf("clerk"), ApplyBody().dump()).body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  Answer current = Call("GET", "/api/v1/cases/" + case_no, reviewer);
  EXPECT_EQ(current.Header("ETag"), "\"1\"");
  auto review = [&](const std::string& if_match) {
    api::Request request;
    request.method = "POST";
    request.target = "/api/v1/cases/" + case_no + "/review";
    request.headers = {{"authorization", "Bearer " + reviewer}, {"content-type", "application/json"},
                       {"if-match", if_match}};
    request.body = Json{{"decision", "approve"}}.dump();
    return test_.runtime->api().Handle(request);
  };
  api::Response stale = review("\"7\"");
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Json::parse(stale.body)["code"], "VERSION_MISMATCH");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_no, reviewer).body["status"], "pending_review");
  EXPECT_EQ(review("\"1\"").status, 200);
}

// An instant operation at intake with its result (R-ACCEPT-3), on a card made from an apply
// case: apply → review → instant production → read test → issue → activate → temporary
// loss → un-report → formal loss, whose un-report is refused (R-LOSS-1). Activation only with
// the holder's authorisation (R-ACT-1).
TEST_F(ApiTest, InstantLossCaseActsOnTheCardForRAccept3) {
  std::string clerk = TokenOf("clerk");
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  Answer approved = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), Json{{"decision", "approve"}}.dump());
  std::string card_no = approved.body["card_no"];
  EXPECT_EQ(card_no, "420000000001");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "approved");
  // R-ACCEPT-3 before the card is issued: no valid card for a loss report yet.
  ExpectProblem(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss").dump()), 409,
                "CARD_STATE_CONFLICT");
  Answer produced = Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", case_no}}.dump());
  ASSERT_EQ(produced.status, 200) << produced.raw.body;
  EXPECT_EQ(produced.body["status"], "produced");
  Answer issued = Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump());
  ASSERT_EQ(issued.status, 200) << issued.raw.body;
  EXPECT_EQ(issued.body["status"], "issued");
  EXPECT_EQ(issued.body["issued_on"], "2026-11-23");
  EXPECT_EQ(issued.body["expires_on"], "2036-11-23");  // R-APPLY-8: 10 years

  // R-ACT-1: never without the holder's authorisation.
  Json unauthorised = InstantBody("002014010002", "activate");
  unauthorised["form"]["authorised"] = false;
  Answer refused = Call("POST", "/api/v1/cases", clerk, unauthorised.dump());
  ExpectProblem(refused, 422, "HOLDER_NOT_AUTHORISED");
  EXPECT_EQ(refused.body["rule"], "R-ACT-1");
  Answer activated = Call("POST", "/api/v1/cases", clerk, InstantBody("002014010002", "activate").dump());
  ASSERT_EQ(activated.status, 201) << activated.raw.body;
  EXPECT_EQ(activated.body["status"], "completed");
  EXPECT_EQ(activated.body["card_no"], card_no);

  Answer lost = Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss").dump());
  ASSERT_EQ(lost.status, 201) << lost.raw.body;
  EXPECT_EQ(lost.body["status"], "completed");
  EXPECT_NE(lost.body["result"].get<std::string>().find("已临时挂失"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "temporary_loss");
  std::string loss_case = lost.body["case_no"];
  ASSERT_EQ(AuditRows("case.intake", loss_case).size(), 1u);

  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "cancel_loss").dump()).status, 201);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "active");
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "formal_loss").dump()).status, 201);
  Answer unreport = Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "cancel_loss").dump());
  ExpectProblem(unreport, 409, "CARD_STATE_CONFLICT");
  EXPECT_EQ(unreport.body["rule"], "R-LOSS-1");
  Answer query = Call("POST", "/api/v1/cases", clerk, InstantBody("002014010003", "query").dump());
  EXPECT_NE(query.body["result"].get<std::string>().find("卡状态：正式挂失"), std::string::npos);
  // R-ACCEPT-6: the town's loss case shows in the connectivity report.
  Answer report = Call("GET", "/api/v1/reports/connectivity", TokenOf("org_admin"));
  EXPECT_EQ(report.body["items"][0]["loss_case_no"], loss_case);
}

// R-ID-6: one person, one card — a second application while a card is valid is refused.
TEST_F(ApiTest, OnePersonOneCardForRId6) {
  std::string clerk = TokenOf("clerk");
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), Json{{"decision", "approve"}}.dump());
  Answer second = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
  ExpectProblem(second, 422, "ONE_PERSON_ONE_CARD");
  EXPECT_EQ(second.body["rule"], "R-ID-6");
}

// R-APPLY-6: a card failing the read test is re-made, never issued.
TEST_F(ApiTest, FailedReadTestSendsTheCardBackForRApply6) {
  std::string clerk = TokenOf("clerk");
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  std::string card_no = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                             Json{{"decision", "approve"}}.dump()).body["card_no"];
  ASSERT_EQ(Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", case_no}}.dump()).status, 200);
  Answer failed = Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk,
                       Json{{"read_check", "fail"}, {"problems", {"芯片不能读取"}}}.dump());
  ASSERT_EQ(failed.status, 200) << failed.raw.body;
  // Never issued: marked defective and straight back to production (re-made).
  EXPECT_EQ(failed.body["status"], "approved");
  EXPECT_EQ(failed.body["issued_on"], nullptr);
  Answer again = Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump());
  ExpectProblem(again, 409, "CARD_STATE_CONFLICT");
  EXPECT_EQ(again.body["rule"], "R-APPLY-6");
  Answer view = Call("GET", "/api/v1/cards/" + card_no, clerk);
  std::vector<std::string> events;
  for (const Json& entry : view.body["production"]["timeline"]) events.push_back(entry["event"]);
  auto failed_at = std::find(events.begin(), events.end(), "read_test_failed");
  ASSERT_NE(failed_at, events.end());
  EXPECT_NE(std::find(failed_at, events.end(), "remake"), events.end());
  EXPECT_NE(std::find(events.begin(), events.end(), "case.read_test_failed"), events.end());
  EXPECT_EQ(view.body["ecard"]["status"], "none");
  // The re-made card can be made and issued again.
  ASSERT_EQ(Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", case_no}}.dump()).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump()).status, 200);
}

// R-PIN-1…3 at the window: change with the current PIN, six wrong ones lock, unlock sets a
// new PIN; weak PINs refused; PINs never stored with the case.

TEST_F(ApiTest, PinCasesAtTheWindowForRPin3) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  auto pin_case = [&](const std::string& operation, Json form) {
    Json body = InstantBody("002014010006", operation);
    body["form"] = std::move(form);
    return Call("POST", "/api/v1/cases", clerk, body.dump());
  };
  // The initial PIN is the ID number's last six digits (071234).
  Answer weak = pin_case("change_pin", {{"old_pin", "071234"}, {"new_pin", "123456"}});
  ExpectProblem(weak, 400, "VALIDATION_FAILED");
  EXPECT_EQ(weak.body["errors"][0]["code"], "PIN_SEQUENCE");
  EXPECT_EQ(weak.body["errors"][0]["rule"], "R-PIN-2");
  Answer changed = pin_case("change_pin", {{"old_pin", "071234"}, {"new_pin", "480259"}});
  ASSERT_EQ(changed.status, 201) << changed.raw.body;
  EXPECT_FALSE(changed.body.dump().find("480259") != std::string::npos);  // never echoed or stored
  for (int wrong = 1; wrong <= 5; ++wrong) {
    ExpectProblem(pin_case("change_pin", {{"old_pin", "000000"}, {"new_pin", "375918"}}), 422, "PIN_WRONG");
  }
  Answer locked = pin_case("change_pin", {{"old_pin", "000001"}, {"new_pin", "375918"}});
  ExpectProblem(locked, 422, "PIN_LOCKED");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["pin_locked"], true);
  ExpectProblem(pin_case("change_pin", {{"old_pin", "480259"}, {"new_pin", "375918"}}), 422, "PIN_LOCKED");
  Answer unlocked = pin_case("unlock_pin", {{"new_pin", "375918"}});
  ASSERT_EQ(unlocked.status, 201) << unlocked.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["pin_locked"], false);
  EXPECT_EQ(pin_case("change_pin", {{"old_pin", "375918"}, {"new_pin", "592047"}}).status, 201);
}

// R-LOSS-3: a loss is reported at a service org or online (online is for orgs above town
// level, R-CAT-3).
TEST_F(ApiTest, LossReportsAtAnOrgOrOnlineForRLoss3) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  ASSERT_EQ(Call("POST", "/api/v1/staff", TokenOf("org_admin"),
                 Json{{"username", "county_clerk"}, {"name", "冯燕"}, {"org_code", "42011500000001"},
                      {"roles", {"clerk"}}, {"password", "County-Clerk-2026"}}.dump()).status, 201);
  std::string county = Call("POST", "/api/v1/auth/login", "",
                            Json{{"username", "county_clerk"}, {"password", "County-Clerk-2026"}}.dump()).body["token"];
  Json online = InstantBody("002014010007", "temporary_loss");
  online["channel"] = "online";
  ExpectProblem(Call("POST", "/api/v1/cases", TokenOf("clerk"), online.dump()), 422, "CHANNEL_NOT_ALLOWED");
  Answer reported = Call("POST", "/api/v1/cases", county, online.dump());
  ASSERT_EQ(reported.status, 201) << reported.raw.body;
  EXPECT_EQ(reported.body["channel"], "online");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, county).body["status"], "temporary_loss");
}

// R-INFO-2: non-key data changes without a new card; R-INFO-1: key data needs a renewal,
// which waits for the old bank account to be closed (R-REPL-2).
TEST_F(ApiTest, InformationChangesForRInfo2AndRInfo1) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Json basic = InstantBody("002014010004", "change_basic");
  basic["materials"] = Json::array({{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}});
  basic["form"] = {{"phone", "13912345678"}, {"id_valid_to", "2040-01-01"}};
  Answer changed = Call("POST", "/api/v1/cases", clerk, basic.dump());
  ASSERT_EQ(changed.status, 201) << changed.raw.body;
  EXPECT_EQ(changed.body["result"], "非关键信息已变更，无需换卡");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "issued");  // same card
  basic["form"] = {{"id_valid_to", "2040-13-01"}};
  ExpectProblem(Call("POST", "/api/v1/cases", clerk, basic.dump()), 400, "VALIDATION_FAILED");
  Json key = basic;
  key["operation"] = "change_key";
  key["form"] = {{"new_name", "张新"}};
  Answer refused = Call("POST", "/api/v1/cases", clerk, key.dump());
  ExpectProblem(refused, 422, "BANK_ACCOUNT_NOT_CLOSED");
  EXPECT_EQ(refused.body["rule"], "R-REPL-2");
  ASSERT_EQ(Call("POST", "/api/v1/bank/events", TokenOf("bank"),
                 Json{{"event_id", "HB-1"}, {"card_no", card_no}, {"event", "account_closed"},
                      {"at", "2026-11-23T10:00:00+08:00"}}.dump()).status, 201);
  // A key data change is a commitment case: nothing changes until the county approves it.
  Answer accepted = Call("POST", "/api/v1/cases", clerk, key.dump());
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["status"], "pending_review");
  EXPECT_EQ(accepted.body["card_no"], card_no);
  std::string reviewer = TokenOf("reviewer");
  EXPECT_EQ(Call("GET", "/api/v1/persons/420115199003071234?unmask=true", reviewer).body["name"], "张敏");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["replacement_applied"], false);
  EXPECT_EQ(Call("GET", "/api/v1/persons/420115199003071234/cards", clerk).body["items"].size(), 1u);
  // While it is open, no second card case may start (R-ID-6).
  ExpectProblem(Call("POST", "/api/v1/cases", clerk, key.dump()), 422, "ONE_PERSON_ONE_CARD");
  Answer approved = Call("POST", "/api/v1/cases/" + accepted.body["case_no"].get<std::string>() + "/review", reviewer,
                         Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string new_card = approved.body["card_no"];
  EXPECT_NE(new_card, card_no);
  EXPECT_NE(approved.body["result"].get<std::string>().find(new_card), std::string::npos);
  Answer view = Call("GET", "/api/v1/cards/" + new_card, clerk);
  EXPECT_EQ(view.body["status"], "approved");
  EXPECT_EQ(view.body["replaces"], card_no);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["replacement_applied"], true);
  Answer person = Call("GET", "/api/v1/persons/420115199003071234?unmask=true", reviewer);
  EXPECT_EQ(person.body["name"], "张新") << person.raw.body;
}

// R-INFO-1: where the population registry knows the person, the new name must be the
// registry's; the refusal leaves nothing behind.
TEST_F(ApiTest, AKeyDataChangeIsComparedWithTheRegistryForRInfo1) {
  std::string clerk = TokenOf("clerk");
  const std::string id_number = "420115198807150013";  // 李华, in the demo registry
  IssueCard(clerk, ApplyBody(id_number, "李华"));
  ASSERT_EQ(Call("POST", "/api/v1/bank/events", TokenOf("bank"),
                 Json{{"event_id", "HB-9"}, {"card_no", Call("GET", "/api/v1/persons/" + id_number + "/cards", clerk)
                                                               .body["items"][0]["card_no"]},
                      {"event", "account_closed"}, {"at", "2026-11-23T10:00:00+08:00"}}.dump()).status, 201);
  Json key = {{"item", "002014010004"}, {"operation", "change_key"},
              {"applicant", {{"id_type", "resident_id"}, {"id_number", id_number}, {"name", "李华"}}},
              {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}},
              {"form", {{"new_name", "李小华"}}}};
  Answer refused = Call("POST", "/api/v1/cases", clerk, key.dump());
  ExpectProblem(refused, 422, "REGISTRY_MISMATCH");
  EXPECT_EQ(refused.body["rule"], "R-INFO-1");
  EXPECT_TRUE(Call("GET", "/api/v1/cases?item=002014010004", clerk).body["items"].empty());
}

// R-ID-7: a rare-character name is made by the provincial card centre and mailed.
TEST_F(ApiTest, RareCharacterNamesGoToTheCardCentreForRId7) {
  std::string clerk = TokenOf("clerk");
  Json rare = ApplyBody("420115199003071234", "王𠀀明");
  Answer refused = Call("POST", "/api/v1/cases", clerk, rare.dump());
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["errors"][0]["code"], "MAIL_REQUIRED");
  rare["delivery"] = {{"method", "mail"}, {"address", "武汉市江夏区纸坊街1号"}};
  Answer accepted = Call("POST", "/api/v1/cases", clerk, rare.dump());
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["rare_name"], true);
  std::string card_no = Call("POST", "/api/v1/cases/" + accepted.body["case_no"].get<std::string>() + "/review",
                             TokenOf("reviewer"), Json{{"decision", "approve"}}.dump()).body["card_no"];
  Answer card = Call("GET", "/api/v1/cards/" + card_no, TokenOf("card_centre"));
  ASSERT_EQ(card.status, 200) << card.raw.body;
  EXPECT_EQ(card.body["org_code"], "42000000000002");  // the provincial card centre
  EXPECT_EQ(card.body["production"]["mode"], "batch");
}

// Every route is in the OpenAPI document and the document names no route that is missing;
// each operation has its own operationId (clients generated from the document need them).
TEST_F(ApiTest, OpenApiDocumentsEveryRoute) {
  Answer document = Call("GET", "/api/openapi.json");
  ASSERT_EQ(document.status, 200);
  EXPECT_EQ(document.body["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> documented, operation_ids;
  for (const auto& [path, operations] : document.body["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      documented.insert(upper + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << path;
      std::string id = operation.value("operationId", "");
      EXPECT_FALSE(id.empty()) << upper << " " << path;
      EXPECT_TRUE(operation_ids.insert(id).second) << "operationId used twice: " << id;
    }
  }
  std::set<std::string> routed;
  for (const auto& route : test_.runtime->api().Routes()) {
    routed.insert(route.method + " " + route.pattern);
  }
  EXPECT_EQ(routed, documented);
}

}  // namespace
}  // namespace sscard
