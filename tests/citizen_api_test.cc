// The citizen online channel through the HTTP API (R-ONE-8, API.md "Citizens"): real-name
// sign-up against the population registry, codes, sign-in, online cases on the same rules as
// the window, and a citizen token that reaches only the citizen's own data.

#include "api_fixture.h"
#include "infra/jpeg.h"

namespace sscard::testing {
namespace {

// 王芳 and 刘建国 are in the demo population registry (app/demo.cc) with these phones.
constexpr const char* kWangId = "420115199205120022";
constexpr const char* kWangPhone = "13900000001";
constexpr const char* kLiuId = "420115198506180032";
constexpr const char* kLiuPhone = "13900000002";

class CitizenTest : public ApiTest {
 protected:
  std::string CodeFor(const std::string& phone, const std::string& purpose) {
    Answer sent = Call("POST", "/api/v1/citizens/codes", "", Json{{"phone", phone}, {"purpose", purpose}}.dump());
    EXPECT_EQ(sent.status, 202) << sent.raw.body;
    return sent.body.value("demo_code", "");
  }
  Answer Register(const std::string& id, const std::string& name, const std::string& phone, const std::string& code) {
    return Call("POST", "/api/v1/citizens/register", "",
                Json{{"id_type", "resident_id"}, {"id_number", id}, {"name", name}, {"phone", phone}, {"code", code}}.dump());
  }
  std::string SignUp(const std::string& id, const std::string& name, const std::string& phone) {
    Answer registered = Register(id, name, phone, CodeFor(phone, "register"));
    EXPECT_EQ(registered.status, 201) << registered.raw.body;
    return registered.body.value("token", "");
  }
  std::string Photo() { return ValidPhotoJpeg(); }
  // 王芳's application at the window, with the phone on file.
  static Json WangsApplication() {
    Json apply = ApplyBody(kWangId, "王芳");
    apply["applicant"]["phone"] = kWangPhone;
    return apply;
  }
  Json OnlineApply(const std::string& file_id) {
    return {{"item", "002014010001"},
            {"operation", "apply"},
            {"channel", "online"},
            // Someone else's identity in the body changes nothing: the session is the applicant.
            {"applicant", {{"id_type", "resident_id"}, {"id_number", kLiuId}, {"name", "刘建国"},
                           {"household_address", "武汉市江夏区纸坊街2号"}}},
            {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}, {"household_address", "武汉市江夏区纸坊街2号"},
                      {"mailing_address", "武汉市江夏区纸坊街2号"}}},
            {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                           {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", file_id}},
                           {{"name", "有效身份证件正反面照片"}, {"kind", "paper"}}}},
            {"delivery", {{"method", "mail"}, {"address", "武汉市江夏区纸坊街2号"}}}};
  }
};

