// The card's whole life through the API (issue 5): production batches, stock, mail, issue,
// the instant operations, replacement with the bank precondition, cancellation with review,
// bank events, sweeps and the e-card record. Same fixture and engines as api_test.cc.

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include <fstream>

#include "api_fixture.h"
#include "common/crypto.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::ApplyBody;
using testing::InstantBody;
using testing::Json;

class LifecycleTest : public ApiTest {
 protected:
  // POST with a JSON body.
  Answer Post(const std::string& target, const std::string& token, const Json& body = Json::object()) {
    return Call("POST", target, token, body.dump());
  }
  Answer Instant(const std::string& token, const std::string& item, const std::string& operation,
                 const Json& form = nullptr) {
    Json body = InstantBody(item, operation);
    if (!form.is_null()) body["form"] = form;
    return Post("/api/v1/cases", token, body);
  }
  Answer Bank(const std::string& event_id, const std::string& card_no, const std::string& event) {
    return Post("/api/v1/bank/events", TokenOf("bank"),
                {{"event_id", event_id}, {"card_no", card_no}, {"event", event}, {"at", "2026-11-23T10:00:00+08:00"}});
  }
  // An approved application of `body`; returns the new card's number.
  std::string Approved(const Json& body) {
    Answer created = Post("/api/v1/cases", TokenOf("clerk"), body);
    EXPECT_EQ(created.status, 201) << created.raw.body;
    Answer approved = Post("/api/v1/cases/" + created.body.value("case_no", "") + "/review", TokenOf("reviewer"),
                           {{"decision", "approve"}});
    EXPECT_EQ(approved.status, 200) << approved.raw.body;
    return approved.body.value("card_no", "");
  }
  // Makes a batch of `mode` and reports every card in it produced.
  std::string ProduceInBatch(const std::string& mode) {
    std::string centre = TokenOf("card_centre");
    Answer batch = Post("/api/v1/production/batches", centre, {{"mode", mode}});
    EXPECT_EQ(batch.status, 201) << batch.raw.body;
    std::string batch_no = batch.body.value("batch_no", "");
    Answer file = Call("GET", "/api/v1/production/batches/" + batch_no + "/export", centre);
    Json results = Json::array();
    size_t line_start = file.raw.body.find("\r\n") + 2;
    while (line_start < file.raw.body.size()) {
      std::string card_no = file.raw.body.substr(line_start + 1, 12);
      results.push_back({{"card_no", card_no}, {"outcome", "produced"}});
      line_start = file.raw.body.find("\r\n", line_start) + 2;
    }
    EXPECT_EQ(Post("/api/v1/production/batches/" + batch_no + "/results", centre, {{"results", results}}).status, 200);
    return batch_no;
  }
  // A clerk at the county hall (created by the county's org admin).
  std::string CountyClerk() {
    EXPECT_EQ(Post("/api/v1/staff", TokenOf("org_admin"),
                   {{"username", "county_clerk"}, {"name", "吴芳"}, {"org_code", "42011500000001"}, {"roles", {"clerk"}},
                    {"password", "County-Clerk-2026"}}).status, 201);
    return Post("/api/v1/auth/login", "", {{"username", "county_clerk"}, {"password", "County-Clerk-2026"}})
        .body.value("token", "");
  }
  std::string StatusOf(const std::string& card_no) {
    return Call("GET", "/api/v1/cards/" + card_no, TokenOf("clerk")).body.value("status", "");
  }
  std::vector<std::string> Events(const std::string& card_no) {
    std::vector<std::string> events;
    Answer card = Call("GET", "/api/v1/cards/" + card_no, TokenOf("clerk"));
    for (const Json& entry : card.body["production"]["timeline"]) {
      events.push_back(entry["event"]);
    }
    return events;
  }
};

