#include "domain/state_machines.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace sscard::domain {
namespace {

std::vector<std::vector<std::string>> DocRows(const std::string& heading) {
  const char* source = std::getenv("SSCARD_SOURCE_DIR");
  std::ifstream file(std::string(source ? source : ".") + "/docs/state-machines.md");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool in_section = false;
  while (std::getline(file, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## " + heading;
    if (!in_section || line.rfind("| ", 0) != 0 || line.rfind("| from", 0) == 0) continue;
    std::vector<std::string> cells;
    std::stringstream stream(line.substr(1));
    std::string cell;
    while (std::getline(stream, cell, '|')) {
      size_t start = cell.find_first_not_of(' ');
      size_t end = cell.find_last_not_of(' ');
      if (start != std::string::npos) cells.push_back(cell.substr(start, end - start + 1));
    }
    rows.push_back(cells);
  }
  return rows;
}

// docs/state-machines.md shows exactly the code's card table.
TEST(CardStateMachine, DocumentationMatchesTheTable) {
  std::set<std::tuple<std::string, std::string, std::string>> documented, coded;
  for (const auto& cells : DocRows("Card")) {
    ASSERT_GE(cells.size(), 4u);
    std::string to = cells[2].rfind("active or issued", 0) == 0 ? "restore" : cells[2];
    documented.insert({cells[0], cells[1], to});
    EXPECT_EQ(cells[3], RuleOfCardEvent(*ParseCardEvent(cells[1])));
  }
  for (const auto& row : CardTransitions()) {
    coded.insert({std::string(CardStatusName(row.from)), std::string(CardEventName(row.event)),
                  row.restore ? "restore" : std::string(CardStatusName(row.to))});
  }
  EXPECT_EQ(documented, coded);
}

TEST(CaseStateMachine, DocumentationMatchesTheTable) {
  std::set<std::tuple<std::string, std::string, std::string>> documented, coded;
  for (const auto& cells : DocRows("Case")) documented.insert({cells[0], cells[1], cells[2]});
  for (const auto& row : CaseTransitions()) {
    coded.insert({std::string(CaseStatusName(row.from)), std::string(CaseEventName(row.event)),
                  std::string(CaseStatusName(row.to))});
  }
  EXPECT_EQ(documented, coded);
}

// Every (status, event) pair: the table's move, or a refusal naming the event's rule.
TEST(CardStateMachine, EveryPairMovesOrIsRefusedWithItsRule) {
  int moves = 0, refusals = 0;
  for (CardStatus from : AllCardStatuses()) {
    for (CardEvent event : AllCardEvents()) {
      const CardTransition* row = nullptr;
      for (const auto& candidate : CardTransitions()) {
        if (candidate.from == from && candidate.event == event) row = &candidate;
      }
      auto next = NextCardStatus(from, event, {true, false});
      if (row) {
        ASSERT_TRUE(next) << CardStatusName(from) << " " << CardEventName(event);
        EXPECT_EQ(*next, row->restore ? CardStatus::kActive : row->to);
        ++moves;
      } else {
        ASSERT_FALSE(next) << CardStatusName(from) << " " << CardEventName(event);
        EXPECT_EQ(next.error().code, ErrorCode::kCARD_STATE_CONFLICT);
        EXPECT_EQ(next.error().rule, RuleOfCardEvent(event));
        ++refusals;
      }
    }
  }
  EXPECT_EQ(moves, static_cast<int>(CardTransitions().size()));
  EXPECT_EQ(moves + refusals, 15 * 20);
}

TEST(CaseStateMachine, EveryPairMovesOrIsRefused) {
  for (CaseStatus from : AllCaseStatuses()) {
    for (CaseEvent event : AllCaseEvents()) {
      const CaseTransition* row = nullptr;
      for (const auto& candidate : CaseTransitions()) {
        if (candidate.from == from && candidate.event == event) row = &candidate;
      }
      auto next = NextCaseStatus(from, event);
      ASSERT_EQ(next.has_value(), row != nullptr) << CaseStatusName(from) << " " << CaseEventName(event);
      if (row) EXPECT_EQ(*next, row->to);
      else EXPECT_EQ(next.error().code, ErrorCode::kCASE_STATE_CONFLICT);
    }
  }
}

// R-LOSS-1: a temporary loss can be lifted, a formal loss cannot.
TEST(CardStateMachine, OnlyTemporaryLossCanBeLiftedForRLoss1) {
  EXPECT_EQ(NextCardStatus(CardStatus::kTemporaryLoss, CardEvent::kCancelLoss, {true, false}).value(),
            CardStatus::kActive);
  EXPECT_EQ(NextCardStatus(CardStatus::kTemporaryLoss, CardEvent::kCancelLoss, {false, false}).value(),
            CardStatus::kIssued);
  auto formal = NextCardStatus(CardStatus::kFormalLoss, CardEvent::kCancelLoss);
  ASSERT_FALSE(formal);
  EXPECT_EQ(formal.error().rule, "R-LOSS-1");
}

// R-LOSS-2: un-report only before a replacement has been applied for.
TEST(CardStateMachine, NoUnreportAfterAReplacementApplicationForRLoss2) {
  auto refused = NextCardStatus(CardStatus::kTemporaryLoss, CardEvent::kCancelLoss, {true, true});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kLOSS_REPLACEMENT_APPLIED);
  EXPECT_EQ(refused.error().rule, "R-LOSS-2");
}

// R-LOSS-4: a lost card is replaced only after a formal loss report.
TEST(CardStateMachine, ReplaceOnlyAfterFormalLossForRLoss4) {
  EXPECT_TRUE(NextCardStatus(CardStatus::kFormalLoss, CardEvent::kReplace));
  auto temporary = NextCardStatus(CardStatus::kTemporaryLoss, CardEvent::kReplace);
  ASSERT_FALSE(temporary);
  EXPECT_EQ(temporary.error().rule, "R-LOSS-4");
}

// R-ACT-2: only a card of this province not yet activated can be activated.
TEST(CardStateMachine, ActivateOnlyAnIssuedCardForRAct2) {
  EXPECT_EQ(NextCardStatus(CardStatus::kIssued, CardEvent::kActivate).value(), CardStatus::kActive);
  auto again = NextCardStatus(CardStatus::kActive, CardEvent::kActivate);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().rule, "R-ACT-2");
  EXPECT_FALSE(NextCardStatus(CardStatus::kInStock, CardEvent::kActivate));
}

