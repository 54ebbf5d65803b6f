#pragma once
// People: the holder's record (R-ID-4), representation by agents and guardians (R-ID-3), the
// checks before issuing (R-ID-6), the comparison with the population registry (R-ID-8), and
// the masks every list and screen uses. Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "domain/id_document.h"

namespace sscard::domain {

struct Person {
  std::string id;  // time-ordered id
  IdType id_type = IdType::kResidentId;
  std::string id_number;  // sealed at rest; looked up by keyed hash
  std::string name;       // sealed at rest
  Sex sex = Sex::kUnknown;
  std::string ethnicity;
  std::string nationality = "CHN";
  std::string occupation;
  std::string household_address;  // sealed at rest
  std::string residence_address;   // sealed at rest
  std::string phone;               // sealed at rest
  std::optional<Date> birth_date;
  std::optional<Date> id_valid_from;
  std::optional<Date> id_valid_to;  // empty: long-term (长期)
  std::string photo_file_id;
  std::string region_code;  // household region (6 digits), for scoping
  bool insured = true;      // 参保状态正常
  bool alive = true;        // 生存状态正常
  // A rural-pension (新农保) holder's bank contract runs until this day (R-APPLY-2).
  std::optional<Date> pension_bank_until;
  TimePoint created_at;
  int64_t version = 1;
};

// One row of the population registry (人口库, R-ID-8), imported from the registry's export.
struct RegistryEntry {
  std::string id_number;
  std::string name;
  Sex sex = Sex::kUnknown;
  std::optional<Date> birth_date;
  bool alive = true;
  std::string region_code;
  std::string phone;  // the phone the registry knows (sealed at rest); empty when none
  // Other documents the person holds (R-ID-1): an HK/Macau or Taiwan resident who also holds
  // the residence permit must use it.
  std::vector<IdType> other_documents;
};

// One row of the insurance system's status file (R-CANCEL-2): whether the person's insured
// relation is still open, as of the file's day. Imported like the registry.
struct InsuredStatus {
  std::string id_number;
  bool open = true;
  Date as_of;
};

// R-ID-4: the application data still missing (each a field problem); the photo is not
// required under 7 (R-ID-5).
std::vector<FieldError> MissingApplicationData(const Person& person, Date today);

// R-ID-8: the differences between the record and the registry (NAME_MISMATCH,
// SEX_MISMATCH, BIRTH_DATE_MISMATCH, REGISTRY_DECEASED).
std::vector<FieldError> CompareWithRegistry(const Person& person, const RegistryEntry& entry);

// R-ID-6: data complete, insured, alive, no second valid card.
std::vector<FieldError> CheckIssueEligibility(const Person& person, int other_valid_cards, Date today);

enum class AgentKind { kNone, kPerson, kOrganisation, kGuardian };
std::string_view AgentKindName(AgentKind kind);
std::optional<AgentKind> ParseAgentKind(std::string_view name);

struct Representation {
  AgentKind kind = AgentKind::kNone;
  bool agent_document = false;          // the agent's (or officer's) original document
  bool applicant_document = false;      // the applicant's original document (or its copy for orgs)
  bool authorisation_letter = false;    // 单位委托书（介绍信）
  bool officer_document_copy = false;   // 单位经办人证件复印件（加盖公章）
  bool guardianship_proof = false;      // 体现监护关系的证明材料
};

// R-ID-3: who may act and with which proof. `full_capacity` is false for people without full
// civil capacity.
std::vector<FieldError> CheckRepresentation(int applicant_age, bool full_capacity,
                                            const Representation& representation);

// Masks for lists and screens: 4201**********1234, 138****5678, 张*.
std::string MaskIdNumber(std::string_view id_number);
std::string MaskPhone(std::string_view phone);
std::string MaskName(std::string_view name);
std::string MaskAddress(std::string_view address);

}  // namespace sscard::domain