// A reissue or renewal for ApplyBody()'s applicant: the application data again, at the window.
Json Replacement(const std::string& operation, const Json& form) {
  Json body = ApplyBody();
  body["item"] = "002014010008";
  body["operation"] = operation;
  body["form"] = form;
  body["materials"] = {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                       {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", testing::TestPhotoId()}}};
  return body;
}

// A cancellation for ApplyBody()'s applicant.
Json Cancellation(const std::string& reason) {
  Json body = InstantBody("002014010009", "cancel");
  body["form"] = {{"reason", reason}};
  body["materials"] = {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                       {{"name", "死亡证明或出国（境）定居证明"}, {"kind", "paper"}}};
  return body;
}

bool Has(const std::vector<std::string>& events, const std::string& event) {
  return std::find(events.begin(), events.end(), event) != events.end();
}

// The walk of issue 5: apply → review → fast batch → produced → arrive → issue → activate →
// PIN change → temporary loss → cancel loss → formal loss → reissue (refused until the bank
// reports the account formally lost, R-REPL-2) → new card issued, old card replaced
// (R-REPL-3, R-LOSS-4, R-ONE-2, R-APPLY-4/5/6, R-ACT-2, R-PIN-1, R-LOSS-1, R-INFO-3).
TEST_F(LifecycleTest, OnePersonFromApplicationToReissueForRRepl2AndRRepl3) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = Approved(ApplyBody());
  EXPECT_EQ(StatusOf(card_no), "approved");
  std::string batch_no = ProduceInBatch("fast");
  EXPECT_EQ(batch_no, "P202611230001");
  Answer batch_list = Call("GET", "/api/v1/production/batches?status=completed", TokenOf("card_centre"));
  ASSERT_EQ(batch_list.body["items"].size(), 1u) << batch_list.raw.body;
  EXPECT_EQ(batch_list.body["items"][0]["due_on"], "2026-11-30");  // 5 working days (R-APPLY-4)
  EXPECT_EQ(StatusOf(card_no), "produced");

  // R-INFO-3: the status query shows production progress.
  Answer query = Instant(clerk, "002014010003", "query");
  ASSERT_EQ(query.status, 201) << query.raw.body;
  EXPECT_NE(query.body["result"].get<std::string>().find("制卡批次P202611230001"), std::string::npos);

  Answer arrived = Post("/api/v1/cards/" + card_no + "/arrive", TokenOf("stock_keeper"), {{"org_code", "42011500100001"}});
  ASSERT_EQ(arrived.status, 200) << arrived.raw.body;
  EXPECT_EQ(arrived.body["status"], "in_stock");
  EXPECT_EQ(arrived.body["production"]["stocked_on"], "2026-11-23");
  Answer issued = Post("/api/v1/cards/" + card_no + "/issue", clerk, {{"read_check", "pass"}});
  ASSERT_EQ(issued.status, 200) << issued.raw.body;
  EXPECT_EQ(issued.body["ecard"]["status"], "active");  // R-ONE-2
  EXPECT_EQ(issued.body["expires_on"], "2036-11-23");

  ASSERT_EQ(Instant(clerk, "002014010002", "activate", {{"authorised", true}}).status, 201);
  Answer pin = Instant(clerk, "002014010006", "change_pin", {{"old_pin", "071234"}, {"new_pin", "418529"}});
  ASSERT_EQ(pin.status, 201) << pin.raw.body;
  ASSERT_EQ(Instant(clerk, "002014010007", "temporary_loss").status, 201);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["ecard"]["status"], "suspended");
  ASSERT_EQ(Instant(clerk, "002014010007", "cancel_loss").status, 201);
  EXPECT_EQ(StatusOf(card_no), "active");
  ASSERT_EQ(Instant(clerk, "002014010007", "formal_loss").status, 201);
  EXPECT_EQ(StatusOf(card_no), "formal_loss");

  Json reissue = Replacement("reissue", {{"bank_code", "HBRCU"}, {"production_mode", "instant"}});
  Answer refused = Post("/api/v1/cases", clerk, reissue);
  ExpectProblem(refused, 422, "BANK_ACCOUNT_NOT_CLOSED");
  EXPECT_EQ(refused.body["rule"], "R-REPL-2");
  EXPECT_FALSE(Call("GET", "/api/v1/cards/" + card_no, clerk).body["replacement_applied"]);  // nothing changed

  ASSERT_EQ(Bank("HB-20261123-1", card_no, "account_formal_loss").status, 201);
  Answer applied = Post("/api/v1/cases", clerk, reissue);
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  EXPECT_EQ(applied.body["status"], "pending_review");
  std::string case_no = applied.body["case_no"];
  Answer approved = Post("/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), {{"decision", "approve"}});
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  std::string new_card = approved.body["card_no"];
  ASSERT_NE(new_card, card_no);
  // The old card keeps working until the new one is issued (R-REPL-3).
  EXPECT_EQ(StatusOf(card_no), "formal_loss");
  ASSERT_EQ(Post("/api/v1/production/instant", clerk, {{"case_no", case_no}}).status, 200);
  Answer handed = Post("/api/v1/cards/" + new_card + "/issue", clerk, {{"read_check", "pass"}});
  ASSERT_EQ(handed.status, 200) << handed.raw.body;
  EXPECT_EQ(handed.body["replaces"], card_no);
  Answer old = Call("GET", "/api/v1/cards/" + card_no, clerk);
  EXPECT_EQ(old.body["status"], "replaced");
  EXPECT_EQ(old.body["ecard"]["status"], "cancelled");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + new_card, clerk).body["ecard"]["status"], "active");

  Answer cards = Call("GET", "/api/v1/persons/420115199003071234/cards", clerk);
  ASSERT_EQ(cards.status, 200) << cards.raw.body;
  ASSERT_EQ(cards.body["items"].size(), 2u);
  EXPECT_EQ(cards.body["items"][0]["card_no"], new_card);  // newest first
  std::vector<std::string> events = Events(card_no);
  for (const char* event : {"start_production", "produced", "arrive", "issue", "ecard.issued", "activate",
                            "temporary_loss", "cancel_loss", "formal_loss", "bank.account_formal_loss",
                            "replacement_applied", "replace"}) {
    EXPECT_TRUE(Has(events, event)) << event;
  }
}

// R-LOSS-2: once a replacement is applied for, the loss cannot be lifted; a rejected
// replacement gives that back. R-LOSS-4: reissue only after a formal loss.
TEST_F(LifecycleTest, ReplacementAppliedBlocksUnreportingForRLoss2AndRLoss4) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Json reissue = Replacement("reissue", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}});
  ASSERT_EQ(Instant(clerk, "002014010007", "temporary_loss").status, 201);
  Answer too_early = Post("/api/v1/cases", clerk, reissue);
  ExpectProblem(too_early, 422, "FORMAL_LOSS_REQUIRED");
  EXPECT_EQ(too_early.body["rule"], "R-LOSS-4");
  ASSERT_EQ(Instant(clerk, "002014010007", "formal_loss").status, 201);
  Answer lift_formal = Instant(clerk, "002014010007", "cancel_loss");
  ExpectProblem(lift_formal, 409, "CARD_STATE_CONFLICT");
  EXPECT_EQ(lift_formal.body["rule"], "R-LOSS-1");
  ASSERT_EQ(Bank("E-1", card_no, "account_formal_loss").status, 201);
  Answer applied = Post("/api/v1/cases", clerk, reissue);
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  EXPECT_TRUE(Call("GET", "/api/v1/cards/" + card_no, clerk).body["replacement_applied"]);
  ExpectProblem(Post("/api/v1/cases", clerk, reissue), 409, "REPLACEMENT_UNDER_WAY");
  Answer rejected = Post("/api/v1/cases/" + applied.body["case_no"].get<std::string>() + "/review", TokenOf("reviewer"),
                         {{"decision", "reject"}, {"reason", "材料不全"}});
  ASSERT_EQ(rejected.status, 200) << rejected.raw.body;
  EXPECT_FALSE(Call("GET", "/api/v1/cards/" + card_no, clerk).body["replacement_applied"]);
}

