#include "app/citizen_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/audited.h"
#include "app/partner_service.h"
#include "common/ids.h"
#include "domain/intake.h"
#include "domain/person.h"
#include "domain/id_document.h"

namespace sscard::app {

using domain::CitizenAccount;
using domain::CodePurpose;
using domain::Principal;

namespace {

std::string CodeDigest(const std::string& phone, CodePurpose purpose, const std::string& code) {
  return DigestHex(std::string(domain::CodePurposeName(purpose)) + "|" + phone + "|" + code);
}

std::string NewCode() {
  std::string bytes = RandomBytes(4);
  uint32_t value = 0;
  for (unsigned char byte : bytes) value = value * 256 + byte;
  return fmt::format("{:06}", value % 1000000);
}

}  // namespace

Result<domain::Org> OnlineOrgFor(ports::Tx& tx, const std::string& region_code) {
  std::string county = domain::CountyOf(region_code);
  for (const std::string& scope : {county, county.substr(0, 4), county.substr(0, 2)}) {
    if (scope.empty()) continue;
    ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(scope));
    for (const domain::Org& org : orgs) {
      if (org.active && org.type == domain::OrgType::kHrssHall && org.level != domain::OrgLevel::kTown) return org;
    }
  }
  return Fail(MakeError(ErrorCode::kNO_REVIEWING_ORG).WithRule("R-CAT-2"));
}

CitizenService::CitizenService(ports::Store& store, TextSender& sender, CitizenConfig config)
    : store_(store), sender_(sender), config_(config), dummy_hash_(HashPassword("no such citizen", config.password_cost)) {}

Result<Principal> CitizenService::RequireCitizen(const CallContext& context) {
  if (!context.principal) return Fail(ErrorCode::kUNAUTHENTICATED);
  if (!context.principal->IsCitizen()) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN, "此接口仅供已实名登录的群众使用",
                          "this route is for citizens signed in to the online channel")
                    .WithRule("R-ONE-8"));
  }
  return *context.principal;
}

Result<CodeSent> CitizenService::SendCode(const CallContext& context, const std::string& phone, CodePurpose purpose) {
  RETURN_IF_ERROR(domain::CheckPhone(phone));
  if (purpose == CodePurpose::kConfirm) {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                    .WithField({"purpose", "NOT_AN_OPTION", {"用途应为 register 或 login", "register or login"}, ""}));
  }
  return Send(context, phone, purpose);
}

Result<CodeSent> CitizenService::SendConfirmCode(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  ASSIGN_OR_RETURN(CitizenAccount account, Me(context));
  return Send(context, account.phone, CodePurpose::kConfirm);
}

Result<CodeSent> CitizenService::Send(const CallContext& context, const std::string& phone, CodePurpose purpose) {
  std::string code = NewCode();
  int retry_after = 0;
  Status stored = RunAudited(store_, context, {"citizen.code", std::string(domain::CodePurposeName(purpose))},
                             [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto previous, tx.citizens().FindCode(phone, purpose));
    if (previous && context.now < previous->sent_at + config_.codes.resend_after) {
      auto wait = std::chrono::duration_cast<std::chrono::seconds>(previous->sent_at + config_.codes.resend_after - context.now);
      retry_after = static_cast<int>(std::max<int64_t>(1, wait.count()));
      Error error = MakeError(ErrorCode::kRATE_LIMITED, "验证码发送过于频繁，请稍后再试", "a code was sent a moment ago");
      error.retry_after_seconds = retry_after;
      return Fail(std::move(error));
    }
    // Per phone and purpose: flooding sign-up or sign-in codes for someone's phone cannot use
    // up the confirmation codes they need to report a loss.
    std::string day_key = "day|" + std::string(domain::CodePurposeName(purpose)) + "|" + phone;
    if (auto wait = daily_.Hit(day_key, {config_.codes_per_day, std::chrono::hours(24)}, context.now)) {
      Error error = MakeError(ErrorCode::kRATE_LIMITED, "今日验证码发送次数已达上限", "too many codes today for this phone");
      error.retry_after_seconds = *wait;
      return Fail(std::move(error));
    }
    return tx.citizens().PutCode(phone, purpose,
                                 {CodeDigest(phone, purpose, code), context.now, context.now + config_.codes.valid_for, 0, false});
  });
  RETURN_IF_ERROR(stored);
  // Delivered after the commit; a failed delivery is logged and the citizen asks again.
  (void)sender_.Send(phone, fmt::format("【社会保障卡】您的验证码是{}，{}分钟内有效，请勿告诉他人。", code,
                                        config_.codes.valid_for.count() / 60));
  CodeSent sent;
  sent.expires_in = static_cast<int>(config_.codes.valid_for.count());
  sent.retry_after = static_cast<int>(config_.codes.resend_after.count());
  if (config_.demo) sent.demo_code = code;
  return sent;
}

