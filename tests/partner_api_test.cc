// The one-card platform's partner interface (R-ONE-1, R-ONE-3): partner departments' systems
// verify a card or an e-card through one endpoint and see only what they are authorised to.
// Same fixture and engines as api_test.cc.

#include "api_fixture.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::InstantBody;
using testing::Json;

class PartnerTest : public ApiTest {
 protected:
  Answer Verify(const std::string& token, const Json& body) {
    return Call("POST", "/api/v1/cards/verify", token, body.dump());
  }
  // What the holder's phone shows: a fresh signed QR token of the card's e-card (R-ONE-5).
  Json Qr(const std::string& card_no) {
    return {{"qr", test_.runtime->ecards().TokenForECard("E" + card_no, test_.clock.Now()).token}};
  }
};

// R-ONE-1: a hospital accepts the card or the e-card as the holder's credential, learns the
// verdict and the masked name — nothing else — and every look is audited.
TEST_F(PartnerTest, AHospitalVerifiesTheCardAndItsECardSeeingOnlyTheMaskedNameForROne1) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string hospital = TokenOf("hospital");

  Answer card = Verify(hospital, Qr(card_no));
  ASSERT_EQ(card.status, 200) << card.raw.body;
  EXPECT_EQ(card.body["valid"], true);
  EXPECT_EQ(card.body["code"], "VALID");
  EXPECT_EQ(card.body["credential"], "qr");
  EXPECT_EQ(card.body["card"]["card_no"], card_no);
  EXPECT_EQ(card.body["card"]["status"], "issued");
  EXPECT_FALSE(card.body["card"]["expires_on"].is_null());
  EXPECT_EQ(card.body["holder"]["name"], "张*");
  EXPECT_EQ(card.body["holder"]["masked"], true);
  EXPECT_FALSE(card.body["holder"].contains("id_number"));
  EXPECT_FALSE(card.body["holder"].contains("birth_date"));
  EXPECT_FALSE(card.body.contains("bank"));
  EXPECT_EQ(card.raw.body.find("420115199003071234"), std::string::npos);

  Answer ecard = Verify(hospital, Qr(card_no));
  ASSERT_EQ(ecard.status, 200) << ecard.raw.body;
  EXPECT_EQ(ecard.body["valid"], true);
  EXPECT_EQ(ecard.body["credential"], "qr");
  EXPECT_EQ(ecard.body["card"]["ecard_status"], "active");

  // Reported lost: the card and its e-card stop being credentials, with the reason.
  ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss").dump()).status, 201);
  for (int time = 0; time < 2; ++time) {
    Answer lost = Verify(hospital, Qr(card_no));
    ASSERT_EQ(lost.status, 200) << lost.raw.body;
    EXPECT_EQ(lost.body["valid"], false);
    EXPECT_EQ(lost.body["verdict"], "invalid");
    EXPECT_EQ(lost.body["code"], "CARD_REPORTED_LOST");
    EXPECT_EQ(lost.body["message"], "该卡已挂失，不能使用");
    // R-ONE-6: a card that is not valid yields its verdict only, no personal data.
    EXPECT_FALSE(lost.body.contains("holder")) << lost.raw.body;
    EXPECT_FALSE(lost.body.contains("card"));
  }
  Answer english = Call("POST", "/api/v1/cards/verify", hospital, Qr(card_no).dump(), "application/json", "en");
  EXPECT_EQ(english.body["message"], "the card is reported lost");

  auto rows = AuditRows("card.verify", card_no);
  ASSERT_EQ(rows.size(), 5u);
  for (const Json& row : rows) {
    EXPECT_EQ(row["actor"], "hospital");
    EXPECT_EQ(row["result"], "ok");
  }
}

