#include "app/card_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/admin_service.h"
#include "app/audited.h"
#include "common/crypto.h"
#include "app/partner_service.h"
#include "app/payment_service.h"
#include "common/ids.h"
#include "domain/lifecycle.h"
#include "domain/id_document.h"

namespace sscard::app {

using domain::Card;
using domain::CardEvent;
using domain::CardStatus;
using domain::Permission;

namespace {

// Window staff or stock keepers of the card's region handle its stock and issue.
Status RequireCardHandler(const domain::Principal& principal, const Card& card) {
  Permission permission = principal.Has(Permission::kStock) ? Permission::kStock : Permission::kIntake;
  // The province's card centre makes batches and moves cards; at a counter it makes and hands
  // over only the cards to be picked up at the centre itself, never a hall's (R-SEC-1).
  if (principal.org_level == domain::OrgLevel::kProvince && card.org_code != principal.org_code) {
    RETURN_IF_ERROR(domain::RequirePermission(principal, permission));
    return Fail(ErrorCode::kNOT_FOUND);
  }
  // R-APPLY-9 / R-ACCEPT-2: a card in stock is handed over by the org that holds it, wherever
  // the case was accepted (a cross-county pickup is issued at the pickup hall).
  if (card.status == CardStatus::kInStock && !card.org_code.empty()) {
    RETURN_IF_ERROR(domain::RequirePermission(principal, permission));
    if (principal.org_code != card.org_code) {
      // Outside the holding org and the case's region the card answers like no card at all.
      RETURN_IF_ERROR(domain::AuthorizeRecord(principal, permission, card.region_code));
      return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT,
                            fmt::format("此卡在机构{}的库存中，须由该机构发放", card.org_code),
                            fmt::format("the card is in the stock of org {}; it is handed over there", card.org_code))
                      .WithRule("R-ACCEPT-2"));
    }
    return Ok();
  }
  return domain::AuthorizeRecord(principal, permission, card.region_code);
}

// The permission to handle cards at a counter or in stock, checked before any number is
// looked up: a role without it gets the same 403 for a real number and a made-up one (no
// existence oracle).
Status RequireCardRole(const domain::Principal& principal) {
  return domain::RequirePermission(principal, principal.Has(Permission::kStock) ? Permission::kStock : Permission::kIntake);
}

// Staff see the cards of their region's subtree and the cards their own org holds (a card
// sent to their hall for a cross-county pickup, R-APPLY-9).
bool SeesCard(const domain::Principal& principal, const Card& card) {
  return domain::RegionContains(principal.region_code, card.region_code) ||
         (!card.org_code.empty() && card.org_code == principal.org_code);
}

Result<Card> FindCard(ports::Tx& tx, const std::string& card_no) {
  ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
  if (!card) return Fail(ErrorCode::kNOT_FOUND, "卡号不存在：" + card_no, "no card " + card_no);
  return *card;
}

// Checks that the caller may act on the card before any argon2id work is done for it: nobody
// else gets to spend the server's time. A refusal leaves its audit row like any other.
Status MayHandle(ports::Store& store, const CallContext& context, const AuditTarget& what, const std::string& card_no,
                 const std::function<Status(const Card&)>& check) {
  Status may = store.Run(ports::TxMode::kRead, [&](ports::Tx& tx) -> Status {
    RETURN_IF_ERROR(RequireCardRole(*context.principal));
    ASSIGN_OR_RETURN(Card card, FindCard(tx, card_no));
    return check(card);
  });
  if (!may) return RunAudited(store, context, what, [&](ports::Tx&) { return may; });
  return Ok();
}

// Moves the card by `event`, logs the step and writes it (one version up).
Status Step(ports::Tx& tx, const CallContext& context, Card& card, CardEvent event, const std::string& note) {
  ASSIGN_OR_RETURN(card.status, domain::NextCardStatus(card.status, event, card.Facts()));
  ++card.version;
  RETURN_IF_ERROR(tx.cards().Update(card));
  RETURN_IF_ERROR(tx.cards().Log({card.card_no, context.now, context.Actor(), context.OrgCode(),
                                  std::string(domain::CardEventName(event)), note}));
  // R-ONE-7: held benefit payments follow the card once it is valid.
  if (card.status == CardStatus::kIssued || card.status == CardStatus::kActive) {
    RETURN_IF_ERROR(ReleaseHeldPayments(tx, context, card.person_id));
  }
  return Ok();
}

Status Notify(ports::Tx& tx, const CallContext& context, const Card& card, const std::string& kind,
              const std::string& text) {
  return tx.outbox().Enqueue(
      {NewSortableId(context.now), kind, card.case_no, card.person_id, text, 0, context.now, std::nullopt, context.now});
}