Status CitizenService::UseCode(const CallContext& context, const std::string& phone, CodePurpose purpose,
                               const std::string& code) {
  // In a transaction of its own: a wrong try counts even when the use case is refused later.
  std::optional<Error> refusal;
  RETURN_IF_ERROR(store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    refusal.reset();
    ASSIGN_OR_RETURN(auto stored, tx.citizens().FindCode(phone, purpose));
    if (!stored) {
      refusal = MakeError(ErrorCode::kCODE_EXPIRED).WithRule("R-ONE-8");
      return Ok();
    }
    Status verdict = domain::CheckCode(*stored, CodeDigest(phone, purpose, code), context.now, config_.codes);
    domain::OneTimeCode next = *stored;
    if (verdict) {
      next.used = true;
    } else {
      refusal = verdict.error();
      if (verdict.error().code != ErrorCode::kCODE_INVALID) return Ok();
      ++next.attempts;
    }
    return tx.citizens().PutCode(phone, purpose, next);
  }));
  if (refusal) return Fail(*refusal);
  return Ok();
}

Result<CitizenLogin> CitizenService::StartSession(ports::Tx& tx, const CallContext& context,
                                                  const CitizenAccount& account) {
  std::string token = RandomToken();
  domain::Session session{DigestHex(token), "citizen:" + account.id, context.now, context.now,
                           context.now + config_.session.absolute, false};
  RETURN_IF_ERROR(tx.sessions().Insert(session));
  return CitizenLogin{token, session.expires_at, account};
}