// R-ONE-6: a bare card number is no proof; forged, altered, expired and replayed tokens are
// refused with their own codes.
TEST_F(PartnerTest, BareNumbersForgedExpiredAndReplayedTokensAreRefusedForROne6) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  std::string hospital = TokenOf("hospital");
  Answer bare = Verify(hospital, {{"card_no", card_no}});
  ExpectProblem(bare, 422, "CREDENTIAL_REQUIRED");
  EXPECT_EQ(bare.body["rule"], "R-ONE-6");
  ExpectProblem(Verify(hospital, {{"ecard_no", "E" + card_no}}), 422, "CREDENTIAL_REQUIRED");
  ExpectProblem(Verify(hospital, Json::object()), 400, "VALIDATION_FAILED");
  ExpectProblem(Verify(hospital, {{"qr", "SSC1.not-a-token"}}), 422, "CREDENTIAL_INVALID");
  ExpectProblem(Verify(hospital, {{"qr", std::string(3000, 'A')}}), 400, "VALIDATION_FAILED");
  std::string token = Qr(card_no)["qr"];
  // Another card's number in the payload, the old signature kept: refused.
  std::string forged = token;
  size_t dot = forged.find('.', 5);
  forged[dot - 3] = forged[dot - 3] == 'A' ? 'B' : 'A';
  ExpectProblem(Verify(hospital, {{"qr", forged}}), 422, "CREDENTIAL_INVALID");
  ExpectProblem(Verify(hospital, {{"qr", token.substr(0, token.size() - 4)}}), 422, "CREDENTIAL_INVALID");
  // The first presentation works, the same token again does not (replay).
  EXPECT_EQ(Verify(hospital, {{"qr", token}}).status, 200);
  ExpectProblem(Verify(hospital, {{"qr", token}}), 422, "CREDENTIAL_REPLAYED");
  // Nor may the token shown at the hospital be carried to another partner.
  ExpectProblem(Verify(TokenOf("civil_affairs"), {{"qr", token}}), 422, "CREDENTIAL_REPLAYED");
  // A caller without the right does not use a token up.
  std::string unused = Qr(card_no)["qr"];
  ExpectProblem(Verify(TokenOf("clerk"), {{"qr", unused}}), 403, "FORBIDDEN");
  EXPECT_EQ(Verify(hospital, {{"qr", unused}}).status, 200);
  // At most 60 s.
  std::string old = Qr(card_no)["qr"];
  test_.clock.Advance(std::chrono::seconds(61));
  ExpectProblem(Verify(hospital, {{"qr", old}}), 422, "CREDENTIAL_EXPIRED");
}

// R-ONE-1 with R-SEC-1: a partner's account verifies and does nothing else; staff do not
// use the partner interface; partner roles belong to partner departments only.
TEST_F(PartnerTest, PartnersOnlyVerifyAndOnlyPartnersVerifyForROne1) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string hospital = TokenOf("hospital");
  ExpectProblem(Call("GET", "/api/v1/cards/" + card_no, hospital), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", "/api/v1/persons/420115199003071234", hospital), 403, "FORBIDDEN");
  ExpectProblem(Call("POST", "/api/v1/cases", hospital, InstantBody("002014010003", "query").dump()), 403, "FORBIDDEN");
  Answer staff = Verify(clerk, Qr(card_no));
  ExpectProblem(staff, 403, "FORBIDDEN");
  EXPECT_EQ(staff.body["rule"], "R-SEC-1");
  auto rows = AuditRows("card.verify", card_no);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["result"], "refused");

  std::string province = TokenOf("province_admin");
  Json partner_at_town = {{"username", "town_partner"}, {"name", "接口账号"}, {"org_code", "42011500100001"},
                          {"roles", {"partner"}}, {"password", "Good-Password-2026"}};
  Answer refused = Call("POST", "/api/v1/staff", province, partner_at_town.dump());
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["errors"][0]["code"], "ROLE_ORG_MISMATCH");
  Json clerk_at_hospital = {{"username", "hospital_clerk"}, {"name", "医院职员"}, {"org_code", "42011500090001"},
                            {"roles", {"clerk"}}, {"password", "Good-Password-2026"}};
  Answer refused_too = Call("POST", "/api/v1/staff", province, clerk_at_hospital.dump());
  ExpectProblem(refused_too, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused_too.body["errors"][0]["code"], "ROLE_ORG_MISMATCH");
}

