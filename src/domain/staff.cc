#include "domain/staff.h"

#include <algorithm>
#include <array>

namespace sscard::domain {
namespace {

struct RoleRow {
  Role role;
  std::string_view name;
  std::vector<Permission> permissions;
};

// The role → permission table. Every staff role may read reference data; the partner roles
// of other departments' systems may only verify cards (and, authorised, read holders' data).
const std::vector<RoleRow>& RoleTable() {
  using P = Permission;
  static const std::vector<RoleRow> table = {
      {Role::kClerk, "clerk", {P::kReadReference, P::kIntake, P::kReadCases, P::kReadCards}},
      {Role::kReviewer,
       "reviewer",
       {P::kReadReference, P::kReview, P::kUnmaskPersonalData, P::kReadCases, P::kReadCards}},
      // The card roles receive, mail and hand over cards: they read cards and their holders,
      // not the applicants' uploaded documents or one-thing applications (R-SEC-1).
      {Role::kStockKeeper, "stock_keeper", {P::kReadReference, P::kStock, P::kReadCards}},
      {Role::kCardCentre,
       "card_centre",
       {P::kReadReference, P::kProduction, P::kStock, P::kReadCards}},
      {Role::kOrgAdmin, "org_admin", {P::kReadReference, P::kReadStaff, P::kManageStaff}},
      {Role::kAuditor,
       "auditor",
       {P::kReadReference, P::kReadAudit, P::kReadStaff, P::kUnmaskPersonalData, P::kReadCases, P::kReadCards}},
      {Role::kProvinceAdmin,
       "province_admin",
       // No read_audit: the administrator who makes accounts does not read the trail of its
       // own acts — the auditor does (三权分立, R-SEC-5).
       {P::kReadReference, P::kReadStaff, P::kManageStaff, P::kManageOrgs}},
      {Role::kBank, "bank", {P::kReadReference, P::kBankEvents}},
      {Role::kPartner, "partner", {P::kVerifyCard}},
      {Role::kDataPartner, "data_partner", {P::kVerifyCard, P::kShareHolderData}},
      {Role::kPayer, "payer", {P::kPayments}},
      {Role::kCitizen, "citizen", {}},
  };
  return table;
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const RoleRow& row : RoleTable()) {
    if (row.role == role) return row.name;
  }
  return "clerk";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleRow& row : RoleTable()) {
    if (row.name == name) return row.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> all;
    for (const RoleRow& row : RoleTable()) all.push_back(row.role);
    return all;
  }();
  return roles;
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kReadReference: return "read_reference";
    case Permission::kReadStaff: return "read_staff";
    case Permission::kManageStaff: return "manage_staff";
    case Permission::kManageOrgs: return "manage_orgs";
    case Permission::kReadAudit: return "read_audit";
    case Permission::kIntake: return "intake";
    case Permission::kReview: return "review";
    case Permission::kStock: return "stock";
    case Permission::kProduction: return "production";
    case Permission::kBankEvents: return "bank_events";
    case Permission::kUnmaskPersonalData: return "unmask_personal_data";
    case Permission::kVerifyCard: return "verify_card";
    case Permission::kShareHolderData: return "share_holder_data";
    case Permission::kPayments: return "payments";
    case Permission::kReadCases: return "read_cases";
    case Permission::kReadCards: return "read_cards";
  }
  return "read_reference";
}

bool RoleGrants(Role role, Permission permission) {
  for (const RoleRow& row : RoleTable()) {
    if (row.role == role) {
      return std::find(row.permissions.begin(), row.permissions.end(), permission) !=
             row.permissions.end();
    }
  }
  return false;
}

bool Principal::Has(Permission permission) const {
  return std::any_of(roles.begin(), roles.end(),
                     [permission](Role role) { return RoleGrants(role, permission); });
}

OrgLevel LowestLevelFor(Role role) {
  switch (role) {
    case Role::kReviewer: return OrgLevel::kCounty;
    case Role::kProvinceAdmin:
    case Role::kAuditor:
    case Role::kCardCentre: return OrgLevel::kProvince;
    default: return OrgLevel::kTown;
  }
}

OrgLevel LowestLevelFor(Permission permission) {
  switch (permission) {
    case Permission::kReview: return OrgLevel::kCounty;
    case Permission::kManageOrgs: return OrgLevel::kProvince;
    default: return OrgLevel::kTown;
  }
}

Status RequirePermission(const Principal& principal, Permission permission) {
  if (!principal.Has(permission)) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN, "当前账号的角色没有此权限",
                          "no role of this account grants " + std::string(PermissionName(permission)))
                    .WithRule("R-SEC-1"));
  }
  // Levels are ordered province < city < county < town.
  if (static_cast<int>(principal.org_level) > static_cast<int>(LowestLevelFor(permission))) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN,
                          std::string("本机构层级不能办理此项，须") +
                              std::string(OrgLevelName(LowestLevelFor(permission))) + "级及以上",
                          std::string(PermissionName(permission)) + " needs an org at " +
                              std::string(OrgLevelName(LowestLevelFor(permission))) +
                              " level or above")
                    .WithRule("R-SEC-1"));
  }
  return Ok();
}

