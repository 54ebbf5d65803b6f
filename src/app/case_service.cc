#include "app/case_service.h"

#include <fmt/format.h>

#include "app/admin_service.h"
#include "app/audited.h"
#include "app/idempotency.h"
#include "app/payment_service.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "domain/bundle.h"
#include "domain/id_document.h"
#include "domain/name.h"
#include "domain/pension.h"
#include "domain/redact.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sscard::app {

using domain::Case;
using domain::CaseStatus;
using domain::Permission;

CaseService::CaseService(ports::Store& store, const domain::Catalog& catalog,
                         const domain::WorkingCalendar& calendar, PasswordCost pin_cost,
                         domain::EligibilityPolicy eligibility)
    : store_(store), catalog_(catalog), calendar_(calendar), pin_cost_(pin_cost), pins_(store, pin_cost),
      eligibility_(std::move(eligibility)) {}

namespace {

bool IsPinOperation(const std::string& operation) {
  return operation == "change_pin" || operation == "reset_pin" || operation == "unlock_pin";
}

constexpr std::string_view kApplyItem = "002014010001";
constexpr std::string_view kReplacementItem = "002014010008";
constexpr std::string_view kCancelItem = "002014010009";
constexpr std::string_view kPensionItem = "002014019901";
constexpr std::string_view kInfoItem = "002014010004";

std::string FormValue(const Case& record, const char* key) {
  auto found = record.form.find(key);
  return found == record.form.end() ? std::string() : found->second;
}

// A card that was handed over at some time and is not yet replaced or cancelled.
bool HandedOver(domain::CardStatus status) {
  using domain::CardStatus;
  return status == CardStatus::kIssued || status == CardStatus::kActive || status == CardStatus::kTemporaryLoss ||
         status == CardStatus::kFormalLoss || status == CardStatus::kExpired;
}

Status LogCard(ports::Tx& tx, const CallContext& context, const domain::Card& card, const std::string& event,
               const std::string& note) {
  return tx.cards().Log({card.card_no, context.now, context.Actor(), context.OrgCode(), event, note});
}

}  // namespace

Result<PinChange> CaseService::PreparePin(const domain::IntakeRequest& request, Date today,
                                          std::vector<FieldError>& problems) {
  PinChange change;
  auto value = [&](const char* key) {
    auto found = request.form.find(key);
    return found == request.form.end() ? std::string() : found->second;
  };
  domain::PinContext pin_context;
  pin_context.phone = request.applicant.phone;
  pin_context.id_number = request.applicant.id_number;
  if (auto type = domain::ParseIdType(request.applicant.id_type)) {
    pin_context.birth_date = domain::CheckIdNumber(*type, request.applicant.id_number, today).birth_date;
  }
  for (FieldError problem : domain::CheckPin(value("new_pin"), pin_context)) {
    problem.field = "form.new_pin";
    problems.push_back(std::move(problem));
  }
  if (!problems.empty()) return change;
  if (request.operation == "change_pin") {
    // R-PIN-3: the current PIN is checked, and a wrong one counts, before anything changes.
    ASSIGN_OR_RETURN(std::string card_no, ports::Transact<std::string>(
                                              store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::string> {
                                                std::string id_number = domain::NormalizeIdNumber(request.applicant.id_number);
                                                ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(id_number));
                                                if (!person) return std::string();
                                                ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person->id));
                                                for (const auto& card : cards) {
                                                  if (domain::IsValidCard(card.status)) return card.card_no;
                                                }
                                                return std::string();
                                              }));
    if (card_no.empty()) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-PIN-3"));
    auto stored_hash = [&]() -> Result<std::string> {
      return ports::Transact<std::string>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::string> {
        ASSIGN_OR_RETURN(auto record, tx.pins().Find(card_no));
        return record ? record->pin_hash : std::string();
      });
    };
    ASSIGN_OR_RETURN(change.verified_hash, stored_hash());
    ASSIGN_OR_RETURN(PinOutcome outcome, pins_.Verify(card_no, value("old_pin")));
    if (outcome == PinOutcome::kWrong) return Fail(MakeError(ErrorCode::kPIN_WRONG).WithRule("R-PIN-3"));
    if (outcome == PinOutcome::kLocked) return Fail(MakeError(ErrorCode::kPIN_LOCKED).WithRule("R-PIN-3"));
    // The PIN verified must be the one stored before the check began (no change in between).
    ASSIGN_OR_RETURN(std::string after, stored_hash());
    if (after != change.verified_hash) return Fail(MakeError(ErrorCode::kPIN_WRONG).WithRule("R-PIN-3"));
  }
  change.new_hash = HashPassword(value("new_pin"), pin_cost_);
  return change;
}

Result<std::string> CaseService::ReviewingOrgFor(ports::Tx& tx, const domain::Org& accepting) {
  // R-CAT-2: a county-level org reviews; an org at county level or above reviews its own.
  if (accepting.level != domain::OrgLevel::kTown) return accepting.code;
  ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(domain::CountyOf(accepting.region_code)));
  for (const domain::Org& org : orgs) {
    if (org.level == domain::OrgLevel::kCounty && org.type == domain::OrgType::kHrssHall && org.active) {
      return org.code;
    }
  }
  return Fail(MakeError(ErrorCode::kNO_REVIEWING_ORG).WithRule("R-CAT-2"));
}

// R-ONE-8: a citizen's own case, online; the applicant is the signed-in citizen, whatever the
// request says, and the real-name account and shared data stand for the document and photo.
Status CaseService::ActAsCitizen(ports::Tx& tx, const domain::Principal& principal, domain::IntakeRequest& request) const {
  ASSIGN_OR_RETURN(auto person, tx.persons().FindById(principal.person_id));
  if (!person) return Fail(ErrorCode::kUNAUTHENTICATED);
  request.channel = domain::Channel::kOnline;
  request.agent.reset();
  request.opinion.clear();  // the handling opinion is the window's, never the applicant's
  request.applicant.id_type = std::string(domain::IdTypeName(person->id_type));
  request.applicant.id_number = person->id_number;
  request.applicant.name = person->name;
  if (request.applicant.phone.empty()) request.applicant.phone = person->phone;
  auto form_value = [&](const char* key) {
    auto found = request.form.find(key);
    return found == request.form.end() ? std::string() : found->second;
  };
  for (auto [field, known, key] : {std::tuple{&request.applicant.household_address, &person->household_address, "household_address"},
                                   std::tuple{&request.applicant.residence_address, &person->residence_address, "residence_address"},
                                   std::tuple{&request.applicant.ethnicity, &person->ethnicity, "ethnicity"}}) {
    if (field->empty()) *field = !known->empty() ? *known : form_value(key);
  }
  // What the real-name account and shared data stand for (R-ONE-8, R-BUNDLE-5), unless given.
  const domain::CatalogItem* wanted = catalog_.Find(request.item);
  for (const domain::Material& material : wanted ? wanted->materials : std::vector<domain::Material>{}) {
    bool given = std::any_of(request.materials.begin(), request.materials.end(),
                             [&](const domain::MaterialRef& ref) { return ref.name == material.name; });
    if (given || !material.required) continue;
    if (domain::IsAccountVerifiedMaterial(material.name)) request.materials.push_back({material.name, "account", ""});
    if (domain::IsSharedDataMaterial(material.name) && material.when.empty()) {
      request.materials.push_back({material.name, "shared", ""});
    }
  }
  return Ok();
}

