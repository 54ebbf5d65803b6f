// The card rules as pure functions (R-APPLY-1/2/3/7, R-REPL-1/2, R-LOSS-4, R-ID-5).

#include "domain/lifecycle.h"

#include <gtest/gtest.h>

#include <set>

namespace sscard::domain {
namespace {

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}; }

Card IssuedCard() {
  Card card;
  card.card_no = "420000000001";
  card.status = CardStatus::kActive;
  card.bank_code = "HBRCU";
  card.bank_account = BankAccountStatus::kActive;
  card.issued_on = D(2020, 3, 1);
  card.expires_on = D(2030, 3, 1);
  return card;
}

TEST(LifecycleRules, ResidentsAndConfiguredBasesAreEligibleForRApply1) {
  EligibilityPolicy policy;
  EXPECT_FALSE(CheckEligibility("420115", "", policy));
  EXPECT_FALSE(CheckEligibility("420115", "household", policy));
  auto outsider = CheckEligibility("110105", "household", policy);
  ASSERT_TRUE(outsider);
  EXPECT_EQ(outsider->code, ErrorCode::kNOT_ELIGIBLE);
  EXPECT_EQ(outsider->rule, "R-APPLY-1");
  EXPECT_FALSE(CheckEligibility("110105", "insured", policy));
  EXPECT_FALSE(CheckEligibility("", "residence_permit", policy));
  policy.other_bases = {"insured"};  // configurable
  EXPECT_TRUE(CheckEligibility("", "residence_permit", policy));
}

TEST(LifecycleRules, ProductionModeFollowsTheChannelForRApply3) {
  EXPECT_FALSE(CheckProductionChoice(Channel::kWindow, "fast", "pickup", false));
  EXPECT_FALSE(CheckProductionChoice(Channel::kWindow, "instant", "pickup", true));
  auto no_printer = CheckProductionChoice(Channel::kWindow, "instant", "pickup", false);
  ASSERT_TRUE(no_printer);
  EXPECT_EQ(no_printer->code, ErrorCode::kNO_INSTANT_PRINTER);
  EXPECT_EQ(no_printer->rule, "R-APPLY-3");
  EXPECT_EQ(CheckProductionChoice(Channel::kWindow, "batch", "pickup", true)->rule, "R-APPLY-3");
  EXPECT_FALSE(CheckProductionChoice(Channel::kOnline, "fast", "mail", false));
  EXPECT_TRUE(CheckProductionChoice(Channel::kOnline, "fast", "pickup", false));
  EXPECT_TRUE(CheckProductionChoice(Channel::kOnline, "instant", "mail", true));
  EXPECT_FALSE(CheckProductionChoice(Channel::kDirect, "batch", "pickup", false));  // the card system itself
}

TEST(LifecycleRules, TheBankStaysWhileTheCardIsValidForRApply2) {
  Card card = IssuedCard();
  Date today = D(2026, 11, 23);
  EXPECT_FALSE(CheckBankChoice(card, "HBRCU", "damage", std::nullopt, today));
  EXPECT_FALSE(CheckBankChoice(card, "", "damage", std::nullopt, today));  // keeps the old bank
  auto changed = CheckBankChoice(card, "ICBC", "damage", std::nullopt, today);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->code, ErrorCode::kBANK_FIXED);
  EXPECT_EQ(changed->rule, "R-APPLY-2");
  // Not yet expired: even an "expiry" renewal keeps the bank.
  EXPECT_TRUE(CheckBankChoice(card, "ICBC", "expiry", std::nullopt, today));
  card.status = CardStatus::kExpired;
  EXPECT_FALSE(CheckBankChoice(card, "ICBC", "expiry", std::nullopt, D(2030, 4, 1)));
  EXPECT_TRUE(CheckBankChoice(card, "ICBC", "expiry", D(2031, 1, 1), D(2030, 4, 1)));   // rural pension contract
  EXPECT_FALSE(CheckBankChoice(card, "ICBC", "expiry", D(2030, 1, 1), D(2030, 4, 1)));  // contract over
}

