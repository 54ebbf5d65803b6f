#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/ids.h"

namespace sscard {
namespace {

TEST(Clock, FormatsChinaTimeAndParsesItBack) {
  TimePoint when = std::chrono::sys_days(std::chrono::year(2026) / 11 / 23) +
                   std::chrono::hours(16) + std::chrono::milliseconds(5);
  EXPECT_EQ(FormatRfc3339(when), "2026-11-24T00:00:00.005+08:00");
  EXPECT_EQ(FormatDate(ChinaDate(when)), "2026-11-24");
  EXPECT_EQ(ParseRfc3339("2026-11-24T00:00:00.005+08:00"), when);
  EXPECT_EQ(ParseRfc3339("2026-11-23T16:00:00.005Z"), when);
  EXPECT_FALSE(ParseRfc3339("2026-11-23 16:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-23T16:00:00"));
}

TEST(Clock, ParseDateRefusesImpossibleDates) {
  EXPECT_TRUE(ParseDate("2024-02-29"));
  EXPECT_FALSE(ParseDate("2025-02-29"));
  EXPECT_FALSE(ParseDate("2025-13-01"));
  EXPECT_FALSE(ParseDate("2025-1-01"));
  EXPECT_FALSE(ParseDate("２０２５-01-01"));
}

TEST(Ids, AreUniqueAndSortByTime) {
  InitCrypto();
  TimePoint now = FromUnixMillis(1'800'000'000'000);
  std::set<std::string> ids;
  for (int index = 0; index < 1000; ++index) ids.insert(NewSortableId(now));
  EXPECT_EQ(ids.size(), 1000u);
  std::string earlier = NewSortableId(now + std::chrono::milliseconds(5));
  std::string later = NewSortableId(now + std::chrono::milliseconds(6));
  EXPECT_LT(earlier, later);
  // Within one millisecond, and with a clock that goes back, ids still increase.
  std::string same_millisecond = NewSortableId(now + std::chrono::milliseconds(6));
  std::string clock_went_back = NewSortableId(now);
  EXPECT_LT(later, same_millisecond);
  EXPECT_LT(same_millisecond, clock_went_back);
  EXPECT_EQ(NewSortableId(now).size(), 26u);
}

TEST(Crypto, PasswordsVerifyOnlyWithTheRightPassword) {
  InitCrypto();
  std::string hash = HashPassword("Correct-Horse-1", PasswordCost::kMinimal);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("Correct-Horse-1", hash));
  EXPECT_FALSE(VerifyPassword("Correct-Horse-2", hash));
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(DigestHex("x").size(), 64u);
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// docs/error-codes.md lists exactly the codes of error_codes.def with the same HTTP kind.
TEST(ErrorCodes, DocumentedListMatchesTheCode) {
  const char* source = std::getenv("SSCARD_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/docs/error-codes.md");
  ASSERT_TRUE(file) << "docs/error-codes.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  std::set<std::string> documented;
  std::string line;
  while (std::getline(text, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    documented.insert(line.substr(3, line.find('`', 3) - 3));
  }
  std::set<std::string> coded;
  for (ErrorCode code : AllErrorCodes()) coded.insert(std::string(CodeName(code)));
  EXPECT_EQ(documented, coded);
}

}  // namespace
}  // namespace sscard
