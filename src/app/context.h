#pragma once
// What every use case knows about the call it serves: who (if anyone), which request, when.
// Thread-safety: a plain value, owned by the request.

#include <optional>
#include <string>

#include "common/clock.h"
#include "domain/staff.h"

namespace sscard::app {

struct CallContext {
  std::string request_id;
  std::optional<domain::Principal> principal;  // empty for anonymous calls
  TimePoint now;

  std::string Actor() const { return principal ? principal->username : "-"; }
  std::string OrgCode() const { return principal ? principal->org_code : ""; }
};

// The principal of command-line administration (`sscard user add` …): province-wide, every
// role, audited as "cli".
domain::Principal CliPrincipal(const std::string& province_region);

}  // namespace sscard::app