Result<IntakeResult> CaseService::Intake(const CallContext& context, const domain::IntakeRequest& asked,
                                         const std::string& idempotency_key, const std::string& request_digest) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  domain::IntakeRequest request = asked;
  if (principal.IsCitizen()) {
    RETURN_IF_ERROR(store_.Run(ports::TxMode::kRead, [&](ports::Tx& tx) { return ActAsCitizen(tx, principal, request); }));
  } else {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kIntake));
  }
  std::string scoped_key = idempotency_key.empty() ? "" : principal.username + ":" + idempotency_key;
  // A retry after a timeout: the first answer again, never a second case.
  CreateOnce<IntakeResult> once(store_, scoped_key, request_digest,
                                [](ports::Tx& tx, const std::string& case_no) -> Result<std::optional<IntakeResult>> {
                                  ASSIGN_OR_RETURN(auto first, tx.cases().Find(case_no));
                                  if (!first) return std::optional<IntakeResult>();
                                  return std::optional<IntakeResult>(IntakeResult{std::move(*first), true});
                                });
  ASSIGN_OR_RETURN(auto seen, once.Replay());
  if (seen) return std::move(*seen);
  const domain::CatalogItem* item = catalog_.Find(request.item);
  if (!item) {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                    .WithField({"item", "UNKNOWN_ITEM", {"事项编码不存在", "no such catalog item"}, "R-CAT-1"}));
  }
  Date today = ChinaDate(context.now);
  std::vector<FieldError> pin_problems;
  PinChange pin_change;
  if (IsPinOperation(request.operation)) {
    ASSIGN_OR_RETURN(pin_change, PreparePin(request, today, pin_problems));
  }
  // Where writers run concurrently (PostgreSQL SERIALIZABLE), the case number is drawn in a
  // short transaction of its own once the form is complete: the per-county daily counter is
  // the one row every intake of a county writes, and keeping it out of the long transaction
  // keeps concurrent intakes from colliding on it. Numbers are never reused; a case refused
  // later by a rule leaves a gap. Where writers run one at a time (SQLite) the counter stays
  // inside: a second commit would only cost another fsync.
  std::optional<int> serial;
  bool separate_serial = !store_.SerializesWriters();
  ASSIGN_OR_RETURN(bool complete, ports::Transact<bool>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<bool> {
                     if (!separate_serial) return false;
                     ASSIGN_OR_RETURN(auto accepting, tx.orgs().Find(principal.org_code));
                     if (!accepting) return false;
                     domain::IntakeCheck check = CheckIn(tx, *item, request, *accepting, today);
                     return !check.refusal && check.problems.empty() && pin_problems.empty();
                   }));
  if (complete) {
    ASSIGN_OR_RETURN(serial, ports::Transact<int>(store_, ports::TxMode::kWrite, [&](ports::Tx& tx) {
                       return tx.cases().NextSerial(domain::CountyOf(principal.region_code), today);
                     }));
  }
  AuditTarget what{"case.intake", "new"};
  return once.Run(
      context, what,
      [&](ports::Tx& tx) -> Result<IntakeResult> {
        ASSIGN_OR_RETURN(Case record, Accept(tx, context, principal, *item, request, pin_change, pin_problems, serial));
        what.target = record.case_no;
        return IntakeResult{std::move(record), false};
      },
      [](const IntakeResult& result) { return result.record.case_no; });
}

domain::IntakeCheck CaseService::CheckIn(ports::Tx& tx, const domain::CatalogItem& item,
                                         const domain::IntakeRequest& request, const domain::Org& accepting,
                                         Date today) {
  return domain::CheckIntake(item, request, accepting, today, [&tx](const std::string& id) {
    auto file = tx.files().Find(id, false);
    return file && file->has_value();
  });
}