TEST_F(CitizenTest, SignUpIsCheckedAgainstTheRegistryAndCodesAreSingleUseForROne8) {
  ExpectProblem(Call("POST", "/api/v1/citizens/codes", "", Json{{"phone", "12345"}}.dump()), 400, "VALIDATION_FAILED");
  std::string code = CodeFor(kWangPhone, "register");
  ASSERT_EQ(code.size(), 6u);
  // A second code within the minute: 429 with Retry-After.
  Answer flood = Call("POST", "/api/v1/citizens/codes", "", Json{{"phone", kWangPhone}, {"purpose", "register"}}.dump());
  ExpectProblem(flood, 429, "RATE_LIMITED");
  EXPECT_FALSE(flood.Header("Retry-After").empty());

  std::string wrong = code == "000000" ? "111111" : "000000";
  ExpectProblem(Register(kWangId, "王芳", kWangPhone, wrong), 422, "CODE_INVALID");
  // Every mismatch gets one answer (no registry oracle), and each attempt uses the code up.
  Answer name = Register(kWangId, "王小芳", kWangPhone, code);
  ExpectProblem(name, 422, "REGISTRY_MISMATCH");
  EXPECT_EQ(name.body["rule"], "R-ONE-8");
  EXPECT_TRUE(name.body["errors"].empty());
  ExpectProblem(Register(kWangId, "王芳", kWangPhone, code), 422, "CODE_EXPIRED");
  auto fresh = [&] {
    test_.clock.Advance(std::chrono::seconds(61));
    return CodeFor(kWangPhone, "register");
  };
  // A document number that belongs to someone else, with one's own phone; not in the registry.
  Answer other = Register(kLiuId, "刘建国", kWangPhone, fresh());
  Answer unknown = Register("420115199003071234", "张敏", kWangPhone, fresh());
  ExpectProblem(other, 422, "REGISTRY_MISMATCH");
  ExpectProblem(unknown, 422, "REGISTRY_MISMATCH");
  EXPECT_EQ(other.body["detail"], unknown.body["detail"]);
  EXPECT_EQ(other.body["detail"], name.body["detail"]);

  code = fresh();
  Answer registered = Register(kWangId, "王芳", kWangPhone, code);
  ASSERT_EQ(registered.status, 201) << registered.raw.body;
  EXPECT_EQ(registered.body["citizen"]["id_number"], "4201**********0022");
  EXPECT_EQ(registered.body["citizen"]["phone"], "139****0001");
  EXPECT_EQ(registered.body["citizen"]["name"], "王*");
  // The code is spent: a replay cannot make a second account or sign in.
  ExpectProblem(Register(kWangId, "王芳", kWangPhone, code), 422, "CODE_EXPIRED");
  ExpectProblem(Register(kWangId, "王芳", kWangPhone, fresh()), 409, "ALREADY_REGISTERED");

  // Sign in by phone and code; a wrong code answers like an unknown phone.
  test_.clock.Advance(std::chrono::seconds(61));
  std::string login_code = CodeFor(kWangPhone, "login");
  ExpectProblem(Call("POST", "/api/v1/citizens/login", "",
                     Json{{"phone", kWangPhone}, {"code", login_code == "000000" ? "111111" : "000000"}}.dump()),
                401, "BAD_CREDENTIALS");
  Answer login = Call("POST", "/api/v1/citizens/login", "", Json{{"phone", kWangPhone}, {"code", login_code}}.dump());
  ASSERT_EQ(login.status, 200) << login.raw.body;
  std::string token = login.body["token"];
  Answer me = Call("GET", "/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.raw.body;
  EXPECT_EQ(me.body["citizen"]["id_number"], "4201**********0022");
  // A citizen token is no staff token.
  ExpectProblem(Call("GET", "/api/v1/cases", token), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", std::string("/api/v1/persons/") + kWangId, token), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", "/api/v1/me", TokenOf("clerk")), 403, "FORBIDDEN");
}

// Security review finding: with no phone on file, knowing a name and an ID number must not be
// enough to open that person's account with one's own phone.
TEST_F(CitizenTest, NoPhoneOnFileMeansNoOnlineSignUpForROne8) {
  ASSERT_TRUE(test_.runtime->store().Run(ports::TxMode::kWrite, [](ports::Tx& tx) {
    return tx.registry().Upsert({{"420115199001010016", "赵六", domain::Sex::kMale,
                                  Date{std::chrono::year(1990), std::chrono::month(1), std::chrono::day(1)}, true,
                                  "420115", ""}});
  }));
  ExpectProblem(Register("420115199001010016", "赵六", "13811110000", CodeFor("13811110000", "register")), 422,
                "REGISTRY_MISMATCH");
}