// R-ONE-3: an authorised department (civil affairs, which pays subsidies into the card's
// bank account) receives the holder's basic data in full and the card's bank account; the
// hospital of R-ONE-1 does not.
TEST_F(PartnerTest, AnAuthorisedDepartmentReceivesTheHoldersBasicDataAndBankForROne3) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  Answer shared = Verify(TokenOf("civil_affairs"), Qr(card_no));
  ASSERT_EQ(shared.status, 200) << shared.raw.body;
  EXPECT_EQ(shared.body["valid"], true);
  EXPECT_EQ(shared.body["holder"]["masked"], false);
  EXPECT_EQ(shared.body["holder"]["name"], "张敏");
  EXPECT_EQ(shared.body["holder"]["id_type"], "resident_id");
  EXPECT_EQ(shared.body["holder"]["id_number"], "420115199003071234");
  EXPECT_EQ(shared.body["holder"]["sex"], "male");
  EXPECT_EQ(shared.body["holder"]["birth_date"], "1990-03-07");
  EXPECT_EQ(shared.body["holder"]["insured"], true);
  EXPECT_EQ(shared.body["bank"]["code"], "HBRCU");
  EXPECT_EQ(shared.body["bank"]["account_status"], "not_activated");
  auto rows = AuditRows("card.verify", card_no);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["actor"], "civil_affairs");

  Answer verified_only = Verify(TokenOf("hospital"), Qr(card_no));
  EXPECT_EQ(verified_only.body["holder"]["masked"], true);
  EXPECT_FALSE(verified_only.body.contains("bank"));
}

// R-ONE-6: each partner has a purpose and a list of fields it may receive, set by the
// province; the answer is that profile's projection, never more than the account's role allows,
// and a partner asking for a field outside it is refused (audited) without spending the token.
TEST_F(PartnerTest, APartnersProfileDecidesWhatItLearnsForROne6) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  std::string admin = TokenOf("province_admin");
  const std::string civil = "/api/v1/partners/42011500090002/profile";

  Answer before = Call("GET", civil, admin);
  ASSERT_EQ(before.status, 200) << before.raw.body;
  EXPECT_EQ(before.body["configured"], false);
  EXPECT_EQ(before.body["version"], 0);

  Json narrow = {{"purpose", "低保资格核验"}, {"fields", {"insured", "masked_name"}}, {"verifications_per_minute", 60}};
  Answer saved = Call("PUT", civil, admin, narrow.dump());
  ASSERT_EQ(saved.status, 200) << saved.raw.body;
  EXPECT_EQ(saved.body["fields"], Json({"masked_name", "insured"}));
  EXPECT_EQ(saved.body["version"], 1);

  Answer shared = Verify(TokenOf("civil_affairs"), Qr(card_no));
  ASSERT_EQ(shared.status, 200) << shared.raw.body;
  EXPECT_EQ(shared.body["valid"], true);
  EXPECT_EQ(shared.body["purpose"], "低保资格核验");
  EXPECT_EQ(shared.body["shared_fields"], Json({"masked_name", "insured"}));
  EXPECT_EQ(shared.body["holder"]["name"], "张*");
  EXPECT_EQ(shared.body["holder"]["insured"], true);
  EXPECT_FALSE(shared.body["holder"].contains("id_number")) << shared.raw.body;
  EXPECT_FALSE(shared.body.contains("card"));
  EXPECT_FALSE(shared.body.contains("bank"));

  // A field outside the profile: refused, audited, and the holder's token is still good.
  Json token = Qr(card_no);
  Json asking = token;
  asking["fields"] = {"id_number"};
  Answer refused = Verify(TokenOf("civil_affairs"), asking);
  ExpectProblem(refused, 403, "FIELD_NOT_IN_PROFILE");
  EXPECT_EQ(refused.body["rule"], "R-ONE-6");
  bool audited = false;
  for (const Json& row : AuditRows("card.verify", card_no)) audited = audited || row["result"] == "refused";
  EXPECT_TRUE(audited);
  Json fewer = token;
  fewer["fields"] = {"insured"};
  Answer narrowed = Verify(TokenOf("civil_affairs"), fewer);
  ASSERT_EQ(narrowed.status, 200) << narrowed.raw.body;
  EXPECT_EQ(narrowed.body["shared_fields"], Json({"insured"}));
  EXPECT_FALSE(narrowed.body["holder"].contains("name")) << narrowed.raw.body;

  // The hospital's accounts may not receive personal data whatever its profile lists.
  Json wide = {{"purpose", "就医身份核验"}, {"fields", {"card", "name", "id_number"}}};
  ASSERT_EQ(Call("PUT", "/api/v1/partners/42011500090001/profile", admin, wide.dump()).status, 200);
  Answer hospital = Verify(TokenOf("hospital"), Qr(card_no));
  ASSERT_EQ(hospital.status, 200) << hospital.raw.body;
  EXPECT_EQ(hospital.body["shared_fields"], Json({"card"}));
  EXPECT_FALSE(hospital.body["holder"].contains("name")) << hospital.raw.body;
  EXPECT_EQ(hospital.body["card"]["card_no"], card_no);
  Json id = Qr(card_no);
  id["fields"] = {"id_number"};
  ExpectProblem(Verify(TokenOf("hospital"), id), 403, "FIELD_NOT_IN_PROFILE");

}