TEST(LifecycleRules, ReissueOnlyAfterFormalLossForRLoss4AndRRepl1) {
  Card card = IssuedCard();
  card.bank_account = BankAccountStatus::kFormalLoss;
  Date today = D(2026, 11, 23);
  for (CardStatus status : {CardStatus::kIssued, CardStatus::kActive, CardStatus::kTemporaryLoss}) {
    card.status = status;
    auto refused = CheckReplacement("reissue", "", card, today);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, ErrorCode::kFORMAL_LOSS_REQUIRED);
    EXPECT_EQ(refused->rule, "R-LOSS-4");
  }
  card.status = CardStatus::kFormalLoss;
  EXPECT_FALSE(CheckReplacement("reissue", "", card, today));
  EXPECT_EQ(CheckReplacement("renew", "damage", card, today)->rule, "R-REPL-1");  // lost: reissue, not renew
  card.replacement_applied = true;
  EXPECT_EQ(CheckReplacement("reissue", "", card, today)->code, ErrorCode::kREPLACEMENT_UNDER_WAY);
}

TEST(LifecycleRules, RenewalReasonsMustHoldForRRepl1) {
  Card card = IssuedCard();
  card.bank_account = BankAccountStatus::kClosed;
  for (const char* reason : {"damage", "unreadable_face", "appearance", "key_data_change"}) {
    EXPECT_FALSE(CheckReplacement("renew", reason, card, D(2026, 11, 23))) << reason;
  }
  EXPECT_EQ(CheckReplacement("renew", "expiry", card, D(2026, 11, 23))->code, ErrorCode::kRENEWAL_NOT_DUE);
  EXPECT_FALSE(CheckReplacement("renew", "expiry", card, D(2029, 12, 15)));  // inside the 90-day window
  EXPECT_EQ(CheckReplacement("renew", "child_turns_7", card, D(2026, 11, 23))->rule, "R-REPL-1");
  card.photo_due_on = D(2026, 5, 1);
  EXPECT_FALSE(CheckReplacement("renew", "child_turns_7", card, D(2026, 11, 23)));
  EXPECT_TRUE(CheckReplacement("renew", "child_turns_7", card, D(2026, 4, 30)));
}

TEST(LifecycleRules, TheOldBankAccountMustBeLostOrClosedFirstForRRepl2) {
  Card card = IssuedCard();
  for (BankAccountStatus account : {BankAccountStatus::kNotActivated, BankAccountStatus::kActive,
                                    BankAccountStatus::kTemporaryLoss}) {
    card.bank_account = account;
    auto refused = CheckReplacement("renew", "damage", card, D(2026, 11, 23));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, ErrorCode::kBANK_ACCOUNT_NOT_CLOSED);
    EXPECT_EQ(refused->rule, "R-REPL-2");
  }
  card.bank_account = BankAccountStatus::kFormalLoss;
  EXPECT_FALSE(CheckReplacement("renew", "damage", card, D(2026, 11, 23)));
  card.bank_account = BankAccountStatus::kClosed;
  EXPECT_FALSE(CheckReplacement("renew", "damage", card, D(2026, 11, 23)));
}

TEST(LifecycleRules, SweepDatesForRApply7AndRId5) {
  EXPECT_EQ(SixMonthsBefore(D(2026, 11, 23)), D(2026, 5, 23));
  EXPECT_EQ(SixMonthsBefore(D(2026, 8, 31)), D(2026, 2, 28));
  EXPECT_EQ(SeventhBirthday(D(2020, 2, 29)), D(2027, 2, 28));
  EXPECT_EQ(SeventhBirthday(D(2020, 1, 1)), D(2027, 1, 1));
}