Result<Case> CaseService::Accept(ports::Tx& tx, const CallContext& context, const domain::Principal& principal,
                                 const domain::CatalogItem& catalog_item, const domain::IntakeRequest& request,
                                 const PinChange& pin_change, const std::vector<FieldError>& pin_problems,
                                 std::optional<int> serial) {
  const domain::CatalogItem* item = &catalog_item;
  Date today = ChinaDate(context.now);
  ASSIGN_OR_RETURN(auto accepting, tx.orgs().Find(principal.org_code));
  if (!accepting) return Fail(ErrorCode::kUNKNOWN_ORG);
  domain::IntakeCheck check = CheckIn(tx, *item, request, *accepting, today);
  if (check.refusal) return Fail(*check.refusal);
  check.problems.insert(check.problems.end(), pin_problems.begin(), pin_problems.end());
  if (!check.problems.empty()) {
    Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
    error.fields = check.problems;
    return Fail(std::move(error));
  }
  if (request.delivery.method == "pickup" && !request.delivery.org_code.empty()) {
    // R-APPLY-9 / R-ACCEPT-2: the card goes to an org that exists and hands cards over.
    ASSIGN_OR_RETURN(auto pickup, tx.orgs().Find(request.delivery.org_code));
    if (!pickup || pickup->type == domain::OrgType::kCardCentre || pickup->type == domain::OrgType::kPartner) {
      return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                      .WithField({"delivery.org_code", "UNKNOWN_PICKUP_ORG",
                                  {"领卡网点不存在或不能发卡，请选择人社服务大厅、便民服务中心或合作银行网点",
                                   "the pickup org does not exist or does not hand out cards"},
                                  "R-APPLY-9"})
                      .WithRule("R-APPLY-9"));
    }
  }
  std::string id_number = check.applicant_id.normalized;
  ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(id_number));
  ASSIGN_OR_RETURN(auto registered, tx.registry().Find(id_number));
  if (registered && !registered->other_documents.empty()) {
    // R-ID-1: an HK/Macau or Taiwan resident who also holds the residence permit uses it.
    domain::IdType presented = domain::ParseIdType(request.applicant.id_type).value_or(domain::IdType::kResidentId);
    std::vector<domain::IdType> held = registered->other_documents;
    held.insert(held.begin(), presented);
    domain::IdType preferred = domain::PreferredDocument(held);
    if (preferred != presented) {
      std::string name(domain::IdTypeName(preferred));
      return Fail(MakeError(ErrorCode::kDOCUMENT_NOT_PREFERRED)
                      .WithField({"applicant.id_type", "RESIDENCE_PERMIT_REQUIRED",
                                  {"该人员持有居住证，须以居住证（" + name + "）办理",
                                   "the person holds a residence permit (" + name + ") and must use it"},
                                  "R-ID-1"})
                      .WithRule("R-ID-1"));
    }
  }
  bool applying = item->code == "002014010001";
  if (applying) {
    // R-ID-8: compare with the population registry where it knows the person.
    domain::Person candidate = person.value_or(domain::Person{});
    candidate.id_number = id_number;
    candidate.name = request.applicant.name;
    candidate.sex = check.applicant_id.sex;
    candidate.birth_date = check.birth_date;
    if (registered) {
      auto differences = domain::CompareWithRegistry(candidate, *registered);
      if (!differences.empty()) {
        Error error = MakeError(ErrorCode::kREGISTRY_MISMATCH).WithRule("R-ID-8");
        error.fields = std::move(differences);
        return Fail(std::move(error));
      }
    }
    if (!person) {
      candidate.id = NewSortableId(context.now);
      candidate.id_type = domain::ParseIdType(request.applicant.id_type).value_or(domain::IdType::kResidentId);
      candidate.phone = request.applicant.phone;
      candidate.ethnicity = request.applicant.ethnicity;
      candidate.household_address = request.applicant.household_address;
      candidate.residence_address = request.applicant.residence_address;
      candidate.region_code = check.applicant_id.region_code;
      // R-ID-4: what the form collected beyond the basic information.
      auto form_value = [&](const char* key) {
        auto found = request.form.find(key);
        return found == request.form.end() ? std::string() : found->second;
      };
      if (candidate.ethnicity.empty()) candidate.ethnicity = form_value("ethnicity");
      if (!form_value("nationality").empty()) candidate.nationality = form_value("nationality");
      candidate.occupation = form_value("occupation");
      if (candidate.residence_address.empty()) candidate.residence_address = form_value("residence_address");
      candidate.id_valid_from = ParseDate(form_value("id_valid_from"));
      candidate.id_valid_to = ParseDate(form_value("id_valid_to"));
      candidate.created_at = context.now;
      RETURN_IF_ERROR(tx.persons().Insert(candidate));
      person = candidate;
    }
  }
  if (!person) return Fail(MakeError(ErrorCode::kPERSON_NOT_FOUND).WithRule("R-INFO-3"));
  ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person->id));
  auto valid = std::find_if(cards.begin(), cards.end(), [](const domain::Card& card) {
    return domain::IsValidCard(card.status) && card.status != domain::CardStatus::kPendingReview;
  });

  Case record;
  if (!serial || accepting->region_code != principal.region_code) {
    ASSIGN_OR_RETURN(serial, tx.cases().NextSerial(domain::CountyOf(accepting->region_code), today));
  }
  record.case_no = domain::FormatCaseNo(accepting->region_code, today, *serial);
  record.item = item->code;
  record.operation = request.operation;
  record.channel = request.channel;
  record.person_id = person->id;
  record.applicant = request.applicant;
  record.applicant.id_number = id_number;
  record.agent = request.agent;
  record.form = request.form;
  record.form.erase("old_pin");  // PINs are never stored with the case
  record.form.erase("new_pin");
  record.materials = request.materials;
  record.delivery = request.delivery;
  record.opinion = domain::MaskPersonalNumbers(request.opinion);
  record.accepting_org = accepting->code;
  record.region_code = accepting->region_code;
  record.accepted_by = principal.username;
  record.rare_name = check.rare_name;
  record.created_at = record.updated_at = context.now;
  std::string note = request.channel == domain::Channel::kDirect ? "管理系统直接办理（受理平台不可用）" : "";
  record.steps.push_back({context.now, principal.username, accepting->code, "accept", note});
  RETURN_IF_ERROR(CheckCardCase(tx, context, check, *accepting, *person, cards, record));
  if (item->code == kApplyItem || item->code == kReplacementItem) {
    // After the card-case rules (R-ID-6 first: no photo makes a second card possible).
    ASSIGN_OR_RETURN(std::string photo_id, DigitalPhoto(tx, request, check, today));
    if (!photo_id.empty() && person->photo_file_id != photo_id) {
      // R-ID-5: the newest checked photo is the one the next card carries (a renewal at 7, a
      // reissue with a new photo); the factory file names it.
      person->photo_file_id = photo_id;
      ++person->version;
      RETURN_IF_ERROR(tx.persons().Update(*person));
    }
  }
  if (item->HandlingOf(request.operation) == domain::Handling::kCommitment) {
    record.status = CaseStatus::kPendingReview;
    ASSIGN_OR_RETURN(record.reviewing_org, ReviewingOrgFor(tx, *accepting));
    record.due_on = calendar_.AddWorkingDays(today, item->promised_limit_days);
  } else {
    // R-ACCEPT-3: instant cases are handled at intake, with the result on the spot.
    if (valid != cards.end()) record.card_no = valid->card_no;
    ASSIGN_OR_RETURN(record.result,
                     HandleInstant(tx, context, record, valid == cards.end() ? nullptr : &*valid, pin_change));
    record.status = CaseStatus::kCompleted;
    record.due_on = today;
    record.steps.push_back({context.now, principal.username, accepting->code, "complete", ""});
  }
  RETURN_IF_ERROR(tx.cases().Insert(record));
  RETURN_IF_ERROR(tx.outbox().Enqueue(
      {NewSortableId(context.now), "case_accepted", record.case_no, record.person_id,
       record.status == CaseStatus::kCompleted
           ? fmt::format("您申请的{}已办结，办件编号{}。", item->name, record.case_no)
           : fmt::format("您申请的{}已受理，办件编号{}，承诺于{}前办结。", item->name, record.case_no,
                         FormatDate(*record.due_on)),
       0, context.now, std::nullopt, context.now}));
  return record;
}