Result<CitizenLogin> CitizenService::Register(const CallContext& context, const Registration& request) {
  std::vector<FieldError> problems;
  auto type = domain::ParseIdType(request.id_type);
  domain::IdCheck check;
  if (!type) {
    problems.push_back({"id_type", "NOT_AN_OPTION", {"证件类型不正确", "unknown document type"}, "R-ID-1"});
  } else {
    check = domain::CheckIdNumber(*type, request.id_number, ChinaDate(context.now));
    for (FieldError problem : check.problems) {
      problem.field = "id_number";
      problems.push_back(std::move(problem));
    }
  }
  if (request.name.empty() || request.name.size() > 60) {
    problems.push_back({"name", "REQUIRED", {"请填写证件上的姓名", "the name on the document"}, "R-ONE-8"});
  }
  if (auto phone = domain::CheckPhone(request.phone); !phone) {
    for (const FieldError& field : phone.error().fields) problems.push_back(field);
  }
  if (!request.password.empty()) {
    if (auto strong = domain::CheckStaffPassword(request.password, ""); !strong) {
      problems.push_back({"password", "WEAK_PASSWORD", strong.error().detail, ""});
    }
  }
  if (!problems.empty()) {
    Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
    error.fields = std::move(problems);
    return Fail(std::move(error));
  }
  std::string id_number = check.normalized;
  // Every attempt uses the code up, refused or not: one code, one look at the registry.
  RETURN_IF_ERROR(UseCode(context, request.phone, CodePurpose::kRegister, request.code));
  std::string password_hash = request.password.empty() ? "" : HashPassword(request.password, config_.password_cost);
  AuditTarget what{"citizen.register", "new"};
  return RunAudited<CitizenLogin>(store_, context, what, [&](ports::Tx& tx) -> Result<CitizenLogin> {
    // R-ONE-8: the real-name check against the population registry. One answer for every
    // mismatch (unknown number, other name, deceased, other phone, no phone on file), so that
    // sign-up tells nobody what the registry holds. The phone must be one already on file —
    // the registry's, or the one recorded at a window — never whatever the caller brings.
    ASSIGN_OR_RETURN(auto registered, tx.registry().Find(id_number));
    ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(id_number));
    std::string known_phone;
    if (registered) known_phone = !registered->phone.empty() ? registered->phone : (person ? person->phone : "");
    if (!registered || registered->name != request.name || !registered->alive || known_phone.empty() ||
        known_phone != request.phone) {
      return Fail(MakeError(ErrorCode::kREGISTRY_MISMATCH,
                            "证件号码、姓名或手机号码与登记信息不一致，或尚未登记手机号码；请核对，或持证件到服务窗口登记",
                            "the number, name or phone does not match what is on file (or no phone is on file); "
                            "check them, or register the phone at a service window")
                        .WithRule("R-ONE-8"));
    }
    ASSIGN_OR_RETURN(auto by_id, tx.citizens().FindByIdNumber(id_number));
    ASSIGN_OR_RETURN(auto by_phone, tx.citizens().FindByPhone(request.phone));
    if (by_id || by_phone) return Fail(MakeError(ErrorCode::kALREADY_REGISTERED).WithRule("R-ONE-8"));
    if (!person) {
      domain::Person created;
      created.id = NewSortableId(context.now);
      created.id_type = *type;
      created.id_number = id_number;
      created.name = registered->name;
      created.sex = registered->sex != domain::Sex::kUnknown ? registered->sex : check.sex;
      created.birth_date = registered->birth_date ? registered->birth_date : check.birth_date;
      created.region_code = !registered->region_code.empty() ? registered->region_code.substr(0, 6) : check.region_code;
      created.phone = request.phone;
      created.created_at = context.now;
      RETURN_IF_ERROR(tx.persons().Insert(created));
      person = created;
    }
    CitizenAccount account;
    account.id = NewSortableId(context.now);
    account.person_id = person->id;
    account.id_type = *type;
    account.id_number = id_number;
    account.name = registered->name;
    account.phone = request.phone;
    account.password_hash = password_hash;
    account.created_at = context.now;
    RETURN_IF_ERROR(tx.citizens().Insert(account));
    what.target = account.id;
    return StartSession(tx, context, account);
  });
}

Result<CitizenLogin> CitizenService::LoginByCode(const CallContext& context, const std::string& phone,
                                                 const std::string& code) {
  RETURN_IF_ERROR(domain::CheckPhone(phone));
  Status used = UseCode(context, phone, CodePurpose::kLogin, code);
  if (!used && used.error().code == ErrorCode::kCODE_INVALID) return Fail(MakeError(ErrorCode::kBAD_CREDENTIALS));
  RETURN_IF_ERROR(used);
  AuditTarget what{"citizen.login", "-"};
  return RunAudited<CitizenLogin>(store_, context, what, [&](ports::Tx& tx) -> Result<CitizenLogin> {
    ASSIGN_OR_RETURN(auto account, tx.citizens().FindByPhone(phone));
    if (!account) return Fail(MakeError(ErrorCode::kBAD_CREDENTIALS));
    what.target = account->id;
    return StartSession(tx, context, *account);
  });
}