Status AddCaseStep(ports::Tx& tx, const CallContext& context, const Card& card, const std::string& action,
                   const std::string& note) {
  ASSIGN_OR_RETURN(auto record, tx.cases().Find(card.case_no));
  if (!record) return Ok();
  record->steps.push_back({context.now, context.Actor(), context.OrgCode(), action, note});
  ++record->version;
  record->updated_at = context.now;
  return tx.cases().Update(*record);
}

std::string LastSix(const std::string& id_number) {
  std::string digits;
  for (char c : id_number) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  while (digits.size() < 6) digits.insert(digits.begin(), '0');
  return digits.substr(digits.size() - 6);
}

}  // namespace

Result<Card> CardService::ProduceInstant(const CallContext& context, const std::string& case_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<Card>(store_, context, {"card.produce_instant", case_no}, [&](ports::Tx& tx) -> Result<Card> {
    RETURN_IF_ERROR(RequireCardRole(principal));
    ASSIGN_OR_RETURN(auto record, tx.cases().Find(case_no));
    if (!record || record->card_no.empty()) return Fail(ErrorCode::kNOT_FOUND, "办件没有待制的卡", "no card for this case");
    ASSIGN_OR_RETURN(Card card, FindCard(tx, record->card_no));
    RETURN_IF_ERROR(RequireCardHandler(principal, card));
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(principal.org_code));
    if (!org || !org->capabilities.instant_printer) {
      return Fail(MakeError(ErrorCode::kNO_INSTANT_PRINTER).WithRule("R-APPLY-3"));
    }
    card.production_mode = "instant";
    card.org_code = org->code;
    card.produced_on = ChinaDate(context.now);
    RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kProduceInstant, "即时制卡：" + org->name));
    return card;
  });
}

Result<domain::Batch> CardService::CreateBatch(const CallContext& context, const std::string& mode, int limit) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  AuditTarget what{"batch.create", mode};
  return RunAudited<domain::Batch>(store_, context, what, [&](ports::Tx& tx) -> Result<domain::Batch> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
    if (mode != "batch" && mode != "fast") {
      return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                      .WithField({"mode", "NOT_AN_OPTION", {"制卡方式应为 batch 或 fast", "mode is batch or fast"}, "R-APPLY-4"}));
    }
    ASSIGN_OR_RETURN(auto cards, tx.cards().List({.statuses = {CardStatus::kApproved},
                                                  .production_mode = mode,
                                                  .region_prefix = std::string(domain::ScopePrefix(principal.region_code)),
                                                  .limit = std::clamp(limit, 1, 10000)}));
    if (cards.empty()) return Fail(MakeError(ErrorCode::kNOTHING_TO_BATCH).WithRule("R-APPLY-4"));
    Date today = ChinaDate(context.now);
    domain::Batch batch;
    ASSIGN_OR_RETURN(int made_today, tx.batches().CountOn(today));
    batch.batch_no = domain::FormatBatchNo(today, made_today + 1);
    batch.mode = mode;
    batch.created_by = principal.username;
    batch.org_code = principal.org_code;
    batch.created_at = context.now;
    // R-APPLY-4: batch ≤ 29 working days, fast ≤ 5, on the national calendar.
    batch.due_on = calendar_.AddWorkingDays(today, mode == "batch" ? 29 : 5);
    batch.size = static_cast<int>(cards.size());
    for (Card& card : cards) {
      card.batch_no = batch.batch_no;
      RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kStartProduction,
                           fmt::format("编入批次{}，应于{}前制成", batch.batch_no, FormatDate(batch.due_on))));
    }
    RETURN_IF_ERROR(tx.batches().Insert(batch));
    return batch;
  });
}

Result<std::vector<domain::Batch>> CardService::ListBatches(const CallContext& context, const ports::BatchQuery& query) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
  return ports::Transact<std::vector<domain::Batch>>(store_, ports::TxMode::kRead,
                                                     [&](ports::Tx& tx) { return tx.batches().List(query); });
}