// R-REPL-1: a renewal needs its reason to hold; R-APPLY-2: the bank stays while the card is
// valid, may change at expiry renewal unless a rural-pension contract runs.
TEST_F(LifecycleTest, RenewalReasonsAndBankChoiceForRRepl1AndRApply2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  ASSERT_EQ(Bank("E-2", card_no, "account_closed").status, 201);
  Json renew = Replacement("renew", {{"reason", "expiry"}, {"bank_code", "HBRCU"}, {"production_mode", "fast"}});
  Answer not_due = Post("/api/v1/cases", clerk, renew);
  ExpectProblem(not_due, 422, "RENEWAL_NOT_DUE");
  EXPECT_EQ(not_due.body["rule"], "R-REPL-1");
  renew["form"]["reason"] = "child_turns_7";
  ExpectProblem(Post("/api/v1/cases", clerk, renew), 422, "RENEWAL_NOT_DUE");
  renew["form"] = {{"reason", "damage"}, {"bank_code", "ICBC"}, {"production_mode", "fast"}};
  Answer other_bank = Post("/api/v1/cases", clerk, renew);
  ExpectProblem(other_bank, 422, "BANK_FIXED");
  EXPECT_EQ(other_bank.body["rule"], "R-APPLY-2");

  // Ten years later the card has expired: a new bank may be chosen.
  test_.clock.Advance(std::chrono::hours(24 * (365 * 10 + 3)));
  Answer sweep = Post("/api/v1/sweeps", TokenOf("card_centre"), {{"action", "seal"}});
  ASSERT_EQ(sweep.status, 200) << sweep.raw.body;
  EXPECT_EQ(sweep.body["expired"], 1);
  EXPECT_EQ(StatusOf(card_no), "expired");
  renew["form"] = {{"reason", "expiry"}, {"bank_code", "ICBC"}, {"production_mode", "fast"}};
  Answer new_bank = Post("/api/v1/cases", TokenOf("clerk"), renew);
  ASSERT_EQ(new_bank.status, 201) << new_bank.raw.body;
  EXPECT_EQ(new_bank.body["status"], "pending_review");
}

TEST_F(LifecycleTest, RuralPensionHolderKeepsTheBankForRApply2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  ASSERT_TRUE(test_.runtime->store().Run(ports::TxMode::kWrite, [](ports::Tx& tx) -> sscard::Status {
    ASSIGN_OR_RETURN(auto cards, tx.cards().List({}));
    ASSIGN_OR_RETURN(auto person, tx.persons().FindById(cards.at(0).person_id));
    person->pension_bank_until = Date{std::chrono::year(2040), std::chrono::month(1), std::chrono::day(1)};
    ++person->version;
    return tx.persons().Update(*person);
  }));
  ASSERT_EQ(Bank("E-3", card_no, "account_closed").status, 201);
  test_.clock.Advance(std::chrono::hours(24 * (365 * 10 + 3)));
  ASSERT_EQ(Post("/api/v1/sweeps", TokenOf("card_centre"), {{"action", "seal"}}).status, 200);
  Json renew = Replacement("renew", {{"reason", "expiry"}, {"bank_code", "ICBC"}, {"production_mode", "fast"}});
  Answer refused = Post("/api/v1/cases", TokenOf("clerk"), renew);
  ExpectProblem(refused, 422, "BANK_FIXED");
  EXPECT_EQ(refused.body["rule"], "R-APPLY-2");
  EXPECT_NE(refused.body["detail"].get<std::string>().find("新农保"), std::string::npos);
}

// R-APPLY-1: residents of the province, or others on a configured basis.
TEST_F(LifecycleTest, EligibilityForRApply1) {
  std::string clerk = TokenOf("clerk");
  Json outsider = ApplyBody("11010519491231002X", "李娟");
  Answer refused = Post("/api/v1/cases", clerk, outsider);
  ExpectProblem(refused, 422, "NOT_ELIGIBLE");
  EXPECT_EQ(refused.body["rule"], "R-APPLY-1");
  outsider["form"]["eligibility_basis"] = "insured";
  EXPECT_EQ(Post("/api/v1/cases", clerk, outsider).status, 201);
}

