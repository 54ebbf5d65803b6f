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
};

// R-ONE-1: a hospital accepts the card or the e-card as the holder's credential, learns the
// verdict and the masked name — nothing else — and every look is audited.
TEST_F(PartnerTest, AHospitalVerifiesTheCardAndItsECardSeeingOnlyTheMaskedNameForROne1) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string hospital = TokenOf("hospital");

  Answer card = Verify(hospital, {{"card_no", card_no}});
  ASSERT_EQ(card.status, 200) << card.raw.body;
  EXPECT_EQ(card.body["valid"], true);
  EXPECT_EQ(card.body["code"], "VALID");
  EXPECT_EQ(card.body["credential"], "card");
  EXPECT_EQ(card.body["card"]["card_no"], card_no);
  EXPECT_EQ(card.body["card"]["status"], "issued");
  EXPECT_FALSE(card.body["card"]["expires_on"].is_null());
  EXPECT_EQ(card.body["holder"]["name"], "张*");
  EXPECT_EQ(card.body["holder"]["masked"], true);
  EXPECT_FALSE(card.body["holder"].contains("id_number"));
  EXPECT_FALSE(card.body["holder"].contains("birth_date"));
  EXPECT_FALSE(card.body.contains("bank"));
  EXPECT_EQ(card.raw.body.find("420115199003071234"), std::string::npos);

  Answer ecard = Verify(hospital, {{"ecard_no", "E" + card_no}});
  ASSERT_EQ(ecard.status, 200) << ecard.raw.body;
  EXPECT_EQ(ecard.body["valid"], true);
  EXPECT_EQ(ecard.body["credential"], "ecard");
  EXPECT_EQ(ecard.body["card"]["ecard_status"], "active");

  // Reported lost: the card and its e-card stop being credentials, with the reason.
  ASSERT_EQ(Call("POST", "/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss").dump()).status, 201);
  for (const Json& body : {Json{{"card_no", card_no}}, Json{{"ecard_no", "E" + card_no}}}) {
    Answer lost = Verify(hospital, body);
    ASSERT_EQ(lost.status, 200) << lost.raw.body;
    EXPECT_EQ(lost.body["valid"], false);
    EXPECT_EQ(lost.body["code"], "CARD_REPORTED_LOST");
    EXPECT_EQ(lost.body["message"], "该卡已挂失，不能使用");
  }
  Answer english = Call("POST", "/api/v1/cards/verify", hospital, Json{{"card_no", card_no}}.dump(), "application/json", "en");
  EXPECT_EQ(english.body["message"], "the card is reported lost");

  auto rows = AuditRows("card.verify", card_no);
  ASSERT_EQ(rows.size(), 5u);
  for (const Json& row : rows) {
    EXPECT_EQ(row["actor"], "hospital");
    EXPECT_EQ(row["result"], "ok");
  }
}

TEST_F(PartnerTest, UnknownCardsAndMalformedRequestsAreRefusedForROne1) {
  std::string hospital = TokenOf("hospital");
  ExpectProblem(Verify(hospital, {{"card_no", "420099999999"}}), 404, "NOT_FOUND");
  ExpectProblem(Verify(hospital, {{"ecard_no", "E420099999999"}}), 404, "NOT_FOUND");
  ExpectProblem(Verify(hospital, Json::object()), 400, "VALIDATION_FAILED");
  ExpectProblem(Verify(hospital, {{"card_no", "420000000001"}, {"ecard_no", "E420000000001"}}), 400, "VALIDATION_FAILED");
  Answer bad = Verify(hospital, {{"ecard_no", "X420000000001"}});
  ExpectProblem(bad, 400, "VALIDATION_FAILED");
  EXPECT_EQ(bad.body["errors"][0]["code"], "BAD_ECARD_NO");
  ExpectProblem(Verify(hospital, {{"card_no", "420000000001"}, {"name", "张敏"}}), 400, "VALIDATION_FAILED");
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
  Answer staff = Verify(clerk, {{"card_no", card_no}});
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
  Answer shared = Verify(TokenOf("civil_affairs"), {{"card_no", card_no}});
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

  Answer verified_only = Verify(TokenOf("hospital"), {{"card_no", card_no}});
  EXPECT_EQ(verified_only.body["holder"]["masked"], true);
  EXPECT_FALSE(verified_only.body.contains("bank"));
}

}  // namespace
}  // namespace sscard