Result<std::vector<PersonalisationRow>> CardService::ExportBatch(const CallContext& context,
                                                                 const std::string& batch_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  // Written as a use case of its own: an export of personal data leaves an audit row.
  return RunAudited<std::vector<PersonalisationRow>>(
      store_, context, {"batch.export", batch_no}, [&](ports::Tx& tx) -> Result<std::vector<PersonalisationRow>> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
        ASSIGN_OR_RETURN(auto batch, tx.batches().Find(batch_no));
        if (!batch) return Fail(ErrorCode::kNOT_FOUND);
        std::vector<PersonalisationRow> rows;
        std::string after;
        while (true) {
          ASSIGN_OR_RETURN(auto cards, tx.cards().List({.batch_no = batch_no, .after_card_no = after, .limit = 500}));
          if (cards.empty()) break;
          after = cards.back().card_no;
          for (const Card& card : cards) {
            ASSIGN_OR_RETURN(auto person, tx.persons().FindById(card.person_id));
            if (!person) continue;
            std::string photo_sha = person->photo_file_id;  // file ids are the content's SHA-256
            rows.push_back({card.card_no, person->name, std::string(domain::SexName(person->sex)), person->id_number,
                            person->birth_date ? FormatDate(*person->birth_date) : "", person->nationality,
                            card.bank_code, photo_sha, FormatDate(ChinaDate(context.now)).substr(0, 7), card.delivery,
                            card.org_code});
          }
        }
        return rows;
      });
}

Result<ports::StoredFile> CardService::BatchPhoto(const CallContext& context, const std::string& batch_no,
                                                  const std::string& card_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<ports::StoredFile>(
      store_, context, {"batch.photo", batch_no + "/" + card_no}, [&](ports::Tx& tx) -> Result<ports::StoredFile> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
        ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
        if (!card || card->batch_no != batch_no) return Fail(ErrorCode::kNOT_FOUND);
        ASSIGN_OR_RETURN(auto person, tx.persons().FindById(card->person_id));
        if (!person || person->photo_file_id.empty()) return Fail(ErrorCode::kNOT_FOUND);
        ASSIGN_OR_RETURN(auto file, tx.files().Find(person->photo_file_id, true));
        if (!file) return Fail(ErrorCode::kNOT_FOUND);
        return *file;
      });
}

Result<domain::Batch> CardService::RecordResults(const CallContext& context, const std::string& batch_no,
                                                 const std::vector<BatchResult>& results) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<domain::Batch>(
      store_, context, {"batch.results", batch_no}, [&](ports::Tx& tx) -> Result<domain::Batch> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
        ASSIGN_OR_RETURN(auto batch, tx.batches().Find(batch_no));
        if (!batch) return Fail(ErrorCode::kNOT_FOUND);
        Date today = ChinaDate(context.now);
        for (size_t index = 0; index < results.size(); ++index) {
          const BatchResult& result = results[index];
          ASSIGN_OR_RETURN(auto card, tx.cards().Find(result.card_no));
          if (!card || card->batch_no != batch_no) {
            return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                            .WithField({fmt::format("results[{}].card_no", index), "NOT_IN_BATCH",
                                        {"该卡不在此批次中", "the card is not in this batch"}, "R-APPLY-4"}));
          }
          // A result sent again (a retry) was recorded already.
          if (card->status != CardStatus::kInProduction) continue;
          if (result.produced) {
            card->produced_on = today;
            RETURN_IF_ERROR(Step(tx, context, *card, CardEvent::kProduced, "制卡完成，批次" + batch_no));
            ++batch->produced;
          } else {
            if (result.reason.empty()) {
              return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                              .WithField({fmt::format("results[{}].reason", index), "REQUIRED",
                                          {"制卡失败须说明原因", "a failed card needs a reason"}, "R-APPLY-4"}));
            }
            // Back to approved: the next batch of its mode takes it again (re-made).
            RETURN_IF_ERROR(Step(tx, context, *card, CardEvent::kProductionFailed,
                                 "制卡失败，重新制卡（批次" + batch_no + "）：" + result.reason));
            ++batch->failed;
          }
        }
        ASSIGN_OR_RETURN(auto waiting, tx.cards().List({.statuses = {CardStatus::kInProduction}, .batch_no = batch_no, .limit = 1}));
        if (waiting.empty()) batch->status = domain::BatchStatus::kCompleted;
        ++batch->version;
        RETURN_IF_ERROR(tx.batches().Update(*batch));
        return *batch;
      });
}