Result<std::string> CaseService::HandleInstant(ports::Tx& tx, const CallContext& context, Case& record,
                                               const domain::Card* card, const PinChange& pin) {
  using domain::CardEvent;
  using domain::CardStatus;
  const std::string& operation = record.operation;
  const std::string& person_id = record.person_id;
  if (operation == "query") {
    if (!card) return std::string("暂无有效社会保障卡记录");
    // R-INFO-3: card status and production progress.
    std::string progress = card->batch_no.empty() ? "" : "，制卡批次" + card->batch_no;
    if (card->produced_on) progress += "，" + FormatDate(*card->produced_on) + "制成";
    if (card->status == CardStatus::kInStock) progress += "，已到领卡网点待领取";
    if (card->status == CardStatus::kMailed) progress += "，已邮寄（邮件号" + card->tracking_no + "）";
    return fmt::format("卡号{}，卡状态：{}{}{}", card->card_no, domain::CardStatusLabel(card->status), progress,
                       card->expires_on ? "，有效期至" + FormatDate(*card->expires_on) : "");
  }
  if (!card) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-ACCEPT-3"));
  if (operation == "change_basic") {
    // R-INFO-2: non-key data changes at the window or online, without a new card.
    ASSIGN_OR_RETURN(auto person, tx.persons().FindById(person_id));
    if (!person) return Fail(MakeError(ErrorCode::kPERSON_NOT_FOUND).WithRule("R-INFO-2"));
    auto set = [&](const char* key, std::string& field) {
      if (auto found = record.form.find(key); found != record.form.end() && !found->second.empty()) field = found->second;
    };
    set("phone", person->phone);
    set("ethnicity", person->ethnicity);
    set("residence_address", person->residence_address);
    set("household_address", person->household_address);
    if (auto found = record.form.find("id_valid_to"); found != record.form.end() && !found->second.empty()) {
      person->id_valid_to = ParseDate(found->second);
    }
    ++person->version;
    RETURN_IF_ERROR(tx.persons().Update(*person));
    return std::string("非关键信息已变更，无需换卡");
  }
  if (IsPinOperation(operation)) {
    // R-PIN-1/3: the social-security PIN of a card in use; reset and unlock clear the lock.
    if (card->status != CardStatus::kIssued && card->status != CardStatus::kActive) {
      return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT).WithRule("R-PIN-3"));
    }
    if (operation == "change_pin") {
      // In the case's own transaction: the stored PIN is still the one the holder proved.
      ASSIGN_OR_RETURN(auto current, tx.pins().Find(card->card_no));
      if (!current || current->pin_hash != pin.verified_hash) {
        return Fail(MakeError(ErrorCode::kPIN_WRONG).WithRule("R-PIN-3"));
      }
    }
    RETURN_IF_ERROR(tx.pins().Put(card->card_no, pin.new_hash, false));
    static const std::map<std::string, std::string> kPinDone = {
        {"change_pin", "社会保障功能密码已修改"}, {"reset_pin", "社会保障功能密码已重置"}, {"unlock_pin", "社会保障功能密码已解锁"}};
    return fmt::format("{}，卡号{}", kPinDone.at(operation), card->card_no);
  }
  std::optional<CardEvent> event;
  if (operation == "activate") event = CardEvent::kActivate;
  if (operation == "temporary_loss") event = CardEvent::kTemporaryLoss;
  if (operation == "formal_loss") event = CardEvent::kFormalLoss;
  if (operation == "cancel_loss") event = CardEvent::kCancelLoss;
  if (!event) return Fail(ErrorCode::kOPERATION_NOT_AVAILABLE);
  if (*event == CardEvent::kActivate) {
    if (FormValue(record, "authorised") != "true") {
      return Fail(MakeError(ErrorCode::kHOLDER_NOT_AUTHORISED).WithRule("R-ACT-1"));
    }
  }
  domain::Card changed = *card;
  ASSIGN_OR_RETURN(changed.status, domain::NextCardStatus(card->status, *event, card->Facts()));
  if (*event == CardEvent::kActivate) changed.activated = true;
  ++changed.version;
  RETURN_IF_ERROR(tx.cards().Update(changed));
  // R-ONE-7: payments held while the card was lost go to it once the loss is lifted.
  if (*event == CardEvent::kCancelLoss) RETURN_IF_ERROR(ReleaseHeldPayments(tx, context, changed.person_id));
  RETURN_IF_ERROR(LogCard(tx, context, changed, operation, "办件" + record.case_no));
  static const std::map<std::string, std::string> kDone = {{"activate", "社会保障功能已启用"},
                                                           {"temporary_loss", "已临时挂失"},
                                                           {"formal_loss", "已正式挂失"},
                                                           {"cancel_loss", "已解除挂失"}};
  return fmt::format("{}，卡号{}", kDone.at(operation), changed.card_no);
}

Result<Case> CaseService::Decide(const CallContext& context, const std::string& case_no, const std::string& action,
                                 std::optional<int64_t> expected_version,
                                 const std::function<Status(Case&, const domain::Principal&, ports::Tx&)>& change) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<Case>(store_, context, {"case." + action, case_no}, [&](ports::Tx& tx) -> Result<Case> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReview));
    ASSIGN_OR_RETURN(auto record, tx.cases().Find(case_no));
    if (!record) return Fail(ErrorCode::kNOT_FOUND);
    RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kReview, record->region_code));
    if (expected_version && *expected_version != record->version) {
      return Fail(ErrorCode::kVERSION_MISMATCH,
                  fmt::format("办件已被修改（当前版本{}），请刷新后重试", record->version),
                  fmt::format("the case is at version {}; reload and retry", record->version));
    }
    RETURN_IF_ERROR(change(*record, principal, tx));
    record->updated_at = context.now;
    ++record->version;
    RETURN_IF_ERROR(tx.cases().Update(*record));
    const domain::CatalogItem* item = catalog_.Find(record->item);
    std::string item_name = item ? item->name : record->item;
    std::string text;
    if (record->status == CaseStatus::kApproved) {
      text = fmt::format("您申请的{}（办件编号{}）已审核通过。", item_name, case_no);
      if (record->result != "审核通过") text += record->result;
    } else if (record->status == CaseStatus::kRejected) {
      text = fmt::format("您申请的{}（办件编号{}）未通过审核，原因：{}", item_name, case_no, record->reason);
    } else if (record->status == CaseStatus::kWithdrawn) {
      text = fmt::format("您申请的{}（办件编号{}）已撤销，原因：{}", item_name, case_no, record->reason);
    } else if (record->status == CaseStatus::kSuspended) {
      text = fmt::format("您申请的{}（办件编号{}）需补充材料：{}", item_name, case_no, record->reason);
    }
    if (!text.empty()) {
      RETURN_IF_ERROR(tx.outbox().Enqueue({NewSortableId(context.now), "case_" + action, case_no, record->person_id,
                                           text, 0, context.now, std::nullopt, context.now}));
    }
    return *record;
  });
}

