// The bundle's own rules (seed 002): which items combine, the notice, shared materials given
// once, and the data-sharing list.

#include "domain/bundle.h"

#include <gtest/gtest.h>

namespace sscard::domain {
namespace {

CatalogItem Item(std::string code, std::vector<std::string> operations, std::vector<Material> materials) {
  CatalogItem item;
  item.code = std::move(code);
  item.name = item.code;
  for (const std::string& key : operations) item.operations.push_back({key, key, key});
  item.materials = std::move(materials);
  return item;
}

Catalog TestCatalog() {
  Material id{"居民身份证或其他有效身份证件", "", "original", "", true, "", {}};
  Material photo{"申领人电子照片", "", "file", "", true, "age_7_or_over", {}};
  Material statement{"挂失声明", "", "original", "", false, "", {"formal_loss"}};
  return Catalog::Build({Item("002014010001", {"apply"}, {id, photo}),
                         Item("002014010007", {"temporary_loss", "formal_loss", "cancel_loss"}, {id, statement}),
                         Item("002014010006", {"change_pin"}, {id}),
                         Item("002014019901", {"pension_account_change"}, {id})})
      .value();
}

BundleRequest Bundle(std::vector<BundleItem> items) {
  BundleRequest request;
  request.notice_accepted = true;
  request.items = std::move(items);
  return request;
}

TEST(Bundle, CombinesTheEightItemsOfSeed002ButNotPinServicesForRBundle1) {
  for (const char* code : {"002014010001", "002014010008", "002014010002", "002014010007", "002014010009",
                           "002014010004", "002014010003", "002014019901"}) {
    EXPECT_TRUE(IsBundleItem(code)) << code;
  }
  EXPECT_FALSE(IsBundleItem("002014010006"));
  Catalog catalog = TestCatalog();
  EXPECT_TRUE(CheckBundle(Bundle({{"002014010007", "formal_loss", {}}, {"002014010001", "apply", {}}}), catalog).empty());
  auto problems = CheckBundle(Bundle({{"002014010006", "change_pin", {}}, {"002014010007", "renew", {}},
                                      {"002014010007", "formal_loss", {}}, {"002014010007", "formal_loss", {}}}),
                              catalog);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "items[0].item");
  EXPECT_EQ(problems[0].code, "NOT_A_BUNDLE_ITEM");
  EXPECT_EQ(problems[1].field, "items[1].operation");
  EXPECT_EQ(problems[2].field, "items[3]");
  EXPECT_EQ(problems[2].code, "DUPLICATE_ITEM");
  for (const FieldError& problem : problems) EXPECT_EQ(problem.rule, "R-BUNDLE-1");
  EXPECT_EQ(CheckBundle(Bundle({}), catalog)[0].code, "BAD_ITEM_COUNT");
}

TEST(Bundle, TheNoticeMustBeAcceptedFirstForRBundle2) {
  BundleRequest request = Bundle({{"002014010001", "apply", {}}});
  request.notice_accepted = false;
  auto problems = CheckBundle(request, TestCatalog());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "NOTICE_NOT_ACCEPTED");
  EXPECT_EQ(problems[0].rule, "R-BUNDLE-2");
}

TEST(Bundle, AMaterialGivenOnceServesEveryItemThatListsItForRBundle3) {
  Catalog catalog = TestCatalog();
  BundleRequest request = Bundle({{"002014010007", "temporary_loss", {}}, {"002014010001", "apply", {{"bank_code", "HBRCU"}}}});
  request.applicant.name = "张敏";
  request.materials = {{"居民身份证或其他有效身份证件", "paper", ""}, {"申领人电子照片", "shared", ""}, {"挂失声明", "paper", ""}};
  IntakeRequest loss = RequestFor(request, request.items[0], *catalog.Find("002014010007"));
  IntakeRequest apply = RequestFor(request, request.items[1], *catalog.Find("002014010001"));
  ASSERT_EQ(loss.materials.size(), 1u);  // the statement is for a formal loss only
  EXPECT_EQ(loss.materials[0].name, "居民身份证或其他有效身份证件");
  ASSERT_EQ(apply.materials.size(), 2u);
  EXPECT_EQ(apply.materials[1].kind, "shared");
  EXPECT_EQ(apply.form.at("bank_code"), "HBRCU");
  EXPECT_EQ(apply.applicant.name, "张敏");
  EXPECT_EQ(loss.operation, "temporary_loss");
}

TEST(Bundle, OnlyTheDataSharingListComesFromSharedDataForRBundle5) {
  EXPECT_TRUE(IsSharedDataMaterial("有效身份证件正反面照片"));
  EXPECT_TRUE(IsSharedDataMaterial("申领人电子照片"));
  EXPECT_FALSE(IsSharedDataMaterial("死亡证明或出国（境）定居证明"));
  EXPECT_FALSE(IsSharedDataMaterial("居民身份证或其他有效身份证件"));
}

}  // namespace
}  // namespace sscard::domain
