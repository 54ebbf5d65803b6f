#pragma once
// Administration use cases: regions, service orgs, staff accounts and the audit trail, each
// authorised by role and scoped to the caller's region subtree (R-SEC-1, R-SEC-3, R-SEC-4).
// Thread-safety: all methods may be called concurrently.

#include <optional>
#include <functional>
#include <string>
#include <vector>

#include "app/context.h"
#include "common/crypto.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct NewStaff {
  std::string username;
  std::string name;
  std::string org_code;
  std::vector<std::string> roles;
  std::string password;
};

struct NewOrg {
  std::string name;
  std::string region_code;
  std::string institution;  // 5 digits
  std::string level;        // optional: derived from the region when empty
  std::string type;
  domain::OrgCapabilities capabilities;
  std::string address;
  std::string bank_code;
};

struct AuditPage {
  std::vector<domain::AuditEntry> items;
  std::string next_cursor;
};

class AdminService {
 public:
  AdminService(ports::Store& store, PasswordCost password_cost);
  // Called with a username after its sessions were revoked (disable, password reset).
  void OnSessionsRevoked(std::function<void(const std::string&)> callback) { on_revoked_ = std::move(callback); }

  // Regions are reference data: every signed-in account may read them.
  Result<std::vector<domain::Region>> RegionChildren(const std::string& parent_code);
  Result<domain::Region> RegionOf(const std::string& code);
  // Adds or renames regions (import). Errors: FORBIDDEN without manage_orgs.
  Result<int64_t> ImportRegions(const CallContext& context,
                                const std::vector<domain::Region>& regions);

  // Orgs in the caller's region subtree.
  Result<std::vector<domain::Org>> ListOrgs(const CallContext& context);
  // Errors: NOT_FOUND, OUT_OF_REGION.
  Result<domain::Org> GetOrg(const CallContext& context, const std::string& code);
  // Errors: FORBIDDEN, VALIDATION_FAILED, UNKNOWN_REGION, OUT_OF_REGION, ALREADY_EXISTS,
  // INVALID_SERVICE_POINT_ID.
  Result<domain::Org> CreateOrg(const CallContext& context, const NewOrg& request);

  // Accounts of the orgs in the caller's subtree (or of one org). Errors: FORBIDDEN,
  // OUT_OF_REGION, NOT_FOUND.
  Result<std::vector<domain::StaffAccount>> ListStaff(const CallContext& context,
                                                      const std::string& org_code);
  // Errors: FORBIDDEN, OUT_OF_REGION, VALIDATION_FAILED, WEAK_PASSWORD, UNKNOWN_ORG,
  // ALREADY_EXISTS.
  Result<domain::StaffAccount> AddStaff(const CallContext& context, const NewStaff& request);
  // Disables an account and ends its sessions. Errors: FORBIDDEN, OUT_OF_REGION, NOT_FOUND.
  Status DisableStaff(const CallContext& context, const std::string& username);
  // Sets a new password, lifts a lock, ends the sessions. Errors: as DisableStaff and
  // WEAK_PASSWORD.
  Status ResetPassword(const CallContext& context, const std::string& username,
                       const std::string& password);

  // The audit trail of the orgs in the caller's subtree. Errors: FORBIDDEN.
  Result<AuditPage> ListAudit(const CallContext& context, ports::AuditQuery query);
  // Walks the whole tamper-evident audit chain (R-SEC-3): province auditors only, since the
  // chain spans every org. Errors: FORBIDDEN.
  Result<ports::AuditChainReport> VerifyAuditChain(const CallContext& context);

 private:
  Result<domain::StaffAccount> StaffInScope(ports::Tx& tx, const domain::Principal& principal,
                                            const std::string& username);

  ports::Store& store_;
  PasswordCost password_cost_;
  std::function<void(const std::string&)> on_revoked_ = [](const std::string&) {};
};

// The principal of a context, or UNAUTHENTICATED.
Result<domain::Principal> RequirePrincipal(const CallContext& context);

}  // namespace sscard::app
