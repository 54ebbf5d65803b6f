#include "storage/sql/case_codec.h"

#include <nlohmann/json.hpp>

namespace sscard::storage::sql {
namespace {

using nlohmann::json;

json Parse(const std::string& text) {
  json document = json::parse(text, nullptr, false);
  return document.is_discarded() ? json::object() : document;
}

}  // namespace

std::string EncodeApplicant(const domain::Applicant& a) {
  return json{{"id_type", a.id_type}, {"id_number", a.id_number}, {"name", a.name}, {"phone", a.phone},
              {"ethnicity", a.ethnicity}, {"household_address", a.household_address},
              {"residence_address", a.residence_address}}
      .dump();
}

domain::Applicant DecodeApplicant(const std::string& text) {
  json j = Parse(text);
  return {j.value("id_type", ""), j.value("id_number", ""), j.value("name", ""), j.value("phone", ""),
          j.value("ethnicity", ""), j.value("household_address", ""), j.value("residence_address", "")};
}

std::string EncodeAgent(const std::optional<domain::Agent>& agent) {
  if (!agent) return "null";
  return json{{"kind", domain::AgentKindName(agent->kind)}, {"id_type", agent->id_type},
              {"id_number", agent->id_number}, {"name", agent->name}, {"relationship", agent->relationship}}
      .dump();
}

std::optional<domain::Agent> DecodeAgent(const std::string& text) {
  json j = Parse(text);
  if (!j.is_object() || j.empty()) return std::nullopt;
  return domain::Agent{domain::ParseAgentKind(j.value("kind", "none")).value_or(domain::AgentKind::kNone),
                       j.value("id_type", ""), j.value("id_number", ""), j.value("name", ""),
                       j.value("relationship", "")};
}

std::string EncodeForm(const std::map<std::string, std::string>& form) { return json(form).dump(); }

std::map<std::string, std::string> DecodeForm(const std::string& text) {
  json j = Parse(text);
  std::map<std::string, std::string> form;
  for (const auto& [key, value] : j.items()) {
    if (value.is_string()) form[key] = value.get<std::string>();
  }
  return form;
}

std::string EncodeMaterials(const std::vector<domain::MaterialRef>& materials) {
  json list = json::array();
  for (const auto& m : materials) list.push_back({{"name", m.name}, {"kind", m.kind}, {"file_id", m.file_id}});
  return list.dump();
}

std::vector<domain::MaterialRef> DecodeMaterials(const std::string& text) {
  std::vector<domain::MaterialRef> materials;
  for (const auto& m : Parse(text)) {
    if (m.is_object()) materials.push_back({m.value("name", ""), m.value("kind", ""), m.value("file_id", "")});
  }
  return materials;
}

std::string EncodeDelivery(const domain::Delivery& d) {
  return json{{"method", d.method}, {"org_code", d.org_code}, {"address", d.address}}.dump();
}

domain::Delivery DecodeDelivery(const std::string& text) {
  json j = Parse(text);
  return {j.value("method", "pickup"), j.value("org_code", ""), j.value("address", "")};
}

}  // namespace sscard::storage::sql