Result<CitizenLogin> CitizenService::LoginByPassword(const CallContext& context, const std::string& id_number,
                                                     const std::string& password) {
  std::string normalized = domain::NormalizeIdNumber(id_number);
  ASSIGN_OR_RETURN(auto before, ports::Transact<std::optional<CitizenAccount>>(
                                    store_, ports::TxMode::kRead,
                                    [&](ports::Tx& tx) { return tx.citizens().FindByIdNumber(normalized); }));
  bool has_password = before && !before->password_hash.empty();
  bool ok = VerifyPassword(password, has_password ? before->password_hash : dummy_hash_) && has_password;
  std::optional<Error> refusal;
  std::optional<CitizenLogin> login;
  AuditTarget what{"citizen.login", before ? before->id : "-"};
  Status status = store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    refusal.reset();
    login.reset();
    if (!before) {
      refusal = MakeError(ErrorCode::kBAD_CREDENTIALS);
    } else {
      ASSIGN_OR_RETURN(auto account, tx.citizens().FindById(before->id));
      if (!account) return Fail(ErrorCode::kBAD_CREDENTIALS);
      if (account->locked_until && context.now < *account->locked_until) {
        refusal = MakeError(ErrorCode::kACCOUNT_LOCKED).WithRule("R-ONE-8");
      } else if (!ok || account->password_hash != before->password_hash) {
        CitizenAccount failed = domain::AfterFailedCitizenSignIn(*account, context.now);
        failed.version = account->version + 1;
        RETURN_IF_ERROR(tx.citizens().Update(failed));
        refusal = MakeError(ErrorCode::kBAD_CREDENTIALS);
      } else {
        CitizenAccount reset = *account;
        if (reset.failed_attempts != 0 || reset.locked_until) {
          reset.failed_attempts = 0;
          reset.locked_until.reset();
          reset.version = account->version + 1;
          RETURN_IF_ERROR(tx.citizens().Update(reset));
        }
        ASSIGN_OR_RETURN(CitizenLogin started, StartSession(tx, context, reset));
        login = std::move(started);
      }
    }
    return tx.audit().Append(MakeAuditEntry(context, what, refusal ? &*refusal : nullptr));
  });
  RETURN_IF_ERROR(status);
  if (refusal) return Fail(*refusal);
  return std::move(*login);
}

Status CitizenService::Confirm(const CallContext& context, const std::string& code) {
  ASSIGN_OR_RETURN(CitizenAccount account, Me(context));
  if (code.empty()) return Fail(MakeError(ErrorCode::kCONFIRMATION_REQUIRED).WithRule("R-ONE-8"));
  return UseCode(context, account.phone, CodePurpose::kConfirm, code);
}

bool CitizenService::IsSensitive(const std::string& operation, bool changes_phone) {
  // Lifting a loss report brings a card back to use: as sensitive as reporting it.
  static const std::set<std::string> kSensitive = {"temporary_loss", "formal_loss", "cancel_loss",
                                                   "pension_account_change", "cancel"};
  return kSensitive.count(operation) > 0 || (changes_phone && operation == "change_basic");
}

Status CitizenService::ConfirmIfSensitive(const CallContext& context, const std::string& operation,
                                          const std::string& code, bool changes_phone) {
  if (!IsSensitive(operation, changes_phone)) return Ok();
  return Confirm(context, code);
}

Result<CitizenAccount> CitizenService::Me(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  std::string id = principal.username.substr(std::string_view("citizen:").size());
  ASSIGN_OR_RETURN(auto account, ports::Transact<std::optional<CitizenAccount>>(
                                     store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.citizens().FindById(id); }));
  if (!account) return Fail(ErrorCode::kUNAUTHENTICATED);
  return *account;
}

Result<std::vector<CardView>> CitizenService::MyCards(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  return ports::Transact<std::vector<CardView>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<CardView>> {
    ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(principal.person_id));
    std::sort(cards.begin(), cards.end(), [](const auto& a, const auto& b) { return a.card_no > b.card_no; });
    std::vector<CardView> views;
    for (domain::Card& card : cards) {
      CardView view{std::move(card), false, {}, {}};
      ASSIGN_OR_RETURN(auto pin, tx.pins().Find(view.card.card_no));
      view.pin_locked = pin && pin->state.locked;
      ASSIGN_OR_RETURN(view.case_steps, tx.cases().Steps(view.card.case_no));
      ASSIGN_OR_RETURN(view.history, tx.cards().History(view.card.card_no));
      views.push_back(std::move(view));
    }
    return views;
  });
}