namespace {

Status NeedReason(const std::string& reason, const char* rule) {
  if (!reason.empty()) return Ok();
  return Fail(MakeError(ErrorCode::kREJECT_REASON_REQUIRED)
                  .WithField({"reason", "REQUIRED", {"请填写理由", "a reason is required"}, rule}));
}

}  // namespace

Result<Case> CaseService::Review(const CallContext& context, const std::string& case_no, const ReviewDecision& decision,
                                 std::optional<int64_t> expected_version) {
  bool approve = decision.approve;
  const std::string reason = domain::MaskPersonalNumbers(decision.reason);
  return Decide(context, case_no, approve ? "approve" : "reject", expected_version, [&](Case& record, const domain::Principal& principal, ports::Tx& tx) -> Status {
    if (record.accepted_by == principal.username) {
      return Fail(MakeError(ErrorCode::kREVIEW_OWN_CASE).WithRule("R-CAT-2"));
    }
    if (!approve) RETURN_IF_ERROR(NeedReason(reason, "R-CANCEL-2"));
    ASSIGN_OR_RETURN(record.status, domain::NextCaseStatus(record.status, approve ? domain::CaseEvent::kApprove
                                                                                  : domain::CaseEvent::kReject));
    record.result = approve ? "审核通过" : "已驳回";
    record.reason = reason;
    record.steps.push_back({context.now, principal.username, principal.org_code, approve ? "approve" : "reject", reason});
    if (!approve) return ReleaseReplacement(tx, context, record);
    if (record.item == kApplyItem) {
      // The approved application becomes a card waiting for production (R-APPLY-3/4).
      ASSIGN_OR_RETURN(domain::Card card, MakeCard(tx, context, record, nullptr));
      record.card_no = card.card_no;
    } else if (record.item == kReplacementItem) {
      ASSIGN_OR_RETURN(auto old, tx.cards().Find(record.card_no));
      if (!old) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-REPL-1"));
      ASSIGN_OR_RETURN(domain::Card card, MakeCard(tx, context, record, &*old));
      record.card_no = card.card_no;
      record.result = "审核通过，新卡" + card.card_no + "待制卡";
    } else if (record.item == kCancelItem) {
      // R-CANCEL-2: the insured relation is closed — by the insurance system's status file
      // where it knows the person (it overrules the reviewer's tick), else as the reviewer
      // checked it; no other business may be open.
      ASSIGN_OR_RETURN(auto holder, tx.persons().FindById(record.person_id));
      std::optional<domain::InsuredStatus> insured;
      if (holder) {
        ASSIGN_OR_RETURN(insured, tx.registry().FindInsured(holder->id_number));
      }
      if (insured && insured->open) {
        return Fail(MakeError(ErrorCode::kINSURED_STATUS_OPEN,
                              "参保系统记录（截至" + FormatDate(insured->as_of) + "）该人员参保关系未终止，不能注销",
                              "the insurance system's file (as of " + FormatDate(insured->as_of) +
                                  ") has the insured relation open")
                        .WithRule("R-CANCEL-2"));
      }
      if (!decision.insured_closed && !insured) {
        return Fail(MakeError(ErrorCode::kINSURED_STATUS_OPEN, "须核实参保关系已终止后方可批准注销",
                              "approve a cancellation only after checking the insured status is closed")
                        .WithRule("R-CANCEL-2"));
      }
      ASSIGN_OR_RETURN(auto open, tx.cases().List({.person_id = record.person_id, .open_only = true, .limit = 2}));
      for (const Case& other : open) {
        if (other.case_no != record.case_no) return Fail(MakeError(ErrorCode::kOPEN_BUSINESS).WithRule("R-CANCEL-1"));
      }
      ASSIGN_OR_RETURN(auto card, tx.cards().Find(record.card_no));
      if (!card) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-CANCEL-1"));
      ASSIGN_OR_RETURN(card->status, domain::NextCardStatus(card->status, domain::CardEvent::kCancel, card->Facts()));
      ++card->version;
      RETURN_IF_ERROR(tx.cards().Update(*card));
      RETURN_IF_ERROR(LogCard(tx, context, *card, "cancel",
                              "社会保障功能已注销（办件" + record.case_no + "），待银行销户并销毁卡片"));
      record.result = "社会保障功能已注销，请到" + card->bank_code + "办理银行账户销户";
    } else if (record.item == kPensionItem) {
      RETURN_IF_ERROR(ApprovePensionChange(tx, context, record));
    } else if (record.item == kInfoItem && record.operation == "change_key") {
      RETURN_IF_ERROR(ApproveKeyChange(tx, context, record));
    }
    return Ok();
  });
}

// R-BUNDLE-6: at approval the card is still the holder's valid card; the pension system
// learns of the change through the outbox (retried until sent), and the result says from
// which month the new card receives the benefit.
Status CaseService::ApprovePensionChange(ports::Tx& tx, const CallContext& context, Case& record) {
  std::string new_card_no = FormValue(record, "new_card_no");
  ASSIGN_OR_RETURN(auto card, tx.cards().Find(new_card_no));
  if (!card || card->person_id != record.person_id ||
      (card->status != domain::CardStatus::kIssued && card->status != domain::CardStatus::kActive)) {
    return Fail(MakeError(ErrorCode::kCARD_STATE_CONFLICT, "新的待遇发放卡已不是申请人正在使用的卡，请驳回",
                          "the new card is no longer the applicant's card in use; reject the case")
                    .WithRule("R-BUNDLE-6"));
  }
  std::string month = FormValue(record, "effective_month");
  if (month.size() != 7) month = FormatDate(domain::PensionEffectiveMonth(ChinaDate(context.now), pension_policy_)).substr(0, 7);
  record.form["effective_month"] = month;
  record.result = fmt::format("养老保险待遇发放账号已变更为社会保障卡{}，自{}年{}月起生效，此前月份的待遇仍发放至原账户",
                              new_card_no, month.substr(0, 4), month.substr(5, 2));
  return tx.outbox().Enqueue({NewSortableId(context.now), "pension_system.account_change", record.case_no,
                              record.person_id,
                              fmt::format("养老保险待遇发放账号变更：卡号{}，生效月份{}", new_card_no, month), 0,
                              context.now, std::nullopt, context.now});
}