// R-APPLY-3: in person fast or instant (instant needs a printer); online fast and mailed.
TEST_F(LifecycleTest, ProductionModeByChannelForRApply3) {
  std::string clerk = TokenOf("clerk");
  Json batch = ApplyBody();
  batch["form"]["production_mode"] = "batch";
  Answer refused = Post("/api/v1/cases", clerk, batch);
  ExpectProblem(refused, 422, "PRODUCTION_MODE_NOT_ALLOWED");
  EXPECT_EQ(refused.body["rule"], "R-APPLY-3");
  // Online applications arrive through the county's platform (towns take windows only, R-CAT-3).
  std::string online_clerk = CountyClerk();
  Json online = ApplyBody();
  online["channel"] = "online";
  Answer pickup = Post("/api/v1/cases", online_clerk, online);
  ExpectProblem(pickup, 422, "PRODUCTION_MODE_NOT_ALLOWED");
  Json mailed = online;
  mailed["delivery"] = {{"method", "mail"}, {"address", "武汉市江夏区纸坊街1号"}};
  mailed["form"]["mailing_address"] = "武汉市江夏区纸坊街1号";
  Answer accepted = Post("/api/v1/cases", online_clerk, mailed);
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  std::string card_no = Post("/api/v1/cases/" + accepted.body["case_no"].get<std::string>() + "/review",
                             TokenOf("reviewer"), {{"decision", "approve"}}).body["card_no"];
  ASSERT_FALSE(card_no.empty());
  Answer card = Call("GET", "/api/v1/cards/" + card_no, online_clerk);
  EXPECT_EQ(card.body["delivery"]["method"], "mail");
  EXPECT_EQ(card.body["production"]["mode"], "fast");

  // Mailed with a tracking number, delivered at the door: issued (R-APPLY-3, R-APPLY-6).
  ProduceInBatch("fast");
  std::string centre = TokenOf("card_centre");
  ExpectProblem(Post("/api/v1/cards/" + card_no + "/mail", centre, {{"tracking_no", ""}}), 400, "VALIDATION_FAILED");
  Answer sent = Post("/api/v1/cards/" + card_no + "/mail", centre, {{"tracking_no", "EMS1234567890"}});
  ASSERT_EQ(sent.status, 200) << sent.raw.body;
  EXPECT_EQ(sent.body["status"], "mailed");
  EXPECT_EQ(sent.body["delivery"]["tracking_no"], "EMS1234567890");
  Answer delivered = Post("/api/v1/cards/" + card_no + "/deliver", centre);
  ASSERT_EQ(delivered.status, 200) << delivered.raw.body;
  EXPECT_EQ(delivered.body["status"], "issued");
  EXPECT_EQ(delivered.body["ecard"]["status"], "active");
}

// R-APPLY-4: batches, the factory file, results (failed cards are re-made), late batches.
TEST_F(LifecycleTest, BatchesExportResultsAndLateListForRApply4) {
  std::string centre = TokenOf("card_centre");
  ExpectProblem(Post("/api/v1/production/batches", centre, {{"mode", "fast"}}), 422, "NOTHING_TO_BATCH");
  ExpectProblem(Post("/api/v1/production/batches", TokenOf("clerk"), {{"mode", "fast"}}), 403, "FORBIDDEN");
  // The first applicant's photo is uploaded at the window; the second is the police photo.
  Json with_photo = ApplyBody();
  std::string photo_id = Call("POST", "/api/v1/files", TokenOf("clerk"), testing::ValidPhotoJpeg(), "image/jpeg").body["file_id"];
  with_photo["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", photo_id}};
  std::string first = Approved(with_photo);
  // A demo resident: the police photo library of the shared data holds their photo.
  Json police = ApplyBody("420115198807150013", "李华");
  police["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "shared"}};
  std::string second = Approved(police);
  Answer batch = Post("/api/v1/production/batches", centre, {{"mode", "fast"}});
  ASSERT_EQ(batch.status, 201) << batch.raw.body;
  EXPECT_EQ(batch.body["size"], 2);
  std::string batch_no = batch.body["batch_no"];
  EXPECT_EQ(StatusOf(first), "in_production");

  Answer file = Call("GET", "/api/v1/production/batches/" + batch_no + "/export", centre);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(file.raw.body.find("\"card_no\",\"name\",\"sex\",\"social_security_no\""), std::string::npos);
  // The factory gets what it prints — the full name and number — and the export is audited.
  EXPECT_NE(file.raw.body.find("\"" + first + "\",\"张敏\",\"male\",\"420115199003071234\""), std::string::npos)
      << file.raw.body;
  EXPECT_EQ(AuditRows("batch.export", batch_no).size(), 1u);
  // The photo named in the file is the JPEG the card centre fetches for each card (R-ID-5).
  size_t at = file.raw.body.find("\"" + first + "\"");
  ASSERT_NE(at, std::string::npos);
  std::string line = file.raw.body.substr(at, file.raw.body.find('\n', at) - at);
  Answer photo = Call("GET", "/api/v1/production/batches/" + batch_no + "/photos/" + first, centre);
  ASSERT_EQ(photo.status, 200) << photo.raw.body;
  EXPECT_EQ(photo.content_type, "image/jpeg");
  EXPECT_EQ(photo.raw.body.substr(0, 2), "\xFF\xD8");
  EXPECT_NE(line.find("\"" + Sha256Hex(photo.raw.body) + "\""), std::string::npos) << line;
  for (const std::string& card_no : {second}) {
    size_t from = file.raw.body.find("\"" + card_no + "\"");
    ASSERT_NE(from, std::string::npos);
    std::string row = file.raw.body.substr(from, file.raw.body.find('\n', from) - from);
    Answer shared = Call("GET", "/api/v1/production/batches/" + batch_no + "/photos/" + card_no, centre);
    ASSERT_EQ(shared.status, 200) << shared.raw.body;
    EXPECT_NE(row.find("\"" + Sha256Hex(shared.raw.body) + "\""), std::string::npos) << row;
  }
  ExpectProblem(Call("GET", "/api/v1/production/batches/" + batch_no + "/photos/" + first, TokenOf("clerk")), 403,
                "FORBIDDEN");
  ExpectProblem(Call("GET", "/api/v1/production/batches/P202601010001/photos/" + first, centre), 404, "NOT_FOUND");

  // Not yet late; after the 5th working day it is.
  EXPECT_TRUE(Call("GET", "/api/v1/production/batches?late=true", centre).body["items"].empty());
  test_.clock.Advance(std::chrono::hours(24 * 8));
  centre = TokenOf("card_centre");
  Answer late = Call("GET", "/api/v1/production/batches?late=true", centre);
  ASSERT_EQ(late.body["items"].size(), 1u) << late.raw.body;
  EXPECT_EQ(late.body["items"][0]["batch_no"], batch_no);

  Json results = {{"results", {{{"card_no", first}, {"outcome", "produced"}},
                               {{"card_no", second}, {"outcome", "failed"}, {"reason", "芯片写入失败"}}}}};
  Answer recorded = Post("/api/v1/production/batches/" + batch_no + "/results", centre, results);
  ASSERT_EQ(recorded.status, 200) << recorded.raw.body;
  EXPECT_EQ(recorded.body["produced"], 1);
  EXPECT_EQ(recorded.body["failed"], 1);
  EXPECT_EQ(recorded.body["status"], "completed");
  // A retry of the same results changes nothing.
  Answer again = Post("/api/v1/production/batches/" + batch_no + "/results", centre, results);
  EXPECT_EQ(again.body["produced"], 1);
  EXPECT_EQ(StatusOf(first), "produced");
  EXPECT_EQ(StatusOf(second), "approved");  // waits to be re-made
  Json stranger = {{"results", {{{"card_no", "420000009999"}, {"outcome", "produced"}}}}};
  ExpectProblem(Post("/api/v1/production/batches/" + batch_no + "/results", centre, stranger), 400, "VALIDATION_FAILED");
  Answer remake = Post("/api/v1/production/batches", centre, {{"mode", "fast"}});
  ASSERT_EQ(remake.status, 201);
  EXPECT_EQ(remake.body["size"], 1);
}

