#include "storage/sql/sql_credentials.h"

#include <fmt/format.h>

#include "storage/sql/sql_helpers.h"

namespace sscard::storage::sql {
namespace {

using domain::ChallengeState;
using domain::Terminal;

class SqlCredentials final : public ports::CredentialRepository {
 public:
  SqlCredentials(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}

  Result<bool> UseOnce(const std::string& nonce, TimePoint expires_at) override {
    ASSIGN_OR_RETURN(int64_t inserted,
                     db_.Execute("INSERT INTO credential_nonces (nonce, kind, org_code, expires_at, used) "
                                 "VALUES (?, 'qr', '', ?, 1) ON CONFLICT (nonce) DO NOTHING",
                                 {nonce, Millis(expires_at)}));
    return inserted == 1;
  }
  Status PutChallenge(const std::string& challenge, const std::string& org_code, TimePoint expires_at) override {
    return db_
        .Execute("INSERT INTO credential_nonces (nonce, kind, org_code, expires_at, used) VALUES (?, 'challenge', ?, ?, 0)",
                 {challenge, org_code, Millis(expires_at)})
        .map([](int64_t) {});
  }
  Result<ChallengeState> TakeChallenge(const std::string& challenge, const std::string& org_code, TimePoint now) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT expires_at, used FROM credential_nonces "
                                          "WHERE nonce = ? AND kind = 'challenge' AND org_code = ?",
                                          {challenge, org_code}));
    if (rows.empty()) return ChallengeState::kUnknown;
    if (rows[0].Int(1) != 0) return ChallengeState::kSpent;
    if (rows[0].Int(0) <= ToUnixMillis(now)) return ChallengeState::kExpired;
    ASSIGN_OR_RETURN(int64_t taken, db_.Execute("UPDATE credential_nonces SET used = 1 WHERE nonce = ? AND used = 0",
                                                {challenge}));
    return taken == 1 ? ChallengeState::kTaken : ChallengeState::kSpent;
  }
  Status Purge(TimePoint now) override {
    return db_.Execute("DELETE FROM credential_nonces WHERE expires_at < ?", {Millis(now)}).map([](int64_t) {});
  }
  Status InsertTerminal(const Terminal& terminal) override {
    if (!sealer_) return Fail(NoSealer());
    return db_
        .Execute("INSERT INTO partner_terminals (terminal_id, org_code, name, key_sealed, created_at, revoked) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {terminal.terminal_id, terminal.org_code, terminal.name,
                  sealer_->Seal(terminal.key, "terminal.key:" + terminal.terminal_id), Millis(terminal.created_at),
                  Bool(terminal.revoked)})
        .map([](int64_t) {});
  }
  Result<std::optional<Terminal>> FindTerminal(const std::string& terminal_id) override {
    ASSIGN_OR_RETURN(auto terminals, Select("terminal_id = ?", terminal_id));
    if (terminals.empty()) return std::optional<Terminal>();
    return std::optional<Terminal>(std::move(terminals.front()));
  }
  Result<std::vector<Terminal>> ListTerminals(const std::string& org_code) override {
    return Select("org_code = ? ORDER BY created_at, terminal_id", org_code);
  }
  Status RevokeTerminal(const std::string& terminal_id) override {
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute("UPDATE partner_terminals SET revoked = 1 WHERE terminal_id = ?",
                                                  {terminal_id}));
    if (changed != 1) return Fail(ErrorCode::kNOT_FOUND);
    return Ok();
  }

 private:
  Result<std::vector<Terminal>> Select(const std::string& condition, const std::string& value) {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT terminal_id, org_code, name, key_sealed, created_at, revoked "
                                                      "FROM partner_terminals WHERE {}",
                                                      condition),
                                          {value}));
    std::vector<Terminal> terminals;
    for (const Row& row : rows) {
      Terminal terminal{row.Text(0), row.Text(1), row.Text(2), "", FromUnixMillis(row.Int(4)), row.Int(5) != 0};
      auto key = sealer_->Open(row.Text(3), "terminal.key:" + terminal.terminal_id);
      if (!key) return Fail(ErrorCode::kINTERNAL, "终端密钥无法解密", "cannot open a terminal key");
      terminal.key = *key;
      terminals.push_back(std::move(terminal));
    }
    return terminals;
  }

  Connection& db_;
  const ports::Sealer* sealer_;
};

}  // namespace

std::unique_ptr<ports::CredentialRepository> MakeSqlCredentials(Connection& connection, const ports::Sealer* sealer) {
  return std::make_unique<SqlCredentials>(connection, sealer);
}

}  // namespace sscard::storage::sql
