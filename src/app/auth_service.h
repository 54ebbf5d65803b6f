#pragma once
// Staff sign-in, per-request authentication and sign-out (R-SEC-1, R-ACCEPT-1): argon2id
// passwords, lockout after repeated failures, random session tokens stored only as digests,
// idle and absolute session expiry.
// Thread-safety: all methods may be called concurrently.

#include <mutex>
#include <string>
#include <unordered_map>

#include "app/context.h"
#include "common/crypto.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct AuthConfig {
  domain::LockoutPolicy lockout;
  domain::SessionPolicy session;
  PasswordCost password_cost = PasswordCost::kInteractive;
  // A checked session is trusted this long without a database round trip (0: never).
  // Sign-out, disabling and password resets in this process forget it at once; a change
  // made by another process (`sscard user disable`) takes effect within this time.
  std::chrono::milliseconds principal_cache{1000};
};

struct LoginResult {
  std::string token;  // shown once; only its digest is stored
  TimePoint expires_at;
  domain::Principal principal;
};

class AuthService {
 public:
  AuthService(ports::Store& store, AuthConfig config);

  // Errors: BAD_CREDENTIALS (unknown user or wrong password; the same answer for both),
  // ACCOUNT_LOCKED, ACCOUNT_DISABLED. Every attempt is audited as "auth.login".
  Result<LoginResult> Login(const CallContext& context, const std::string& username,
                            const std::string& password);

  // The principal of a bearer token at `now`. Errors: UNAUTHENTICATED (unknown token),
  // SESSION_EXPIRED (idle, absolute or revoked), ACCOUNT_DISABLED, ACCOUNT_LOCKED.
  Result<domain::Principal> Authenticate(const std::string& token, TimePoint now);

  // Ends the caller's session. Audited as "auth.logout".
  Status Logout(const CallContext& context);
  // Drops the cached sessions of an account (it was disabled or its password reset).
  void Forget(const std::string& username);

  const AuthConfig& config() const { return config_; }

 private:
  Result<domain::Principal> PrincipalOf(ports::Tx& tx, const domain::StaffAccount& account,
                                        const std::string& session_id);
  // The principal of a citizen's session (R-ONE-8): their person, and the county hall that
  // accepts their online cases as org.
  Result<domain::Principal> CitizenPrincipal(ports::Tx& tx, const std::string& citizen_id,
                                             const std::string& session_id);

  ports::Store& store_;
  AuthConfig config_;
  std::string dummy_hash_;  // verified against for unknown users, so timing tells nothing

  struct Cached {
    domain::Principal principal;
    TimePoint checked_at;
  };
  std::mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token digest
};

}  // namespace sscard::app
