#include "storage/postgres/postgres_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <unordered_map>

namespace sscard::storage::postgres {
namespace {

using sql::Row;
using sql::Value;

constexpr unsigned kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

// Maps a failed result to an error. Only the SQLSTATE and the constraint name are kept:
// PostgreSQL's messages and details can quote values, which may be personal data.
Error ErrorOf(PGresult* result, PGconn* connection, std::string_view doing) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  if (sqlstate == "23505") return MakeError(ErrorCode::kALREADY_EXISTS);
  if (sqlstate == "40001" || sqlstate == "40P01") return MakeError(ErrorCode::kTRANSACTION_CONFLICT);
  if (sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || PQstatus(connection) != CONNECTION_OK) {
    return MakeError(ErrorCode::kUNAVAILABLE, "数据库连接中断，请稍后重试",
                     fmt::format("database connection lost while {} ({})", doing, sqlstate));
  }
  const char* constraint = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  return MakeError(ErrorCode::kINTERNAL, "数据库错误",
                   fmt::format("postgresql error {} while {}{}", sqlstate, doing,
                               constraint ? fmt::format(" (constraint {})", constraint) : ""));
}

class PostgresConnection final : public sql::Connection {
 public:
  explicit PostgresConnection(PGconn* connection) : connection_(connection) {}
  ~PostgresConnection() override { PQfinish(connection_); }

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(PGresult * result, Run(sql, params, "reading rows"));
    std::vector<Row> rows;
    int columns = PQnfields(result);
    for (int row_index = 0; row_index < PQntuples(result); ++row_index) {
      Row row;
      row.values.reserve(columns);
      for (int column = 0; column < columns; ++column) {
        if (PQgetisnull(result, row_index, column)) {
          row.values.emplace_back(std::monostate{});
          continue;
        }
        const char* text = PQgetvalue(result, row_index, column);
        unsigned type = PQftype(result, column);
        if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
          row.values.emplace_back(static_cast<int64_t>(std::stoll(text)));
        } else {
          row.values.emplace_back(std::string(text, PQgetlength(result, row_index, column)));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
    ASSIGN_OR_RETURN(PGresult * result, Run(sql, params, "executing a statement"));
    const char* affected = PQcmdTuples(result);
    int64_t count = affected && *affected ? std::stoll(affected) : 0;
    PQclear(result);
    return count;
  }

  Status ExecuteScript(std::string_view sql) override {
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Error error = ErrorOf(result, connection_, "running a script");
      PQclear(result);
      return Fail(std::move(error));
    }
    PQclear(result);
    return Ok();
  }

  Status Begin(ports::TxMode mode) override {
    return ExecuteScript(mode == ports::TxMode::kWrite ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                                       : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(connection_) == PQTRANS_IDLE) return Ok();
    return ExecuteScript("ROLLBACK");
  }

 private:
  Result<PGresult*> Run(std::string_view sql, const std::vector<Value>& params, std::string_view doing) {
    std::string key(sql);
    auto found = prepared_.find(key);
    if (found == prepared_.end()) {
      std::string name = fmt::format("s{}", prepared_.size() + 1);
      PGresult* prepared = PQprepare(connection_, name.c_str(), RewritePlaceholders(sql).c_str(), 0, nullptr);
      if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        Error error = ErrorOf(prepared, connection_, "preparing a statement");
        PQclear(prepared);
        return Fail(std::move(error));
      }
      PQclear(prepared);
      found = prepared_.emplace(key, name).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t index = 0; index < params.size(); ++index) {
      if (const auto* number = std::get_if<int64_t>(&params[index])) {
        texts[index] = std::to_string(*number);
        values[index] = texts[index].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[index])) {
        values[index] = text->c_str();
      }
    }
    PGresult* result = PQexecPrepared(connection_, found->second.c_str(), static_cast<int>(params.size()),
                                      values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Error error = ErrorOf(result, connection_, doing);
      PQclear(result);
      return Fail(std::move(error));
    }
    return result;
  }

  PGconn* connection_;
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char character : sql) {
    if (quote) {
      if (character == quote) quote = 0;
      out.push_back(character);
    } else if (character == '\'' || character == '"') {
      quote = character;
      out.push_back(character);
    } else if (character == '?') {
      out += "$" + std::to_string(next++);
    } else {
      out.push_back(character);
    }
  }
  return out;
}

Result<std::unique_ptr<sql::Connection>> OpenPostgres(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return Fail(ErrorCode::kUNAVAILABLE, "无法连接 PostgreSQL 数据库", "cannot connect to PostgreSQL: " + message);
  }
  auto wrapped = std::make_unique<PostgresConnection>(connection);
  RETURN_IF_ERROR(wrapped->ExecuteScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
  return std::unique_ptr<sql::Connection>(std::move(wrapped));
}

}  // namespace sscard::storage::postgres