Result<Card> CardService::Arrive(const CallContext& context, const std::string& card_no, const std::string& org_code) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<Card>(store_, context, {"card.arrive", card_no}, [&](ports::Tx& tx) -> Result<Card> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kStock));
    ASSIGN_OR_RETURN(Card card, FindCard(tx, card_no));
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(org_code.empty() ? principal.org_code : org_code));
    if (!org) return Fail(ErrorCode::kUNKNOWN_ORG);
    RETURN_IF_ERROR(domain::Authorize(principal, Permission::kStock, org->region_code));
    // R-APPLY-9: a card arrives at the org it is made for (the pickup org chosen at intake);
    // anywhere else only staff whose scope covers the card's case may move it. Outside both,
    // the card answers like no card at all.
    if (org->code != card.org_code && !domain::AuthorizeRecord(principal, Permission::kStock, card.region_code)) {
      return Fail(ErrorCode::kNOT_FOUND, "卡号不存在：" + card_no, "no card " + card_no);
    }
    Date today = ChinaDate(context.now);
    card.org_code = org->code;
    card.stocked_on = today;
    // R-APPLY-5: the org contacts the applicant within 3 working days; the outbox sends now.
    Date contact_by = calendar_.AddWorkingDays(today, 3);
    RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kArrive,
                         fmt::format("入库：{}；须于{}前通知持卡人", org->name, FormatDate(contact_by))));
    RETURN_IF_ERROR(Notify(tx, context, card, "card_arrived",
                           fmt::format("您的社会保障卡已制成，请携带本人有效身份证件到{}（{}）领取。", org->name,
                                       org->address)));
    RETURN_IF_ERROR(AddCaseStep(tx, context, card, "arrive", "卡片已入库：" + org->name));
    return card;
  });
}

Result<Card> CardService::Mail(const CallContext& context, const std::string& card_no, const std::string& tracking_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<Card>(store_, context, {"card.mail", card_no}, [&](ports::Tx& tx) -> Result<Card> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kStock));
    ASSIGN_OR_RETURN(Card card, FindCard(tx, card_no));
    RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kStock, card.region_code));
    if (tracking_no.empty() || tracking_no.size() > 40) {
      return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                      .WithField({"tracking_no", "REQUIRED", {"请填写邮件号", "the tracking number is required"}, "R-APPLY-3"}));
    }
    if (card.delivery != "mail") {
      return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT, "该卡选择的是网点领取，不能邮寄", "this card is collected, not mailed")
                      .WithRule("R-APPLY-3"));
    }
    card.tracking_no = tracking_no;
    RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kMail, "已邮寄，邮件号" + tracking_no));
    RETURN_IF_ERROR(Notify(tx, context, card, "card_mailed",
                           fmt::format("您的社会保障卡已寄出，邮件号{}，请注意查收。", tracking_no)));
    RETURN_IF_ERROR(AddCaseStep(tx, context, card, "mail", "已邮寄，邮件号" + tracking_no));
    return card;
  });
}

Result<std::string> CardService::InitialPinHash(const std::string& card_no) {
  // argon2id is slow: the hash is made before the write transaction.
  ASSIGN_OR_RETURN(std::string id_number, ports::Transact<std::string>(
                                              store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::string> {
                                                ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
                                                if (!card) return std::string();
                                                ASSIGN_OR_RETURN(auto person, tx.persons().FindById(card->person_id));
                                                return person ? person->id_number : std::string();
                                              }));
  return HashPassword(LastSix(id_number), pin_cost_);
}

Status CardService::HandOver(ports::Tx& tx, const CallContext& context, Card& card, const std::string& pin_hash) {
  Date today = ChinaDate(context.now);
  card.issued_on = today;
  card.expires_on = domain::ExpiryOf(today);
  // R-ONE-2: the e-card record is issued with the physical card and follows its status.
  card.ecard_no = "E" + card.card_no;
  ASSIGN_OR_RETURN(auto pin, tx.pins().Find(card.card_no));
  if (!pin) RETURN_IF_ERROR(tx.pins().Put(card.card_no, pin_hash, /*initial=*/true));
  // R-REPL-3: the old card stops working when the new one is issued.
  if (!card.replaces.empty()) {
    ASSIGN_OR_RETURN(Card old, FindCard(tx, card.replaces));
    if (old.status != CardStatus::kReplaced) {
      RETURN_IF_ERROR(Step(tx, context, old, CardEvent::kReplace, "新卡" + card.card_no + "已发放，原卡停用"));
    }
  }
  return tx.cards().Log({card.card_no, context.now, context.Actor(), context.OrgCode(), "ecard.issued",
                         "电子社保卡" + card.ecard_no + "已签发"});
}

Result<Card> CardService::Deliver(const CallContext& context, const std::string& card_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(MayHandle(store_, context, {"card.deliver", card_no}, card_no, [&](const Card& card) {
    return domain::AuthorizeRecord(principal, Permission::kStock, card.region_code);
  }));
  ASSIGN_OR_RETURN(std::string pin_hash, InitialPinHash(card_no));
  return RunAudited<Card>(store_, context, {"card.deliver", card_no}, [&](ports::Tx& tx) -> Result<Card> {
    ASSIGN_OR_RETURN(Card card, FindCard(tx, card_no));
    RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kStock, card.region_code));
    RETURN_IF_ERROR(HandOver(tx, context, card, pin_hash));
    RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kDeliver, "邮件" + card.tracking_no + "已由持卡人签收"));
    RETURN_IF_ERROR(AddCaseStep(tx, context, card, "issue", "邮寄签收，已发放"));
    return card;
  });
}

