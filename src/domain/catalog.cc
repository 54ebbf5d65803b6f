#include "domain/catalog.h"

#include <algorithm>
#include <set>

namespace sscard::domain {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::string_view HandlingName(Handling handling) {
  return handling == Handling::kInstant ? "instant" : "commitment";
}

const Operation* CatalogItem::FindOperation(const std::string& key) const {
  for (const Operation& operation : operations) {
    if (operation.key == key) return &operation;
  }
  return nullptr;
}

Handling CatalogItem::HandlingOf(const std::string& operation) const {
  const Operation* found = FindOperation(operation);
  return found && found->handling ? *found->handling : handling;
}

bool CatalogItem::HasChannel(const std::string& channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

Result<Catalog> Catalog::Build(std::vector<CatalogItem> items) {
  std::set<std::string> codes;
  std::set<std::string> operation_keys;
  for (const CatalogItem& item : items) {
    if (item.code.empty() || !codes.insert(item.code).second) {
      return Fail(ErrorCode::kVALIDATION_FAILED, "事项编码重复或为空：" + item.code,
                  "an item code repeats or is empty: " + item.code);
    }
    if (item.operations.empty()) {
      return Fail(ErrorCode::kVALIDATION_FAILED, "事项没有业务办理项：" + item.code,
                  "an item has no operation: " + item.code);
    }
    for (const Operation& operation : item.operations) {
      if (!operation_keys.insert(operation.key).second) {
        return Fail(ErrorCode::kVALIDATION_FAILED, "业务办理项重复：" + operation.key,
                    "an operation key repeats: " + operation.key);
      }
    }
  }
  Catalog catalog;
  catalog.items_ = std::move(items);
  return catalog;
}

const CatalogItem* Catalog::Find(const std::string& code) const {
  for (const CatalogItem& item : items_) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

const CatalogItem* Catalog::FindByOperation(const std::string& operation) const {
  for (const CatalogItem& item : items_) {
    if (item.FindOperation(operation)) return &item;
  }
  return nullptr;
}

std::vector<const CatalogItem*> Catalog::Search(const std::string& text) const {
  std::vector<const CatalogItem*> found;
  std::string needle = Lower(text);
  for (const CatalogItem& item : items_) {
    bool match = needle.empty() || item.name.find(text) != std::string::npos ||
                 Lower(item.name_en).find(needle) != std::string::npos || item.code == text;
    for (const Operation& operation : item.operations) {
      match = match || operation.name.find(text) != std::string::npos;
    }
    if (match) found.push_back(&item);
  }
  return found;
}

std::optional<Fee> FeeFor(const CatalogItem& item, const std::string& operation,
                          const std::string& region_code) {
  const Fee* best = nullptr;
  for (const Fee& fee : item.fees) {
    bool operation_ok = fee.operations.empty() ||
                        std::find(fee.operations.begin(), fee.operations.end(), operation) !=
                            fee.operations.end();
    if (operation_ok && region_code.compare(0, fee.region_prefix.size(), fee.region_prefix) == 0 &&
        (!best || fee.region_prefix.size() > best->region_prefix.size())) {
      best = &fee;  // the most specific region wins
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace sscard::domain
