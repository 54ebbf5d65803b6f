#include <gtest/gtest.h>

#include <set>

#include "infra/catalog_data.h"

namespace sscard::infra {
namespace {

using domain::Handling;

// R-CAT-1: the items of seed 000 with their basic codes, plus pension account maintenance.
TEST(Catalog, HoldsTheSeedItemsWithTheirCodesForRCat1) {
  const auto& catalog = BuiltInCatalog();
  std::set<std::string> codes;
  for (const auto& item : catalog.items()) {
    codes.insert(item.code);
    EXPECT_EQ(item.type, "公共服务");
    EXPECT_EQ(item.levels, (std::vector<std::string>{"province", "city", "county", "town"}));
  }
  EXPECT_EQ(codes, (std::set<std::string>{"002014010001", "002014010002", "002014010003",
                                          "002014010004", "002014010006", "002014010007",
                                          "002014010008", "002014010009", "002014019901"}));
  EXPECT_EQ(catalog.Find("002014010007")->name, "社会保障卡挂失与解挂");
  EXPECT_NE(catalog.FindByOperation("pension_account_change"), nullptr);
}

// Every operation key of API.md belongs to the item API.md names.
TEST(Catalog, OperationKeysFollowApiMdForRCat1) {
  const auto& catalog = BuiltInCatalog();
  std::vector<std::pair<std::string, std::string>> expected = {
      {"apply", "002014010001"},       {"activate", "002014010002"},      {"query", "002014010003"},
      {"change_basic", "002014010004"}, {"change_key", "002014010004"},  {"change_pin", "002014010006"},
      {"reset_pin", "002014010006"},    {"unlock_pin", "002014010006"},  {"temporary_loss", "002014010007"},
      {"formal_loss", "002014010007"},  {"cancel_loss", "002014010007"}, {"reissue", "002014010008"},
      {"renew", "002014010008"},        {"cancel", "002014010009"}};
  for (const auto& [operation, code] : expected) {
    ASSERT_NE(catalog.FindByOperation(operation), nullptr) << operation;
    EXPECT_EQ(catalog.FindByOperation(operation)->code, code) << operation;
  }
}

// R-CAT-2: apply, replacement, cancel are commitment cases reviewed at county level; the
// others are instant.
TEST(Catalog, HandlingTypesForRCat2) {
  const auto& catalog = BuiltInCatalog();
  for (const char* code : {"002014010001", "002014010008", "002014010009"}) {
    EXPECT_EQ(catalog.Find(code)->handling, Handling::kCommitment) << code;
    EXPECT_EQ(catalog.Find(code)->review_level, "county") << code;
  }
  for (const char* code : {"002014010002", "002014010003", "002014010004", "002014010006", "002014010007"}) {
    EXPECT_EQ(catalog.Find(code)->handling, Handling::kInstant) << code;
  }
}

// R-CAT-3: town level offline only, except status query.
TEST(Catalog, TownOfflineOnlyExceptStatusQueryForRCat3) {
  for (const auto& item : BuiltInCatalog().items()) {
    if (item.code == "002014010003" || item.local_code) {
      EXPECT_FALSE(item.town_offline_only) << item.code;
    } else {
      EXPECT_TRUE(item.town_offline_only) << item.code;
    }
  }
}

// R-CAT-4: PIN services need a card reader with PIN pad and PSAM.
TEST(Catalog, PinItemNeedsAPinPadForRCat4) {
  for (const auto& item : BuiltInCatalog().items()) {
    EXPECT_EQ(item.requires_pin_pad, item.code == "002014010006") << item.code;
  }
}

// R-CAT-5: each item carries its guide: limits, channels, materials, steps, result.
TEST(Catalog, EveryItemHasItsGuideForRCat5) {
  for (const auto& item : BuiltInCatalog().items()) {
    EXPECT_GT(item.promised_limit_days, 0) << item.code;
    EXPECT_GE(item.legal_limit_days, item.promised_limit_days) << item.code;
    EXPECT_FALSE(item.channels.empty()) << item.code;
    EXPECT_FALSE(item.materials.empty()) << item.code;
    EXPECT_FALSE(item.steps.empty()) << item.code;
    EXPECT_FALSE(item.conditions.empty()) << item.code;
    EXPECT_FALSE(item.result.empty()) << item.code;
  }
  const auto* activate = BuiltInCatalog().Find("002014010002");
  EXPECT_EQ(activate->legal_limit_days, 1);  // seed 004
  EXPECT_EQ(activate->max_visits, 0);
  EXPECT_EQ(activate->faq.size(), 4u);
}

// R-CAT-6: fees per region; 25 yuan for replacement in Henan, none elsewhere.
TEST(Catalog, FeesArePerRegionForRCat6) {
  const auto* replacement = BuiltInCatalog().Find("002014010008");
  auto henan = domain::FeeFor(*replacement, "reissue", "411082");
  ASSERT_TRUE(henan);
  EXPECT_EQ(henan->amount, "25.00");
  EXPECT_FALSE(domain::FeeFor(*replacement, "reissue", "420115"));
  EXPECT_FALSE(domain::FeeFor(*BuiltInCatalog().Find("002014010002"), "activate", "411082"));
}

TEST(Catalog, SearchFindsItemsByName) {
  const auto& catalog = BuiltInCatalog();
  EXPECT_EQ(catalog.Search("社会保障卡").size(), catalog.items().size() - 1);  // not the pension item
  ASSERT_EQ(catalog.Search("挂失").size(), 1u);
  EXPECT_EQ(catalog.Search("挂失")[0]->code, "002014010007");
  EXPECT_EQ(catalog.Search("PIN").size(), 1u);
  EXPECT_EQ(catalog.Search("解锁").size(), 1u);  // by operation name
  EXPECT_EQ(catalog.Search("").size(), catalog.items().size());
}

TEST(Catalog, RefusesInconsistentData) {
  EXPECT_FALSE(ParseCatalog("{}"));
  EXPECT_FALSE(ParseCatalog(R"({"items":[{"code":"1","name":"x","handling":"maybe","operations":[]}]})"));
  EXPECT_FALSE(ParseCatalog(R"({"items":[{"code":"1","name":"x","handling":"instant","operations":[]}]})"));
  EXPECT_FALSE(ParseCatalog(
      R"({"items":[{"code":"1","name":"x","handling":"instant","operations":[{"key":"a","name":"a"}]},
                   {"code":"1","name":"y","handling":"instant","operations":[{"key":"b","name":"b"}]}]})"));
  EXPECT_FALSE(ParseCatalog(R"({"items":[{"code":5}]})"));
}

}  // namespace
}  // namespace sscard::infra
