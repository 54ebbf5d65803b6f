// Least privilege as tested behaviour (security issue, item 3; R-SEC-1, R-SEC-2): each role
// reaches only what its job needs, and "not yours" answers exactly like "not there".

#include "api_fixture.h"

namespace sscard::testing {
namespace {

class AccessTest : public ApiTest {
 protected:
  std::string ProvinceMakes(const std::string& username, const std::string& org, const std::string& role) {
    Answer made = Call("POST", "/api/v1/staff", TokenOf("province_admin"),
                       Json{{"username", username}, {"name", "吴刚"}, {"org_code", org},
                            {"roles", {role}}, {"password", "Huangpi-Review-2026"}}.dump());
    EXPECT_EQ(made.status, 201) << made.raw.body;
    return Call("POST", "/api/v1/auth/login", "",
                Json{{"username", username}, {"password", "Huangpi-Review-2026"}}.dump()).body.value("token", "");
  }
};

// R-SEC-1: partner systems, the bank and the administrators do not read case records,
// bundles, persons or uploaded files; the window and review roles do.
TEST_F(AccessTest, OnlyCaseWorkingRolesReadCasesPersonsAndFilesForRSec1) {
  std::string clerk = TokenOf("clerk");
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  std::string file_id = Call("POST", "/api/v1/files", clerk, "%PDF-1.4\n" + std::string(1024, 'x'), "application/pdf").body["file_id"];
  ASSERT_FALSE(case_no.empty());
  ASSERT_FALSE(file_id.empty());
  for (const std::string username : {"hospital", "civil_affairs", "bank", "org_admin", "province_admin"}) {
    std::string token = TokenOf(username);
    ExpectProblem(Call("GET", "/api/v1/cases", token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/cases/" + case_no, token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/persons/420115199003071234", token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/persons/420115199003071234/cards", token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/files/" + file_id, token), 403, "FORBIDDEN");
  }
  for (const std::string username : {"clerk", "reviewer", "auditor"}) {
    EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_no, TokenOf(username)).status, 200) << username;
  }
  for (const std::string username : {"reviewer", "auditor"}) {
    EXPECT_EQ(Call("GET", "/api/v1/persons/420115199003071234", TokenOf(username)).status, 200) << username;
  }
  EXPECT_EQ(Call("GET", "/api/v1/files/" + file_id, clerk).status, 200);
}