Result<std::vector<domain::Case>> CitizenService::MyCases(const CallContext& context, int limit) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  ports::CaseQuery query;
  query.person_id = principal.person_id;
  query.limit = std::clamp(limit, 1, 500);
  ASSIGN_OR_RETURN(auto cases, ports::Transact<std::vector<domain::Case>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
                     return tx.cases().List(query);
                   }));
  std::reverse(cases.begin(), cases.end());
  return cases;
}

Result<std::vector<ports::OutboxMessage>> CitizenService::MyNotices(const CallContext& context, int limit) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  return ports::Transact<std::vector<ports::OutboxMessage>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
    return tx.outbox().ListForPerson(principal.person_id, std::clamp(limit, 1, 200));
  });
}

Result<std::vector<AccessEntry>> CitizenService::MyAccessLog(const CallContext& context, int limit) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  return ports::Transact<std::vector<AccessEntry>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<AccessEntry>> {
    ports::AuditQuery query;
    query.targets = {principal.person_id};
    ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(principal.person_id));
    for (const domain::Card& card : cards) query.targets.push_back(card.card_no);
    query.actions = {"person.unmask", "card.verify", "card.verify_qr"};
    query.limit = std::clamp(limit, 1, 500);
    ASSIGN_OR_RETURN(auto rows, tx.audit().List(query));
    std::vector<AccessEntry> entries;
    for (const domain::AuditEntry& row : rows) {
      if (row.result != "ok") continue;
      AccessEntry entry;
      entry.at = row.at;
      entry.kind = row.action == "person.unmask" ? "unmask" : "verify";
      entry.org_code = row.org_code;
      ASSIGN_OR_RETURN(auto org, tx.orgs().Find(row.org_code));
      entry.org_name = org ? org->name : "";
      if (entry.kind == "unmask") {
        entry.purpose = "经办人员查看完整个人信息";
      } else if (org && org->type == domain::OrgType::kPartner) {
        ASSIGN_OR_RETURN(domain::PartnerProfile profile, LoadPartnerProfile(tx, org->code));
        entry.purpose = profile.purpose;
      } else {
        entry.purpose = "持卡人身份核验（出示社会保障卡或电子社保卡）";
      }
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

Result<std::vector<Consent>> CitizenService::MyConsents(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  return ports::Transact<std::vector<Consent>>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<Consent>> {
    ASSIGN_OR_RETURN(auto revoked, tx.citizens().RevokedPartners(principal.person_id));
    ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(""));
    std::vector<Consent> consents;
    for (const domain::Org& org : orgs) {
      if (org.type != domain::OrgType::kPartner || !org.active) continue;
      ASSIGN_OR_RETURN(domain::PartnerProfile profile, LoadPartnerProfile(tx, org.code));
      Consent consent;
      consent.partner_code = org.code;
      consent.name = org.name;
      consent.purpose = profile.purpose;
      consent.fields = {"verdict"};
      for (domain::PartnerField field : profile.fields) consent.fields.emplace_back(domain::PartnerFieldName(field));
      consent.revoked = std::find(revoked.begin(), revoked.end(), org.code) != revoked.end();
      consents.push_back(std::move(consent));
    }
    return consents;
  });
}

Status CitizenService::Revoke(const CallContext& context, const std::string& partner_code) {
  ASSIGN_OR_RETURN(Principal principal, RequireCitizen(context));
  return RunAudited(store_, context, {"consent.revoke", partner_code}, [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto org, tx.orgs().Find(partner_code));
    if (!org || org->type != domain::OrgType::kPartner) return Fail(ErrorCode::kNOT_FOUND);
    return tx.citizens().SetRevoked(principal.person_id, partner_code, true, context.now);
  });
}

}  // namespace sscard::app