Result<Card> CardService::Issue(const CallContext& context, const std::string& card_no, bool read_check_passed,
                                const std::vector<std::string>& problems) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  std::string pin_hash;
  if (read_check_passed) {
    RETURN_IF_ERROR(MayHandle(store_, context, {"card.issue", card_no}, card_no,
                              [&](const Card& card) { return RequireCardHandler(principal, card); }));
    ASSIGN_OR_RETURN(pin_hash, InitialPinHash(card_no));
  }
  return RunAudited<Card>(store_, context, {read_check_passed ? "card.issue" : "card.read_test_failed", card_no},
                          [&](ports::Tx& tx) -> Result<Card> {
                            RETURN_IF_ERROR(RequireCardRole(principal));
                            ASSIGN_OR_RETURN(Card card, FindCard(tx, card_no));
                            RETURN_IF_ERROR(RequireCardHandler(principal, card));
                            if (read_check_passed) {
                              RETURN_IF_ERROR(HandOver(tx, context, card, pin_hash));
                              RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kIssue, "读卡检测合格，持卡人签收"));
                              RETURN_IF_ERROR(AddCaseStep(tx, context, card, "issue", "读卡检测合格，已发放"));
                              return card;
                            }
                            // R-APPLY-6: never issued; back to production for re-making.
                            std::string note = "读卡检测不合格，退回重新制卡";
                            for (const auto& problem : problems) note += "；" + problem;
                            RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kReadTestFailed, note));
                            card.batch_no.clear();
                            card.produced_on.reset();
                            card.stocked_on.reset();
                            RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kRemake, "重新制卡"));
                            RETURN_IF_ERROR(AddCaseStep(tx, context, card, "read_test_failed", note));
                            return card;
                          });
}

Result<Card> CardService::ReportBankEvent(const CallContext& context, const BankEvent& event, bool* replayed) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  using domain::BankAccountStatus;
  struct Effect {
    std::string_view event;
    std::vector<BankAccountStatus> from;  // empty: any
    BankAccountStatus to;
  };
  static const std::vector<Effect> kEffects = {
      {"account_activated", {BankAccountStatus::kNotActivated}, BankAccountStatus::kActive},
      {"account_temporary_loss", {BankAccountStatus::kActive, BankAccountStatus::kNotActivated}, BankAccountStatus::kTemporaryLoss},
      {"account_formal_loss", {BankAccountStatus::kActive, BankAccountStatus::kNotActivated, BankAccountStatus::kTemporaryLoss},
       BankAccountStatus::kFormalLoss},
      {"account_loss_lifted", {BankAccountStatus::kTemporaryLoss}, BankAccountStatus::kActive},
      {"account_closed", {}, BankAccountStatus::kClosed},
      {"card_destroyed", {}, BankAccountStatus::kClosed},
  };
  std::string digest = Sha256Hex(event.card_no + "\n" + event.event + "\n" + event.at +
                                (event.account_no.empty() ? "" : "\n" + event.account_no));
  std::string key = "bank:" + principal.org_code + ":" + event.event_id;
  return RunAudited<Card>(store_, context, {"bank." + event.event, event.card_no}, [&](ports::Tx& tx) -> Result<Card> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kBankEvents));
    std::vector<FieldError> problems;
    auto effect = std::find_if(kEffects.begin(), kEffects.end(), [&](const Effect& e) { return e.event == event.event; });
    if (event.event_id.empty() || event.event_id.size() > 64) {
      problems.push_back({"event_id", "REQUIRED", {"请提供银行事件编号", "event_id is required"}, "R-LOSS-3"});
    }
    if (effect == kEffects.end()) {
      problems.push_back({"event", "NOT_AN_OPTION", {"不认识的银行事件", "unknown bank event"}, "R-LOSS-3"});
    }
    if (!event.account_no.empty() &&
        (event.event != "account_activated" || event.account_no.size() < 8 || event.account_no.size() > 32 ||
         !std::all_of(event.account_no.begin(), event.account_no.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
      problems.push_back({"account_no", "BAD_ACCOUNT_NO",
                          {"账号为8至32位数字，只随 account_activated 报告", "account_no: 8 to 32 digits, with account_activated only"},
                          "R-ONE-7"});
    }
    if (!ParseRfc3339(event.at)) {
      problems.push_back({"at", "BAD_TIME", {"时间应为 RFC 3339 格式", "at is an RFC 3339 time"}, "R-LOSS-3"});
    }
    if (!problems.empty()) {
      Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
      error.fields = std::move(problems);
      return Fail(std::move(error));
    }
    ASSIGN_OR_RETURN(auto seen, tx.idempotency().Find(key));
    // Another bank's card answers like no card at all: card numbers are sequential, and a bank
    // must not learn which ones exist elsewhere.
    auto found = FindCard(tx, event.card_no);
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(principal.org_code));
    if (!found || !org || org->bank_code.empty() || org->bank_code != found->bank_code) {
      return Fail(MakeError(ErrorCode::kNOT_FOUND, "本行没有这张卡", "no card of this bank has that number")
                      .WithRule("R-LOSS-3"));
    }
    Card card = std::move(*found);
    if (seen) {
      if (seen->request_digest != digest) return Fail(ErrorCode::kIDEMPOTENCY_KEY_REUSED);
      if (replayed) *replayed = true;
      return card;
    }
    if (!effect->from.empty() && std::find(effect->from.begin(), effect->from.end(), card.bank_account) == effect->from.end()) {
      return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT,
                            fmt::format("银行账户当前为{}，不能{}", domain::BankAccountStatusName(card.bank_account), event.event),
                            fmt::format("the account is {}; {} does not apply", domain::BankAccountStatusName(card.bank_account),
                                        event.event))
                      .WithRule("R-LOSS-3"));
    }
    card.bank_account = effect->to;
    ++card.version;
    RETURN_IF_ERROR(tx.cards().Update(card));
    if (!event.account_no.empty()) RETURN_IF_ERROR(tx.payments().PutAccount(card.card_no, event.account_no, context.now));
    RETURN_IF_ERROR(ReleaseHeldPayments(tx, context, card.person_id));
    RETURN_IF_ERROR(tx.cards().Log({card.card_no, context.now, "bank:" + org->bank_code, org->code, "bank." + event.event,
                                    "银行报告时间 " + event.at + "，事件编号 " + event.event_id}));
    RETURN_IF_ERROR(tx.idempotency().Insert({key, digest, 200, card.card_no, context.now}));
    return card;
  });
}