// R-APPLY-5: arrival in stock sends the holder a notice; R-APPLY-7: stock over 6 months is
// sealed (or cancelled), sleeping cards are listed, and a second run changes nothing.
TEST_F(LifecycleTest, StockNoticeAndSixMonthSweepForRApply5AndRApply7) {
  std::string card_no = Approved(ApplyBody());
  std::string sleeper = Approved(ApplyBody("42011519700101005X", "李娟"));
  ProduceInBatch("fast");
  Answer arrived = Post("/api/v1/cards/" + card_no + "/arrive", TokenOf("stock_keeper"), {{"org_code", "42011500100001"}});
  ASSERT_EQ(arrived.status, 200) << arrived.raw.body;
  std::vector<std::string> events = Events(card_no);
  EXPECT_TRUE(Has(events, "arrive"));
  // The notice is in the outbox, without personal data.
  auto due = ports::Transact<std::vector<ports::OutboxMessage>>(
      test_.runtime->store(), ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.outbox().Due(test_.clock.Now(), 100); });
  ASSERT_TRUE(due.has_value());
  EXPECT_TRUE(std::any_of(due->begin(), due->end(), [](const ports::OutboxMessage& m) { return m.kind == "card_arrived"; }));
  // Another county's stock keeper cannot book it into their stock.
  ExpectProblem(Post("/api/v1/cards/" + card_no + "/arrive", TokenOf("clerk"), {{"org_code", "42011500100001"}}), 403,
                "FORBIDDEN");

  std::string centre = TokenOf("card_centre");
  ExpectProblem(Post("/api/v1/sweeps", centre, {{"action", "burn"}}), 400, "VALIDATION_FAILED");
  Answer early = Post("/api/v1/sweeps", centre, {{"action", "seal"}});
  EXPECT_EQ(early.body["stock_handled"], 0);
  test_.clock.Advance(std::chrono::hours(24 * 190));
  centre = TokenOf("card_centre");
  Answer sweep = Post("/api/v1/sweeps", centre, {{"action", "seal"}});
  ASSERT_EQ(sweep.status, 200) << sweep.raw.body;
  EXPECT_EQ(sweep.body["stock_handled"], 1);
  EXPECT_EQ(sweep.body["sleeping"], Json::array({sleeper}));
  EXPECT_EQ(StatusOf(card_no), "sealed");
  Answer rerun = Post("/api/v1/sweeps", centre, {{"action", "seal"}});
  EXPECT_EQ(rerun.body["stock_handled"], 0);
  EXPECT_EQ(rerun.body["expired"], 0);
  EXPECT_FALSE(AuditRows("sweep.stock", "2027-06-01").empty());
}

// R-APPLY-8: ten years from issue; the renewal notice goes once, in the window before.
TEST_F(LifecycleTest, ExpiryAndRenewalNoticeForRApply8) {
  std::string card_no = IssueCard(TokenOf("clerk"));
  test_.clock.Advance(std::chrono::hours(24 * (365 * 10 - 60)));
  std::string centre = TokenOf("card_centre");
  Answer window = Post("/api/v1/sweeps", centre, {{"action", "seal"}});
  EXPECT_EQ(window.body["renewal_notices"], 1);
  EXPECT_EQ(window.body["expired"], 0);
  EXPECT_EQ(Post("/api/v1/sweeps", centre, {{"action", "seal"}}).body["renewal_notices"], 0);
  test_.clock.Advance(std::chrono::hours(24 * 70));
  centre = TokenOf("card_centre");
  Answer expiry = Post("/api/v1/sweeps", centre, {{"action", "seal"}});
  EXPECT_EQ(expiry.body["expired"], 1);
  EXPECT_EQ(StatusOf(card_no), "expired");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, TokenOf("clerk")).body["ecard"]["status"], "cancelled");
}

