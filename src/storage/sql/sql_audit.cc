#include "storage/sql/sql_audit.h"

#include <fmt/format.h>

#include <limits>

#include "common/crypto.h"
#include "storage/audit_chain.h"
#include "storage/sql/sql_helpers.h"

namespace sscard::storage::sql {
namespace {

using domain::AuditEntry;

constexpr std::string_view kEntryColumns =
    "id, at, actor, org_code, action, target, result, code, rule, request_id";
constexpr int kPage = 1000;

// Without the key file (tools and tests that open a bare store) rows are still chained, by an
// unkeyed digest: order and deletions stay evident, forgery does not.
KeyedHash KeyedHashOf(const ports::Sealer* sealer) {
  if (sealer) return [sealer](std::string_view data) { return sealer->LookupKey(data); };
  return [](std::string_view data) { return Sha256Hex(data); };
}

AuditEntry EntryOf(const Row& row) {
  return AuditEntry{row.Text(0), FromUnixMillis(row.Int(1)), row.Text(2), row.Text(3), row.Text(4),
                    row.Text(5), row.Text(6), row.Text(7), row.Text(8), row.Text(9)};
}

struct Head {
  int64_t first_seq = 1;
  std::string anchor;
  int64_t last_seq = 0;
  std::string last_link;
  bool legacy_open = false;
};

Result<Head> ReadHead(Connection& db) {
  ASSIGN_OR_RETURN(auto rows, db.Query("SELECT first_seq, anchor, last_seq, last_link, legacy_open "
                                       "FROM audit_chain WHERE id = 1"));
  if (rows.empty()) return Fail(MakeError(ErrorCode::kINTERNAL, "审计链头缺失", "the audit chain's head is missing"));
  return Head{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2), rows[0].Text(3), rows[0].Int(4) != 0};
}

class SqlAudit final : public ports::AuditRepository {
 public:
  SqlAudit(Connection& connection, const ports::Sealer* sealer)
      : db_(connection), sealer_(sealer), mac_(KeyedHashOf(sealer)) {}

  Status Append(const AuditEntry& entry) override {
    return db_
        .Execute("INSERT INTO audit_log (id, at, actor, org_code, action, target, result, code, "
                 "rule, request_id, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {entry.id, Millis(entry.at), entry.actor, entry.org_code, entry.action,
                  entry.target, entry.result, entry.code, entry.rule, entry.request_id,
                  AuditRowMac(mac_, entry)})
        .map([](int64_t) {});
  }

