#include "app/card_service.h"

#include <fmt/format.h>

#include "app/admin_service.h"
#include "app/audited.h"

namespace sscard::app {

using domain::Card;
using domain::CardEvent;
using domain::Permission;

namespace {

// Window staff or stock keepers of the card's region handle its production and issue.
Status RequireCardHandler(const domain::Principal& principal, const Card& card) {
  Permission permission = principal.Has(Permission::kStock) ? Permission::kStock : Permission::kIntake;
  return domain::Authorize(principal, permission, card.region_code);
}

}  // namespace

Result<Card> CardService::ProduceInstant(const CallContext& context, const std::string& case_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<Card>(store_, context, {"card.produce_instant", case_no}, [&](ports::Tx& tx) -> Result<Card> {
    ASSIGN_OR_RETURN(auto record, tx.cases().Find(case_no));
    if (!record || record->card_no.empty()) return Fail(ErrorCode::kNOT_FOUND, "办件没有待制的卡", "no card for this case");
    ASSIGN_OR_RETURN(auto card, tx.cards().Find(record->card_no));
    if (!card) return Fail(ErrorCode::kNOT_FOUND);
    RETURN_IF_ERROR(RequireCardHandler(principal, *card));
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(principal.org_code));
    if (!org || !org->capabilities.instant_printer) {
      return Fail(MakeError(ErrorCode::kNO_INSTANT_PRINTER).WithRule("R-APPLY-3"));
    }
    ASSIGN_OR_RETURN(card->status, domain::NextCardStatus(card->status, CardEvent::kProduceInstant, card->Facts()));
    card->production_mode = "instant";
    card->org_code = org->code;
    ++card->version;
    RETURN_IF_ERROR(tx.cards().Update(*card));
    return *card;
  });
}

Result<Card> CardService::Issue(const CallContext& context, const std::string& card_no, bool read_check_passed,
                                const std::vector<std::string>& problems) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  // The initial PIN's hash is made before the transaction (argon2id is slow).
  std::string initial_pin_hash;
  if (read_check_passed) {
    ASSIGN_OR_RETURN(std::string id_number, ports::Transact<std::string>(
                                                store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::string> {
                                                  ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
                                                  if (!card) return std::string();
                                                  ASSIGN_OR_RETURN(auto person, tx.persons().FindById(card->person_id));
                                                  return person ? person->id_number : std::string();
                                                }));
    std::string digits;
    for (char c : id_number) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    while (digits.size() < 6) digits.insert(digits.begin(), '0');
    initial_pin_hash = HashPassword(digits.substr(digits.size() - 6), pin_cost_);
  }
  return RunAudited<Card>(store_, context, {read_check_passed ? "card.issue" : "card.read_test_failed", card_no},
                          [&](ports::Tx& tx) -> Result<Card> {
                            ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
                            if (!card) return Fail(ErrorCode::kNOT_FOUND);
                            RETURN_IF_ERROR(RequireCardHandler(principal, *card));
                            CardEvent event = read_check_passed ? CardEvent::kIssue : CardEvent::kReadTestFailed;
                            ASSIGN_OR_RETURN(card->status, domain::NextCardStatus(card->status, event, card->Facts()));
                            if (read_check_passed) {
                              Date today = ChinaDate(context.now);
                              card->issued_on = today;
                              card->expires_on = domain::ExpiryOf(today);
                              ASSIGN_OR_RETURN(auto pin, tx.pins().Find(card_no));
                              if (!pin) RETURN_IF_ERROR(tx.pins().Put(card_no, initial_pin_hash, /*initial=*/true));
                            }
                            ++card->version;
                            RETURN_IF_ERROR(tx.cards().Update(*card));
                            std::string note = read_check_passed ? "读卡检测合格，已发放" : "读卡检测不合格，退回重新制卡";
                            for (const auto& problem : problems) note += "；" + problem;
                            if (auto record = tx.cases().Find(card->case_no); record && *record) {
                              (*record)->steps.push_back({context.now, principal.username, principal.org_code,
                                                          read_check_passed ? "issue" : "read_test_failed", note});
                              ++(*record)->version;
                              (*record)->updated_at = context.now;
                              RETURN_IF_ERROR(tx.cases().Update(**record));
                            }
                            return *card;
                          });
}

Result<CardView> CardService::Get(const CallContext& context, const std::string& card_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return ports::Transact<CardView>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<CardView> {
    ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
    if (!card) return Fail(ErrorCode::kNOT_FOUND);
    RETURN_IF_ERROR(domain::Authorize(principal, Permission::kReadReference, card->region_code));
    CardView view{*card, false, {}};
    ASSIGN_OR_RETURN(auto pin, tx.pins().Find(card_no));
    view.pin_locked = pin && pin->state.locked;
    ASSIGN_OR_RETURN(view.timeline, tx.cases().Steps(card->case_no));
    return view;
  });
}

}  // namespace sscard::app
