// The card answers written by the streaming writer: they parse as JSON, carry every field of
// API.md, escape what staff typed, write absent values as null, and merge the timeline in time
// order with the case's steps first on equal times.

#include "api/http/card_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sscard::api {
namespace {

using nlohmann::json;

domain::Card IssuedCard() {
  domain::Card card;
  card.card_no = "420000000001";
  card.status = domain::CardStatus::kIssued;
  card.bank_code = "HBRCU";
  card.production_mode = "instant";
  card.case_no = "42011520261202000001";
  card.org_code = "42011500100001";
  card.issued_on = *ParseDate("2026-12-02");
  card.expires_on = *ParseDate("2036-12-02");
  card.ecard_no = "E420000000001";
  card.version = 4;
  return card;
}

TEST(CardJson, SummaryCarriesTheFieldsOfApiMdWithNullsForWhatIsAbsent) {
  json card = json::parse(CardSummaryText(IssuedCard()));
  EXPECT_EQ(card["card_no"], "420000000001");
  EXPECT_EQ(card["status"], "issued");
  EXPECT_EQ(card["bank"]["code"], "HBRCU");
  EXPECT_EQ(card["bank"]["account_status"], "not_activated");
  EXPECT_EQ(card["issued_on"], "2026-12-02");
  EXPECT_EQ(card["expires_on"], "2036-12-02");
  EXPECT_EQ(card["production"]["mode"], "instant");
  EXPECT_EQ(card["production"]["stage"], "issued");
  EXPECT_TRUE(card["production"]["batch_no"].is_null());
  EXPECT_TRUE(card["production"]["produced_on"].is_null());
  EXPECT_TRUE(card["replaces"].is_null());
  EXPECT_TRUE(card["delivery"]["tracking_no"].is_null());
  EXPECT_EQ(card["ecard"]["ecard_no"], "E420000000001");
  EXPECT_EQ(card["version"], 4);
  EXPECT_FALSE(card.contains("timeline"));
}

TEST(CardJson, TimelineMergesStepsAndLogInTimeOrderAndEscapesNotes) {
  app::CardView view{IssuedCard(), true, {}, {}};
  TimePoint t0 = *ParseRfc3339("2026-12-02T09:00:00+08:00");
  view.case_steps.push_back({t0, "clerk", "42011500100001", "accept", "窗口受理"});
  view.case_steps.push_back({t0 + std::chrono::minutes(5), "reviewer", "42011500000001", "approve", ""});
  view.history.push_back({"420000000001", t0 + std::chrono::minutes(1), "clerk", "42011500100001", "produce_instant",
                          "note with \"quotes\", a back\\slash\nand a new line"});
  view.history.push_back({"420000000001", t0 + std::chrono::minutes(5), "clerk", "42011500100001", "approve", ""});
  json card = json::parse(CardText(view));
  EXPECT_EQ(card["pin_locked"], true);
  const json& timeline = card["production"]["timeline"];
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[0]["event"], "case.accept");
  EXPECT_EQ(timeline[0]["at"], "2026-12-02T09:00:00.000+08:00");
  EXPECT_EQ(timeline[0]["note"], "窗口受理");
  EXPECT_EQ(timeline[1]["event"], "produce_instant");
  EXPECT_EQ(timeline[1]["note"], "note with \"quotes\", a back\\slash\nand a new line");
  EXPECT_EQ(timeline[2]["event"], "case.approve");  // equal times: the case's step first
  EXPECT_EQ(timeline[3]["event"], "approve");
  EXPECT_EQ(card["production"]["mode"], "instant");  // the summary's production members stay
}

// Two requests that raced: the later arrival committed first. The card's log keeps the order
// of the commits (its own), not of the arrival times the entries carry.
TEST(CardJson, TheCardsLogKeepsTheOrderOfItsCommits) {
  app::CardView view{IssuedCard(), false, {}, {}};
  TimePoint t0 = *ParseRfc3339("2026-12-02T09:00:00+08:00");
  view.history.push_back({"420000000001", t0 + std::chrono::milliseconds(118), "clerk", "42011500100001", "temporary_loss", ""});
  view.history.push_back({"420000000001", t0 + std::chrono::milliseconds(120), "clerk", "42011500100001", "cancel_loss", ""});
  view.history.push_back({"420000000001", t0 + std::chrono::milliseconds(117), "clerk", "42011500100001", "temporary_loss", ""});
  const json timeline = json::parse(CardText(view))["production"]["timeline"];
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[0]["event"], "temporary_loss");
  EXPECT_EQ(timeline[1]["event"], "cancel_loss");
  EXPECT_EQ(timeline[2]["event"], "temporary_loss");
}

TEST(CardJson, ListIsAPageOfSummaries) {
  domain::Card second = IssuedCard();
  second.card_no = "420000000002";
  second.replaces = "420000000001";
  json page = json::parse(CardListText({IssuedCard(), second}));
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][1]["replaces"], "420000000001");
  EXPECT_TRUE(page["next_cursor"].is_null());
  EXPECT_TRUE(json::parse(CardListText({}))["items"].empty());
}

}  // namespace
}  // namespace sscard::api