// R-ONE-6: only the province sets profiles; bad profiles, stale versions and unknown partners
// get clear refusals that change nothing.
TEST_F(PartnerTest, OnlyTheProvinceSetsProfilesAndBadOnesAreRefusedForROne6) {
  const std::string path = "/api/v1/partners/42011500090001/profile";
  Json good = {{"purpose", "就医身份核验"}, {"fields", {"masked_name", "card"}}};
  for (const char* who : {"org_admin", "hospital", "civil_affairs", "clerk", "auditor"}) {
    Answer answer = Call("PUT", path, TokenOf(who), good.dump());
    EXPECT_EQ(answer.status, 403) << who << " " << answer.raw.body;
    EXPECT_NE(Call("GET", path, TokenOf(who)).status, 200) << who;
  }
  std::string admin = TokenOf("province_admin");
  Json unknown = {{"purpose", "就医"}, {"fields", {"card", "face_photo"}}};
  ExpectProblem(Call("PUT", path, admin, unknown.dump()), 400, "VALIDATION_FAILED");
  Json twice = {{"purpose", "就医"}, {"fields", {"card", "card"}}};
  ExpectProblem(Call("PUT", path, admin, twice.dump()), 400, "VALIDATION_FAILED");
  Json lines = {{"purpose", "就医\n另有用途"}, {"fields", {"card"}}};
  ExpectProblem(Call("PUT", path, admin, lines.dump()), 400, "VALIDATION_FAILED");
  Json flood = {{"purpose", "就医"}, {"fields", {"card"}}, {"verifications_per_minute", 100000}};
  ExpectProblem(Call("PUT", path, admin, flood.dump()), 400, "VALIDATION_FAILED");
  EXPECT_EQ(Call("GET", path, admin).body["configured"], false);
  ExpectProblem(Call("PUT", "/api/v1/partners/42011500000001/profile", admin, good.dump()), 422, "UNKNOWN_ORG");

  ASSERT_EQ(Call("PUT", path, admin, good.dump()).status, 200);
  Json text_version = good;
  text_version["version"] = "0";
  ExpectProblem(Call("PUT", path, admin, text_version.dump()), 400, "VALIDATION_FAILED");
  Json stale = good;
  stale["version"] = 0;
  ExpectProblem(Call("PUT", path, admin, stale.dump()), 412, "VERSION_MISMATCH");
  stale["version"] = 1;
  EXPECT_EQ(Call("PUT", path, admin, stale.dump()).status, 200);
  // A limit left out stays as it was.
  Json limited = good;
  limited["verifications_per_minute"] = 30;
  ASSERT_EQ(Call("PUT", path, admin, limited.dump()).status, 200);
  EXPECT_EQ(Call("PUT", path, admin, good.dump()).body["verifications_per_minute"], 30);
}

