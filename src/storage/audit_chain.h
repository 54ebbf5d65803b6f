#pragma once
// The audit chain's arithmetic, shared by the SQL and memory stores (R-SEC-3): the canonical
// text of a row, its MAC, the link to the previous row, and a checker fed the rows in chain
// order. The keyed hash is the store's (HMAC-SHA256 with the personal-data lookup key, with
// its own domain prefix), so rows cannot be forged without the key file.
// Thread-safety: pure functions; a checker belongs to one verification.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "domain/ports/store.h"
#include "domain/staff.h"

namespace sscard::storage {

using KeyedHash = std::function<std::string(std::string_view)>;

// Rows written before the chain existed carry this mark instead of a MAC; the first sealing
// takes them as they are, and the mark is refused afterwards.
inline constexpr std::string_view kLegacyRowMac = "legacy";

// Every field, length-prefixed, so no two different rows share a text.
std::string AuditCanonical(const domain::AuditEntry& entry);
std::string AuditRowMac(const KeyedHash& mac, const domain::AuditEntry& entry);
std::string AuditLink(const KeyedHash& mac, std::string_view previous, int64_t seq,
                      const domain::AuditEntry& entry);
// True when `row_mac` is the row's own MAC (or the legacy mark while legacy rows are still
// accepted).
bool AuditRowMacValid(const KeyedHash& mac, const domain::AuditEntry& entry,
                      std::string_view row_mac, bool legacy_open);

// Fed the chained rows in ascending sequence order, then the pending rows, then the head.
class AuditChainChecker {
 public:
  AuditChainChecker(KeyedHash mac, int64_t first_seq, std::string anchor, bool legacy_open);
  // Returns false once the chain is broken (the report then names the row).
  bool Chained(const domain::AuditEntry& entry, std::string_view row_mac, int64_t seq,
               std::string_view link);
  bool Pending(const domain::AuditEntry& entry, std::string_view row_mac);
  // Compares the last row with the head (rows deleted at the end of the chain).
  void Finish(int64_t head_seq, std::string_view head_link);
  bool broken() const { return !report_.intact; }
  const ports::AuditChainReport& report() const { return report_; }

 private:
  bool Break(const domain::AuditEntry* entry, int64_t seq, std::string reason);

  KeyedHash mac_;
  int64_t expected_seq_;
  std::string previous_;
  bool legacy_open_;
  ports::AuditChainReport report_;
};

}  // namespace sscard::storage
