// Benefit payments into the card's bank account (R-ONE-3, R-ONE-7; API.md "Benefit
// payments"): a paying department's rows are paid to the holder's current valid card, held
// with a reason while there is none, and follow the new card once it is issued; refused rows
// and retries never pay twice. Same fixture and engines as api_test.cc.

#include "api_fixture.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::ApplyBody;
using testing::InstantBody;
using testing::Json;

constexpr const char* kHolder = "420115199003071234";  // ApplyBody()'s applicant

// A department sees the card a row went to by its last four digits.
std::string Masked(const std::string& card_no) { return std::string(card_no.size() - 4, '*') + card_no.substr(card_no.size() - 4); }

class PaymentsTest : public ApiTest {
 protected:
  Answer Post(const std::string& target, const std::string& token, const Json& body = Json::object()) {
    return Call("POST", target, token, body.dump());
  }
  static Json Row(const std::string& row_id, const std::string& id_number, const Json& amount,
                  const std::string& purpose = "高龄津贴") {
    return {{"row_id", row_id}, {"id_number", id_number}, {"amount", amount}, {"purpose", purpose}};
  }
  Answer Pay(std::initializer_list<Json> rows, const std::string& idempotency_key = "") {
    Json array = Json::array();
    for (const Json& row : rows) array.push_back(row);
    return Pay(array, idempotency_key);
  }
  Answer Pay(const Json& rows, const std::string& idempotency_key = "") {
    api::Request request;
    request.method = "POST";
    request.target = "/api/v1/payments/batches";
    request.body = Json{{"rows", rows}}.dump();
    request.headers.emplace_back("authorization", "Bearer " + TokenOf("payer"));
    request.headers.emplace_back("content-type", "application/json");
    if (!idempotency_key.empty()) request.headers.emplace_back("idempotency-key", idempotency_key);
    return Send(request);
  }
  Json Batch(const std::string& batch_no) {
    Answer answer = Call("GET", "/api/v1/payments/batches/" + batch_no, TokenOf("payer"));
    EXPECT_EQ(answer.status, 200) << answer.raw.body;
    return answer.body;
  }
  Answer Bank(const std::string& event_id, const std::string& card_no, const std::string& event,
              const std::string& account_no = "") {
    Json body = {{"event_id", event_id}, {"card_no", card_no}, {"event", event}, {"at", "2026-11-23T10:00:00+08:00"}};
    if (!account_no.empty()) body["account_no"] = account_no;
    return Post("/api/v1/bank/events", TokenOf("bank"), body);
  }
  int BatchCount() { return static_cast<int>(Call("GET", "/api/v1/payments/batches", TokenOf("payer")).body["items"].size()); }
};

