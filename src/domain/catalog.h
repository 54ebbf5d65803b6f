#pragma once
// The service item catalog (R-CAT-1…6): items with their operations, handling type, levels,
// channels, limits, materials, fees and guide, loaded from data (data/catalog.json) — the
// catalog is data, not code. Lookups are pure; thread-safe once built.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace sscard::domain {

enum class Handling { kInstant, kCommitment };
std::string_view HandlingName(Handling handling);

struct Operation {
  std::string key;  // API.md operation key, e.g. "temporary_loss"
  std::string name;
  std::string name_en;
  // The operation's own handling where it differs from its item's: a key data change of the
  // instant "information change" item is a commitment case reviewed by the county (R-INFO-1).
  std::optional<Handling> handling;
};

struct Material {
  std::string name;
  std::string name_en;
  std::string form;    // "original", "copy", "file"
  std::string source;  // where it comes from
  bool required = true;
  std::string when;                     // "", "agent", "age_7_or_over"
  std::vector<std::string> operations;  // only for these operations; all when empty
};

struct Fee {
  std::string region_prefix;  // the fee applies to orgs whose region starts with this
  std::string amount;         // yuan, decimal text, e.g. "25.00"
  std::vector<std::string> operations;
  std::string note;
};

struct FormOption {
  std::string value;
  std::string label;
};

// One field of an item's business form (业务信息), rendered by the UI and checked at intake.
struct FormField {
  std::string key;
  std::string label;
  std::string label_en;
  std::string type;  // "text", "select", "boolean", "date"
  bool required = false;
  std::vector<FormOption> options;
  std::vector<std::string> operations;  // only for these operations; all when empty
  int max_length = 0;
};

struct Step {
  std::string name;
  std::string actor;
  int limit_days = 0;
  std::string standard;
  std::string result;
};

struct Faq {
  std::string question;
  std::string answer;
};

struct CatalogItem {
  std::string code;
  std::string name;
  std::string name_en;
  std::string category;
  std::string type;
  Handling handling = Handling::kInstant;
  std::vector<std::string> levels;
  bool town_offline_only = true;  // R-CAT-3
  bool requires_pin_pad = false;  // R-CAT-4
  std::vector<std::string> channels;
  std::vector<Operation> operations;
  int legal_limit_days = 0;
  int promised_limit_days = 0;
  int max_visits = 1;
  std::vector<std::string> online_depth;
  std::vector<std::string> conditions;
  std::vector<Material> materials;
  std::vector<Fee> fees;
  std::vector<FormField> form;
  std::vector<Step> steps;
  std::string result;
  std::vector<Faq> faq;
  std::vector<std::string> basis;
  std::string review_level;  // "county" for commitment items
  bool local_code = false;   // no basic code in the seeds

  const Operation* FindOperation(const std::string& key) const;
  // How a case of `operation` is handled: the operation's own handling, else the item's.
  Handling HandlingOf(const std::string& operation) const;
  bool HasChannel(const std::string& channel) const;
};

class Catalog {
 public:
  Catalog() = default;
  // Errors: VALIDATION_FAILED when codes repeat or an item has no operation.
  static Result<Catalog> Build(std::vector<CatalogItem> items);

  const std::vector<CatalogItem>& items() const { return items_; }
  const CatalogItem* Find(const std::string& code) const;
  // The item that has an operation key (each key belongs to one item).
  const CatalogItem* FindByOperation(const std::string& operation) const;
  // Items whose name (Chinese or English, case-insensitive) contains `text`; all when empty.
  std::vector<const CatalogItem*> Search(const std::string& text) const;

 private:
  std::vector<CatalogItem> items_;
};

// R-CAT-6: the fee of an operation at an org in `region_code`; nullopt means no fee.
std::optional<Fee> FeeFor(const CatalogItem& item, const std::string& operation,
                          const std::string& region_code);

}  // namespace sscard::domain
