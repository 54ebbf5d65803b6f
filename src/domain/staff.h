#pragma once
// Real-name staff accounts (R-SEC-1, R-ACCEPT-1), their roles and permissions, the sign-in
// lockout and session expiry policies, and the access decision that binds every request to
// role, org level and region subtree. Pure; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "domain/org.h"

namespace sscard::domain {

enum class Role {
  kClerk,          // window clerk: intake
  kReviewer,       // county reviewer: decides commitment cases
  kStockKeeper,    // card stock at a service org
  kCardCentre,     // provincial card centre: production
  kOrgAdmin,       // administers an org's staff
  kAuditor,        // reads the audit trail
  kProvinceAdmin,  // administers orgs, staff and the catalog of the province
  kBank,           // a cooperative bank's system, reporting bank events
  kPartner,        // a partner department's system verifying cards (R-ONE-1): hospitals, transport, …
  kDataPartner,    // an authorised department also given holders' basic data (R-ONE-3)
  kPayer,          // a paying department's system submitting benefit payments (R-ONE-7)
  kCitizen,        // a citizen signed in to the online channel (R-ONE-8): their own data only
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();

enum class Permission {
  kReadReference,  // regions, catalog, calendar, orgs in scope
  kReadStaff,
  kManageStaff,
  kManageOrgs,
  kReadAudit,
  kIntake,
  kReview,
  kStock,
  kProduction,
  kBankEvents,
  kUnmaskPersonalData,
  kVerifyCard,        // R-ONE-1: is this card or e-card a valid credential, and whose
  kShareHolderData,   // R-ONE-3: the holder's basic data and the card's bank account
  kPayments,         // R-ONE-7: submit benefit payment batches and read their results
  kReadCases,         // cases, bundles and uploaded files of the account's subtree
  kReadCards,         // cards and their holders (masked) of the account's subtree or its org's stock
};

std::string_view PermissionName(Permission permission);
bool RoleGrants(Role role, Permission permission);
// The lowest org level an account with this role may belong to: reviewers at county level
// or above, province-wide roles (province_admin, auditor, card_centre) at the province.
OrgLevel LowestLevelFor(Role role);

struct StaffAccount {
  std::string username;
  std::string name;  // real name (实名)
  std::string org_code;
  std::vector<Role> roles;
  std::string password_hash;
  int failed_attempts = 0;
  std::optional<TimePoint> locked_until;
  bool disabled = false;
  TimePoint created_at;
  int64_t version = 1;
};

// Who is acting: the account with its org's level and region, resolved once per request.
struct Principal {
  std::string username;
  std::string name;
  std::string org_code;
  OrgLevel org_level = OrgLevel::kTown;
  std::string region_code;  // the org's region: the root of everything the account may see
  std::vector<Role> roles;
  std::string session_id;  // digest of the session token (never the token itself)
  // A citizen: their person record (org_code and region_code are then those of the county
  // hall that accepts their online cases).
  std::string person_id;

  bool Has(Permission permission) const;
  bool IsCitizen() const { return !person_id.empty(); }
};

// The lowest org level at which a permission may be exercised: reviews at county level or
// above (R-CAT-2), org administration at the province. Others: any level.
OrgLevel LowestLevelFor(Permission permission);

// The access decision: the principal needs the permission, its org must be at the level the
// permission needs, and `target_region` must lie in its org's region subtree (a county
// account never sees another county's data).
// Errors: FORBIDDEN (R-SEC-1) without the permission or below the level, OUT_OF_REGION
// (R-SEC-1) outside the subtree.
Status Authorize(const Principal& principal, Permission permission,
                 std::string_view target_region);
// Authorize for reading one record found by its number: a record outside the subtree answers
// NOT_FOUND, exactly as a number that does not exist, so no answer tells whether a case, card,
// person or file exists elsewhere (no existence oracle). Errors: FORBIDDEN, NOT_FOUND.
Status AuthorizeRecord(const Principal& principal, Permission permission,
                       std::string_view target_region);
// Only the permission part of Authorize.
Status RequirePermission(const Principal& principal, Permission permission);
// Region codes and the stateless form checks: staff with read_reference, and citizens (the
// portal's forms use them); not the interface accounts of banks, partners and payers.
// Errors: FORBIDDEN (R-SEC-1).
Status RequireReferenceReader(const Principal& principal);

// Staff password rule: at least 10 characters with three of: upper, lower, digit, symbol;
// not containing the username. Errors: WEAK_PASSWORD.
Status CheckStaffPassword(std::string_view password, std::string_view username);

// Usernames: 3–32 of [a-z0-9_.-], starting with a letter. Errors: VALIDATION_FAILED.
Status CheckUsername(std::string_view username);

// An attacker who guesses passwords is slowed per client address (the API's limits) and per
// account; the account lock of administrators is short, so that nobody can keep the province's
// administrators or auditors out by failing on purpose: they wait a minute, not a quarter hour.
struct LockoutPolicy {
  int max_failures = 5;  // failures in a row that lock the account
  std::chrono::minutes lock_for{15};
  std::chrono::minutes administrator_lock_for{1};
};

// The account after a failed sign-in at `now`: counter up, locked when it reaches the limit.
StaffAccount AfterFailedSignIn(StaffAccount account, TimePoint now, const LockoutPolicy& policy);
// True while the lock holds at `now`.
bool IsLocked(const StaffAccount& account, TimePoint now);

struct Session {
  std::string token_digest;  // DigestHex(token): the token itself is never stored
  std::string username;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;  // absolute expiry
  bool revoked = false;
};

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
  // last_seen_at is written at most this often (a write per request would cost an fsync).
  std::chrono::seconds touch_every{60};
};

enum class SessionState { kValid, kIdleExpired, kExpired, kRevoked };
SessionState EvaluateSession(const Session& session, TimePoint now, const SessionPolicy& policy);

// One row of the audit trail (R-SEC-3): never personal data in clear.
struct AuditEntry {
  std::string id;  // time-ordered unique id
  TimePoint at;
  std::string actor;  // username, or "-" for an anonymous caller
  std::string org_code;
  std::string action;  // e.g. "auth.login", "staff.add"
  std::string target;  // an id that is not personal data (username, org code, case no)
  std::string result;  // "ok" or "refused"
  std::string code;    // error code when refused
  std::string rule;    // rule id when a rule refused
  std::string request_id;
};

}  // namespace sscard::domain