// R-ONE-7: paid to the valid card; held while the card is lost and while its replacement is
// being made; both held rows follow the new card the moment it is issued. Unknown people and
// repeated row ids are refused, and nothing is ever paid twice.
TEST_F(PaymentsTest, RowsArePaidHeldAndFollowTheNewCardForROne7) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  ASSERT_EQ(Bank("HB-1", card_no, "account_activated", "6228480012345678901").status, 201);

  Answer first = Pay({Row("R1", kHolder, 150000), Row("R2", "420115199205120022", 9900), Row("R1", kHolder, 150000)});
  ASSERT_EQ(first.status, 201) << first.raw.body;
  std::string batch1 = first.body["batch_no"];
  EXPECT_EQ(first.body["row_count"], 3);
  EXPECT_EQ(first.body["amount_total"], 309900);
  EXPECT_EQ(first.body["counts"], (Json{{"paid", 1}, {"held", 0}, {"refused", 2}}));
  EXPECT_EQ(first.body["amounts"]["paid"], 150000);
  const Json& rows = first.body["rows"];
  EXPECT_EQ(rows[0]["status"], "paid");
  EXPECT_EQ(rows[0]["card_no"], Masked(card_no));
  EXPECT_FALSE(rows[0]["paid_at"].is_null());
  EXPECT_EQ(rows[0]["id_number"], "4201**********1234");  // masked in every list
  EXPECT_EQ(rows[1]["status"], "refused");
  EXPECT_EQ(rows[1]["reason"], "UNKNOWN_PERSON");
  EXPECT_EQ(rows[2]["status"], "refused");
  EXPECT_EQ(rows[2]["reason"], "DUPLICATE_ROW");
  EXPECT_EQ(first.raw.body.find(kHolder), std::string::npos);

  // The same row id in a later batch is refused too: a resent file pays nothing twice.
  Answer again = Pay({Row("R1", kHolder, 150000)});
  ASSERT_EQ(again.status, 201) << again.raw.body;
  EXPECT_EQ(again.body["rows"][0]["reason"], "DUPLICATE_ROW");

  // Lost card: held, with the reason.
  ASSERT_EQ(Post("/api/v1/cases", clerk, InstantBody("002014010007", "temporary_loss")).status, 201);
  Answer lost = Pay({Row("R3", kHolder, 20000)});
  ASSERT_EQ(lost.status, 201) << lost.raw.body;
  std::string batch_lost = lost.body["batch_no"];
  EXPECT_EQ(lost.body["rows"][0]["status"], "held");
  EXPECT_EQ(lost.body["rows"][0]["reason"], "CARD_LOST");
  EXPECT_FALSE(lost.body["rows"][0]["reason_text"].get<std::string>().empty());
  EXPECT_TRUE(lost.body["rows"][0]["paid_at"].is_null());

  // Formal loss, the bank closes the account, a replacement is approved but not yet made.
  ASSERT_EQ(Post("/api/v1/cases", clerk, InstantBody("002014010007", "formal_loss")).status, 201);
  ASSERT_EQ(Bank("HB-2", card_no, "account_formal_loss").status, 201);
  Json reissue = ApplyBody();
  reissue["item"] = "002014010008";
  reissue["operation"] = "reissue";
  reissue["form"] = {{"bank_code", "HBRCU"}, {"production_mode", "instant"}};
  reissue["materials"] = {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                          {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", testing::TestPhotoId()}}};
  Answer applied = Post("/api/v1/cases", clerk, reissue);
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  std::string case_no = applied.body["case_no"];
  Answer approved = Post("/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), {{"decision", "approve"}});
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string new_card = approved.body["card_no"];
  Answer waiting = Pay({Row("R4", kHolder, 30000)});
  ASSERT_EQ(waiting.status, 201) << waiting.raw.body;
  std::string batch_waiting = waiting.body["batch_no"];
  EXPECT_EQ(waiting.body["rows"][0]["status"], "held");
  EXPECT_EQ(waiting.body["rows"][0]["reason"], "REPLACEMENT_NOT_ISSUED");
  EXPECT_EQ(Batch(batch_lost)["rows"][0]["status"], "held");

  // The new card is issued: both held rows are paid into its account, without a new batch.
  ASSERT_EQ(Post("/api/v1/production/instant", clerk, {{"case_no", case_no}}).status, 200);
  ASSERT_EQ(Post("/api/v1/cards/" + new_card + "/issue", clerk, {{"read_check", "pass"}}).status, 200);
  for (const std::string& batch_no : std::vector<std::string>{batch_lost, batch_waiting}) {
    Json batch = Batch(batch_no);
    EXPECT_EQ(batch["rows"][0]["status"], "paid") << batch.dump();
    EXPECT_EQ(batch["rows"][0]["card_no"], Masked(new_card));
    EXPECT_TRUE(batch["rows"][0]["reason"].is_null());
    EXPECT_EQ(batch["counts"]["paid"], 1);
  }
  // The first batch is as it was: R1 paid once, to the old card.
  Json kept = Batch(batch1);
  EXPECT_EQ(kept["rows"][0]["card_no"], Masked(card_no));
  EXPECT_EQ(kept["counts"], (Json{{"paid", 1}, {"held", 0}, {"refused", 2}}));

  // The bank's disbursement file lists what went to its cards, with the reported account.
  Answer file = Call("GET", "/api/v1/payments/disbursements?on=2026-11-23", TokenOf("bank"));
  ASSERT_EQ(file.status, 200) << file.raw.body;
  EXPECT_NE(file.raw.body.find("6228480012345678901"), std::string::npos);
  EXPECT_NE(file.raw.body.find(new_card), std::string::npos);
  EXPECT_NE(file.raw.body.find("\"150000\""), std::string::npos);
  EXPECT_NE(file.raw.body.find("\"30000\""), std::string::npos);
  // The department's result file.
  Answer result = Call("GET", "/api/v1/payments/batches/" + batch1 + "/result", TokenOf("payer"));
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.raw.body.find("DUPLICATE_ROW"), std::string::npos);
  EXPECT_EQ(result.raw.body.find(kHolder), std::string::npos);
  EXPECT_EQ(AuditRows("payment.batch", batch1).size(), 1u);
}

// A first card still being made: held, then paid when it is handed over.
TEST_F(PaymentsTest, APaymentBeforeTheFirstCardIsIssuedWaitsForItForROne7) {
  std::string clerk = TokenOf("clerk");
  Answer created = Post("/api/v1/cases", clerk, ApplyBody());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string case_no = created.body["case_no"];
  std::string card_no =
      Post("/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), {{"decision", "approve"}}).body["card_no"];
  Answer held = Pay({Row("A-1", kHolder, 5000, "一次性补贴")});
  ASSERT_EQ(held.status, 201) << held.raw.body;
  EXPECT_EQ(held.body["rows"][0]["reason"], "CARD_NOT_ISSUED");
  EXPECT_EQ(held.body["rows"][0]["card_no"], Masked(card_no));
  ASSERT_EQ(Post("/api/v1/production/instant", clerk, {{"case_no", case_no}}).status, 200);
  ASSERT_EQ(Post("/api/v1/cards/" + card_no + "/issue", clerk, {{"read_check", "pass"}}).status, 200);
  EXPECT_EQ(Batch(held.body["batch_no"])["rows"][0]["status"], "paid");
}

// A retry with the same Idempotency-Key answers the first batch; with another body, 409.
TEST_F(PaymentsTest, ARetriedBatchIsAnsweredNotPaidAgain) {
  IssueCard(TokenOf("clerk"));
  Json rows = Json::array({Row("K1", kHolder, 100)});
  Answer first = Pay(rows, "batch-2026-12-01");
  ASSERT_EQ(first.status, 201) << first.raw.body;
  Answer retry = Pay(rows, "batch-2026-12-01");
  ASSERT_EQ(retry.status, 201) << retry.raw.body;
  EXPECT_EQ(retry.body["batch_no"], first.body["batch_no"]);
  EXPECT_EQ(retry.body["replayed"], true);
  EXPECT_EQ(retry.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(retry.body["rows"][0]["status"], "paid");
  ExpectProblem(Pay(Json::array({Row("K2", kHolder, 100)}), "batch-2026-12-01"), 422, "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(BatchCount(), 1);
}

// Malformed rows refuse the whole batch and create nothing.
TEST_F(PaymentsTest, MalformedBatchesAreRefusedWholeForROne7) {
  IssueCard(TokenOf("clerk"));
  const std::vector<std::pair<Json, std::string>> bad = {
      {Row("B1", kHolder, -100), "rows[0].amount"},
      {Row("B1", kHolder, 0), "rows[0].amount"},
      {Row("B1", kHolder, 12.5), "rows[0].amount"},
      {Row("B1", kHolder, "100"), "rows[0].amount"},
      {Row("B1", kHolder, 10000000000LL), "rows[0].amount"},
      {Row("", kHolder, 100), "rows[0].row_id"},
      {Row("B1", kHolder, 100, ""), "rows[0].purpose"},
      {Json{{"row_id", "B1"}, {"id_number", kHolder}, {"amount", 1}, {"purpose", "x"}, {"name", "张敏"}}, "rows[0].name"},
      {Json("not a row"), "rows[0]"},
  };
  for (const auto& [row, field] : bad) {
    Answer answer = Pay(Json::array({Row("OK", kHolder, 100), row}));
    ExpectProblem(answer, 400, "VALIDATION_FAILED");
    std::string expected = field;
    expected.replace(5, 1, "1");  // the bad row is the second one
    bool named = false;
    for (const Json& error : answer.body["errors"]) named = named || error["field"] == expected;
    EXPECT_TRUE(named) << row.dump() << " → " << answer.raw.body;
  }
  ExpectProblem(Pay(Json::array()), 400, "VALIDATION_FAILED");
  Json many = Json::array();
  for (int index = 0; index < 5001; ++index) many.push_back(Row("M" + std::to_string(index), kHolder, 1, "x"));
  Answer too_many = Pay(many);
  EXPECT_EQ(too_many.status, 400) << too_many.raw.body.substr(0, 300);
  EXPECT_NE(too_many.raw.body.find("TOO_MANY_ROWS"), std::string::npos);
  EXPECT_EQ(BatchCount(), 0);
}

// The CSV form of a batch: a header, plain cells; a bad header or amount refuses the file.
TEST_F(PaymentsTest, ACsvBatchIsReadLikeJsonForROne7) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  std::string payer = TokenOf("payer");
  Answer bad_header = Call("POST", "/api/v1/payments/batches", payer, "id,who,amount,purpose\r\nC1,x,1,y\r\n", "text/csv");
  ExpectProblem(bad_header, 400, "VALIDATION_FAILED");
  Answer bad_amount = Call("POST", "/api/v1/payments/batches", payer,
                           std::string("row_id,id_number,amount,purpose\r\nC1,") + kHolder + ",12.50,高龄津贴\r\n", "text/csv");
  ExpectProblem(bad_amount, 400, "VALIDATION_FAILED");
  Answer good = Call("POST", "/api/v1/payments/batches", payer,
                     std::string("\xEF\xBB\xBFrow_id,id_number,amount,purpose\r\nC1,") + kHolder + ",12050,高龄津贴\r\n", "text/csv");
  ASSERT_EQ(good.status, 201) << good.raw.body;
  EXPECT_EQ(good.body["rows"][0]["status"], "paid");
  EXPECT_EQ(good.body["rows"][0]["card_no"], Masked(card_no));
  EXPECT_EQ(good.body["rows"][0]["amount"], 12050);
}

// Least privilege: only a paying department submits and reads its own batches; only a bank
// reads its disbursements; an unknown batch and another department's batch answer alike.
TEST_F(PaymentsTest, OnlyThePayingDepartmentSeesItsBatchesForRSec1) {
  IssueCard(TokenOf("clerk"));
  Answer created = Pay({Row("P1", kHolder, 100)});
  ASSERT_EQ(created.status, 201);
  std::string batch_no = created.body["batch_no"];
  for (const char* user : {"clerk", "hospital", "civil_affairs", "bank", "province_admin", "auditor"}) {
    std::string token = TokenOf(user);
    EXPECT_EQ(Call("POST", "/api/v1/payments/batches", token, Json{{"rows", Json::array({Row("X", kHolder, 1)})}}.dump()).status, 403)
        << user;
    EXPECT_EQ(Call("GET", "/api/v1/payments/batches/" + batch_no, token).status, 403) << user;
  }
  EXPECT_EQ(Call("GET", "/api/v1/payments/disbursements", TokenOf("payer")).status, 403);
  ExpectProblem(Call("GET", "/api/v1/payments/batches/PAY202611239999", TokenOf("payer")), 404, "NOT_FOUND");
  EXPECT_EQ(Call("GET", "/api/v1/payments/batches/" + batch_no, "").status, 401);
  EXPECT_EQ(BatchCount(), 1);
}

}  // namespace
}  // namespace sscard
