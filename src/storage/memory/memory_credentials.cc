#include "storage/memory/memory_credentials.h"

#include <algorithm>

namespace sscard::storage {
namespace {

using domain::ChallengeState;
using domain::Terminal;

class MemoryCredentials final : public ports::CredentialRepository {
 public:
  explicit MemoryCredentials(MemoryCredentialState& state) : state_(state) {}
  Result<bool> UseOnce(const std::string& nonce, TimePoint expires_at) override {
    return state_.nonces.emplace(nonce, MemoryCredentialState::Nonce{"", false, expires_at, true}).second;
  }
  Status PutChallenge(const std::string& challenge, const std::string& org_code, TimePoint expires_at) override {
    if (!state_.nonces.emplace(challenge, MemoryCredentialState::Nonce{org_code, true, expires_at, false}).second) {
      return Fail(ErrorCode::kALREADY_EXISTS);
    }
    return Ok();
  }
  Result<ChallengeState> TakeChallenge(const std::string& challenge, const std::string& org_code, TimePoint now) override {
    auto found = state_.nonces.find(challenge);
    if (found == state_.nonces.end() || !found->second.challenge || found->second.org_code != org_code) {
      return ChallengeState::kUnknown;
    }
    if (found->second.used) return ChallengeState::kSpent;
    if (found->second.expires_at <= now) return ChallengeState::kExpired;
    found->second.used = true;
    return ChallengeState::kTaken;
  }
  Status Purge(TimePoint now) override {
    std::erase_if(state_.nonces, [&](const auto& entry) { return entry.second.expires_at < now; });
    return Ok();
  }
  Status InsertTerminal(const Terminal& terminal) override {
    if (!state_.terminals.emplace(terminal.terminal_id, terminal).second) return Fail(ErrorCode::kALREADY_EXISTS);
    return Ok();
  }
  Result<std::optional<Terminal>> FindTerminal(const std::string& terminal_id) override {
    auto found = state_.terminals.find(terminal_id);
    if (found == state_.terminals.end()) return std::optional<Terminal>();
    return std::optional<Terminal>(found->second);
  }
  Result<std::vector<Terminal>> ListTerminals(const std::string& org_code) override {
    std::vector<Terminal> terminals;
    for (const auto& [id, terminal] : state_.terminals) {
      if (terminal.org_code == org_code) terminals.push_back(terminal);
    }
    std::sort(terminals.begin(), terminals.end(),
              [](const Terminal& a, const Terminal& b) { return std::tie(a.created_at, a.terminal_id) < std::tie(b.created_at, b.terminal_id); });
    return terminals;
  }
  Status RevokeTerminal(const std::string& terminal_id) override {
    auto found = state_.terminals.find(terminal_id);
    if (found == state_.terminals.end()) return Fail(ErrorCode::kNOT_FOUND);
    found->second.revoked = true;
    return Ok();
  }

 private:
  MemoryCredentialState& state_;
};

}  // namespace

std::unique_ptr<ports::CredentialRepository> MakeMemoryCredentials(MemoryCredentialState& state) {
  return std::make_unique<MemoryCredentials>(state);
}

}  // namespace sscard::storage