// R-SEC-1: the card roles receive, mail and hand over cards. They read the card and its
// holder, not the applicants' uploaded documents, case records or one-thing applications; the
// province's card centre makes and hands over no hall's card at a counter.
TEST_F(AccessTest, TheCardRolesReadCardsNotUploadsAndTheCentreMakesNoHallsCardForRSec1) {
  std::string clerk = TokenOf("clerk");
  std::string file_id = Call("POST", "/api/v1/files", clerk, "%PDF-1.4\n" + std::string(1024, 'x'), "application/pdf").body["file_id"];
  ASSERT_FALSE(file_id.empty());
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  Answer approved = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string card_no = approved.body["card_no"];
  for (const std::string username : {"stock_keeper", "card_centre"}) {
    std::string token = TokenOf(username);
    ExpectProblem(Call("GET", "/api/v1/files/" + file_id, token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/cases/" + case_no, token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/cases", token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/bundles/B20261201000001", token), 403, "FORBIDDEN");
    Answer card = Call("GET", "/api/v1/cards/" + card_no, token);
    EXPECT_EQ(card.status, 200) << username << card.raw.body;
    Answer board = Call("GET", "/api/v1/reports/dashboard", token);
    EXPECT_EQ(board.status, 200) << username << board.raw.body;
  }
  // The town's card, to be picked up at the town: the centre answers as for no card at all.
  std::string centre = TokenOf("card_centre");
  ExpectProblem(Call("POST", "/api/v1/production/instant", centre, Json{{"case_no", case_no}}.dump()), 404, "NOT_FOUND");
  ExpectProblem(Call("POST", "/api/v1/cards/" + card_no + "/issue", centre, Json{{"read_check", "pass"}}.dump()), 404, "NOT_FOUND");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, centre).body["status"], "approved");
  // The town makes it and hands it over.
  EXPECT_EQ(Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", case_no}}.dump()).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump()).status, 200);
}

// No existence oracle on the card actions: a role that handles no cards gets the same 403 for
// a real case or card number and a made-up one (the lookup comes after the permission).
TEST_F(AccessTest, CardActionsTellARoleWithoutThemNothingAboutNumbersForRSec1) {
  std::string clerk = TokenOf("clerk");
  std::string case_no = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump()).body["case_no"];
  std::string card_no = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                             Json{{"decision", "approve"}}.dump()).body["card_no"];
  ASSERT_FALSE(card_no.empty());
  std::string made_up_case = case_no.substr(0, case_no.size() - 4) + "9999";
  for (const std::string username : {"payer", "hospital", "bank", "auditor", "reviewer"}) {
    std::string token = TokenOf(username);
    for (const std::string& number : {case_no, made_up_case}) {
      ExpectProblem(Call("POST", "/api/v1/production/instant", token, Json{{"case_no", number}}.dump()), 403, "FORBIDDEN");
    }
    for (const std::string& number : {card_no, std::string("420000009999")}) {
      for (const char* action : {"issue", "deliver"}) {
        Json body = std::string(action) == "issue" ? Json{{"read_check", "fail"}} : Json::object();
        ExpectProblem(Call("POST", "/api/v1/cards/" + number + "/" + action, token, body.dump()), 403, "FORBIDDEN");
      }
      ExpectProblem(Call("POST", "/api/v1/cards/" + number + "/arrive", token, Json::object().dump()), 403, "FORBIDDEN");
      ExpectProblem(Call("POST", "/api/v1/cards/" + number + "/mail", token, Json{{"tracking_no", "SF1234567890"}}.dump()),
                    403, "FORBIDDEN");
    }
  }
}

// R-SEC-1 / R-ONE-7: a county's paying department pays the people of its county — those
// living there or whose card was applied for there. Anyone else's row is refused exactly as
// an unknown number is, so the department learns nothing of other counties' cards.
TEST_F(AccessTest, APayingDepartmentPaysThePeopleOfItsRegionOnlyForRSec1AndROne7) {
  IssueCard(TokenOf("clerk"));
  std::string huangpi_clerk = ProvinceMakes("huangpi_clerk", "42011600000001", "clerk");
  Json other = ApplyBody("42011619880715001X", "黄磊");
  other["delivery"] = {{"method", "pickup"}, {"org_code", "42011600000001"}};
  Answer applied = Call("POST", "/api/v1/cases", huangpi_clerk, other.dump());
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  Json rows = Json::array({Json{{"row_id", "J1"}, {"id_number", "420115199003071234"}, {"amount", 10000}, {"purpose", "高龄津贴"}},
                           Json{{"row_id", "H1"}, {"id_number", "42011619880715001X"}, {"amount", 10000}, {"purpose", "高龄津贴"}},
                           Json{{"row_id", "N1"}, {"id_number", "420116198807150036"}, {"amount", 10000}, {"purpose", "高龄津贴"}}});
  Answer paid = Call("POST", "/api/v1/payments/batches", TokenOf("payer"), Json{{"rows", rows}}.dump());
  ASSERT_EQ(paid.status, 201) << paid.raw.body;
  EXPECT_EQ(paid.body["rows"][0]["status"], "paid");
  EXPECT_EQ(paid.body["rows"][1]["status"], "refused");
  EXPECT_EQ(paid.body["rows"][1]["reason"], "UNKNOWN_PERSON");
  EXPECT_EQ(paid.body["rows"][1]["reason_text"], paid.body["rows"][2]["reason_text"]);
  EXPECT_EQ(paid.body["rows"][2]["reason"], "UNKNOWN_PERSON");
}