// R-APPLY-6: a card failing the read test is re-made, never issued.
TEST(CardStateMachine, DefectiveCardsAreNeverIssuedForRApply6) {
  EXPECT_EQ(NextCardStatus(CardStatus::kInStock, CardEvent::kReadTestFailed).value(), CardStatus::kDefective);
  auto issue = NextCardStatus(CardStatus::kDefective, CardEvent::kIssue);
  ASSERT_FALSE(issue);
  EXPECT_EQ(issue.error().rule, "R-APPLY-6");
  EXPECT_EQ(NextCardStatus(CardStatus::kDefective, CardEvent::kRemake).value(), CardStatus::kApproved);
}

TEST(CardStatus, NamesFollowApiMd) {
  std::set<std::string> names;
  for (CardStatus status : AllCardStatuses()) {
    names.insert(std::string(CardStatusName(status)));
    EXPECT_EQ(ParseCardStatus(CardStatusName(status)), status);
  }
  EXPECT_EQ(names, (std::set<std::string>{"pending_review", "approved", "in_production", "produced",
                                          "in_stock", "mailed", "issued", "active", "temporary_loss",
                                          "formal_loss", "replaced", "cancelled", "expired",
                                          "defective", "sealed"}));
  EXPECT_FALSE(IsValidCard(CardStatus::kReplaced));
  EXPECT_TRUE(IsValidCard(CardStatus::kTemporaryLoss));
}

}  // namespace
}  // namespace sscard::domain