Result<SweepReport> CardService::Sweep(const CallContext& context, const std::string& action) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kProduction));
  if (action != "seal" && action != "cancel") {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                    .WithField({"action", "NOT_AN_OPTION", {"超期库存卡的处理应为 seal（封存）或 cancel（注销）",
                                                            "action is seal or cancel"}, "R-APPLY-7"}));
  }
  Date today = ChinaDate(context.now);
  Date six_months_ago = domain::SixMonthsBefore(today);
  std::string scope(domain::ScopePrefix(principal.region_code));
  SweepReport report;
  report.action = action;
  // Each chunk is one audited transaction: a crash leaves whole cards done or untouched,
  // and the next run picks up what is left.
  auto sweep = [&](const char* what, ports::CardQuery query, const std::function<Status(ports::Tx&, Card&)>& handle,
                   int& count) -> Status {
    query.region_prefix = scope;
    query.limit = 200;
    std::string next;
    while (true) {
      int handled = 0;
      RETURN_IF_ERROR(RunAudited(store_, context, {std::string("sweep.") + what, FormatDate(today)}, [&](ports::Tx& tx) -> Status {
        handled = 0;
        ASSIGN_OR_RETURN(auto cards, tx.cards().List(query));
        for (Card& card : cards) {
          RETURN_IF_ERROR(handle(tx, card));
          ++handled;
        }
        if (!cards.empty()) next = cards.back().card_no;
        return Ok();
      }));
      count += handled;
      if (handled < query.limit) return Ok();
      query.after_card_no = next;  // in card order: one pass over the table, never a rescan
    }
  };
  // R-APPLY-7: stock held over 6 months is sealed or cancelled, as chosen.
  RETURN_IF_ERROR(sweep("stock", {.statuses = {CardStatus::kInStock}, .stocked_before = six_months_ago},
                        [&](ports::Tx& tx, Card& card) {
                          return Step(tx, context, card, action == "seal" ? CardEvent::kSeal : CardEvent::kCancel,
                                      action == "seal" ? "库存超过6个月，封存" : "库存超过6个月，注销");
                        },
                        report.stock_handled));
  // R-APPLY-8: cards past their 10 years expire, with a renewal notice.
  RETURN_IF_ERROR(sweep("expiry", {.statuses = {CardStatus::kIssued, CardStatus::kActive},
                                   .expires_before = Date{std::chrono::sys_days(today) + std::chrono::days(1)}},
                        [&](ports::Tx& tx, Card& card) -> Status {
                          RETURN_IF_ERROR(Step(tx, context, card, CardEvent::kExpire, "有效期已满"));
                          if (card.notice == "expiry") return Ok();
                          card.notice = "expiry";
                          ++card.version;
                          RETURN_IF_ERROR(tx.cards().Update(card));
                          return Notify(tx, context, card, "card_expired",
                                        fmt::format("您的社会保障卡（卡号尾号{}）已到期，请办理换领。", card.card_no.substr(card.card_no.size() - 4)));
                        },
                        report.expired));
  // The renewal window: one notice per card.
  RETURN_IF_ERROR(sweep("renewal_notice",
                        {.statuses = {CardStatus::kIssued, CardStatus::kActive},
                         .expires_before = Date{std::chrono::sys_days(today) + std::chrono::days(domain::kRenewalWindowDays + 1)},
                         .notice_not = "expiry"},
                        [&](ports::Tx& tx, Card& card) -> Status {
                          card.notice = "expiry";
                          ++card.version;
                          RETURN_IF_ERROR(tx.cards().Update(card));
                          RETURN_IF_ERROR(tx.cards().Log({card.card_no, context.now, context.Actor(), context.OrgCode(),
                                                          "notice.expiry", "有效期将于" + FormatDate(*card.expires_on) + "届满，已通知换领"}));
                          return Notify(tx, context, card, "renewal_due",
                                        fmt::format("您的社会保障卡将于{}到期，请及时办理换领。", FormatDate(*card.expires_on)));
                        },
                        report.renewal_notices));
  // R-REPL-1 / R-ID-5: a child card without photo is renewed once the holder turns 7.
  RETURN_IF_ERROR(sweep("child_notice",
                        {.statuses = {CardStatus::kIssued, CardStatus::kActive}, .photo_due_by = today, .notice_not = "child_7"},
                        [&](ports::Tx& tx, Card& card) -> Status {
                          card.notice = "child_7";
                          ++card.version;
                          RETURN_IF_ERROR(tx.cards().Update(card));
                          RETURN_IF_ERROR(tx.cards().Log({card.card_no, context.now, context.Actor(), context.OrgCode(),
                                                          "notice.child_7", "持卡人已满7周岁，已通知换领有照片的卡"}));
                          return Notify(tx, context, card, "child_turns_7",
                                        "持卡人已满7周岁，请携带照片办理社会保障卡换领。");
                        },
                        report.child_notices));
  // R-APPLY-7: sleeping cards — made over 6 months ago and never handed on — are listed
  // for return to the org; the list is the province's regular report.
  ASSIGN_OR_RETURN(auto sleeping, ports::Transact<std::vector<Card>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
                     return tx.cards().List({.statuses = {CardStatus::kProduced, CardStatus::kMailed},
                                             .region_prefix = scope,
                                             .produced_before = six_months_ago,
                                             .limit = 10000});
                   }));
  for (const Card& card : sleeping) report.sleeping.push_back(card.card_no);
  return report;
}

