#include "app/admin_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/audited.h"

namespace sscard::app {

namespace {

// Province-wide roles, and the interface accounts of banks and partner departments (they
// reach data across the platform), are granted — and managed — by the province only.
bool GrantedByProvinceOnly(domain::Role role) {
  using domain::Role;
  return role == Role::kProvinceAdmin || role == Role::kAuditor || role == Role::kCardCentre || role == Role::kBank ||
         role == Role::kPartner || role == Role::kDataPartner || role == Role::kPayer;
}

bool IsProvinceAdmin(const domain::Principal& principal) {
  return std::find(principal.roles.begin(), principal.roles.end(), domain::Role::kProvinceAdmin) != principal.roles.end();
}

}  // namespace

using domain::Org;
using domain::Permission;
using domain::Principal;
using domain::StaffAccount;

namespace {

Error FieldProblem(std::string field, std::string code, std::string zh, std::string en) {
  return MakeError(ErrorCode::kVALIDATION_FAILED)
      .WithField({std::move(field), std::move(code), {std::move(zh), std::move(en)}, ""});
}

std::string ScopeOf(const Principal& principal) {
  return std::string(domain::ScopePrefix(principal.region_code));
}

}  // namespace

Result<Principal> RequirePrincipal(const CallContext& context) {
  if (!context.principal) return Fail(ErrorCode::kUNAUTHENTICATED);
  return *context.principal;
}

AdminService::AdminService(ports::Store& store, PasswordCost password_cost)
    : store_(store), password_cost_(password_cost) {}

Result<std::vector<domain::Region>> AdminService::RegionChildren(const std::string& parent_code) {
  return ports::Transact<std::vector<domain::Region>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.regions().Children(parent_code); });
}

Result<domain::Region> AdminService::RegionOf(const std::string& code) {
  return ports::Transact<domain::Region>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<domain::Region> {
        ASSIGN_OR_RETURN(auto region, tx.regions().Find(code));
        if (!region) return Fail(ErrorCode::kNOT_FOUND);
        return *region;
      });
}

Result<int64_t> AdminService::ImportRegions(const CallContext& context,
                                            const std::vector<domain::Region>& regions) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kManageOrgs));
  return RunAudited<int64_t>(store_, context, {"regions.import", std::to_string(regions.size())},
                             [&](ports::Tx& tx) -> Result<int64_t> {
                               RETURN_IF_ERROR(tx.regions().Upsert(regions));
                               return tx.regions().Count();
                             });
}

Result<std::vector<Org>> AdminService::ListOrgs(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadReference));
  return ports::Transact<std::vector<Org>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return tx.orgs().ListUnder(ScopeOf(principal)); });
}

Result<Org> AdminService::GetOrg(const CallContext& context, const std::string& code) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  ASSIGN_OR_RETURN(auto org, ports::Transact<std::optional<Org>>(
                                 store_, ports::TxMode::kRead,
                                 [&](ports::Tx& tx) { return tx.orgs().Find(code); }));
  if (!org) return Fail(ErrorCode::kNOT_FOUND);
  RETURN_IF_ERROR(domain::Authorize(principal, Permission::kReadReference, org->region_code));
  return *org;
}

Result<Org> AdminService::CreateOrg(const CallContext& context, const NewOrg& request) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  return RunAudited<Org>(
      store_, context, {"org.create", request.region_code + "/" + request.institution},
      [&](ports::Tx& tx) -> Result<Org> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kManageOrgs));
        if (request.name.empty()) {
          return Fail(FieldProblem("name", "REQUIRED", "请填写机构名称", "the name is required"));
        }
        ASSIGN_OR_RETURN(auto region, tx.regions().Find(request.region_code));
        if (!region) return Fail(MakeError(ErrorCode::kUNKNOWN_REGION).WithRule("R-SEC-4"));
        RETURN_IF_ERROR(domain::Authorize(principal, Permission::kManageOrgs, region->code));
        auto type = domain::ParseOrgType(request.type);
        if (!type) {
          return Fail(FieldProblem("type", "BAD_ORG_TYPE",
                                   "机构类型应为 hrss_hall、town_centre、bank_branch 或 card_centre",
                                   "type is one of hrss_hall, town_centre, bank_branch, card_centre"));
        }
        Org org;
        org.name = request.name;
        org.type = *type;
        org.region_code = region->code;
        org.level = domain::OrgLevelFor(region->level);
        if (!request.level.empty()) {
          auto level = domain::ParseOrgLevel(request.level);
          if (!level) {
            return Fail(FieldProblem("level", "BAD_ORG_LEVEL",
                                     "机构层级应为 province、city、county 或 town",
                                     "level is one of province, city, county, town"));
          }
          org.level = *level;
        }
        org.capabilities = request.capabilities;
        org.address = request.address;
        org.bank_code = request.bank_code;
        ASSIGN_OR_RETURN(org.code, domain::MakeOrgCode(region->code, request.institution));
        ASSIGN_OR_RETURN(auto existing, tx.orgs().ListUnder(std::string(
                                            domain::ScopePrefix(region->code))));
        std::vector<std::string> taken;
        for (const Org& other : existing) taken.push_back(other.service_point_id);
        ASSIGN_OR_RETURN(org.service_point_id, domain::NextServicePointId(org.code, taken));
        RETURN_IF_ERROR(tx.orgs().Insert(org));
        return org;
      });
}

