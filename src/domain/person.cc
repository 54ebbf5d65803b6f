#include "domain/person.h"

#include <fmt/format.h>

#include "domain/photo.h"

namespace sscard::domain {
namespace {

FieldError Problem(std::string field, const char* code, std::string zh, std::string en, const char* rule) {
  return {std::move(field), code, {std::move(zh), std::move(en)}, rule};
}

// Splits UTF-8 text into characters (code point sequences).
std::vector<std::string_view> Characters(std::string_view text) {
  std::vector<std::string_view> characters;
  for (size_t index = 0; index < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[index]);
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    length = std::min(length, text.size() - index);
    characters.push_back(text.substr(index, length));
    index += length;
  }
  return characters;
}

}  // namespace

std::vector<FieldError> MissingApplicationData(const Person& person, Date today) {
  std::vector<FieldError> missing;
  auto require = [&](bool present, const char* field, const char* zh, const char* en) {
    if (!present) {
      missing.push_back(Problem(field, "REQUIRED", fmt::format("请采集{}", zh), fmt::format("{} is required", en), "R-ID-4"));
    }
  };
  require(!person.name.empty(), "name", "姓名", "the name");
  require(person.sex != Sex::kUnknown, "sex", "性别", "the sex");
  require(!person.ethnicity.empty(), "ethnicity", "民族", "the ethnicity");
  require(!person.nationality.empty(), "nationality", "国家/地区", "the nationality or region");
  require(!person.household_address.empty(), "household_address", "户口地址", "the household address");
  require(!person.residence_address.empty(), "residence_address", "住所地或工作单位地址", "the residence or work address");
  require(!person.phone.empty(), "phone", "联系电话", "the phone");
  require(!person.id_number.empty(), "id_number", "证件号码", "the document number");
  require(person.id_valid_from.has_value(), "id_valid_from", "证件有效期起始日期", "the document's validity start");
  bool photo_needed = !person.birth_date || PhotoRequired(AgeOn(*person.birth_date, today));
  if (photo_needed) require(!person.photo_file_id.empty(), "photo", "电子照片", "the photo");
  return missing;
}

std::vector<FieldError> CompareWithRegistry(const Person& person, const RegistryEntry& entry) {
  std::vector<FieldError> differences;
  if (entry.name != person.name) {
    differences.push_back(Problem("name", "NAME_MISMATCH", "姓名与人口库不一致", "the name differs from the population registry", "R-ID-8"));
  }
  if (entry.sex != Sex::kUnknown && person.sex != Sex::kUnknown && entry.sex != person.sex) {
    differences.push_back(Problem("sex", "SEX_MISMATCH", "性别与人口库不一致", "the sex differs from the population registry", "R-ID-8"));
  }
  if (entry.birth_date && person.birth_date && *entry.birth_date != *person.birth_date) {
    differences.push_back(Problem("birth_date", "BIRTH_DATE_MISMATCH", "出生日期与人口库不一致",
                                  "the birth date differs from the population registry", "R-ID-8"));
  }
  if (!entry.alive) {
    differences.push_back(Problem("alive", "REGISTRY_DECEASED", "人口库登记为已死亡", "the registry records the person as deceased", "R-ID-8"));
  }
  return differences;
}

std::vector<FieldError> CheckIssueEligibility(const Person& person, int other_valid_cards, Date today) {
  std::vector<FieldError> problems;
  for (FieldError& missing : MissingApplicationData(person, today)) {
    missing.rule = "R-ID-6";
    problems.push_back(std::move(missing));
  }
  if (!person.insured) {
    problems.push_back(Problem("insured", "NOT_INSURED", "参保状态异常", "the insured status is not normal", "R-ID-6"));
  }
  if (!person.alive) {
    problems.push_back(Problem("alive", "NOT_ALIVE", "生存状态异常", "the person is not recorded as alive", "R-ID-6"));
  }
  if (other_valid_cards > 0) {
    problems.push_back(Problem("cards", "ONE_PERSON_ONE_CARD", "该人员已有有效社会保障卡（一人一卡）",
                               "the person already holds a valid card (one person, one card)", "R-ID-6"));
  }
  return problems;
}