  Result<std::vector<AuditEntry>> List(const ports::AuditQuery& query) override {
    std::string sql = fmt::format("SELECT {} FROM audit_log WHERE org_code LIKE ? ESCAPE '\\'", kEntryColumns);
    std::vector<Value> params = {LikePrefix(query.org_code_prefix)};
    if (!query.actor.empty()) {
      sql += " AND actor = ?";
      params.push_back(query.actor);
    }
    if (!query.action.empty()) {
      sql += " AND action = ?";
      params.push_back(query.action);
    }
    if (query.from) {
      sql += " AND at >= ?";
      params.push_back(Millis(*query.from));
    }
    if (query.to) {
      sql += " AND at < ?";
      params.push_back(Millis(*query.to));
    }
    if (!query.after_id.empty()) {
      sql += " AND id < ?";
      params.push_back(query.after_id);
    }
    for (const auto& [column, list] : {std::pair{"target", &query.targets}, std::pair{"action", &query.actions}}) {
      if (list->empty()) continue;
      sql += fmt::format(" AND {} IN ({})", column, Placeholders(static_cast<int>(list->size())));
      for (const std::string& value : *list) params.push_back(value);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.push_back(int64_t{query.limit});
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, params));
    std::vector<AuditEntry> entries;
    for (const Row& row : rows) entries.push_back(EntryOf(row));
    return entries;
  }

  Result<int> SealPending(int limit) override {
    ASSIGN_OR_RETURN(Head head, ReadHead(db_));
    static const std::string sql = fmt::format(
        "SELECT {}, row_mac FROM audit_log WHERE seq IS NULL AND id > ? ORDER BY id LIMIT ?", kEntryColumns);
    int linked = 0;
    bool exhausted = false;  // every pending row was looked at
    std::string cursor;
    // Rows refused (a wrong MAC) stay pending; the cursor steps over them, and the pages are
    // bounded so one call does bounded work however many rows wait.
    for (int page = 0; page < 100 && linked < limit; ++page) {
      ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {cursor, int64_t{kPage}}));
      for (const Row& row : rows) {
        if (linked >= limit) break;
        AuditEntry entry = EntryOf(row);
        cursor = entry.id;
        if (!AuditRowMacValid(mac_, entry, row.Text(10), head.legacy_open)) continue;
        int64_t seq = head.last_seq + 1;
        std::string link = AuditLink(mac_, head.last_link, seq, entry);
        ASSIGN_OR_RETURN(int64_t changed, db_.Execute("UPDATE audit_log SET seq = ?, chain_link = ? "
                                                      "WHERE id = ? AND seq IS NULL",
                                                      {seq, link, entry.id}));
        if (changed != 1) return Fail(ErrorCode::kCONFLICT);
        head.last_seq = seq;
        head.last_link = std::move(link);
        ++linked;
      }
      if (linked >= limit) break;
      if (static_cast<int>(rows.size()) < kPage) {
        exhausted = true;
        break;
      }
    }
    // The legacy mark is taken until the first sealing has looked at every row.
    bool legacy_open = head.legacy_open && !exhausted;
    if (linked == 0 && legacy_open == head.legacy_open) return 0;
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE audit_chain SET last_seq = ?, last_link = ?, legacy_open = ? WHERE id = 1",
                                 {head.last_seq, head.last_link, Bool(legacy_open)}));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return linked;
  }

  Result<ports::AuditChainReport> VerifyChain() override { return VerifyAuditChain(db_, sealer_); }

  Result<int64_t> Purge(TimePoint before) override {
    ASSIGN_OR_RETURN(Head head, ReadHead(db_));
    // The first row to keep: the oldest chained row written at or after `before`.
    ASSIGN_OR_RETURN(auto kept, db_.Query("SELECT MIN(seq) FROM audit_log WHERE seq IS NOT NULL AND at >= ?",
                                          {Millis(before)}));
    int64_t keep_from = kept.empty() || kept[0].IsNull(0) ? head.last_seq + 1 : kept[0].Int(0);
    if (keep_from <= head.first_seq) return 0;
    std::string anchor = head.last_link;
    if (keep_from <= head.last_seq) {
      ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT chain_link FROM audit_log WHERE seq = ?", {keep_from - 1}));
      if (rows.empty()) return Fail(MakeError(ErrorCode::kCONFLICT, "审计链不完整", "the audit chain is broken"));
      anchor = rows[0].Text(0);
    }
    ASSIGN_OR_RETURN(int64_t deleted, db_.Execute("DELETE FROM audit_log WHERE seq IS NOT NULL AND seq < ?", {keep_from}));
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute("UPDATE audit_chain SET first_seq = ?, anchor = ? WHERE id = 1",
                                                  {keep_from, anchor}));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return deleted;
  }

 private:
  Connection& db_;
  const ports::Sealer* sealer_;
  KeyedHash mac_;
};

}  // namespace

std::unique_ptr<ports::AuditRepository> MakeSqlAudit(Connection& connection, const ports::Sealer* sealer) {
  return std::make_unique<SqlAudit>(connection, sealer);
}

Result<ports::AuditChainReport> VerifyAuditChain(Connection& connection, const ports::Sealer* sealer) {
  ASSIGN_OR_RETURN(Head head, ReadHead(connection));
  AuditChainChecker checker(KeyedHashOf(sealer), head.first_seq, head.anchor, head.legacy_open);
  static const std::string chained = fmt::format(
      "SELECT {}, row_mac, seq, chain_link FROM audit_log WHERE seq IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?",
      kEntryColumns);
  int64_t cursor = std::numeric_limits<int64_t>::min();
  while (!checker.broken()) {
    ASSIGN_OR_RETURN(auto rows, connection.Query(chained, {cursor, int64_t{kPage}}));
    for (const Row& row : rows) {
      cursor = row.Int(11);
      if (!checker.Chained(EntryOf(row), row.Text(10), cursor, row.Text(12))) break;
    }
    if (static_cast<int>(rows.size()) < kPage) break;
  }
  checker.Finish(head.last_seq, head.last_link);
  static const std::string pending =
      fmt::format("SELECT {}, row_mac FROM audit_log WHERE seq IS NULL AND id > ? ORDER BY id LIMIT ?", kEntryColumns);
  std::string after;
  while (!checker.broken()) {
    ASSIGN_OR_RETURN(auto rows, connection.Query(pending, {after, int64_t{kPage}}));
    for (const Row& row : rows) {
      AuditEntry entry = EntryOf(row);
      after = entry.id;
      if (!checker.Pending(entry, row.Text(10))) break;
    }
    if (static_cast<int>(rows.size()) < kPage) break;
  }
  return checker.report();
}

}  // namespace sscard::storage::sql