Result<std::vector<StaffAccount>> AdminService::ListStaff(const CallContext& context,
                                                          const std::string& org_code) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadStaff));
  return ports::Transact<std::vector<StaffAccount>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<StaffAccount>> {
        if (org_code.empty()) {
          // Org codes start with the 9-digit region code, so the region prefix selects them.
          return tx.staff().List(ScopeOf(principal));
        }
        ASSIGN_OR_RETURN(auto org, tx.orgs().Find(org_code));
        if (!org) return Fail(ErrorCode::kNOT_FOUND);
        RETURN_IF_ERROR(domain::Authorize(principal, Permission::kReadStaff, org->region_code));
        return tx.staff().List(org->code);
      });
}

Result<StaffAccount> AdminService::AddStaff(const CallContext& context, const NewStaff& request) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  return RunAudited<StaffAccount>(
      store_, context, {"staff.add", request.username}, [&](ports::Tx& tx) -> Result<StaffAccount> {
        RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kManageStaff));
        RETURN_IF_ERROR(domain::CheckUsername(request.username));
        if (request.name.empty()) {
          return Fail(FieldProblem("name", "REQUIRED", "请填写实名", "the real name is required")
                          .WithRule("R-SEC-1"));
        }
        ASSIGN_OR_RETURN(auto org, tx.orgs().Find(request.org_code));
        if (!org) return Fail(MakeError(ErrorCode::kUNKNOWN_ORG));
        RETURN_IF_ERROR(domain::Authorize(principal, Permission::kManageStaff, org->region_code));
        StaffAccount account;
        account.username = request.username;
        account.name = request.name;
        account.org_code = org->code;
        if (request.roles.empty()) {
          return Fail(FieldProblem("roles", "REQUIRED", "至少选择一个角色", "at least one role"));
        }
        for (const std::string& name : request.roles) {
          auto role = domain::ParseRole(name);
          if (!role) {
            return Fail(FieldProblem("roles", "UNKNOWN_ROLE", "未知角色：" + name,
                                     "unknown role: " + name));
          }
          if (GrantedByProvinceOnly(*role) && !IsProvinceAdmin(principal)) {
            return Fail(MakeError(ErrorCode::kFORBIDDEN, "只有省级管理员可以授予该角色",
                                  "only a province administrator grants " + name)
                            .WithRule("R-SEC-1"));
          }
          if (static_cast<int>(org->level) > static_cast<int>(domain::LowestLevelFor(*role))) {
            return Fail(FieldProblem("roles", "ROLE_LEVEL_MISMATCH",
                                     "该角色须设在" +
                                         std::string(domain::OrgLevelName(domain::LowestLevelFor(*role))) +
                                         "级及以上机构",
                                     name + " belongs to orgs at " +
                                         std::string(domain::OrgLevelName(domain::LowestLevelFor(*role))) +
                                         " level or above")
                            .WithRule("R-SEC-1"));
          }
          if ((*role == domain::Role::kBank) != (org->type == domain::OrgType::kBankBranch)) {
            return Fail(FieldProblem("roles", "ROLE_ORG_MISMATCH",
                                     "bank 角色只能且必须授予合作银行网点的账号",
                                     "the bank role belongs to bank branch accounts only"));
          }
          bool partner_role = *role == domain::Role::kPartner || *role == domain::Role::kDataPartner ||
                              *role == domain::Role::kPayer;
          if (partner_role != (org->type == domain::OrgType::kPartner)) {
            return Fail(FieldProblem("roles", "ROLE_ORG_MISMATCH",
                                     "partner、data_partner、payer 角色只能且必须授予合作部门的接口账号",
                                     "partner and payer roles belong to partner departments' accounts only")
                            .WithRule("R-ONE-1"));
          }
          account.roles.push_back(*role);
        }
        RETURN_IF_ERROR(domain::CheckStaffPassword(request.password, request.username));
        account.password_hash = HashPassword(request.password, password_cost_);
        account.created_at = context.now;
        RETURN_IF_ERROR(tx.staff().Insert(account));
        return account;
      });
}

