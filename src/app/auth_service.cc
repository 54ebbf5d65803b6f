#include "app/auth_service.h"

#include "app/audited.h"
#include "app/citizen_service.h"

namespace sscard::app {

using domain::Principal;
using domain::StaffAccount;

AuthService::AuthService(ports::Store& store, AuthConfig config)
    : store_(store),
      config_(config),
      dummy_hash_(HashPassword("no such account", config.password_cost)) {}

Result<Principal> AuthService::PrincipalOf(ports::Tx& tx, const StaffAccount& account,
                                           const std::string& session_id) {
  ASSIGN_OR_RETURN(auto org, tx.orgs().Find(account.org_code));
  if (!org) return Fail(ErrorCode::kUNKNOWN_ORG);
  Principal principal;
  principal.username = account.username;
  principal.name = account.name;
  principal.org_code = org->code;
  principal.org_level = org->level;
  principal.region_code = org->region_code;
  principal.roles = account.roles;
  principal.session_id = session_id;
  return principal;
}

Result<Principal> AuthService::CitizenPrincipal(ports::Tx& tx, const std::string& citizen_id,
                                                const std::string& session_id) {
  ASSIGN_OR_RETURN(auto account, tx.citizens().FindById(citizen_id));
  if (!account) return Fail(ErrorCode::kUNAUTHENTICATED);
  ASSIGN_OR_RETURN(auto person, tx.persons().FindById(account->person_id));
  if (!person) return Fail(ErrorCode::kUNAUTHENTICATED);
  // Online cases of a citizen are accepted by the county hall of their household region.
  ASSIGN_OR_RETURN(domain::Org hall, OnlineOrgFor(tx, person->region_code));
  Principal principal;
  principal.username = "citizen:" + account->id;
  principal.name = account->name;
  principal.org_code = hall.code;
  principal.org_level = hall.level;
  principal.region_code = hall.region_code;
  principal.roles = {domain::Role::kCitizen};
  principal.session_id = session_id;
  principal.person_id = account->person_id;
  return principal;
}

Result<LoginResult> AuthService::Login(const CallContext& context, const std::string& username,
                                       const std::string& password) {
  AuditTarget what{"auth.login", username};
  // The slow hash check runs outside any transaction so it never holds the write lock.
  ASSIGN_OR_RETURN(auto before, ports::Transact<std::optional<StaffAccount>>(
                                    store_, ports::TxMode::kRead,
                                    [&](ports::Tx& tx) { return tx.staff().Find(username); }));
  bool password_ok = VerifyPassword(password, before ? before->password_hash : dummy_hash_);
  if (before) what.org_code = before->org_code;
  if (!before) {
    Error refusal = MakeError(ErrorCode::kBAD_CREDENTIALS);
    (void)store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) {
      return tx.audit().Append(MakeAuditEntry(context, what, &refusal));
    });
    return Fail(refusal);
  }

  std::optional<Error> refusal;
  std::optional<LoginResult> result;
  Status status = store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    refusal.reset();
    result.reset();
    ASSIGN_OR_RETURN(auto account, tx.staff().Find(username));
    if (!account) return Fail(ErrorCode::kBAD_CREDENTIALS);
    // A password changed meanwhile makes the check above meaningless: treat as a failure.
    bool ok = password_ok && account->password_hash == before->password_hash;
    if (account->disabled) {
      refusal = MakeError(ErrorCode::kACCOUNT_DISABLED).WithRule("R-SEC-1");
    } else if (domain::IsLocked(*account, context.now)) {
      refusal = MakeError(ErrorCode::kACCOUNT_LOCKED).WithRule("R-SEC-1");
    } else if (!ok) {
      StaffAccount failed = domain::AfterFailedSignIn(*account, context.now, config_.lockout);
      failed.version = account->version + 1;
      RETURN_IF_ERROR(tx.staff().Update(failed));
      refusal = domain::IsLocked(failed, context.now)
                    ? MakeError(ErrorCode::kACCOUNT_LOCKED).WithRule("R-SEC-1")
                    : MakeError(ErrorCode::kBAD_CREDENTIALS);
    } else {
      if (account->failed_attempts != 0 || account->locked_until) {
        StaffAccount reset = *account;
        reset.failed_attempts = 0;
        reset.locked_until.reset();
        reset.version = account->version + 1;
        RETURN_IF_ERROR(tx.staff().Update(reset));
      }
      std::string token = RandomToken();
      domain::Session session{DigestHex(token), username, context.now, context.now,
                              context.now + config_.session.absolute, false};
      RETURN_IF_ERROR(tx.sessions().Insert(session));
      ASSIGN_OR_RETURN(Principal principal, PrincipalOf(tx, *account, session.token_digest));
      result = LoginResult{token, session.expires_at, principal};
    }
    CallContext audit_context = context;
    if (result) audit_context.principal = result->principal;
    return tx.audit().Append(
        MakeAuditEntry(audit_context, what, refusal ? &*refusal : nullptr));
  });
  if (!status) return tl::unexpected(std::move(status).error());
  if (refusal) return Fail(*refusal);
  return std::move(*result);
}

Result<Principal> AuthService::Authenticate(const std::string& token, TimePoint now) {
  if (token.empty()) return Fail(ErrorCode::kUNAUTHENTICATED);
  std::string digest = DigestHex(token);
  if (config_.principal_cache.count() > 0) {
    std::lock_guard lock(cache_mutex_);
    auto found = cache_.find(digest);
    if (found != cache_.end() && now >= found->second.checked_at && now - found->second.checked_at < config_.principal_cache) {
      return found->second.principal;
    }
  }
  bool touch = false;
  auto principal = ports::Transact<Principal>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<Principal> {
        ASSIGN_OR_RETURN(auto session, tx.sessions().Find(digest));
        if (!session) return Fail(ErrorCode::kUNAUTHENTICATED);
        if (domain::EvaluateSession(*session, now, config_.session) !=
            domain::SessionState::kValid) {
          return Fail(ErrorCode::kSESSION_EXPIRED);
        }
        touch = now - session->last_seen_at >= config_.session.touch_every;
        constexpr std::string_view kCitizen = "citizen:";
        if (session->username.rfind(kCitizen, 0) == 0) {
          return CitizenPrincipal(tx, session->username.substr(kCitizen.size()), digest);
        }
        ASSIGN_OR_RETURN(auto account, tx.staff().Find(session->username));
        if (!account || account->disabled) {
          return Fail(MakeError(ErrorCode::kACCOUNT_DISABLED).WithRule("R-SEC-1"));
        }
        touch = now - session->last_seen_at >= config_.session.touch_every;
        return PrincipalOf(tx, *account, digest);
      });
  if (principal && touch) {
    RETURN_IF_ERROR(store_.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) {
      return tx.sessions().Touch(digest, now);
    }));
  }
  if (principal && config_.principal_cache.count() > 0) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() > 100000) cache_.clear();  // bounded: at worst a round trip more
    cache_[digest] = {*principal, now};
  }
  return principal;
}

void AuthService::Forget(const std::string& username) {
  std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.principal.username == username; });
}

Status AuthService::Logout(const CallContext& context) {
  if (!context.principal) return Fail(ErrorCode::kUNAUTHENTICATED);
  {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(context.principal->session_id);
  }
  return RunAudited(store_, context, {"auth.logout", context.principal->username},
                    [&](ports::Tx& tx) { return tx.sessions().Revoke(context.principal->session_id); });
}

}  // namespace sscard::app
