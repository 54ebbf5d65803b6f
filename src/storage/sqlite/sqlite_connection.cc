#include "storage/sqlite/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <unordered_map>

namespace sscard::storage::sqlite {
namespace {

using sql::Row;
using sql::Value;

Error DriverError(sqlite3* db, int code, std::string_view doing) {
  int primary = code & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    int extended = sqlite3_extended_errcode(db);
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return MakeError(ErrorCode::kALREADY_EXISTS);
    }
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return MakeError(ErrorCode::kUNAVAILABLE, "数据库繁忙，请稍后重试",
                     fmt::format("database busy while {}", doing));
  }
  // SQLite messages name tables and columns, never bound values.
  return MakeError(ErrorCode::kINTERNAL, "数据库错误",
                   fmt::format("sqlite error {} while {}: {}", code, doing,
                               db ? sqlite3_errmsg(db) : "no handle"));
}

class SqliteConnection final : public sql::Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [text, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * statement, Prepare(sql, params));
    std::vector<Row> rows;
    int code;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      Row row;
      int columns = sqlite3_column_count(statement);
      row.values.reserve(columns);
      for (int column = 0; column < columns; ++column) {
        switch (sqlite3_column_type(statement, column)) {
          case SQLITE_NULL: row.values.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER:
            row.values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(statement, column)));
            break;
          default: {
            const void* data = sqlite3_column_blob(statement, column);
            int size = sqlite3_column_bytes(statement, column);
            row.values.emplace_back(
                std::string(static_cast<const char*>(data ? data : ""), size));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(statement);
    if (code != SQLITE_DONE) return Fail(DriverError(db_, code, "reading rows"));
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * statement, Prepare(sql, params));
    int code = sqlite3_step(statement);
    while (code == SQLITE_ROW) code = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (code != SQLITE_DONE) return Fail(DriverError(db_, code, "executing a statement"));
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string script(sql);
    int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) return Fail(DriverError(db_, code, "running a script"));
    return Ok();
  }

  // Transaction control goes through the statement cache like any statement: sqlite3_exec
  // would parse "BEGIN" and "COMMIT" again for every use case.
  Status Begin(ports::TxMode mode) override {
    return Execute(mode == ports::TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {}).map([](int64_t) {});
  }
  Status Commit() override { return Execute("COMMIT", {}).map([](int64_t) {}); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Ok();  // nothing open
    return Execute("ROLLBACK", {}).map([](int64_t) {});
  }

 private:
  // Looks statements up by their text without copying it (transparent hashing).
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
    auto found = statements_.find(sql);
    sqlite3_stmt* statement = nullptr;
    if (found != statements_.end()) {
      statement = found->second;
    } else {
      int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
      if (code != SQLITE_OK) return Fail(DriverError(db_, code, "preparing a statement"));
      statements_.emplace(std::string(sql), statement);
    }
    sqlite3_clear_bindings(statement);
    for (size_t index = 0; index < params.size(); ++index) {
      int position = static_cast<int>(index) + 1;
      int code = SQLITE_OK;
      if (const auto* number = std::get_if<int64_t>(&params[index])) {
        code = sqlite3_bind_int64(statement, position, *number);
      } else if (const auto* text = std::get_if<std::string>(&params[index])) {
        code = sqlite3_bind_text(statement, position, text->data(),
                                 static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else {
        code = sqlite3_bind_null(statement, position);
      }
      if (code != SQLITE_OK) return Fail(DriverError(db_, code, "binding a parameter"));
    }
    return statement;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

}  // namespace

Result<std::unique_ptr<sql::Connection>> OpenSqlite(const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int code = sqlite3_open_v2(options.path.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
  if (code != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUNAVAILABLE, "无法打开数据库文件",
                fmt::format("cannot open {}: {}", options.path, message));
  }
  auto connection = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  std::string pragmas = fmt::format(
      // 16 MiB of page cache per connection (the default is 2 MiB): the keyed-hash index of
      // persons takes random inserts; a pool of 4 stays well under the 256 MB budget.
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;",
      options.synchronous == Synchronous::kFull ? "FULL" : "NORMAL");
  if (auto status = connection->ExecuteScript(pragmas); !status) {
    return Fail(ErrorCode::kUNAVAILABLE, "无法配置数据库",
                fmt::format("cannot configure {}: {}", options.path, status.error().detail.en));
  }
  return std::unique_ptr<sql::Connection>(std::move(connection));
}

Status BackupSqlite(const std::string& source_path, const std::string& target_path) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto close_both = [&] {
    sqlite3_close_v2(source);
    sqlite3_close_v2(target);
  };
  if (sqlite3_open_v2(source_path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(target_path.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    close_both();
    return Fail(ErrorCode::kUNAVAILABLE, "无法打开备份源或目标",
                fmt::format("cannot open {} or {}", source_path, target_path));
  }
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  int code = SQLITE_ERROR;
  if (backup) {
    while ((code = sqlite3_backup_step(backup, 256)) == SQLITE_OK || code == SQLITE_BUSY ||
           code == SQLITE_LOCKED) {
      if (code != SQLITE_OK) sqlite3_sleep(20);
    }
    sqlite3_backup_finish(backup);
  }
  close_both();
  if (code != SQLITE_DONE) {
    return Fail(ErrorCode::kUNAVAILABLE, "备份失败", fmt::format("backup failed: {}", code));
  }
  return Ok();
}

}  // namespace sscard::storage::sqlite