TEST(LifecycleRules, TheECardFollowsThePhysicalCardForROne2) {
  Card card = IssuedCard();
  card.ecard_no.clear();
  EXPECT_EQ(ECardStatusOf(card), "none");
  card.ecard_no = "E420000000001";
  EXPECT_EQ(ECardStatusOf(card), "active");
  card.status = CardStatus::kTemporaryLoss;
  EXPECT_EQ(ECardStatusOf(card), "suspended");
  for (CardStatus status : {CardStatus::kReplaced, CardStatus::kCancelled, CardStatus::kExpired}) {
    card.status = status;
    EXPECT_EQ(ECardStatusOf(card), "cancelled");
  }
}

// R-INFO-3: a status query answers in words (every status has its own).
TEST(LifecycleRules, EveryCardStatusHasItsWordsForRInfo3) {
  std::set<std::string_view> words;
  for (CardStatus status : {CardStatus::kPendingReview, CardStatus::kApproved, CardStatus::kInProduction,
                            CardStatus::kProduced, CardStatus::kInStock, CardStatus::kMailed, CardStatus::kIssued,
                            CardStatus::kActive, CardStatus::kTemporaryLoss, CardStatus::kFormalLoss,
                            CardStatus::kReplaced, CardStatus::kCancelled, CardStatus::kExpired,
                            CardStatus::kDefective, CardStatus::kSealed}) {
    EXPECT_NE(CardStatusLabel(status), "未知");
    words.insert(CardStatusLabel(status));
  }
  EXPECT_EQ(words.size(), 15u);
  EXPECT_EQ(CardStatusLabel(CardStatus::kIssued), "已发放");
}

// R-ONE-1: a partner accepts a card as an identity credential only while it is in the
// holder's hands and usable; every other state says why not.
TEST(LifecycleRules, OnlyAnIssuedUsableUnexpiredCardIsACredentialForROne1) {
  Card card = IssuedCard();
  card.status = CardStatus::kIssued;
  card.ecard_no = "E420000000001";
  card.expires_on = D(2036, 12, 1);
  Date today = D(2026, 12, 1);
  EXPECT_TRUE(VerifyCredential(card, false, today).valid);
  EXPECT_TRUE(VerifyCredential(card, true, today).valid);
  card.status = CardStatus::kActive;
  EXPECT_EQ(VerifyCredential(card, true, today).code, "VALID");
  EXPECT_EQ(VerifyCredential(card, false, D(2036, 12, 2)).code, "CARD_EXPIRED");
  EXPECT_TRUE(VerifyCredential(card, false, D(2036, 12, 1)).valid);  // the last day counts
  const std::pair<CardStatus, std::string_view> refused[] = {
      {CardStatus::kTemporaryLoss, "CARD_REPORTED_LOST"}, {CardStatus::kFormalLoss, "CARD_REPORTED_LOST"},
      {CardStatus::kReplaced, "CARD_REPLACED"},           {CardStatus::kCancelled, "CARD_CANCELLED"},
      {CardStatus::kSealed, "CARD_CANCELLED"},            {CardStatus::kExpired, "CARD_EXPIRED"},
      {CardStatus::kInStock, "CARD_NOT_ISSUED"},          {CardStatus::kApproved, "CARD_NOT_ISSUED"},
      {CardStatus::kDefective, "CARD_NOT_ISSUED"},        {CardStatus::kMailed, "CARD_NOT_ISSUED"},
  };
  for (const auto& [status, code] : refused) {
    card.status = status;
    CredentialVerdict verdict = VerifyCredential(card, false, today);
    EXPECT_FALSE(verdict.valid) << code;
    EXPECT_EQ(verdict.code, code);
    EXPECT_FALSE(verdict.zh.empty());
  }
  card.status = CardStatus::kIssued;
  card.ecard_no.clear();  // no e-card: the physical card still verifies, the e-card does not
  EXPECT_TRUE(VerifyCredential(card, false, today).valid);
  EXPECT_EQ(VerifyCredential(card, true, today).code, "ECARD_NOT_ACTIVE");
}

}  // namespace
}  // namespace sscard::domain
