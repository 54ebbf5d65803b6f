#include "storage/audit_chain.h"

#include <fmt/format.h>

#include <utility>

#include "common/clock.h"

namespace sscard::storage {

namespace {

void Field(std::string& text, std::string_view value) {
  text += std::to_string(value.size());
  text += ':';
  text += value;
  text += ';';
}

}  // namespace

std::string AuditCanonical(const domain::AuditEntry& entry) {
  std::string text;
  Field(text, entry.id);
  Field(text, std::to_string(ToUnixMillis(entry.at)));
  for (const std::string* value : {&entry.actor, &entry.org_code, &entry.action, &entry.target,
                                   &entry.result, &entry.code, &entry.rule, &entry.request_id}) {
    Field(text, *value);
  }
  return text;
}

std::string AuditRowMac(const KeyedHash& mac, const domain::AuditEntry& entry) {
  return mac("sscard-audit-row\n" + AuditCanonical(entry));
}

std::string AuditLink(const KeyedHash& mac, std::string_view previous, int64_t seq,
                      const domain::AuditEntry& entry) {
  return mac(fmt::format("sscard-audit-link\n{}\n{}\n{}", previous, seq, AuditCanonical(entry)));
}

bool AuditRowMacValid(const KeyedHash& mac, const domain::AuditEntry& entry,
                      std::string_view row_mac, bool legacy_open) {
  if (legacy_open && row_mac == kLegacyRowMac) return true;
  return !row_mac.empty() && row_mac == AuditRowMac(mac, entry);
}

AuditChainChecker::AuditChainChecker(KeyedHash mac, int64_t first_seq, std::string anchor,
                                     bool legacy_open)
    : mac_(std::move(mac)), expected_seq_(first_seq), previous_(std::move(anchor)),
      legacy_open_(legacy_open) {
  report_.first_seq = first_seq;
  report_.last_seq = first_seq - 1;
}

bool AuditChainChecker::Break(const domain::AuditEntry* entry, int64_t seq, std::string reason) {
  if (!report_.intact) return false;
  report_.intact = false;
  report_.broken_id = entry ? entry->id : "";
  report_.broken_seq = seq;
  report_.reason = std::move(reason);
  return false;
}

bool AuditChainChecker::Chained(const domain::AuditEntry& entry, std::string_view row_mac,
                                int64_t seq, std::string_view link) {
  if (!report_.intact) return false;
  if (seq < expected_seq_) return Break(&entry, seq, "row out of its place in the chain");
  if (seq > expected_seq_) return Break(&entry, seq, "row missing before this row");
  // A chained row keeps the MAC it was written with; the legacy mark is only taken when the
  // link (which covers every field) says the row is the one that was chained.
  bool own_mac = row_mac == AuditRowMac(mac_, entry);
  if (!own_mac && row_mac != kLegacyRowMac) return Break(&entry, seq, "row changed");
  if (link != AuditLink(mac_, previous_, seq, entry)) {
    return Break(&entry, seq, own_mac ? "row moved or a row before it changed" : "row changed");
  }
  previous_ = std::string(link);
  ++expected_seq_;
  ++report_.chained;
  report_.last_seq = seq;
  return true;
}

bool AuditChainChecker::Pending(const domain::AuditEntry& entry, std::string_view row_mac) {
  if (!report_.intact) return false;
  if (!AuditRowMacValid(mac_, entry, row_mac, legacy_open_)) {
    return Break(&entry, 0, "row not written by sscard, or changed before it was chained");
  }
  ++report_.pending;
  return true;
}

void AuditChainChecker::Finish(int64_t head_seq, std::string_view head_link) {
  if (!report_.intact) return;
  if (report_.last_seq != head_seq || (head_seq >= report_.first_seq && previous_ != head_link)) {
    Break(nullptr, report_.last_seq + 1, "rows missing at the end of the chain");
  }
}

}  // namespace sscard::storage