std::string_view AgentKindName(AgentKind kind) {
  switch (kind) {
    case AgentKind::kNone: return "none";
    case AgentKind::kPerson: return "person";
    case AgentKind::kOrganisation: return "organisation";
    case AgentKind::kGuardian: return "guardian";
  }
  return "none";
}

std::optional<AgentKind> ParseAgentKind(std::string_view name) {
  for (AgentKind kind : {AgentKind::kNone, AgentKind::kPerson, AgentKind::kOrganisation, AgentKind::kGuardian}) {
    if (AgentKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::vector<FieldError> CheckRepresentation(int applicant_age, bool full_capacity,
                                            const Representation& representation) {
  std::vector<FieldError> problems;
  auto need = [&](bool present, const char* field, const char* code, const char* zh, const char* en) {
    if (!present) problems.push_back(Problem(field, code, zh, en, "R-ID-3"));
  };
  bool needs_guardian = applicant_age < 16 || !full_capacity;
  if (needs_guardian && representation.kind != AgentKind::kGuardian) {
    problems.push_back(Problem("agent.kind", "GUARDIAN_REQUIRED",
                               "未满16周岁或无完全民事行为能力人员须由监护人或法定代理人代办",
                               "under 16 or without full capacity: a guardian or legal representative acts",
                               "R-ID-3"));
    return problems;
  }
  switch (representation.kind) {
    case AgentKind::kNone:
      break;
    case AgentKind::kPerson:
      need(representation.agent_document, "agent.document", "AGENT_DOCUMENT", "需代办人有效身份证件原件", "the agent's original document is needed");
      need(representation.applicant_document, "applicant.document", "APPLICANT_DOCUMENT", "需委托人有效身份证件原件", "the applicant's original document is needed");
      break;
    case AgentKind::kGuardian:
      need(representation.agent_document, "agent.document", "AGENT_DOCUMENT", "需监护人有效身份证件原件", "the guardian's original document is needed");
      need(representation.applicant_document, "applicant.document", "APPLICANT_DOCUMENT", "需被监护人有效身份证件原件", "the ward's original document is needed");
      need(representation.guardianship_proof, "agent.guardianship_proof", "GUARDIANSHIP_PROOF", "需体现监护关系的证明材料", "proof of guardianship is needed");
      break;
    case AgentKind::kOrganisation:
      need(representation.authorisation_letter, "agent.authorisation_letter", "AUTHORISATION_LETTER", "需单位委托书（介绍信）", "the organisation's letter of authorisation is needed");
      need(representation.agent_document, "agent.document", "AGENT_DOCUMENT", "需单位经办人有效身份证件原件", "the officer's original document is needed");
      need(representation.officer_document_copy, "agent.officer_document_copy", "OFFICER_DOCUMENT_COPY", "需单位经办人证件复印件（加盖公章）", "a sealed copy of the officer's document is needed");
      need(representation.applicant_document, "applicant.document", "APPLICANT_DOCUMENT", "需委托人有效身份证件复印件", "a copy of the applicant's document is needed");
      break;
  }
  return problems;
}

std::string MaskIdNumber(std::string_view id_number) {
  if (id_number.size() <= 8) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 4)) + std::string(id_number.size() - 8, '*') +
         std::string(id_number.substr(id_number.size() - 4));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string MaskName(std::string_view name) {
  auto characters = Characters(name);
  if (characters.empty()) return "";
  if (characters.size() == 1) return "*";
  return std::string(characters[0]) + std::string(characters.size() - 1, '*');
}

std::string MaskAddress(std::string_view address) {
  auto characters = Characters(address);
  std::string masked;
  for (size_t index = 0; index < characters.size() && index < 6; ++index) masked += characters[index];
  if (characters.size() > 6) masked += "****";
  return masked;
}

}  // namespace sscard::domain
