#include "infra/catalog_data.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "infra/embedded_data.h"

namespace sscard::infra {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& node, const char* key) {
  std::vector<std::string> values;
  if (node.contains(key)) {
    for (const auto& value : node.at(key)) values.push_back(value.get<std::string>());
  }
  return values;
}

// nlohmann throws on a wrong type; this adapter turns that into MALFORMED_JSON.
Result<domain::CatalogItem> ItemFrom(const json& node) try {
  domain::CatalogItem item;
  item.code = node.at("code").get<std::string>();
  item.name = node.at("name").get<std::string>();
  item.name_en = node.value("name_en", "");
  item.category = node.value("category", "");
  item.type = node.value("type", "");
  std::string handling = node.at("handling").get<std::string>();
  if (handling != "instant" && handling != "commitment") {
    return Fail(ErrorCode::kMALFORMED_JSON, "办件类型应为 instant 或 commitment",
                "handling must be instant or commitment: " + item.code);
  }
  item.handling = handling == "instant" ? domain::Handling::kInstant : domain::Handling::kCommitment;
  item.levels = Strings(node, "levels");
  item.town_offline_only = node.value("town_offline_only", true);
  item.requires_pin_pad = node.value("requires_pin_pad", false);
  item.channels = Strings(node, "channels");
  for (const auto& operation : node.at("operations")) {
    std::optional<domain::Handling> own;
    if (operation.contains("handling")) {
      own = operation.at("handling").get<std::string>() == "instant" ? domain::Handling::kInstant
                                                                     : domain::Handling::kCommitment;
    }
    item.operations.push_back({operation.at("key").get<std::string>(), operation.at("name").get<std::string>(),
                               operation.value("name_en", ""), own});
  }
  item.legal_limit_days = node.value("legal_limit_days", 0);
  item.promised_limit_days = node.value("promised_limit_days", 0);
  item.max_visits = node.value("max_visits", 1);
  item.online_depth = Strings(node, "online_depth");
  item.conditions = Strings(node, "conditions");
  for (const auto& material : node.value("materials", json::array())) {
    item.materials.push_back({material.at("name").get<std::string>(), material.value("name_en", ""),
                              material.value("form", "original"), material.value("source", ""),
                              material.value("required", true), material.value("when", ""),
                              Strings(material, "operations")});
  }
  for (const auto& fee : node.value("fees", json::array())) {
    item.fees.push_back({fee.at("region_prefix").get<std::string>(), fee.at("amount").get<std::string>(),
                         Strings(fee, "operations"), fee.value("note", "")});
  }
  for (const auto& field : node.value("form", json::array())) {
    domain::FormField form_field;
    form_field.key = field.at("key").get<std::string>();
    form_field.label = field.at("label").get<std::string>();
    form_field.label_en = field.value("label_en", "");
    form_field.type = field.value("type", "text");
    form_field.required = field.value("required", false);
    for (const auto& option : field.value("options", json::array())) {
      form_field.options.push_back({option.at("value").get<std::string>(), option.value("label", "")});
    }
    form_field.operations = Strings(field, "operations");
    form_field.max_length = field.value("max_length", 0);
    item.form.push_back(std::move(form_field));
  }
  for (const auto& step : node.value("steps", json::array())) {
    item.steps.push_back({step.at("name").get<std::string>(), step.value("actor", ""),
                          step.value("limit_days", 0), step.value("standard", ""), step.value("result", "")});
  }
  item.result = node.value("result", "");
  for (const auto& faq : node.value("faq", json::array())) {
    item.faq.push_back({faq.at("question").get<std::string>(), faq.at("answer").get<std::string>()});
  }
  item.basis = Strings(node, "basis");
  item.review_level = node.value("review_level", "");
  item.local_code = node.value("local_code", false);
  return item;
} catch (const json::exception& exception) {
  return Fail(ErrorCode::kMALFORMED_JSON, "事项数据格式错误", std::string("catalog item: ") + exception.what());
}

}  // namespace

Result<domain::Catalog> ParseCatalog(const std::string& json_text) {
  auto document = json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("items") ||
      !document["items"].is_array()) {
    return Fail(ErrorCode::kMALFORMED_JSON, "事项目录数据格式错误", "the catalog needs an items array");
  }
  std::vector<domain::CatalogItem> items;
  for (const auto& node : document["items"]) {
    ASSIGN_OR_RETURN(auto item, ItemFrom(node));
    items.push_back(std::move(item));
  }
  return domain::Catalog::Build(std::move(items));
}

Result<domain::Catalog> ReadCatalogFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Fail(ErrorCode::kNOT_FOUND, "找不到事项目录文件 " + path, "catalog file not found: " + path);
  std::stringstream text;
  text << file.rdbuf();
  return ParseCatalog(text.str());
}

const domain::Catalog& BuiltInCatalog() {
  static const domain::Catalog catalog = [] {
    for (const auto& file : EmbeddedDataFiles()) {
      if (file.name == "catalog.json") {
        auto parsed = ParseCatalog(std::string(file.content));
        if (parsed) return *parsed;
      }
    }
    std::abort();  // the build embeds a valid catalog; a broken one must not ship
  }();
  return catalog;
}

}  // namespace sscard::infra
