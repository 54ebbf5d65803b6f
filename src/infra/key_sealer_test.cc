#include "infra/key_sealer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.h"
#include "common/ids.h"

namespace sscard::infra {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("sscard-keys-" + NewSortableId(std::chrono::system_clock::now()));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

// The key file is created at first start, readable by its owner only, and reused after.
TEST_F(KeyFileTest, CreatedOnceWith0600ForRSec3) {
  std::string path = (dir_ / "keys" / "sscard.key").string();
  auto first = KeySealer::OpenOrCreate(path);
  ASSERT_TRUE(first) << first.error().detail.en;
  struct stat info{};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string sealed = (*first)->Seal("420115199003071234", "person.id_number");
  EXPECT_EQ(sealed.rfind("k1:", 0), 0u);
  auto second = KeySealer::OpenOrCreate(path);
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)->Open(sealed, "person.id_number"), "420115199003071234");
  EXPECT_EQ((*first)->LookupKey("x"), (*second)->LookupKey("x"));
}

TEST_F(KeyFileTest, RefusesAKeyFileOthersCanRead) {
  std::string path = (dir_ / "sscard.key").string();
  ASSERT_TRUE(KeySealer::OpenOrCreate(path));
  ::chmod(path.c_str(), 0644);
  auto refused = KeySealer::OpenOrCreate(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kVALIDATION_FAILED);
}

TEST(KeySealer, DetectsTamperingAndForeignKeys) {
  InitCrypto();
  KeySealer sealer("1", std::string(32, 'a'), std::string(32, 'b'));
  KeySealer other("1", std::string(32, 'c'), std::string(32, 'd'));
  std::string sealed = sealer.Seal("13800135678", "person.phone");
  EXPECT_NE(sealer.Seal("13800135678", "person.phone"), sealed);  // a fresh IV each time
  EXPECT_FALSE(other.Open(sealed, "person.phone"));
  std::string tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(sealer.Open(tampered, "person.phone"));
  EXPECT_FALSE(sealer.Open("k2:" + sealed.substr(3), "person.phone"));
  EXPECT_FALSE(sealer.Open("garbage", "person.phone"));
  EXPECT_EQ(sealer.LookupKey("420115199003071234").size(), 64u);
  EXPECT_NE(sealer.LookupKey("420115199003071234"), other.LookupKey("420115199003071234"));
}

}  // namespace
}  // namespace sscard::infra