Status RequireReferenceReader(const Principal& principal) {
  return principal.IsCitizen() ? Ok() : RequirePermission(principal, Permission::kReadReference);
}

Status Authorize(const Principal& principal, Permission permission,
                 std::string_view target_region) {
  RETURN_IF_ERROR(RequirePermission(principal, permission));
  if (!RegionContains(principal.region_code, target_region)) {
    return Fail(MakeError(ErrorCode::kOUT_OF_REGION).WithRule("R-SEC-1"));
  }
  return Ok();
}

Status AuthorizeRecord(const Principal& principal, Permission permission,
                       std::string_view target_region) {
  RETURN_IF_ERROR(RequirePermission(principal, permission));
  if (!RegionContains(principal.region_code, target_region)) return Fail(ErrorCode::kNOT_FOUND);
  return Ok();
}

Status CheckStaffPassword(std::string_view password, std::string_view username) {
  int classes = 0;
  auto has = [&](auto predicate) {
    return std::any_of(password.begin(), password.end(), predicate);
  };
  classes += has([](unsigned char c) { return c >= 'A' && c <= 'Z'; });
  classes += has([](unsigned char c) { return c >= 'a' && c <= 'z'; });
  classes += has([](unsigned char c) { return c >= '0' && c <= '9'; });
  classes += has([](unsigned char c) { return !std::isalnum(c); });
  std::string lower_password(password);
  std::transform(lower_password.begin(), lower_password.end(), lower_password.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  // A common word dressed up with digits and symbols ("Password12", "Admin@2026") and the
  // demo password published in the README are guessed first (MLPS level 3: no weak passwords).
  auto is_letter = [](char c) { return c >= 'a' && c <= 'z'; };
  size_t first = 0, last = lower_password.size();
  while (first < last && !is_letter(lower_password[first])) ++first;
  while (last > first && !is_letter(lower_password[last - 1])) --last;
  std::string letters;
  for (char c : lower_password.substr(first, last - first)) {
    static constexpr std::string_view kLeet = "@a0o1i3e4a5s$s7t";
    for (size_t at = 0; at < kLeet.size(); at += 2) {
      if (c == kLeet[at]) c = kLeet[at + 1];
    }
    if (is_letter(c)) letters += c;
  }
  static const std::array<std::string_view, 14> kCommon = {
      "password", "passwd", "admin", "administrator", "qwerty", "qwertyuiop", "welcome", "abc",
      "abcdef", "letmein", "iloveyou", "root", "test", "sscarddemo"};
  bool common = letters.empty() || std::find(kCommon.begin(), kCommon.end(), letters) != kCommon.end();
  if (password.size() < 10 || password.size() > 128 || classes < 3 || common ||
      (!username.empty() && lower_password.find(username) != std::string::npos)) {
    return Fail(ErrorCode::kWEAK_PASSWORD,
                "密码至少10位，包含大写字母、小写字母、数字、符号中的三类，不能包含用户名，也不能是常见密码加数字",
                "at least 10 characters with three of upper, lower, digit, symbol, not containing the "
                "username and not a common word with digits");
  }
  return Ok();
}

Status CheckUsername(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 32 && username[0] >= 'a' &&
            username[0] <= 'z' &&
            std::all_of(username.begin(), username.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                     c == '-';
            });
  if (!ok) {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                    .WithField({"username", "BAD_USERNAME",
                                {"用户名为3至32位小写字母、数字或 _ . -，以字母开头",
                                 "3 to 32 of a-z 0-9 _ . -, starting with a letter"},
                                ""}));
  }
  return Ok();
}

StaffAccount AfterFailedSignIn(StaffAccount account, TimePoint now, const LockoutPolicy& policy) {
  ++account.failed_attempts;
  if (account.failed_attempts >= policy.max_failures) {
    bool administrator = std::any_of(account.roles.begin(), account.roles.end(), [](Role role) {
      return role == Role::kProvinceAdmin || role == Role::kOrgAdmin || role == Role::kAuditor;
    });
    account.locked_until = now + (administrator ? policy.administrator_lock_for : policy.lock_for);
  }
  return account;
}

bool IsLocked(const StaffAccount& account, TimePoint now) {
  return account.locked_until.has_value() && now < *account.locked_until;
}

SessionState EvaluateSession(const Session& session, TimePoint now, const SessionPolicy& policy) {
  if (session.revoked) return SessionState::kRevoked;
  if (now >= session.expires_at) return SessionState::kExpired;
  if (now - session.last_seen_at >= policy.idle) return SessionState::kIdleExpired;
  return SessionState::kValid;
}

}  // namespace sscard::domain