// R-SEC-1: region codes and the form checks are for staff and citizens; the interface
// accounts of partners and paying departments have no use for them.
TEST_F(AccessTest, InterfaceAccountsUseNoReferenceOrCheckRoutesForRSec1) {
  for (const std::string username : {"hospital", "civil_affairs", "payer"}) {
    std::string token = TokenOf(username);
    ExpectProblem(Call("GET", "/api/v1/regions", token), 403, "FORBIDDEN");
    ExpectProblem(Call("GET", "/api/v1/regions/420115", token), 403, "FORBIDDEN");
    ExpectProblem(Call("POST", "/api/v1/checks/name", token, Json{{"name", "张敏"}}.dump()), 403, "FORBIDDEN");
    ExpectProblem(Call("POST", "/api/v1/checks/id-document", token,
                       Json{{"type", "resident_id"}, {"number", "420115199003071234"}}.dump()), 403, "FORBIDDEN");
  }
  EXPECT_EQ(Call("GET", "/api/v1/regions/420115", TokenOf("clerk")).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/checks/name", TokenOf("clerk"), Json{{"name", "张敏"}}.dump()).status, 200);
}

// Security issue item 5 (API.md "Sessions"): the browser's session lives in an HttpOnly,
// SameSite=Strict cookie that no script reads, and a request it authenticates changes nothing
// without the session's CSRF token; bearer tokens work as before.
TEST_F(AccessTest, TheBrowserSessionIsAnHttpOnlyCookieThatNeedsItsCsrfTokenForRSec1) {
  Answer login = Call("POST", "/api/v1/auth/login", "",
                      Json{{"username", "clerk"}, {"password", app::kDemoPassword}, {"session", "cookie"}}.dump());
  ASSERT_EQ(login.status, 200) << login.raw.body;
  EXPECT_FALSE(login.body.contains("token")) << login.raw.body;  // nothing for a script to keep
  std::string csrf = login.body.value("csrf_token", "");
  ASSERT_EQ(csrf.size(), 32u);
  std::string session, csrf_cookie;
  for (const auto& [name, value] : login.raw.headers) {
    if (name != "Set-Cookie") continue;
    if (value.rfind("sscard_session=", 0) == 0) session = value;
    if (value.rfind("sscard_csrf=", 0) == 0) csrf_cookie = value;
  }
  ASSERT_FALSE(session.empty());
  EXPECT_NE(session.find("; HttpOnly"), std::string::npos) << session;
  EXPECT_NE(session.find("; SameSite=Strict"), std::string::npos) << session;
  EXPECT_NE(csrf_cookie.find("sscard_csrf=" + csrf + ";"), std::string::npos) << csrf_cookie;
  EXPECT_EQ(csrf_cookie.find("HttpOnly"), std::string::npos);  // the page reads it to send it back
  std::string cookie = session.substr(0, session.find(';')) + "; " + csrf_cookie.substr(0, csrf_cookie.find(';'));

  auto send = [&](const std::string& method, const std::string& target, const std::string& body, const std::string& token) {
    api::Request request;
    request.method = method;
    request.target = target;
    request.headers.emplace_back("cookie", cookie);
    if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
    if (!token.empty()) request.headers.emplace_back("x-csrf-token", token);
    request.body = body;
    return Send(request);
  };
  EXPECT_EQ(send("GET", "/api/v1/auth/me", "", "").body["username"], "clerk");  // reads need no token
  std::string apply = ApplyBody().dump();
  ExpectProblem(send("POST", "/api/v1/cases", apply, ""), 403, "CSRF_FAILED");
  ExpectProblem(send("POST", "/api/v1/cases", apply, std::string(32, '0')), 403, "CSRF_FAILED");
  EXPECT_TRUE(Call("GET", "/api/v1/cases", TokenOf("reviewer")).body["items"].empty());  // nothing was taken
  Answer taken = send("POST", "/api/v1/cases", apply, csrf);
  EXPECT_EQ(taken.status, 201) << taken.raw.body;
  // A bearer token needs no CSRF token (no browser sends it by itself).
  EXPECT_EQ(Call("GET", "/api/v1/auth/me", TokenOf("clerk")).status, 200);
  // Signing out ends the session and clears both cookies.
  ExpectProblem(send("POST", "/api/v1/auth/logout", "", ""), 403, "CSRF_FAILED");
  Answer out = send("POST", "/api/v1/auth/logout", "", csrf);
  EXPECT_EQ(out.status, 204);
  int cleared = 0;
  for (const auto& [name, value] : out.raw.headers) cleared += name == "Set-Cookie" && value.find("Max-Age=0") != std::string::npos;
  EXPECT_EQ(cleared, 2);
  ExpectProblem(send("GET", "/api/v1/auth/me", "", ""), 401, "SESSION_EXPIRED");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "",
                     Json{{"username", "clerk"}, {"password", app::kDemoPassword}, {"session", "jar"}}.dump()),
                400, "VALIDATION_FAILED");

  // Over TLS the cookies are Secure and carry the __Host- prefix (no sibling site can plant
  // one), and only the prefixed name is read.
  api::Request secure_login;
  secure_login.method = "POST";
  secure_login.target = "/api/v1/auth/login";
  secure_login.secure = true;
  secure_login.headers = {{"content-type", "application/json"}};
  secure_login.body = Json{{"username", "clerk"}, {"password", app::kDemoPassword}, {"session", "cookie"}}.dump();
  Answer over_tls = Send(secure_login);
  ASSERT_EQ(over_tls.status, 200) << over_tls.raw.body;
  std::string prefixed;
  for (const auto& [name, value] : over_tls.raw.headers) {
    if (name == "Set-Cookie" && value.rfind("__Host-sscard_session=", 0) == 0) prefixed = value;
  }
  ASSERT_FALSE(prefixed.empty());
  EXPECT_NE(prefixed.find("; Secure"), std::string::npos) << prefixed;
  std::string token = prefixed.substr(22, prefixed.find(';') - 22);
  api::Request me;
  me.method = "GET";
  me.target = "/api/v1/auth/me";
  me.secure = true;
  me.headers = {{"cookie", "sscard_session=" + token}};
  ExpectProblem(Send(me), 401, "UNAUTHENTICATED");
  me.headers = {{"cookie", "__Host-sscard_session=" + token}};
  EXPECT_EQ(Send(me).status, 200);
}