TEST_F(CitizenTest, OnlineApplicationLossAndUnreportOnTheWindowsRulesForROne8AndRApply3AndRLoss3) {
  std::string wang = SignUp(kWangId, "王芳", kWangPhone);
  Answer photo = Call("POST", "/api/v1/files", wang, Photo(), "image/jpeg");
  ASSERT_EQ(photo.status, 201) << photo.raw.body;
  // R-APPLY-3: online means fast production and mail.
  Json pickup = OnlineApply(photo.body["file_id"]);
  pickup["delivery"] = {{"method", "pickup"}, {"org_code", "42011500100001"}};
  ExpectProblem(Call("POST", "/api/v1/cases", wang, pickup.dump()), 422, "PRODUCTION_MODE_NOT_ALLOWED");

  Answer applied = Call("POST", "/api/v1/cases", wang, OnlineApply(photo.body["file_id"]).dump());
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  EXPECT_EQ(applied.body["status"], "pending_review");
  std::string case_no = applied.body["case_no"];
  // The applicant is the signed-in citizen, not the one named in the body.
  Answer staff_view = Call("GET", "/api/v1/cases/" + case_no, TokenOf("reviewer"));
  ASSERT_EQ(staff_view.status, 200);
  EXPECT_EQ(staff_view.body["channel"], "online");
  EXPECT_NE(staff_view.raw.body.find("4201**********0022"), std::string::npos) << staff_view.raw.body;

  Answer mine = Call("GET", "/api/v1/me/cases", wang);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.body["items"].size(), 1u);
  EXPECT_EQ(mine.body["items"][0]["case_no"], case_no);
  Answer notices = Call("GET", "/api/v1/me/notices", wang);
  ASSERT_EQ(notices.status, 200);
  EXPECT_GE(notices.body["items"].size(), 1u);

  // Another citizen sees none of it, whatever number they put in a path.
  std::string liu = SignUp(kLiuId, "刘建国", kLiuPhone);
  EXPECT_EQ(Call("GET", "/api/v1/me/cases", liu).body["items"].size(), 0u);
  ExpectProblem(Call("GET", "/api/v1/cases/" + case_no, liu), 403, "FORBIDDEN");

  // The county reviews; the card is made and shows on the citizen's phone.
  Answer approved = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                         Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string card_no = approved.body["card_no"];
  Answer cards = Call("GET", "/api/v1/me/cards", wang);
  ASSERT_EQ(cards.status, 200) << cards.raw.body;
  ASSERT_EQ(cards.body["items"].size(), 1u);
  EXPECT_EQ(cards.body["items"][0]["card_no"], card_no);
  EXPECT_FALSE(cards.body["items"][0]["production"]["timeline"].empty());
  EXPECT_EQ(Call("GET", "/api/v1/me/cards", liu).body["items"].size(), 0u);
}