Result<CardView> CardService::Get(const CallContext& context, const std::string& card_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  // A cooperative bank's system reads its own cards only; staff read the cards of their subtree.
  bool bank_only = !principal.Has(Permission::kReadCards) && principal.Has(Permission::kBankEvents);
  if (!bank_only) RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCards));
  return ports::Transact<CardView>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<CardView> {
    auto found = FindCard(tx, card_no);
    if (!found) return Fail(ErrorCode::kNOT_FOUND);
    Card card = std::move(*found);
    if (bank_only) {
      ASSIGN_OR_RETURN(auto bank, tx.orgs().Find(principal.org_code));
      if (!bank || bank->bank_code.empty() || bank->bank_code != card.bank_code) return Fail(ErrorCode::kNOT_FOUND);
    } else if (card.org_code != principal.org_code) {
      // Staff read the cards of their subtree, and the cards their own org holds (a pickup
      // from another county).
      RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kReadCards, card.region_code));
    }
    CardView view{card, false, {}, {}};
    ASSIGN_OR_RETURN(auto pin, tx.pins().Find(card_no));
    view.pin_locked = pin && pin->state.locked;
    ASSIGN_OR_RETURN(view.case_steps, tx.cases().Steps(card.case_no));
    ASSIGN_OR_RETURN(view.history, tx.cards().History(card_no));
    return view;
  });
}