// R-ONE-6: a partner's profile bounds its verifications a minute, all its accounts together;
// over it the answer is 429 with Retry-After and the holder's token is not spent.
TEST_F(PartnerTest, APartnerOverItsRateLimitWaitsForROne6) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  Json slow = {{"purpose", "就医身份核验"}, {"fields", {"masked_name", "card"}}, {"verifications_per_minute", 2}};
  ASSERT_EQ(Call("PUT", "/api/v1/partners/42011500090001/profile", TokenOf("province_admin"), slow.dump()).status, 200);
  std::string hospital = TokenOf("hospital");
  EXPECT_EQ(Verify(hospital, Qr(card_no)).status, 200);
  EXPECT_EQ(Verify(hospital, Qr(card_no)).status, 200);
  Json third = Qr(card_no);
  Answer limited = Verify(hospital, third);
  ExpectProblem(limited, 429, "RATE_LIMITED");
  EXPECT_EQ(limited.body["rule"], "R-ONE-6");
  EXPECT_FALSE(limited.Header("Retry-After").empty()) << limited.raw.body;
  // Another partner is not held up by the hospital's limit.
  EXPECT_EQ(Verify(TokenOf("civil_affairs"), Qr(card_no)).status, 200);
  test_.clock.Advance(std::chrono::seconds(61));
  Answer later = Verify(hospital, third);
  // The token itself expired meanwhile (60 s): the limit, not the token, was the refusal before.
  EXPECT_EQ(later.status, 422) << later.raw.body;
  EXPECT_EQ(later.body["code"], "CREDENTIAL_EXPIRED");
  EXPECT_EQ(Verify(hospital, Qr(card_no)).status, 200);
}

}  // namespace
}  // namespace sscard

#include <sodium.h>

namespace sscard {
namespace {

// R-ONE-5: a partner's terminal verifies a QR token offline, with nothing but the published
// keys — this small verifier is all it takes (libsodium, no call to the server).
bool VerifyOffline(const std::string& token, const testing::Json& keys) {
  auto from_url = [](std::string text) {
    for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (text.size() % 4) text += '=';
    return Base64Decode(text);
  };
  size_t second = token.find('.', 5);
  if (token.rfind("SSC1.", 0) != 0 || second == std::string::npos) return false;
  auto payload = from_url(token.substr(5, second - 5));
  auto signature = from_url(token.substr(second + 1));
  if (!payload || !signature || signature->size() != crypto_sign_BYTES) return false;
  testing::Json claims = testing::Json::parse(*payload, nullptr, false);
  for (const testing::Json& key : keys["keys"]) {
    if (key["kid"] != claims["kid"]) continue;
    auto raw = Base64Decode(key["key"].get<std::string>());
    if (!raw || raw->size() != crypto_sign_PUBLICKEYBYTES) return false;
    std::string signed_part = token.substr(0, second);
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
                                       reinterpret_cast<const unsigned char*>(raw->data())) == 0;
  }
  return false;
}

TEST_F(PartnerTest, ATerminalVerifiesQrTokensOfflineWithThePublishedKeysForROne5) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  Answer keys = Call("GET", "/api/v1/ecard/keys");
  ASSERT_EQ(keys.status, 200) << keys.raw.body;
  ASSERT_GE(keys.body["keys"].size(), 1u);
  EXPECT_EQ(keys.body["keys"][0]["alg"], "Ed25519");
  std::string token = Qr(card_no)["qr"];
  EXPECT_TRUE(VerifyOffline(token, keys.body));
  std::string altered = token;
  altered[8] = altered[8] == 'x' ? 'y' : 'x';
  EXPECT_FALSE(VerifyOffline(altered, keys.body));
}

}  // namespace
}  // namespace sscard

#include "common/crypto.h"

namespace sscard {
namespace {

constexpr const char* kHospital = "42011500090001";

// R-ONE-6: the card's chip, read at the partner's own registered terminal, answers the
// platform's one-time challenge with a MAC under the terminal's key. A right read is a
// credential; a wrong MAC, a spent or expired challenge, another department's terminal and a
// revoked terminal are refused; a lost card read by chip yields the verdict only.
TEST_F(ApiTest, AChipReadAtARegisteredTerminalVerifiesTheCardForROne6) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string province = TokenOf("province_admin");
  std::string hospital = TokenOf("hospital");
  EXPECT_EQ(Call("POST", std::string("/api/v1/partners/") + kHospital + "/terminals", hospital,
                 Json{{"name", "门诊一楼"}}.dump()).status, 403);
  Answer registered = Call("POST", std::string("/api/v1/partners/") + kHospital + "/terminals", province,
                           Json{{"name", "门诊一楼挂号处"}}.dump());
  ASSERT_EQ(registered.status, 201) << registered.raw.body;
  std::string terminal = registered.body["terminal_id"];
  std::string key = *Base64Decode(registered.body["key"].get<std::string>());
  Answer listed = Call("GET", std::string("/api/v1/partners/") + kHospital + "/terminals", province);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_FALSE(listed.body["items"][0].contains("key"));