// R-INFO-1: the new name takes effect when the county approves, with a renewal card; the old
// card works until the new one is handed over (R-REPL-3).
Status CaseService::ApproveKeyChange(ports::Tx& tx, const CallContext& context, Case& record) {
  ASSIGN_OR_RETURN(auto card, tx.cards().Find(record.card_no));
  if (!card) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-INFO-1"));
  if (auto refusal = domain::CheckReplacement("renew", "key_data_change", *card, ChinaDate(context.now))) {
    return Fail(*refusal);
  }
  ASSIGN_OR_RETURN(auto person, tx.persons().FindById(record.person_id));
  if (!person) return Fail(MakeError(ErrorCode::kPERSON_NOT_FOUND).WithRule("R-INFO-1"));
  person->name = FormValue(record, "new_name");
  ++person->version;
  RETURN_IF_ERROR(tx.persons().Update(*person));
  domain::Card old = *card;
  old.replacement_applied = true;
  ++old.version;
  RETURN_IF_ERROR(tx.cards().Update(old));
  RETURN_IF_ERROR(LogCard(tx, context, old, "replacement_applied", "关键信息变更，换发新卡（办件" + record.case_no + "）"));
  ASSIGN_OR_RETURN(domain::Card renewal, MakeCard(tx, context, record, &old));
  record.card_no = renewal.card_no;
  record.result = fmt::format("关键信息已变更，已换发新卡{}，待制卡；原卡{}在新卡发放后停用", renewal.card_no, old.card_no);
  return Ok();
}

Status CaseService::CheckCardCase(ports::Tx& tx, const CallContext& context, const domain::IntakeCheck& check,
                                  const domain::Org& accepting, const domain::Person& person,
                                  const std::vector<domain::Card>& cards, Case& record) {
  bool applying = record.item == kApplyItem;
  bool replacing = record.item == kReplacementItem;
  Date today = ChinaDate(context.now);
  if (record.item == kInfoItem && record.operation == "change_key") {
    // R-INFO-1: a key data change is reviewed by the county and brings a renewal card: the
    // holder has a card handed over that may be renewed, no other card application is under
    // way (R-ID-6), and where the population registry knows the person, the new name is the
    // registry's.
    auto current = std::find_if(cards.begin(), cards.end(), [](const domain::Card& card) { return HandedOver(card.status); });
    if (current == cards.end()) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-INFO-1"));
    if (auto refusal = domain::CheckReplacement("renew", "key_data_change", *current, today)) return Fail(*refusal);
    RETURN_IF_ERROR(NoOpenCardCase(tx, person.id, ""));
    ASSIGN_OR_RETURN(auto registered, tx.registry().Find(person.id_number));
    if (registered && registered->name != FormValue(record, "new_name")) {
      return Fail(MakeError(ErrorCode::kREGISTRY_MISMATCH, "新姓名与人口库登记的姓名不一致，请先到公安机关办理变更",
                            "the new name differs from the population registry's")
                      .WithField({"form.new_name", "REGISTRY_MISMATCH",
                                  {"新姓名与人口库不一致", "differs from the population registry"}, "R-INFO-1"})
                      .WithRule("R-INFO-1"));
    }
    // The new name as any name at intake (R-ID-7): a rare character sends the renewal to the
    // card centre and by mail.
    domain::NameCheck name = domain::CheckName(FormValue(record, "new_name"));
    if (!name.problems.empty()) {
      Error error = MakeError(ErrorCode::kVALIDATION_FAILED).WithRule("R-INFO-1");
      for (FieldError problem : name.problems) {
        problem.field = "form.new_name";
        error.fields.push_back(std::move(problem));
      }
      return Fail(std::move(error));
    }
    record.rare_name = name.rare;
    record.card_no = current->card_no;
    return Ok();
  }
  if (record.item == kPensionItem) {
    // R-BUNDLE-6: the new payment card is the applicant's own valid card (another person's
    // card and a made-up number answer alike); the change takes effect by the cut-off.
    std::string new_card_no = FormValue(record, "new_card_no");
    bool own_valid = std::any_of(cards.begin(), cards.end(), [&](const domain::Card& card) {
      return card.card_no == new_card_no &&
             (card.status == domain::CardStatus::kIssued || card.status == domain::CardStatus::kActive);
    });
    if (!own_valid) {
      return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                      .WithField({"form.new_card_no", "NOT_OWN_VALID_CARD",
                                  {"新的待遇发放卡须为申请人本人正在使用的社会保障卡", "the new card must be the applicant's own card in use"},
                                  "R-BUNDLE-6"})
                      .WithRule("R-BUNDLE-6"));
    }
    Date effective = domain::PensionEffectiveMonth(today, pension_policy_);
    record.form["effective_month"] = FormatDate(effective).substr(0, 7);
    return Ok();
  }
  if (!applying && !replacing && record.item != kCancelItem) return Ok();
  auto refuse = [](const std::optional<Error>& refusal) -> Status {
    if (refusal) return Fail(*refusal);
    return Ok();
  };
  if (applying || replacing) {
    // R-CANCEL-2: a person whose old bank account is not closed cannot get a new card.
    for (const domain::Card& card : cards) {
      if (card.status == domain::CardStatus::kCancelled && card.bank_account != domain::BankAccountStatus::kClosed) {
        return Fail(MakeError(ErrorCode::kBANK_ACCOUNT_NOT_CLOSED, "已注销的卡" + card.card_no + "银行账户尚未销户",
                              "the bank account of cancelled card " + card.card_no + " is not closed")
                        .WithRule("R-CANCEL-2"));
      }
    }
    if (!record.rare_name) {
      RETURN_IF_ERROR(refuse(domain::CheckProductionChoice(record.channel, FormValue(record, "production_mode"),
                                                           record.delivery.method,
                                                           accepting.capabilities.instant_printer)));
    }
  }
  if (applying) {
    RETURN_IF_ERROR(refuse(domain::CheckEligibility(check.applicant_id.region_code, FormValue(record, "eligibility_basis"),
                                                    eligibility_)));
    bool holds_card = std::any_of(cards.begin(), cards.end(), [](const domain::Card& card) {
      return domain::IsValidCard(card.status) && card.status != domain::CardStatus::kPendingReview;
    });
    if (holds_card) return Fail(MakeError(ErrorCode::kONE_PERSON_ONE_CARD).WithRule("R-ID-6"));
    // R-ID-6 by construction: at most one open application or replacement per person. The
    // check runs in the intake's write transaction (SQLite's single writer, PostgreSQL's
    // SERIALIZABLE), so two applications at once cannot both pass it.
    RETURN_IF_ERROR(NoOpenCardCase(tx, person.id, ""));
    return Ok();
  }
  if (replacing) {
    auto current = std::find_if(cards.begin(), cards.end(), [](const domain::Card& card) { return HandedOver(card.status); });
    if (current == cards.end()) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-REPL-1"));
    std::string reason = record.operation == "renew" ? FormValue(record, "reason") : "";
    RETURN_IF_ERROR(refuse(domain::CheckReplacement(record.operation, reason, *current, today)));
    RETURN_IF_ERROR(refuse(domain::CheckBankChoice(*current, FormValue(record, "bank_code"), reason,
                                                   person.pension_bank_until, today)));
    // R-LOSS-2: from now on the loss report can no longer be lifted.
    domain::Card old = *current;
    old.replacement_applied = true;
    ++old.version;
    RETURN_IF_ERROR(tx.cards().Update(old));
    RETURN_IF_ERROR(LogCard(tx, context, old, "replacement_applied", "已申请" + std::string(record.operation == "reissue" ? "补领" : "换领") +
                                                                      "（办件" + record.case_no + "）"));
    record.card_no = old.card_no;
    return Ok();
  }
  // R-CANCEL-1: cancel a card only when no other business of the person is open.
  auto target = std::find_if(cards.begin(), cards.end(), [](const domain::Card& card) {
    return static_cast<bool>(domain::NextCardStatus(card.status, domain::CardEvent::kCancel));
  });
  if (target == cards.end()) return Fail(MakeError(ErrorCode::kCARD_NOT_FOUND).WithRule("R-CANCEL-1"));
  ASSIGN_OR_RETURN(auto open, tx.cases().List({.person_id = person.id, .open_only = true, .limit = 1}));
  if (!open.empty()) {
    return Fail(MakeError(ErrorCode::kOPEN_BUSINESS, "办件" + open.front().case_no + "尚未办结",
                          "case " + open.front().case_no + " is still open")
                    .WithRule("R-CANCEL-1"));
  }
  record.card_no = target->card_no;
  return Ok();
}