Result<Verification> CardService::Verify(const CallContext& context, const std::string& card_no,
                                         Credential credential, const OneTimeUse* once,
                                         const std::optional<std::vector<domain::PartnerField>>& requested) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  bool ecard = credential == Credential::kECard;
  return RunAudited<Verification>(
      store_, context, {"card.verify", card_no}, [&](ports::Tx& tx) -> Result<Verification> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kVerifyCard));
        ASSIGN_OR_RETURN(domain::PartnerProfile profile, LoadPartnerProfile(tx, principal.org_code));
        ASSIGN_OR_RETURN(std::vector<domain::PartnerField> fields,
                         domain::FieldsToShare(profile, principal.Has(Permission::kShareHolderData), requested));
        // Refused before the credential is spent: the holder may present it again.
        if (auto wait = partner_quota_.Hit(principal.org_code, {profile.verifications_per_minute, std::chrono::minutes(1)},
                                           context.now)) {
          Error error = MakeError(ErrorCode::kRATE_LIMITED, "本部门每分钟核验次数已达上限", "this partner's verifications a minute are used up")
                            .WithRule("R-ONE-6");
          error.retry_after_seconds = *wait;
          return Fail(std::move(error));
        }
        if (once) {
          // One commit for the nonce and the audit row; now and then the expired nonces go.
          if (RandomBytes(1)[0] == 0) RETURN_IF_ERROR(tx.credentials().Purge(context.now));
          ASSIGN_OR_RETURN(bool fresh, tx.credentials().UseOnce(once->nonce, once->expires_at));
          if (!fresh) return Fail(MakeError(ErrorCode::kCREDENTIAL_REPLAYED).WithRule("R-ONE-6"));
        }
        ASSIGN_OR_RETURN(auto card, tx.cards().Find(card_no));
        if (!card || (ecard && card->ecard_no != "E" + card_no)) {
          return Fail(ErrorCode::kNOT_FOUND, "没有这张社会保障卡", "no such card");
        }
        ASSIGN_OR_RETURN(auto holder, tx.persons().FindById(card->person_id));
        if (!holder) return Fail(ErrorCode::kNOT_FOUND, "没有这张社会保障卡", "no such card");
        Verification verification;
        verification.verdict = domain::VerifyCredential(*card, ecard, ChinaDate(context.now));
        verification.purpose = profile.purpose;
        ASSIGN_OR_RETURN(auto revoked, tx.citizens().RevokedPartners(holder->id));
        bool withdrawn = std::find(revoked.begin(), revoked.end(), principal.org_code) != revoked.end();
        verification.verdict_only = !verification.verdict.valid || withdrawn;
        if (!verification.verdict_only) {
          verification.shared = std::move(fields);
          verification.projection = domain::ProjectForPartner(verification.shared, *card, *holder);
        }
        return verification;
      });
}

Result<domain::Person> CardService::GetPerson(const CallContext& context, const std::string& id_number, bool unmask) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCards));
  std::string normalized = domain::NormalizeIdNumber(id_number);
  auto find = [&](ports::Tx& tx) -> Result<domain::Person> {
    // Inside the audited transaction: a refused unmasking leaves its trace too.
    if (unmask) RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kUnmaskPersonalData));
    ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(normalized));
    if (!person) return Fail(ErrorCode::kNOT_FOUND);
    // Visible where the person lives or where one of their cards was applied for; anywhere
    // else the answer is the one for an unknown number (no existence oracle).
    bool visible = domain::RegionContains(principal.region_code, person->region_code);
    if (!visible) {
      ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person->id));
      for (const Card& card : cards) visible = visible || SeesCard(principal, card);
    }
    if (!visible) return Fail(ErrorCode::kNOT_FOUND);
    return *person;
  };
  if (!unmask) return ports::Transact<domain::Person>(store_, ports::TxMode::kRead, find);
  // R-SEC-2/3: seeing personal data in full is a use of it, and leaves its trace.
  ASSIGN_OR_RETURN(std::string person_id, ports::Transact<std::string>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::string> {
                     auto person = tx.persons().FindByIdNumber(normalized);
                     if (!person || !*person) return std::string("unknown");
                     return (*person)->id;
                   }));
  return RunAudited<domain::Person>(store_, context, {"person.unmask", person_id}, find);
}

Result<std::vector<Card>> CardService::ListForPerson(const CallContext& context, const std::string& id_number) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCards));
  return ports::Transact<std::vector<Card>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<Card>> {
    std::string normalized = domain::NormalizeIdNumber(id_number);
    ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(normalized));
    if (!person) return Fail(ErrorCode::kNOT_FOUND);
    ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person->id));
    std::vector<Card> visible;
    for (Card& card : cards) {
      if (SeesCard(principal, card)) visible.push_back(std::move(card));
    }
    bool lives_here = domain::RegionContains(principal.region_code, person->region_code);
    if (visible.empty() && !lives_here) return Fail(ErrorCode::kNOT_FOUND);
    return visible;
  });
}

}  // namespace sscard::app