// A new phone number carries every later code and notice: changing it online needs the
// fresh code sent to the phone on file; other non-key data does not (R-ONE-8, R-INFO-2).
TEST_F(CitizenTest, ChangingThePhoneOnlineNeedsAFreshCodeForROne8) {
  std::string clerk = TokenOf("clerk");
  IssueCard(clerk, WangsApplication());
  std::string wang = SignUp(kWangId, "王芳", kWangPhone);
  Json change = {{"item", "002014010004"}, {"operation", "change_basic"}, {"channel", "online"},
                 {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}},
                 {"form", {{"phone", "13912345678"}}}};
  ExpectProblem(Call("POST", "/api/v1/cases", wang, change.dump()), 422, "CONFIRMATION_REQUIRED");
  Json address = change;
  address["form"] = {{"residence_address", "武汉市江夏区文化路8号"}};
  Answer moved = Call("POST", "/api/v1/cases", wang, address.dump());
  EXPECT_EQ(moved.status, 201) << moved.raw.body;
  test_.clock.Advance(std::chrono::seconds(61));
  change["confirm_code"] = Call("POST", "/api/v1/me/codes", wang).body["demo_code"];
  Answer changed = Call("POST", "/api/v1/cases", wang, change.dump());
  ASSERT_EQ(changed.status, 201) << changed.raw.body;
  // In a bundle too.
  Json bundle = {{"notice_accepted", true}, {"channel", "online"},
                 {"items", {{{"item", "002014010004"}, {"operation", "change_basic"}, {"form", {{"phone", "13712345678"}}}}}},
                 {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  ExpectProblem(Call("POST", "/api/v1/bundles", wang, bundle.dump()), 422, "CONFIRMATION_REQUIRED");
}

TEST_F(CitizenTest, ALossReportOnlineNeedsAFreshCodeForROne8AndRLoss3) {
  // 王芳's card, made at the window and issued.
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk, WangsApplication());

  std::string wang = SignUp(kWangId, "王芳", kWangPhone);
  Json loss = {{"item", "002014010007"}, {"operation", "temporary_loss"}, {"channel", "online"},
               {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  Answer unconfirmed = Call("POST", "/api/v1/cases", wang, loss.dump());
  ExpectProblem(unconfirmed, 422, "CONFIRMATION_REQUIRED");
  test_.clock.Advance(std::chrono::seconds(61));
  Answer code = Call("POST", "/api/v1/me/codes", wang);
  ASSERT_EQ(code.status, 202) << code.raw.body;
  loss["confirm_code"] = code.body["demo_code"];
  Answer reported = Call("POST", "/api/v1/cases", wang, loss.dump());
  ASSERT_EQ(reported.status, 201) << reported.raw.body;
  EXPECT_EQ(reported.body["status"], "completed");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "temporary_loss");
  // The code is spent: the same body again is refused.
  ExpectProblem(Call("POST", "/api/v1/cases", wang, loss.dump()), 422, "CODE_EXPIRED");
  // Lifting the report brings the card back to use: it needs a fresh code too.
  Json lift = {{"item", "002014010007"}, {"operation", "cancel_loss"}, {"channel", "online"},
               {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  ExpectProblem(Call("POST", "/api/v1/cases", wang, lift.dump()), 422, "CONFIRMATION_REQUIRED");
  test_.clock.Advance(std::chrono::seconds(61));
  lift["confirm_code"] = Call("POST", "/api/v1/me/codes", wang).body["demo_code"];
  Answer lifted = Call("POST", "/api/v1/cases", wang, lift.dump());
  ASSERT_EQ(lifted.status, 201) << lifted.raw.body;
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "issued");
  // PIN services are never online (R-PIN-3, R-CAT-3).
  Json pin = {{"item", "002014010006"}, {"operation", "reset_pin"}, {"channel", "online"},
              {"form", {{"new_pin", "802469"}}},
              {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  Answer refused = Call("POST", "/api/v1/cases", wang, pin.dump());
  ExpectProblem(refused, 422, "CHANNEL_NOT_ALLOWED");
  EXPECT_EQ(refused.body["rule"], "R-PIN-3");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["status"], "issued");
}

TEST_F(CitizenTest, TheHolderSeesWhoLookedAndRevokesAPartnerForRSec2AndROne6) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk, WangsApplication());
  ASSERT_EQ(Call("GET", std::string("/api/v1/persons/") + kWangId + "?unmask=true", TokenOf("reviewer")).status, 200);
  std::string wang = SignUp(kWangId, "王芳", kWangPhone);
  Answer log = Call("GET", "/api/v1/me/access-log", wang);
  ASSERT_EQ(log.status, 200) << log.raw.body;
  ASSERT_GE(log.body["items"].size(), 1u);
  EXPECT_EQ(log.body["items"][0]["kind"], "unmask");
  EXPECT_EQ(log.body["items"][0]["org_name"], "江夏区人力资源和社会保障局服务大厅");

  // The e-card's QR from the phone, scanned by the civil-affairs office (a data partner).
  Answer qr = Call("GET", "/api/v1/me/ecard/qr", wang);
  ASSERT_EQ(qr.status, 200) << qr.raw.body;
  EXPECT_EQ(qr.body["ecard_no"], "E" + card_no);
  std::string civil = TokenOf("civil_affairs");
  // The province states civil affairs' purpose (R-ONE-6); the holder reads it below.
  Json profile = {{"purpose", "低保资格核验"}, {"fields", {"name", "id_number", "insured"}}};
  ASSERT_EQ(Call("PUT", "/api/v1/partners/42011500090002/profile", TokenOf("province_admin"), profile.dump()).status, 200);
  Answer shared = Call("POST", "/api/v1/cards/verify", civil, Json{{"qr", qr.body["token"]}}.dump());
  ASSERT_EQ(shared.status, 200) << shared.raw.body;
  EXPECT_EQ(shared.body["holder"]["name"], "王芳");
  Answer seen = Call("GET", "/api/v1/me/access-log", wang);
  bool verified = false;
  for (const Json& entry : seen.body["items"]) {
    verified = verified || (entry["kind"] == "verify" && entry["purpose"] == "低保资格核验");
  }
  EXPECT_TRUE(verified) << seen.raw.body;

  Answer consents = Call("GET", "/api/v1/me/consents", wang);
  ASSERT_EQ(consents.status, 200);
  bool listed = false;
  for (const Json& consent : consents.body["items"]) {
    if (consent["partner_code"] != "42011500090002") continue;
    listed = true;
    EXPECT_EQ(consent["purpose"], "低保资格核验");
    EXPECT_EQ(consent["fields"], Json({"verdict", "name", "id_number", "insured"}));
  }
  EXPECT_TRUE(listed) << consents.raw.body;
  EXPECT_EQ(Call("DELETE", "/api/v1/me/consents/42011500090002", wang).status, 204);
  for (const Json& consent : Call("GET", "/api/v1/me/consents", wang).body["items"]) {
    if (consent["partner_code"] == "42011500090002") {
      EXPECT_EQ(consent["status"], "revoked");
    }
  }
  ExpectProblem(Call("DELETE", "/api/v1/me/consents/42011500000001", wang), 404, "NOT_FOUND");
  // R-ONE-6: after the revocation the same partner learns the verdict only.
  test_.clock.Advance(std::chrono::seconds(2));
  Answer again = Call("POST", "/api/v1/cards/verify", civil,
                      Json{{"qr", Call("GET", "/api/v1/me/ecard/qr", wang).body["token"]}}.dump());
  ASSERT_EQ(again.status, 200) << again.raw.body;
  EXPECT_EQ(again.body["verdict"], "valid");
  EXPECT_FALSE(again.body.contains("holder")) << again.raw.body;
  EXPECT_EQ(again.raw.body.find(kWangId), std::string::npos);
}

}  // namespace
}  // namespace sscard::testing