Result<std::string> CaseService::DigitalPhoto(ports::Tx& tx, const domain::IntakeRequest& request,
                                              const domain::IntakeCheck& check, Date today) {
  int age = check.birth_date ? domain::AgeOn(*check.birth_date, today) : 99;
  bool required = domain::PhotoRequired(age);
  constexpr std::string_view kPhoto = "申领人电子照片";
  auto photo = std::find_if(request.materials.begin(), request.materials.end(),
                            [&](const domain::MaterialRef& material) { return material.name == kPhoto; });
  auto refuse = [](std::vector<FieldError> problems) -> Result<std::string> {
    Error error = MakeError(ErrorCode::kVALIDATION_FAILED, "照片不符合要求（R-ID-5）", "the photo does not meet R-ID-5")
                      .WithRule("R-ID-5");
    error.fields = std::move(problems);
    return Fail(std::move(error));
  };
  auto not_shared = [&] {
    return refuse({{"materials", "PHOTO_NOT_SHARED",
                    {"公安共享照片库中没有该人员的照片，请上传符合要求的电子照片",
                     "the police photo library has no photo of this person: upload one"},
                    "R-ID-5"}});
  };
  if (photo == request.materials.end()) return std::string();  // MATERIAL_MISSING names it where needed
  if (photo->kind == "paper") {
    if (!required) return std::string();
    return refuse({{"materials", "PHOTO_NOT_DIGITAL",
                    {"须提供符合要求的电子照片（上传或取自公安共享照片），纸质照片不能制卡",
                     "a digital photo is needed (uploaded, or the police photo from shared data); paper cannot be printed"},
                    "R-ID-5"}});
  }
  std::string file_id;
  if (photo->kind == "shared") {
    // R-BUNDLE-5: taken from the police photo library when it holds the person's photo.
    ASSIGN_OR_RETURN(auto police, tx.registry().FindPolicePhoto(check.applicant_id.normalized));
    if (!police) return required ? not_shared() : Result<std::string>(std::string());
    file_id = *police;
  } else if (photo->kind == "file") {
    file_id = photo->file_id;
  } else {
    return std::string();
  }
  ASSIGN_OR_RETURN(auto file, tx.files().Find(file_id, required && photo_check_));
  if (!file) {
    // An upload that is not there is named by UNKNOWN_FILE already.
    if (photo->kind == "shared" && required) return not_shared();
    return std::string();
  }
  if (!required || !photo_check_) return file_id;
  domain::PhotoCheck verdict = photo_check_(file->content);
  if (verdict.valid) return file_id;
  std::vector<FieldError> problems = verdict.problems;
  for (FieldError& problem : problems) {
    problem.field = "materials." + problem.field;
    problem.rule = "R-ID-5";
  }
  return refuse(std::move(problems));
}

Status CaseService::NoOpenCardCase(ports::Tx& tx, const std::string& person_id, const std::string& except_case_no) {
  // Open cases of the information item are key data changes (a basic change completes at once).
  for (std::string_view item : {kApplyItem, kReplacementItem, kInfoItem}) {
    ports::CaseQuery query;
    query.person_id = person_id;
    query.item = std::string(item);
    query.open_only = true;
    query.limit = 5;
    ASSIGN_OR_RETURN(auto open, tx.cases().List(query));
    for (const Case& other : open) {
      if (other.case_no == except_case_no) continue;
      return Fail(MakeError(ErrorCode::kONE_PERSON_ONE_CARD,
                            "该人员已有办理中的申领或补换卡办件" + other.case_no + "（一人一卡）",
                            "the person has an application under way: " + other.case_no + " (one person, one card)")
                      .WithRule("R-ID-6"));
    }
  }
  return Ok();
}