// No existence oracle: another county's staff get the same 404 for a person, a case and a
// card that exist in Jiangxia as for numbers that exist nowhere.
TEST_F(AccessTest, NotYoursAnswersExactlyLikeNotThereForRSec1) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  std::string case_no = Call("GET", "/api/v1/cases", TokenOf("clerk")).body["items"][0]["case_no"];
  std::string huangpi = ProvinceMakes("huangpi_reviewer", "42011600000001", "reviewer");
  auto same = [&](const std::string& there, const std::string& nowhere) {
    Answer a = Call("GET", there, huangpi);
    Answer b = Call("GET", nowhere, huangpi);
    ExpectProblem(a, 404, "NOT_FOUND");
    ExpectProblem(b, 404, "NOT_FOUND");
    EXPECT_EQ(a.body["title"], b.body["title"]);
    EXPECT_EQ(a.body["detail"], b.body["detail"]);
  };
  same("/api/v1/persons/420115199003071234", "/api/v1/persons/420115199003071218");
  same("/api/v1/persons/420115199003071234/cards", "/api/v1/persons/420115199003071218/cards");
  same("/api/v1/cases/" + case_no, "/api/v1/cases/" + case_no.substr(0, case_no.size() - 1) + "9");
  same("/api/v1/cards/" + card_no, "/api/v1/cards/420000999999");
  ExpectProblem(Call("POST", "/api/v1/cases/" + case_no + "/review", huangpi, Json{{"decision", "approve"}}.dump()),
                404, "NOT_FOUND");
}

