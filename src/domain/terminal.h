#pragma once
// A partner's scan terminal with a PSAM (R-ONE-6): a chip read is proven by a MAC over the
// card number and a one-time challenge, keyed by the terminal's own key. Pure data.

#include <string>

#include "common/clock.h"

namespace sscard::domain {

struct Terminal {
  std::string terminal_id;  // "T" + random hex; not a secret
  std::string org_code;     // the partner department it belongs to
  std::string name;         // where it stands, e.g. "门诊一楼挂号处"
  std::string key;          // 32 random bytes; sealed at rest, shown once when registered
  TimePoint created_at;
  bool revoked = false;
};

// How a partner's one-time challenge stood when a chip read came back with it.
enum class ChallengeState { kTaken, kUnknown, kSpent, kExpired };

}  // namespace sscard::domain