namespace sscard::testing {
namespace {

// Seed 002 online: a citizen bundles their own items from the phone (R-BUNDLE-1, R-ONE-8):
// the applicant is the signed-in citizen whatever the body says, the account stands for the
// document and card, each item's result shows as it comes (R-BUNDLE-4), and no one else reads
// the bundle.
TEST_F(CitizenTest, ACitizenBundlesTheirOwnItemsOnlineForRBundle1AndROne8) {
  std::string card_no = IssueCard(TokenOf("clerk"), WangsApplication());
  std::string wang = SignUp(kWangId, "王芳", kWangPhone);
  Json bundle = {{"notice_accepted", true},
                 {"applicant", {{"id_type", "resident_id"}, {"id_number", kLiuId}, {"name", "刘建国"}}},
                 {"items", {{{"item", "002014010003"}, {"operation", "query"}},
                            {{"item", "002014019901"}, {"operation", "pension_account_change"},
                             {"form", {{"new_card_no", card_no}}}}}}};
  Answer precheck = Call("POST", "/api/v1/bundles/precheck", wang, bundle.dump());
  ASSERT_EQ(precheck.status, 200) << precheck.raw.body;
  EXPECT_EQ(precheck.body["eligible"], true) << precheck.raw.body;
  // A pension account change is sensitive: the bundle needs the fresh code, as a case does.
  ExpectProblem(Call("POST", "/api/v1/bundles", wang, bundle.dump()), 422, "CONFIRMATION_REQUIRED");
  Json confirmed = bundle;
  confirmed["confirm_code"] = Call("POST", "/api/v1/me/codes", wang).body["demo_code"];
  Answer submitted = Call("POST", "/api/v1/bundles", wang, confirmed.dump());
  ASSERT_EQ(submitted.status, 201) << submitted.raw.body;
  std::string bundle_no = submitted.body["bundle_no"];
  EXPECT_EQ(submitted.body["items"][0]["status"], "completed");
  EXPECT_EQ(submitted.body["items"][1]["status"], "pending_review");
  // The applicant is 王芳, not the 刘建国 of the body; the cases are online.
  std::string pension_case = submitted.body["items"][1]["case_no"];
  Answer staff_view = Call("GET", "/api/v1/cases/" + pension_case, TokenOf("reviewer"));
  ASSERT_EQ(staff_view.status, 200) << staff_view.raw.body;
  EXPECT_EQ(staff_view.body["channel"], "online");
  EXPECT_NE(staff_view.raw.body.find("4201**********0022"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/bundles/" + bundle_no, wang).status, 200);
  std::string liu = SignUp(kLiuId, "刘建国", kLiuPhone);
  ExpectProblem(Call("GET", "/api/v1/bundles/" + bundle_no, liu), 404, "NOT_FOUND");
  // Another person's card as the pension card is refused for the citizen too (R-BUNDLE-6).
  Json foreign = bundle;
  foreign["items"] = {{{"item", "002014019901"}, {"operation", "pension_account_change"}, {"form", {{"new_card_no", "420000009999"}}}}};
  foreign["confirm_code"] = Call("POST", "/api/v1/me/codes", liu).body["demo_code"];
  Answer refused = Call("POST", "/api/v1/bundles", liu, foreign.dump());
  EXPECT_EQ(refused.status / 100, 4) << refused.raw.body;
  EXPECT_NE(refused.raw.body.find("R-BUNDLE-6"), std::string::npos) << refused.raw.body;
}

}  // namespace
}  // namespace sscard::testing