// A cooperative bank's system reads the cards of its own bank only (R-SEC-2).
TEST_F(AccessTest, TheBankReadsItsOwnCardsOnlyForRSec2) {
  std::string clerk = TokenOf("clerk");
  std::string own = IssueCard(clerk);
  Json other_bank = ApplyBody("420115198807150013", "李华");
  other_bank["form"]["bank_code"] = "ICBC";
  std::string case_no = Call("POST", "/api/v1/cases", clerk, other_bank.dump()).body["case_no"];
  std::string other = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                           Json{{"decision", "approve"}}.dump()).body["card_no"];
  ASSERT_FALSE(other.empty());
  std::string bank = TokenOf("bank");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + own, bank).status, 200);
  ExpectProblem(Call("GET", "/api/v1/cards/" + other, bank), 404, "NOT_FOUND");
  // The service's own counts (cases, reviews, stock) are not the bank's business.
  ExpectProblem(Call("GET", "/api/v1/reports/dashboard", bank), 403, "FORBIDDEN");
  EXPECT_EQ(Call("GET", "/api/v1/reports/dashboard", TokenOf("org_admin")).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/reports/dashboard", clerk).status, 200);
}

// Only the province creates the interface accounts of banks and partner departments.
TEST_F(AccessTest, OnlyTheProvinceCreatesBankAndPartnerAccountsForRSec1) {
  std::string admin = TokenOf("org_admin");
  struct Attempt {
    const char* org;
    const char* role;
  };
  for (const Attempt& attempt : {Attempt{"42011500090002", "data_partner"}, Attempt{"42011500090001", "partner"},
                                 Attempt{"42011500000002", "bank"}}) {
    Answer refused = Call("POST", "/api/v1/staff", admin,
                          Json{{"username", "sneaky"}, {"name", "钱多"}, {"org_code", attempt.org},
                               {"roles", {attempt.role}}, {"password", "Sneaky-Partner-2026"}}.dump());
    ExpectProblem(refused, 403, "FORBIDDEN");
    EXPECT_EQ(refused.body["rule"], "R-SEC-1");
  }
  EXPECT_FALSE(ProvinceMakes("hospital_two", "42011500090001", "partner").empty());
  // Nor does a county administrator take such an account over: no new password, no switching
  // it off. The province may.
  for (const char* account : {"bank", "hospital", "civil_affairs", "payer"}) {
    Answer reset = Call("POST", std::string("/api/v1/staff/") + account + "/reset-password", admin,
                        Json{{"password", "Taken-Over-Account-2026"}}.dump());
    ExpectProblem(reset, 403, "FORBIDDEN");
    EXPECT_EQ(reset.body["rule"], "R-SEC-1");
    ExpectProblem(Call("POST", std::string("/api/v1/staff/") + account + "/disable", admin, "{}"), 403, "FORBIDDEN");
  }
  EXPECT_EQ(Login("bank").status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/staff/bank/reset-password", TokenOf("province_admin"),
                 Json{{"password", "Province-Reset-Key-7731"}}.dump()).status, 204);
}

