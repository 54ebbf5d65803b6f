#pragma once
// Partner departments' profiles (R-ONE-6): the purpose, the fields a partner may receive when
// a holder presents the card, and its rate limit. The province sets them; until it does, a
// partner has the default for its accounts' roles (domain::DefaultPartnerProfile). Profiles are
// kept in the settings table under "partner_profile/<org code>".
// Thread-safety: as the Store.

#include <optional>
#include <string>

#include "app/context.h"
#include "domain/org.h"
#include "domain/partner_profile.h"
#include "domain/ports/store.h"

namespace sscard::app {

// The profile in force for a partner org, inside the caller's transaction.
Result<domain::PartnerProfile> LoadPartnerProfile(ports::Tx& tx, const std::string& org_code);

class PartnerService {
 public:
  explicit PartnerService(ports::Store& store) : store_(store) {}

  // Errors: FORBIDDEN (org administration at the province), UNKNOWN_ORG (no such partner).
  Result<domain::PartnerProfile> Profile(const CallContext& context, const std::string& org_code);
  // Replaces the purpose and fields, and the rate limit when `per_minute` is given (else it
  // stays); `expected_version` (If-Match) guards against a lost update.
  // Errors: FORBIDDEN, UNKNOWN_ORG, VALIDATION_FAILED, VERSION_MISMATCH.
  Result<domain::PartnerProfile> PutProfile(const CallContext& context, domain::PartnerProfile profile,
                                            std::optional<int> per_minute, std::optional<int64_t> expected_version);

 private:
  ports::Store& store_;
};

}  // namespace sscard::app