  auto challenge = [&](const std::string& token) {
    Answer answer = Call("POST", "/api/v1/cards/verify/challenge", token);
    EXPECT_EQ(answer.status, 201) << answer.raw.body;
    return answer.body.value("challenge", "");
  };
  auto read = [&](const std::string& nonce, const std::string& number, const std::string& with_key) {
    return Json{{"chip", {{"terminal_id", terminal}, {"card_no", number}, {"challenge", nonce},
                          {"mac", HmacSha256Hex(with_key, number + "\n" + nonce + "\n" + terminal)}}}};
  };
  auto verify = [&](const std::string& token, const Json& body) {
    return Call("POST", "/api/v1/cards/verify", token, body.dump());
  };

  std::string first = challenge(hospital);
  Answer valid = verify(hospital, read(first, card_no, key));
  ASSERT_EQ(valid.status, 200) << valid.raw.body;
  EXPECT_EQ(valid.body["valid"], true);
  EXPECT_EQ(valid.body["credential"], "chip");
  EXPECT_EQ(valid.body["card"]["card_no"], card_no);
  ExpectProblem(verify(hospital, read(first, card_no, key)), 422, "CREDENTIAL_REPLAYED");

  // A wrong MAC (another key, or another card's number under the right MAC) spends the challenge.
  std::string second = challenge(hospital);
  Json forged = read(second, card_no, std::string(32, 'k'));
  ExpectProblem(verify(hospital, forged), 422, "CREDENTIAL_INVALID");
  Json swapped = read(second, card_no, key);
  swapped["chip"]["card_no"] = "420000000002";
  ExpectProblem(verify(hospital, swapped), 422, "CREDENTIAL_REPLAYED");
  // Another department cannot use the hospital's terminal or challenge.
  std::string civil = TokenOf("civil_affairs");
  ExpectProblem(verify(civil, read(challenge(civil), card_no, key)), 422, "CREDENTIAL_INVALID");
  ExpectProblem(verify(civil, read(challenge(hospital), card_no, key)), 422, "CREDENTIAL_INVALID");
  // A challenge lives 60 s.
  std::string late = challenge(hospital);
  test_.clock.Advance(std::chrono::seconds(61));
  ExpectProblem(verify(hospital, read(late, card_no, key)), 422, "CREDENTIAL_EXPIRED");

  // A lost card read by chip: the verdict only.
  ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss").dump()).status, 201);
  Answer lost = verify(hospital, read(challenge(hospital), card_no, key));
  ASSERT_EQ(lost.status, 200) << lost.raw.body;
  EXPECT_EQ(lost.body["valid"], false);
  EXPECT_FALSE(lost.body.contains("card"));
  EXPECT_FALSE(lost.body.contains("holder"));

  // Revoked: the terminal's reads are refused from now on.
  EXPECT_EQ(Call("DELETE", std::string("/api/v1/partners/") + kHospital + "/terminals/" + terminal, province).status, 204);
  ExpectProblem(verify(hospital, read(challenge(hospital), card_no, key)), 422, "CREDENTIAL_INVALID");
  ExpectProblem(Call("POST", "/api/v1/cards/verify/challenge", clerk), 403, "FORBIDDEN");
  ExpectProblem(verify(hospital, Json{{"chip", "not an object"}}), 400, "VALIDATION_FAILED");
  // Every refused read left its audit row (R-SEC-3).
  int refused = 0;
  for (const Json& row : AuditRows("card.verify", "chip:" + terminal)) refused += row["result"] == "refused";
  EXPECT_GE(refused, 4);
}

}  // namespace
}  // namespace sscard