// 三权分立: the administrator who makes accounts does not read the audit trail of its own
// acts; the auditor does (R-SEC-5).
TEST_F(AccessTest, TheSystemAdministratorDoesNotReadTheAuditTrailForRSec5) {
  std::string province = TokenOf("province_admin");
  ExpectProblem(Call("GET", "/api/v1/audit", province), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", "/api/v1/audit/chain", province), 403, "FORBIDDEN");
  EXPECT_EQ(Call("GET", "/api/v1/audit", TokenOf("auditor")).status, 200);
}

// Security headers on every answer; /metrics only on loopback or for a system administrator.
TEST_F(AccessTest, EveryAnswerCarriesSecurityHeadersAndMetricsAreForOperators) {
  for (const std::string target : {"/healthz", "/api/v1/catalog/items", "/no-such-thing"}) {
    Answer answer = Call("GET", target);
    EXPECT_EQ(answer.Header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(answer.Header("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(answer.Header("Referrer-Policy"), "no-referrer") << target;
    std::string csp = answer.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos) << target;
  }
  api::Request remote;
  remote.method = "GET";
  remote.target = "/metrics";
  remote.remote_address = "203.0.113.9";
  ExpectProblem(Send(remote), 401, "UNAUTHENTICATED");
  remote.headers.emplace_back("authorization", "Bearer " + TokenOf("clerk"));
  ExpectProblem(Send(remote), 403, "FORBIDDEN");
  remote.headers.back().second = "Bearer " + TokenOf("province_admin");
  EXPECT_EQ(Send(remote).status, 200);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

api::Request FromAddress(const std::string& method, const std::string& target, const std::string& body,
                         const std::string& address) {
  api::Request request;
  request.method = method;
  request.target = target;
  request.remote_address = address;
  if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
  request.body = body;
  return request;
}

// Security issue item 2: failed sign-ins slow the address that makes them (429 with
// Retry-After), not the accounts of other addresses.
TEST_F(ApiTest, FailedSignInsThrottleTheAddressWith429) {
  std::string wrong = Json{{"username", "nobody"}, {"password", "Wrong-Password-1"}}.dump();
  int throttled_at = 0;
  for (int attempt = 1; attempt <= 40 && throttled_at == 0; ++attempt) {
    Answer answer = Send(FromAddress("POST", "/api/v1/auth/login", wrong, "198.51.100.7"));
    if (answer.status == 429) throttled_at = attempt;
  }
  EXPECT_EQ(throttled_at, 31);
  Answer refused = Send(FromAddress("POST", "/api/v1/auth/login",
                                    Json{{"username", "clerk"}, {"password", app::kDemoPassword}}.dump(), "198.51.100.7"));
  ExpectProblem(refused, 429, "RATE_LIMITED");
  EXPECT_GT(std::stoi(refused.Header("Retry-After")), 0);
  // Another address signs in as usual.
  EXPECT_EQ(Send(FromAddress("POST", "/api/v1/auth/login",
                             Json{{"username", "clerk"}, {"password", app::kDemoPassword}}.dump(), "198.51.100.8"))
                .status,
            200);
}

// An administrator's account is delayed a minute, never locked out for long by someone else.
TEST_F(ApiTest, NobodyLocksAnAdministratorOutForLongForRSec1) {
  for (int failure = 1; failure <= 5; ++failure) Login("province_admin", "Wrong-Password-1");
  ExpectProblem(Login("province_admin"), 423, "ACCOUNT_LOCKED");
  test_.clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Login("province_admin").status, 200);
  // A clerk's lock lasts the full quarter hour.
  for (int failure = 1; failure <= 5; ++failure) Login("clerk", "Wrong-Password-1");
  test_.clock.Advance(std::chrono::seconds(61));
  ExpectProblem(Login("clerk"), 423, "ACCOUNT_LOCKED");
}

// Bounded work per request: bodies nested too deep or with too many members are refused in one
// linear pass, before any handler runs.
TEST_F(ApiTest, JsonBodiesOverTheBoundsAreRefusedBeforeAnyHandler) {
  std::string deep(40, '[');
  deep = "{\"a\":" + deep + std::string(40, ']') + "}";
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", deep), 400, "JSON_TOO_COMPLEX");
  std::string wide = "{";
  for (int key = 0; key < 5000; ++key) wide += (key ? ",\"k" : "\"k") + std::to_string(key) + "\":1";
  wide += "}";
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", wide), 400, "JSON_TOO_COMPLEX");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "{\"username\":\"" + std::string(70000, 'a') + "\"}"), 400,
                "JSON_TOO_COMPLEX");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "{\"a\":\"" + std::string(1100000, 'a') + "\"}"), 413,
                "PAYLOAD_TOO_LARGE");
  ExpectProblem(Call("POST", "/api/v1/auth/login", "", "{\"a\":"), 400, "MALFORMED_JSON");
}

}  // namespace
}  // namespace sscard::testing