Result<StaffAccount> AdminService::StaffInScope(ports::Tx& tx, const Principal& principal,
                                                const std::string& username) {
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kManageStaff));
  ASSIGN_OR_RETURN(auto account, tx.staff().Find(username));
  if (!account) return Fail(ErrorCode::kNOT_FOUND);
  ASSIGN_OR_RETURN(auto org, tx.orgs().Find(account->org_code));
  if (!org) return Fail(ErrorCode::kUNKNOWN_ORG);
  RETURN_IF_ERROR(domain::Authorize(principal, Permission::kManageStaff, org->region_code));
  // Whoever may not grant an account's role may not take it over either: a county
  // administrator setting the bank's password would sign in as the bank.
  bool province_account = std::any_of(account->roles.begin(), account->roles.end(), GrantedByProvinceOnly);
  if (province_account && !IsProvinceAdmin(principal)) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN, "该账号只能由省级管理员管理", "only a province administrator manages this account")
                    .WithRule("R-SEC-1"));
  }
  return *account;
}

Status AdminService::DisableStaff(const CallContext& context, const std::string& username) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(RunAudited(store_, context, {"staff.disable", username}, [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(StaffAccount account, StaffInScope(tx, principal, username));
    account.disabled = true;
    ++account.version;
    RETURN_IF_ERROR(tx.staff().Update(account));
    return tx.sessions().RevokeAll(username).map([](int64_t) {});
  }));
  on_revoked_(username);
  return Ok();
}

Status AdminService::ResetPassword(const CallContext& context, const std::string& username,
                                   const std::string& password) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  // Hash outside the transaction (argon2id takes tens of milliseconds), and only for a caller
  // who may manage the account: nobody else gets to spend the server's time on it.
  Status may = store_.Run(ports::TxMode::kRead,
                          [&](ports::Tx& tx) { return StaffInScope(tx, principal, username).map([](auto&&) {}); });
  if (!may) return RunAudited(store_, context, {"staff.reset_password", username}, [&](ports::Tx&) { return may; });
  std::string hash;
  if (domain::CheckStaffPassword(password, username)) hash = HashPassword(password, password_cost_);
  RETURN_IF_ERROR(RunAudited(store_, context, {"staff.reset_password", username},
                    [&](ports::Tx& tx) -> Status {
                      ASSIGN_OR_RETURN(StaffAccount account, StaffInScope(tx, principal, username));
                      RETURN_IF_ERROR(domain::CheckStaffPassword(password, username));
                      account.password_hash = hash;
                      account.failed_attempts = 0;
                      account.locked_until.reset();
                      ++account.version;
                      RETURN_IF_ERROR(tx.staff().Update(account));
                      return tx.sessions().RevokeAll(username).map([](int64_t) {});
                    }));
  on_revoked_(username);
  return Ok();
}

Result<AuditPage> AdminService::ListAudit(const CallContext& context, ports::AuditQuery query) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadAudit));
  // A province-level account also sees rows of no org (sign-ins of unknown usernames).
  query.org_code_prefix =
      principal.org_level == domain::OrgLevel::kProvince ? "" : ScopeOf(principal);
  query.limit = std::clamp(query.limit, 1, 500);
  ASSIGN_OR_RETURN(auto rows, ports::Transact<std::vector<domain::AuditEntry>>(
                                  store_, ports::TxMode::kRead,
                                  [&](ports::Tx& tx) { return tx.audit().List(query); }));
  AuditPage page;
  if (static_cast<int>(rows.size()) == query.limit) page.next_cursor = rows.back().id;
  page.items = std::move(rows);
  return page;
}

Result<ports::AuditChainReport> AdminService::VerifyAuditChain(const CallContext& context) {
  ASSIGN_OR_RETURN(Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadAudit));
  if (principal.org_level != domain::OrgLevel::kProvince) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN, "审计链核验仅限省级审计员", "only province auditors verify the audit chain")
                    .WithRule("R-SEC-1"));
  }
  return ports::Transact<ports::AuditChainReport>(store_, ports::TxMode::kRead,
                                                  [](ports::Tx& tx) { return tx.audit().VerifyChain(); });
}

}  // namespace sscard::app