// R-ID-5 / R-REPL-1: a child's card without photo gets a renewal notice at 7, once; then a
// renewal needs a photo that passes R-ID-5, and the new card's factory row names that photo.
TEST_F(LifecycleTest, ChildCardWithoutPhotoIsRenewedAtSevenForRRepl1) {
  std::string clerk = TokenOf("clerk");
  Json child = ApplyBody("420115202001010037", "张小明");
  child["agent"] = {{"kind", "guardian"}, {"id_type", "resident_id"}, {"id_number", "420115199003071234"},
                    {"name", "张敏"}, {"relationship", "父母"}};
  child["materials"] = {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                        {{"name", "有效身份证件正反面照片"}, {"kind", "paper"}},
                        {{"name", "监护关系证明"}, {"kind", "paper"}},
                        {{"name", "监护人身份证件"}, {"kind", "paper"}}};
  Answer created = Post("/api/v1/cases", clerk, child);
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::string case_no = created.body["case_no"];
  std::string card_no =
      Post("/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"), {{"decision", "approve"}}).body["card_no"];
  ASSERT_EQ(Post("/api/v1/production/instant", clerk, {{"case_no", case_no}}).status, 200);
  ASSERT_EQ(Post("/api/v1/cards/" + card_no + "/issue", clerk, {{"read_check", "pass"}}).status, 200);
  std::string centre = TokenOf("card_centre");
  EXPECT_EQ(Post("/api/v1/sweeps", centre, {{"action", "seal"}}).body["child_notices"], 0);
  test_.clock.Advance(std::chrono::hours(24 * 365 * 2));  // 2028-11: the holder is 8
  centre = TokenOf("card_centre");
  EXPECT_EQ(Post("/api/v1/sweeps", centre, {{"action", "seal"}}).body["child_notices"], 1);
  EXPECT_EQ(Post("/api/v1/sweeps", centre, {{"action", "seal"}}).body["child_notices"], 0);
  EXPECT_TRUE(Has(Events(card_no), "notice.child_7"));

  clerk = TokenOf("clerk");
  ASSERT_EQ(Bank("C7-1", card_no, "account_closed").status, 201);
  Json renew = Replacement("renew", {{"reason", "appearance"}, {"bank_code", "HBRCU"}, {"production_mode", "fast"}});
  renew["applicant"]["id_number"] = "420115202001010037";
  renew["applicant"]["name"] = "张小明";
  renew["agent"] = child["agent"];
  renew["materials"].push_back({{"name", "监护关系证明"}, {"kind", "paper"}});
  renew["materials"].push_back({{"name", "监护人身份证件"}, {"kind", "paper"}});
  Json paper = renew;
  paper["materials"][1] = {{"name", "申领人电子照片"}, {"kind", "paper"}};
  Answer refused = Post("/api/v1/cases", clerk, paper);
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  EXPECT_EQ(refused.body["rule"], "R-ID-5") << refused.raw.body;
  Answer renewed = Post("/api/v1/cases", clerk, renew);
  ASSERT_EQ(renewed.status, 201) << renewed.raw.body;
  std::string renewal_card = Post("/api/v1/cases/" + renewed.body["case_no"].get<std::string>() + "/review", TokenOf("reviewer"),
                                  {{"decision", "approve"}}).body["card_no"];
  ASSERT_FALSE(renewal_card.empty());
  Answer batch = Post("/api/v1/production/batches", centre, {{"mode", "fast"}});
  ASSERT_EQ(batch.status, 201) << batch.raw.body;
  std::string batch_no = batch.body["batch_no"];
  Answer file = Call("GET", "/api/v1/production/batches/" + batch_no + "/export", centre);
  size_t at = file.raw.body.find("\"" + renewal_card + "\"");
  ASSERT_NE(at, std::string::npos) << file.raw.body;
  std::string row = file.raw.body.substr(at, file.raw.body.find('\n', at) - at);
  EXPECT_NE(row.find("\"" + testing::TestPhotoId() + "\""), std::string::npos) << row;
}

// R-CANCEL-1/2: cancellation is refused while business is open, approved only after the
// insured status is checked; then no new card until the bank closes the account.
TEST_F(LifecycleTest, CancelWithReviewForRCancel1AndRCancel2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Json cancel = Cancellation("settled_abroad");
  // An open case of the person (a pending renewal) blocks the cancellation.
  ASSERT_EQ(Bank("E-4", card_no, "account_closed").status, 201);
  Json renew = Replacement("renew", {{"reason", "damage"}, {"bank_code", "HBRCU"}, {"production_mode", "fast"}});
  Answer pending = Post("/api/v1/cases", clerk, renew);
  ASSERT_EQ(pending.status, 201) << pending.raw.body;
  Answer blocked = Post("/api/v1/cases", clerk, cancel);
  ExpectProblem(blocked, 422, "OPEN_BUSINESS");
  EXPECT_EQ(blocked.body["rule"], "R-CANCEL-1");
  ASSERT_EQ(Post("/api/v1/cases/" + pending.body["case_no"].get<std::string>() + "/withdraw", TokenOf("reviewer"),
                 {{"reason", "申请人撤回"}}).status, 200);

  Answer accepted = Post("/api/v1/cases", clerk, cancel);
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  EXPECT_EQ(accepted.body["status"], "pending_review");
  std::string case_no = accepted.body["case_no"];
  std::string reviewer = TokenOf("reviewer");
  Answer unchecked = Post("/api/v1/cases/" + case_no + "/review", reviewer, {{"decision", "approve"}});
  ExpectProblem(unchecked, 422, "INSURED_STATUS_OPEN");
  EXPECT_EQ(unchecked.body["rule"], "R-CANCEL-2");
  EXPECT_EQ(StatusOf(card_no), "issued");
  Answer approved =
      Post("/api/v1/cases/" + case_no + "/review", reviewer, {{"decision", "approve"}, {"insured_closed", true}});
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  EXPECT_EQ(StatusOf(card_no), "cancelled");
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + card_no, clerk).body["ecard"]["status"], "cancelled");
}

