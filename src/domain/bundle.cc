#include "domain/bundle.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace sscard::domain {
namespace {

constexpr std::string_view kBundleItems[] = {
    "002014010001",  // 社会保障卡申领
    "002014010008",  // 补领、换领、换发
    "002014010002",  // 启用
    "002014010007",  // 挂失与解挂
    "002014010009",  // 注销
    "002014010004",  // 信息变更
    "002014010003",  // 应用状态查询
    "002014019901",  // 养老保险待遇发放账号维护申请
};
constexpr size_t kMostItems = std::size(kBundleItems);

FieldError Problem(std::string field, std::string code, std::string zh, std::string en, std::string rule) {
  return {std::move(field), std::move(code), {std::move(zh), std::move(en)}, std::move(rule)};
}

}  // namespace

bool IsBundleItem(std::string_view item_code) {
  return std::find(std::begin(kBundleItems), std::end(kBundleItems), item_code) != std::end(kBundleItems);
}

std::vector<FieldError> CheckBundle(const BundleRequest& request, const Catalog& catalog) {
  std::vector<FieldError> problems;
  if (!request.notice_accepted) {
    problems.push_back(Problem("notice_accepted", "NOTICE_NOT_ACCEPTED", "请先阅读并同意用户须知",
                               "read and accept the notice first", "R-BUNDLE-2"));
  }
  if (request.items.empty() || request.items.size() > kMostItems) {
    problems.push_back(Problem("items", "BAD_ITEM_COUNT", fmt::format("请选择1至{}个事项", kMostItems),
                               fmt::format("choose 1 to {} items", kMostItems), "R-BUNDLE-1"));
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t index = 0; index < request.items.size(); ++index) {
    const BundleItem& item = request.items[index];
    std::string path = fmt::format("items[{}]", index);
    const CatalogItem* known = catalog.Find(item.item);
    if (!known || !IsBundleItem(item.item)) {
      problems.push_back(Problem(path + ".item", "NOT_A_BUNDLE_ITEM", "该事项不能在“一件事”中联办",
                                 "this item cannot be bundled", "R-BUNDLE-1"));
      continue;
    }
    bool operation_known = std::any_of(known->operations.begin(), known->operations.end(),
                                       [&](const Operation& operation) { return operation.key == item.operation; });
    if (!operation_known) {
      problems.push_back(Problem(path + ".operation", "UNKNOWN_OPERATION", "该事项没有这个业务办理项",
                                 "the item has no such operation", "R-BUNDLE-1"));
    }
    if (!seen.insert({item.item, item.operation}).second) {
      problems.push_back(Problem(path, "DUPLICATE_ITEM", "同一事项不能重复申请", "the same item twice", "R-BUNDLE-1"));
    }
  }
  return problems;
}

IntakeRequest RequestFor(const BundleRequest& bundle, const BundleItem& item, const CatalogItem& catalog_item) {
  IntakeRequest request;
  request.item = item.item;
  request.operation = item.operation;
  request.channel = bundle.channel;
  request.applicant = bundle.applicant;
  request.agent = bundle.agent;
  request.form = item.form;
  request.delivery = bundle.delivery;
  for (const MaterialRef& given : bundle.materials) {
    bool listed = std::any_of(catalog_item.materials.begin(), catalog_item.materials.end(), [&](const Material& material) {
      return material.name == given.name && AppliesTo(material.operations, item.operation);
    });
    if (listed) request.materials.push_back(given);
  }
  return request;
}

bool IsSharedDataMaterial(std::string_view material_name) {
  return material_name == "有效身份证件正反面照片" || material_name == "申领人电子照片";
}

}  // namespace sscard::domain
