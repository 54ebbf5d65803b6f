#include "apps/runtime.h"

#include "apps/http_text_sender.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include "common/crypto.h"
#include "domain/id_document.h"

#include "app/audited.h"
#include "app/demo.h"
#include "infra/calendar_data.h"
#include "infra/catalog_data.h"
#include "infra/china_division.h"
#include "infra/jpeg.h"
#include "infra/key_sealer.h"
#include "common/ids.h"
#include "infra/person_csv.h"
#include "domain/person.h"
#include "infra/ed25519_signer.h"
#include "infra/registry_csv.h"
#include "storage/open_store.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <cstdio>
#include <spdlog/spdlog.h>

namespace sscard {
namespace {

// The default notifier: one log line per message, with the case number and the kind only
// (the text is for the applicant and stays out of logs).
// The default SMS sink: a log line with the masked phone, never the text (a code is a secret).
// A gateway adapter replaces it in production.
class LogTextSender final : public app::TextSender {
 public:
  Status Send(const std::string& phone, const std::string&) override {
    spdlog::info("sms phone={} (text not logged)", domain::MaskPhone(phone));
    return Ok();
  }
};

class LogNotifier final : public app::Notifier {
 public:
  Status Send(const ports::OutboxMessage& message) override {
    spdlog::info("notify kind={} case_no={} message_id={}", message.kind, message.case_no, message.id);
    return Ok();
  }
};

}  // namespace

void InitLogging(const std::string& level) {
  // Written the way nginx writes a buffered access log: in the request's own thread into a
  // 64 KiB stdio buffer (when stdout is a file or a pipe), flushed every second, at once for
  // warnings and errors, and at exit. A hand-off to a logging thread cost a thread wake-up per
  // request, about 15 % of the card-read throughput (bench/README.md).
  static char buffer[64 * 1024];
  if (!::isatty(::fileno(stdout))) std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  auto logger = spdlog::stdout_logger_mt("sscard");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
}

std::string DatabaseUrlOf(const RuntimeConfig& config) {
  if (!config.db_url.empty()) return config.db_url;
  return "sqlite:" + (std::filesystem::path(config.data_dir) / "sscard.db").string();
}

Runtime::Runtime(RuntimeConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Runtime::~Runtime() = default;

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeConfig& config, const Clock& clock) {
  std::unique_ptr<Runtime> runtime(new Runtime(config, clock));
  std::string url = DatabaseUrlOf(config);
  if (config.db_url.empty()) {
    std::error_code error;
    std::filesystem::create_directories(config.data_dir, error);
    if (error) {
      return Fail(ErrorCode::kVALIDATION_FAILED, "无法创建数据目录 " + config.data_dir,
                  "cannot create the data directory " + config.data_dir + ": " + error.message());
    }
  }
  std::string key_file = config.key_file.empty()
                             ? (std::filesystem::path(config.data_dir) / "keys" / "sscard.key").string()
                             : config.key_file;
  ASSIGN_OR_RETURN(runtime->sealer_, infra::KeySealer::OpenOrCreate(key_file));
  storage::StoreOptions options;
  options.sealer = runtime->sealer_.get();
  options.pool_size = config.pool_size;
  options.sqlite_synchronous_full = config.sqlite_synchronous_full;
  options.metrics = &runtime->metrics_;
  ASSIGN_OR_RETURN(runtime->store_, storage::OpenStore(url, options));
  RETURN_IF_ERROR(runtime->store_->Migrate());
  app::AuthConfig auth_config;
  auth_config.password_cost = config.password_cost;
  runtime->auth_ = std::make_unique<app::AuthService>(*runtime->store_, auth_config);
  runtime->admin_ = std::make_unique<app::AdminService>(*runtime->store_, config.password_cost);
  runtime->admin_->OnSessionsRevoked([auth = runtime->auth_.get()](const std::string& username) { auth->Forget(username); });
  if (config.catalog_file.empty()) {
    runtime->catalog_ = std::make_unique<domain::Catalog>(infra::BuiltInCatalog());
  } else {
    ASSIGN_OR_RETURN(auto catalog, infra::ReadCatalogFile(config.catalog_file));
    runtime->catalog_ = std::make_unique<domain::Catalog>(std::move(catalog));
  }
  if (config.calendar_file.empty()) {
    runtime->calendar_ = std::make_unique<domain::WorkingCalendar>(infra::BuiltInCalendar());
  } else {
    ASSIGN_OR_RETURN(auto calendar, infra::ReadCalendarFile(config.calendar_file));
    runtime->calendar_ = std::make_unique<domain::WorkingCalendar>(std::move(calendar));
  }
  runtime->reference_ = std::make_unique<app::ReferenceService>(
      *runtime->store_, *runtime->catalog_, *runtime->calendar_,
      [](std::string_view bytes) { return infra::CheckJpegPhoto(bytes); });
  runtime->cases_ = std::make_unique<app::CaseService>(*runtime->store_, *runtime->catalog_, *runtime->calendar_,
                                                     config.password_cost);
  runtime->cases_->CheckPhotosWith([](std::string_view bytes) { return infra::CheckJpegPhoto(bytes); });
  runtime->bundles_ = std::make_unique<app::BundleService>(*runtime->store_, *runtime->catalog_, *runtime->cases_);
  runtime->bookings_ = std::make_unique<app::BookingService>(*runtime->store_, *runtime->catalog_, *runtime->calendar_);
  runtime->files_ = std::make_unique<app::FileService>(*runtime->store_);
  runtime->reports_ = std::make_unique<app::ReportService>(*runtime->store_);
  runtime->cards_ = std::make_unique<app::CardService>(*runtime->store_, *runtime->calendar_, config.password_cost);
  if (config.sms_url.empty()) {
    runtime->text_sender_ = std::make_unique<LogTextSender>();
  } else {
    ASSIGN_OR_RETURN(runtime->text_sender_, HttpTextSender::Create(config.sms_url, config.sms_token, config.sms_ca));
  }
  app::CitizenConfig citizen_config;
  citizen_config.password_cost = config.password_cost;
  citizen_config.demo = config.demo;
  runtime->citizens_ = std::make_unique<app::CitizenService>(*runtime->store_, *runtime->text_sender_, citizen_config);
  ASSIGN_OR_RETURN(runtime->signer_, infra::Ed25519Signer::OpenOrCreate(
                                         (std::filesystem::path(key_file).parent_path() / "ecard-ed25519.key").string()));
  runtime->ecards_ = std::make_unique<app::EcardService>(*runtime->store_, *runtime->signer_);
  runtime->payments_ = std::make_unique<app::PaymentService>(*runtime->store_);
  runtime->partners_ = std::make_unique<app::PartnerService>(*runtime->store_);
  // Notices reach people as texts through the gateway when there is one (issue 15).
  if (config.sms_url.empty()) {
    runtime->log_notifier_ = std::make_unique<LogNotifier>();
  } else {
    runtime->log_notifier_ = std::make_unique<app::TextNotifier>(*runtime->store_, *runtime->text_sender_);
  }
  runtime->drainer_ = std::make_unique<app::OutboxDrainer>(*runtime->store_, *runtime->log_notifier_);
  api::ApiDeps deps;
  deps.store = runtime->store_.get();
  deps.auth = runtime->auth_.get();
  deps.admin = runtime->admin_.get();
  deps.reference = runtime->reference_.get();
  deps.cases = runtime->cases_.get();
  deps.bundles = runtime->bundles_.get();
  deps.bookings = runtime->bookings_.get();
  deps.files = runtime->files_.get();
  deps.reports = runtime->reports_.get();
  deps.cards = runtime->cards_.get();
  deps.citizens = runtime->citizens_.get();
  deps.ecards = runtime->ecards_.get();
  deps.payments = runtime->payments_.get();
  deps.partners = runtime->partners_.get();
  deps.metrics = &runtime->metrics_;
  deps.clock = &clock;
  ASSIGN_OR_RETURN(deps.site, api::StaticSite::Load(config.web_dir));
  deps.version = SSCARD_VERSION;
  runtime->api_ = std::make_unique<api::Api>(std::move(deps));
  return runtime;
}

void Runtime::SetNotifier(app::Notifier& notifier) {
  drainer_ = std::make_unique<app::OutboxDrainer>(*store_, notifier);
}

app::CallContext Runtime::CliContext() const {
  std::string province = config_.province.empty() ? "42" : config_.province;
  return app::CallContext{"cli", app::CliPrincipal(province + "0000"), clock_.Now()};
}

Result<int64_t> Runtime::ImportRegions(const std::string& dist_dir, const std::string& province) {
  ASSIGN_OR_RETURN(auto regions, infra::ReadChinaDivision(dist_dir, province));
  app::CallContext context = CliContext();
  context.principal->region_code = "";  // an import may span the whole country
  return admin_->ImportRegions(context, regions);
}

Result<int64_t> Runtime::ImportRegistry(const std::string& csv_path) {
  ASSIGN_OR_RETURN(auto entries, infra::ReadRegistryCsv(csv_path));
  app::CallContext context = CliContext();
  return app::RunAudited<int64_t>(*store_, context, {"registry.import", std::to_string(entries.size())},
                                  [&](ports::Tx& tx) -> Result<int64_t> {
                                    RETURN_IF_ERROR(tx.registry().Upsert(entries));
                                    return tx.registry().Count();
                                  });
}

Result<int64_t> Runtime::ImportInsured(const std::string& csv_path) {
  ASSIGN_OR_RETURN(auto rows, infra::ReadInsuredCsv(csv_path));
  app::CallContext context = CliContext();
  return app::RunAudited<int64_t>(*store_, context, {"insured.import", std::to_string(rows.size())},
                                  [&](ports::Tx& tx) -> Result<int64_t> {
                                    RETURN_IF_ERROR(tx.registry().UpsertInsured(rows));
                                    return static_cast<int64_t>(rows.size());
                                  });
}

Result<Runtime::PhotoImport> Runtime::ImportPolicePhotos(const std::string& folder) {
  namespace fs = std::filesystem;
  constexpr size_t kMaxBytes = 1 << 20;
  constexpr size_t kPerTransaction = 500;
  std::error_code error;
  fs::directory_iterator entries(folder, error);
  if (error) return Fail(ErrorCode::kVALIDATION_FAILED, "无法读取照片目录", "cannot read the photo folder: " + error.message());
  PhotoImport report;
  app::CallContext context = CliContext();
  std::vector<std::pair<std::string, std::string>> batch;  // ID number, JPEG
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    Status stored = app::RunAudited(*store_, context, {"police_photo.import", std::to_string(batch.size())}, [&](ports::Tx& tx) -> Status {
      for (const auto& [id_number, jpeg] : batch) {
        std::string file_id = Sha256Hex(jpeg);
        RETURN_IF_ERROR(tx.files().Put({file_id, "image/jpeg", static_cast<int64_t>(jpeg.size()), "", "police_photo_import",
                                        context.now, jpeg}));
        RETURN_IF_ERROR(tx.registry().PutPolicePhoto(id_number, file_id));
      }
      return Ok();
    });
    report.imported += stored ? static_cast<int64_t>(batch.size()) : 0;
    batch.clear();
    return stored;
  };
  int64_t seen = 0;
  for (auto it = entries; it != fs::directory_iterator(); it.increment(error)) {
    if (error) return Fail(ErrorCode::kVALIDATION_FAILED, "读取照片目录出错", "reading the photo folder failed: " + error.message());
    if (++seen > kMaxPolicePhotos) {
      return Fail(ErrorCode::kVALIDATION_FAILED, "照片目录中的文件过多", "too many files in the photo folder");
    }
    const fs::directory_entry& entry = *it;
    std::string stem = entry.path().stem().string();
    std::string extension = entry.path().extension().string();
    std::string id_number = domain::NormalizeIdNumber(stem);
    std::error_code size_error;
    bool plain = entry.is_regular_file(size_error) && !entry.is_symlink(size_error);
    uintmax_t bytes = plain ? entry.file_size(size_error) : 0;
    auto checked = domain::CheckIdNumber(domain::IdType::kResidentId, id_number, ChinaDate(context.now), nullptr);
    if (!plain || size_error || (extension != ".jpg" && extension != ".jpeg") || bytes == 0 || bytes > kMaxBytes ||
        !checked.valid) {
      ++report.skipped;
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      ++report.skipped;
      continue;
    }
    batch.emplace_back(id_number, std::move(jpeg));
    if (batch.size() == kPerTransaction) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  return report;
}

Result<app::SweepReport> Runtime::Sweep(const std::string& action) {
  return cards_->Sweep(CliContext(), action);
}

Result<bool> Runtime::SweepIfDue() {
  app::CallContext context = CliContext();
  context.request_id = "daily-sweep";
  context.principal->username = "sweep";
  std::string today = FormatDate(ChinaDate(context.now));
  ASSIGN_OR_RETURN(auto last, ports::Transact<std::optional<std::string>>(
                                  *store_, ports::TxMode::kRead, [](ports::Tx& tx) { return tx.settings().Get("sweep.last_day"); }));
  if (last && *last >= today) return false;
  ASSIGN_OR_RETURN(app::SweepReport report, cards_->Sweep(context, config_.stock_action));
  spdlog::info("daily sweep {}: stock {} {}, expired {}, renewal notices {}, child notices {}, sleeping {}", today,
               report.action, report.stock_handled, report.expired, report.renewal_notices, report.child_notices,
               report.sleeping.size());
  if (config_.audit_retention_months > 0) {
    // Calendar months back from today's China date, from that day's China midnight.
    std::chrono::year_month month = std::chrono::year_month{ChinaDate(context.now).year(), ChinaDate(context.now).month()} -
                                    std::chrono::months(config_.audit_retention_months);
    Date cutoff_day{month.year(), month.month(), std::chrono::day{1}};
    TimePoint cutoff = std::chrono::time_point_cast<TimePoint::duration>(
        std::chrono::sys_days(cutoff_day) - std::chrono::hours(8));
    ASSIGN_OR_RETURN(int64_t purged, ports::Transact<int64_t>(*store_, ports::TxMode::kWrite, [&](ports::Tx& tx) {
      return tx.audit().Purge(cutoff);
    }));
    if (purged > 0) spdlog::info("audit retention: {} rows before {} purged", purged, FormatDate(cutoff_day));
  }
  RETURN_IF_ERROR(store_->Run(ports::TxMode::kWrite, [&](ports::Tx& tx) { return tx.settings().Put("sweep.last_day", today); }));
  return true;
}

Result<int> Runtime::SealAudit() {
  constexpr int kBatch = 5000;
  int total = 0;
  for (int round = 0; round < 20; ++round) {  // bounded: 100 000 rows a call
    ASSIGN_OR_RETURN(int linked, ports::Transact<int>(*store_, ports::TxMode::kWrite, [](ports::Tx& tx) {
      return tx.audit().SealPending(kBatch);
    }));
    total += linked;
    if (linked < kBatch) break;
  }
  return total;
}

Result<ports::AuditChainReport> Runtime::VerifyAudit() {
  return ports::Transact<ports::AuditChainReport>(*store_, ports::TxMode::kRead,
                                                  [](ports::Tx& tx) { return tx.audit().VerifyChain(); });
}

Result<Runtime::PersonImport> Runtime::ImportPersons(const std::string& csv_path) {
  app::CallContext context = CliContext();
  ASSIGN_OR_RETURN(infra::PersonCsvReader reader, infra::PersonCsvReader::Open(csv_path, ChinaDate(context.now)));
  PersonImport report;
  std::vector<domain::Person> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    int64_t imported = 0;
    RETURN_IF_ERROR(app::RunAudited(*store_, context, {"person.import", std::to_string(batch.size())}, [&](ports::Tx& tx) -> Status {
      imported = 0;
      for (const domain::Person& person : batch) {
        ASSIGN_OR_RETURN(bool inserted, tx.persons().InsertIfAbsent(person));
        imported += inserted ? 1 : 0;
      }
      return Ok();
    }));
    report.imported += imported;
    report.already_there += static_cast<int64_t>(batch.size()) - imported;
    batch.clear();
    return Ok();
  };
  while (auto row = reader.Next()) {
    if (!row->person) {
      ++report.refused;
      if (report.problems.size() < 100) report.problems.push_back(fmt::format("line {}: {}", row->line, row->reason));
      continue;
    }
    row->person->id = NewSortableId(context.now);
    row->person->created_at = context.now;
    batch.push_back(std::move(*row->person));
    if (batch.size() == 1000) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  return report;
}

Status Runtime::EnsureRegions() {
  ASSIGN_OR_RETURN(int64_t count, ports::Transact<int64_t>(*store_, ports::TxMode::kRead,
                                                           [](ports::Tx& tx) {
                                                             return tx.regions().Count();
                                                           }));
  if (count > 0) return Ok();
  return ImportRegions(config_.regions_dir, config_.province).map([](int64_t) {});
}

Status Runtime::SeedDemo() {
  RETURN_IF_ERROR(EnsureRegions());
  return app::SeedDemo(*store_, clock_.Now(), config_.password_cost, infra::SamplePortraitJpeg());
}

}  // namespace sscard