// R-CANCEL-2: the insurance system's status file, imported like the registry, decides where
// it knows the person: an open insured relation refuses the cancellation whatever the reviewer
// ticked; a closed one lets it through without the tick; an older row does not undo a newer.
TEST_F(LifecycleTest, TheInsuranceSystemsStatusFileDecidesTheCancellationForRCancel2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Answer accepted = Post("/api/v1/cases", clerk, Cancellation("settled_abroad"));
  ASSERT_EQ(accepted.status, 201) << accepted.raw.body;
  std::string case_no = accepted.body["case_no"];
  std::string csv = test_.dir.File("insured.csv");
  std::ofstream(csv) << "id_number,status,as_of\n420115199003071234,open,2026-11-30\n";
  ASSERT_TRUE(test_.runtime->ImportInsured(csv));
  std::string reviewer = TokenOf("reviewer");
  Answer open = Post("/api/v1/cases/" + case_no + "/review", reviewer, {{"decision", "approve"}, {"insured_closed", true}});
  ExpectProblem(open, 422, "INSURED_STATUS_OPEN");
  EXPECT_EQ(open.body["rule"], "R-CANCEL-2");
  EXPECT_NE(open.body["detail"].get<std::string>().find("2026-11-30"), std::string::npos) << open.raw.body;
  EXPECT_EQ(StatusOf(card_no), "issued");

  std::ofstream(csv) << "id_number,status,as_of\n420115199003071234,closed,2026-12-01\n";
  ASSERT_TRUE(test_.runtime->ImportInsured(csv));
  std::ofstream(csv) << "id_number,status,as_of\n420115199003071234,open,2026-10-01\n";
  ASSERT_TRUE(test_.runtime->ImportInsured(csv));
  Answer approved = Post("/api/v1/cases/" + case_no + "/review", reviewer, {{"decision", "approve"}});
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  EXPECT_EQ(StatusOf(card_no), "cancelled");

  std::ofstream(csv) << "id_number,status,as_of\n420115199003071234,maybe,2026-12-01\n";
  EXPECT_FALSE(test_.runtime->ImportInsured(csv));
}

