// The built web UI is served from memory, never from a path a client names (security issue,
// item 1): every traversal shape that once read /etc/passwd, the key and the database is 404.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/http/static_site.h"
#include "test_support.h"

namespace sscard::testing {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

constexpr const char* kSecret = "SECRET-OUTSIDE-THE-WEB-ROOT";

// <tmp>/web (the UI), <tmp>/web-private/secret.txt (a sibling sharing the prefix), and
// symlinks inside the root that lead out of it.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_ = dir_.path() / "web";
    Write(web_ / "index.html", "<!doctype html><title>staff</title>");
    Write(web_ / "assets" / "index-abc123.js", "console.log('ui')");
    Write(web_ / "m" / "index.html", "<!doctype html><title>portal</title>");
    Write(web_ / ".hidden", kSecret);
    Write(dir_.path() / "web-private" / "secret.txt", kSecret);
    fs::create_symlink(dir_.path() / "web-private" / "secret.txt", web_ / "link.txt");
    fs::create_directory_symlink(dir_.path() / "web-private", web_ / "linkdir");
    runtime_ = std::make_unique<TestRuntime>("memory:", web_.string());
    ASSERT_TRUE(runtime_->runtime);
  }

  api::Response Get(const std::string& target) {
    api::Request request;
    request.method = "GET";
    request.target = target;
    return runtime_->runtime->api().Handle(request);
  }

  TempDir dir_;
  fs::path web_;
  std::unique_ptr<TestRuntime> runtime_;
};

TEST_F(StaticFilesTest, EveryTraversalShapeIsNotFoundAndLeaksNothing) {
  std::string secret = (dir_.path() / "web-private" / "secret.txt").string();
  std::string key = (runtime_->dir.path() / "keys" / "sscard.key").string();
  std::string data = runtime_->dir.path().string();
  std::vector<std::string> targets = {
      "//etc/passwd",
      "/%2Fetc/passwd",
      "/%2fetc%2fpasswd",
      "/" + secret,
      "/" + secret.substr(1),
      "/%2F" + secret.substr(1),
      "/" + key,
      "//" + key.substr(1),
      "/" + data + "/sscard.db",
      "/../web-private/secret.txt",
      "/%2e%2e/web-private/secret.txt",
      "/%2E%2E%2Fweb-private%2Fsecret.txt",
      "/assets/../../web-private/secret.txt",
      "/..%5cweb-private%5csecret.txt",
      "/..\\web-private\\secret.txt",
      "/assets\\..\\..\\web-private\\secret.txt",
      "/index.html%00.js",
      "/link.txt",
      "/linkdir/secret.txt",
      "/.hidden",
      "/./index.html",
      "//proc/self/environ",
      "/%2Fproc%2Fself%2Fenviron",
      "/C:/Windows/win.ini",
  };
  for (const std::string& target : targets) {
    api::Response response = Get(target);
    EXPECT_EQ(response.status, 404) << target << " → " << response.status;
    EXPECT_EQ(response.body.find(kSecret), std::string::npos) << target;
    EXPECT_EQ(response.body.find("root:x:0:0"), std::string::npos) << target;
    EXPECT_EQ(response.body.find("<title>"), std::string::npos) << target << " served a page";
  }
}

TEST_F(StaticFilesTest, ServesTheBuiltFilesAndRoutesClientPathsToTheirIndex) {
  api::Response asset = Get("/assets/index-abc123.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log('ui')");
  EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8");
  bool immutable = false;
  for (const auto& [name, value] : asset.headers) {
    if (name == "Cache-Control") immutable = value.find("immutable") != std::string::npos;
  }
  EXPECT_TRUE(immutable);

  EXPECT_NE(Get("/").body.find("<title>staff</title>"), std::string::npos);
  EXPECT_NE(Get("/cases").body.find("<title>staff</title>"), std::string::npos);
  EXPECT_NE(Get("/m/cards").body.find("<title>portal</title>"), std::string::npos);
  // A route-shaped path is only ever a page of the UI, never the file it names.
  api::Response environ = Get("/proc/self/environ");
  EXPECT_EQ(environ.body.find("PATH="), std::string::npos);
  EXPECT_NE(environ.body.find("<title>staff</title>"), std::string::npos);
}

TEST_F(StaticFilesTest, AMissingAssetIsNotFoundNotTheIndexCachedForAYear) {
  api::Response missing = Get("/assets/index-gone.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("<title>"), std::string::npos);
  for (const auto& [name, value] : missing.headers) {
    if (name == "Cache-Control") {
      EXPECT_EQ(value.find("immutable"), std::string::npos);
    }
  }
  EXPECT_EQ(Get("/favicon-missing.ico").status, 404);
}

TEST(StaticSite, RefusesARootThatIsNotAFolder) {
  TempDir dir;
  EXPECT_FALSE(api::StaticSite::Load(dir.File("nothing-here")));
  auto empty = api::StaticSite::Load("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace sscard::testing