Result<domain::Card> CaseService::MakeCard(ports::Tx& tx, const CallContext& context, const Case& record,
                                           const domain::Card* replaces) {
  // R-ID-6, checked again where a card comes into being: no other card of the person may be
  // valid then, except the one this card replaces.
  ASSIGN_OR_RETURN(auto held, tx.cards().ListByPerson(record.person_id));
  for (const domain::Card& other : held) {
    bool replaced = replaces && other.card_no == replaces->card_no;
    if (!replaced && domain::IsValidCard(other.status) && other.status != domain::CardStatus::kPendingReview) {
      return Fail(MakeError(ErrorCode::kONE_PERSON_ONE_CARD).WithRule("R-ID-6"));
    }
  }
  domain::Card card;
  ASSIGN_OR_RETURN(int64_t serial, tx.cards().NextSerial(record.region_code.substr(0, 2)));
  card.card_no = domain::FormatCardNo(record.region_code, serial);
  card.person_id = record.person_id;
  card.status = domain::CardStatus::kApproved;
  card.bank_code = FormValue(record, "bank_code");
  if (card.bank_code.empty() && replaces) card.bank_code = replaces->bank_code;
  std::string mode = FormValue(record, "production_mode");
  card.production_mode = record.rare_name ? "batch" : mode.empty() ? "fast" : mode;
  card.delivery = record.delivery.method == "mail" ? "mail" : "pickup";
  card.case_no = record.case_no;
  card.org_code = record.delivery.org_code.empty() ? record.accepting_org : record.delivery.org_code;
  if (record.rare_name) {
    // R-ID-7: rare-character names are produced by the provincial card centre and mailed.
    ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(record.region_code.substr(0, 2)));
    for (const auto& org : orgs) {
      if (org.type == domain::OrgType::kCardCentre) card.org_code = org.code;
    }
  }
  card.region_code = record.region_code;
  card.replaces = replaces ? replaces->card_no : "";
  // R-ID-5: a child under 7 may get a card without photo, to be renewed at 7 (R-REPL-1).
  ASSIGN_OR_RETURN(auto person, tx.persons().FindById(record.person_id));
  if (person && person->photo_file_id.empty() && person->birth_date &&
      domain::SeventhBirthday(*person->birth_date) > ChinaDate(context.now)) {
    card.photo_due_on = domain::SeventhBirthday(*person->birth_date);
  }
  card.created_at = context.now;
  RETURN_IF_ERROR(tx.cards().Insert(card));
  RETURN_IF_ERROR(LogCard(tx, context, card, "approve",
                          fmt::format("待制卡：{}，{}", card.production_mode, card.delivery == "mail" ? "邮寄" : "网点领取")));
  return card;
}

Status CaseService::ReleaseReplacement(ports::Tx& tx, const CallContext& context, const Case& record) {
  if (record.item != kReplacementItem || record.card_no.empty()) return Ok();
  ASSIGN_OR_RETURN(auto old, tx.cards().Find(record.card_no));
  if (!old || !old->replacement_applied) return Ok();
  old->replacement_applied = false;
  ++old->version;
  RETURN_IF_ERROR(tx.cards().Update(*old));
  return LogCard(tx, context, *old, "replacement_dropped", "补换卡申请未通过或已撤销（办件" + record.case_no + "）");
}

Result<Case> CaseService::Suspend(const CallContext& context, const std::string& case_no, const std::string& typed_reason,
                                  std::optional<int64_t> expected_version) {
  const std::string reason = domain::MaskPersonalNumbers(typed_reason);
  return Decide(context, case_no, "suspend", expected_version, [&](Case& record, const domain::Principal& principal, ports::Tx&) -> Status {
    RETURN_IF_ERROR(NeedReason(reason, "R-ACCEPT-2"));
    ASSIGN_OR_RETURN(record.status, domain::NextCaseStatus(record.status, domain::CaseEvent::kSuspend));
    record.suspended_on = ChinaDate(context.now);
    record.reason = reason;
    record.steps.push_back({context.now, principal.username, principal.org_code, "suspend", reason});
    return Ok();
  });
}

Result<Case> CaseService::Resume(const CallContext& context, const std::string& case_no,
                                 std::optional<int64_t> expected_version) {
  return Decide(context, case_no, "resume", expected_version, [&](Case& record, const domain::Principal& principal, ports::Tx&) -> Status {
    ASSIGN_OR_RETURN(record.status, domain::NextCaseStatus(record.status, domain::CaseEvent::kResume));
    // The clock stood still: the due date moves by the working days spent suspended.
    if (record.suspended_on && record.due_on) {
      int paused = calendar_.WorkingDaysBetween(*record.suspended_on, ChinaDate(context.now));
      record.due_on = calendar_.AddWorkingDays(*record.due_on, paused);
    }
    record.suspended_on.reset();
    record.reason.clear();
    record.steps.push_back({context.now, principal.username, principal.org_code, "resume", ""});
    return Ok();
  });
}

Result<Case> CaseService::Withdraw(const CallContext& context, const std::string& case_no, const std::string& typed_reason,
                                   std::optional<int64_t> expected_version) {
  const std::string reason = domain::MaskPersonalNumbers(typed_reason);
  return Decide(context, case_no, "withdraw", expected_version, [&](Case& record, const domain::Principal& principal, ports::Tx& tx) -> Status {
    RETURN_IF_ERROR(NeedReason(reason, "R-APPLY-9"));
    ASSIGN_OR_RETURN(record.status, domain::NextCaseStatus(record.status, domain::CaseEvent::kWithdraw));
    record.result = "已撤销";
    record.reason = reason;
    record.suspended_on.reset();
    record.steps.push_back({context.now, principal.username, principal.org_code, "withdraw", reason});
    return ReleaseReplacement(tx, context, record);
  });
}

Result<Case> CaseService::Get(const CallContext& context, const std::string& case_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCases));
  ASSIGN_OR_RETURN(auto record, ports::Transact<std::optional<Case>>(
                                    store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.cases().Find(case_no); }));
  if (!record) return Fail(ErrorCode::kNOT_FOUND);
  RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kReadCases, record->region_code));
  return *record;
}

Result<CasePage> CaseService::List(const CallContext& context, ports::CaseQuery query) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCases));
  query.region_prefix = principal.org_level == domain::OrgLevel::kProvince
                            ? ""
                            : std::string(domain::ScopePrefix(principal.region_code));
  // R-ACCEPT-4: a clerk lists what they handled; reviewers and others their subtree.
  if (!principal.Has(Permission::kReview) && !principal.Has(Permission::kReadAudit) && principal.Has(Permission::kIntake)) {
    query.accepted_by = principal.username;
  }
  query.limit = std::clamp(query.limit, 1, 500);
  ASSIGN_OR_RETURN(auto rows, ports::Transact<std::vector<Case>>(
                                  store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.cases().List(query); }));
  CasePage page;
  if (static_cast<int>(rows.size()) == query.limit) page.next_cursor = rows.back().case_no;
  page.items = std::move(rows);
  return page;
}

Result<Case> CaseService::Track(const std::string& case_no, const std::string& id_number) {
  ASSIGN_OR_RETURN(auto record, ports::Transact<std::optional<Case>>(
                                    store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.cases().Find(case_no); }));
  std::string normalized = domain::NormalizeIdNumber(id_number);
  if (!record || record->applicant.id_number != normalized) return Fail(ErrorCode::kNOT_FOUND);
  return *record;
}

}  // namespace sscard::app
