#pragma once
// Demo data for `sscard serve --demo` (never without the flag): orgs of Hubei from the real
// imported regions and one account per role, all with the published demo password.
// Idempotent: a second run finds the marker setting and changes nothing.

#include <string>
#include <vector>

#include "common/crypto.h"
#include "domain/ports/store.h"

namespace sscard::app {

inline constexpr const char* kDemoPassword = "Sscard-Demo-2026";

struct DemoAccount {
  std::string username;
  std::string role;
  std::string org_name;
};

// Seeds the demo orgs and accounts, and the demo registry's residents with `police_photo` (a
// JPEG) in the police photo library when it is not empty. Errors: UNKNOWN_REGION when the
// Hubei regions have not been imported; storage errors.
Status SeedDemo(ports::Store& store, TimePoint now, PasswordCost cost, const std::string& police_photo = "");

// The demo accounts, for the start-up banner and README.
std::vector<DemoAccount> DemoAccounts();

// The residents the demo population registry knows (they can sign up on the portal).
struct DemoResident {
  std::string name;
  std::string id_number;
  std::string phone;
};
std::vector<DemoResident> DemoResidents();

}  // namespace sscard::app