TEST_F(LifecycleTest, NoNewCardWhileTheCancelledAccountIsOpenForRCancel2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Json cancel = Cancellation("other");
  std::string case_no = Post("/api/v1/cases", clerk, cancel).body["case_no"];
  ASSERT_EQ(Post("/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                 {{"decision", "approve"}, {"insured_closed", true}}).status, 200);
  Answer refused = Post("/api/v1/cases", clerk, ApplyBody());
  ExpectProblem(refused, 422, "BANK_ACCOUNT_NOT_CLOSED");
  EXPECT_EQ(refused.body["rule"], "R-CANCEL-2");
  ASSERT_EQ(Bank("E-5", card_no, "card_destroyed").status, 201);
  EXPECT_EQ(Post("/api/v1/cases", clerk, ApplyBody()).status, 201);
}

// Bank events (R-LOSS-3): own cards only, idempotent by event id, transitions checked.
TEST_F(LifecycleTest, BankEventsAreOwnCardOnlyAndIdempotentForRLoss3) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Answer first = Bank("B-1", card_no, "account_activated");
  ASSERT_EQ(first.status, 201) << first.raw.body;
  EXPECT_EQ(first.body["bank"]["account_status"], "active");
  Answer replay = Bank("B-1", card_no, "account_activated");
  EXPECT_EQ(replay.status, 200);
  EXPECT_TRUE(replay.body["replayed"]);
  ExpectProblem(Bank("B-1", card_no, "account_closed"), 422, "IDEMPOTENCY_KEY_REUSED");
  Answer lifted = Bank("B-2", card_no, "account_loss_lifted");
  ExpectProblem(lifted, 409, "CARD_STATE_CONFLICT");
  EXPECT_EQ(lifted.body["rule"], "R-LOSS-3");
  ASSERT_EQ(Bank("B-3", card_no, "account_temporary_loss").status, 201);
  EXPECT_EQ(Bank("B-4", card_no, "account_loss_lifted").body["bank"]["account_status"], "active");
  ExpectProblem(Bank("B-5", card_no, "account_exploded"), 400, "VALIDATION_FAILED");
  // A clerk is not a bank; a bank reports only on its own cards.
  ExpectProblem(Post("/api/v1/bank/events", clerk,
                     {{"event_id", "X"}, {"card_no", card_no}, {"event", "account_closed"}, {"at", "2026-11-23T10:00:00+08:00"}}),
                403, "FORBIDDEN");
  Json icbc = ApplyBody("42011519700101005X", "李娟");
  icbc["form"]["bank_code"] = "ICBC";
  std::string other = Approved(icbc);
  Answer foreign = Bank("B-6", other, "account_closed");
  ExpectProblem(foreign, 404, "NOT_FOUND");  // another bank's card answers like no card
  Answer nowhere = Bank("B-7", "420000999999", "account_closed");
  ExpectProblem(nowhere, 404, "NOT_FOUND");
  EXPECT_EQ(foreign.body["detail"], nowhere.body["detail"]);
  EXPECT_EQ(AuditRows("bank.account_closed", other).size(), 1u);  // the refusal is audited
}

// Two clerks acting on one card at once (real threads; on SQLite and PostgreSQL in the
// engine runs): every answer is a success or a clean refusal, the card ends in a legal
// state, and the audit has exactly one "ok" row per success — no lost update.
TEST_F(LifecycleTest, ConcurrentLossReportsNeverLoseAnUpdate) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  std::string second = TokenOf("clerk");
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const char* operation = i % 2 == 0 ? "temporary_loss" : "cancel_loss";
      for (int round = 0; round < 5; ++round) {
        Answer answer = Instant(i % 4 < 2 ? clerk : second, "002014010007", operation);
        if (answer.status == 201) {
          ++succeeded;
        } else if (answer.status == 409) {
          ++refused;
        } else {
          ADD_FAILURE() << answer.raw.body;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded + refused, 40);
  std::string status = StatusOf(card_no);
  EXPECT_TRUE(status == "issued" || status == "temporary_loss") << status;
  // Successes alternate: the final state follows from their count.
  EXPECT_EQ(status == "temporary_loss", succeeded % 2 == 1);
  int logged = 0;
  for (const std::string& event : Events(card_no)) {
    logged += event == "temporary_loss" || event == "cancel_loss" ? 1 : 0;
  }
  EXPECT_EQ(logged, succeeded.load());
}

// Persons (API.md): masked by default; unmasking needs the role and is audited (R-SEC-2).
TEST_F(LifecycleTest, PersonIsMaskedUnlessAllowedAndAuditedForRSec2) {
  std::string clerk = TokenOf("clerk");
  IssueCard(clerk);
  Answer masked = Call("GET", "/api/v1/persons/420115199003071234", clerk);
  ASSERT_EQ(masked.status, 200) << masked.raw.body;
  EXPECT_EQ(masked.body["id_number"], "4201**********1234");
  EXPECT_EQ(masked.body["name"], "张*");
  EXPECT_EQ(masked.body["phone"], "138****5678");
  ExpectProblem(Call("GET", "/api/v1/persons/420115199003071234?unmask=true", clerk), 403, "FORBIDDEN");
  Answer full = Call("GET", "/api/v1/persons/420115199003071234?unmask=true", TokenOf("reviewer"));
  ASSERT_EQ(full.status, 200) << full.raw.body;
  EXPECT_EQ(full.body["id_number"], "420115199003071234");
  Answer audit = Call("GET", "/api/v1/audit?limit=500&action=person.unmask", TokenOf("auditor"));
  EXPECT_EQ(audit.body["items"].size(), 2u);  // the refusal and the unmasking
  for (const Json& row : audit.body["items"]) EXPECT_EQ(row["target"].get<std::string>().find("4201"), std::string::npos);
  ExpectProblem(Call("GET", "/api/v1/persons/420115198503151236", clerk), 404, "NOT_FOUND");
}

// The dashboard counts what the caller's region did today and what waits (R-APPLY-7 stock).
TEST_F(LifecycleTest, DashboardCountsTodayPendingAndOldStock) {
  std::string card_no = Approved(ApplyBody());
  ASSERT_EQ(Post("/api/v1/cases", TokenOf("clerk"), ApplyBody("42011519700101005X", "李娟")).status, 201);
  Answer board = Call("GET", "/api/v1/reports/dashboard", TokenOf("reviewer"));
  ASSERT_EQ(board.status, 200) << board.raw.body;
  EXPECT_EQ(board.body["date"], "2026-11-23");
  ASSERT_EQ(board.body["today_by_item"].size(), 1u);
  EXPECT_EQ(board.body["today_by_item"][0]["count"], 2);
  EXPECT_EQ(board.body["today_by_item"][0]["name"], "社会保障卡申领");
  EXPECT_EQ(board.body["today_by_org"][0]["org_code"], "42011500100001");
  EXPECT_EQ(board.body["pending_reviews"], 1);
  EXPECT_EQ(board.body["old_stock"], 0);
  ProduceInBatch("fast");
  ASSERT_EQ(Post("/api/v1/cards/" + card_no + "/arrive", TokenOf("stock_keeper"), {{"org_code", "42011500100001"}}).status, 200);
  test_.clock.Advance(std::chrono::hours(24 * 200));
  Answer later = Call("GET", "/api/v1/reports/dashboard", TokenOf("reviewer"));
  EXPECT_EQ(later.body["old_stock"], 1);
  EXPECT_EQ(later.body["overdue"], 1);  // the second application was never reviewed
  EXPECT_TRUE(later.body["today_by_item"].empty());
  // The province sees it too; the other county (黄陂) would not (region scope, R-SEC-1).
  EXPECT_EQ(Call("GET", "/api/v1/reports/dashboard", TokenOf("auditor")).body["old_stock"], 1);
}

// R-SEC-5: orgs keep their case records and the province inspects them: the auditor lists
// and opens every org's cases with their steps; nothing deletes a case.
TEST_F(LifecycleTest, TheProvinceInspectsEveryOrgsCasesForRSec5) {
  std::string case_no = Post("/api/v1/cases", TokenOf("clerk"), ApplyBody()).body["case_no"];
  std::string auditor = TokenOf("auditor");
  Answer list = Call("GET", "/api/v1/cases?limit=50", auditor);
  ASSERT_EQ(list.status, 200) << list.raw.body;
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["case_no"], case_no);
  Answer record = Call("GET", "/api/v1/cases/" + case_no, auditor);
  ASSERT_EQ(record.status, 200);
  EXPECT_EQ(record.body["steps"][0]["action"], "accept");
  ExpectProblem(Call("DELETE", "/api/v1/cases/" + case_no, auditor), 405, "METHOD_NOT_ALLOWED");
  ExpectProblem(Call("DELETE", "/api/v1/cases/" + case_no, TokenOf("province_admin")), 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_no, auditor).status, 200);  // still there
}

}  // namespace
}  // namespace sscard
