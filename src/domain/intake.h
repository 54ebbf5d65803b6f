#pragma once
// Unified acceptance (R-ACCEPT-2…5, R-CAT-2…4): what a submitted case must carry and where it
// may be taken, checked all at once so the clerk sees every problem; case numbers.
// Pure; thread-safe.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "domain/catalog.h"
#include "domain/id_document.h"
#include "domain/org.h"
#include "domain/person.h"

namespace sscard::domain {

enum class Channel { kWindow, kOnline, kDirect };
std::string_view ChannelName(Channel channel);
std::optional<Channel> ParseChannel(std::string_view name);

struct Applicant {
  std::string id_type;
  std::string id_number;
  std::string name;
  std::string phone;
  std::string ethnicity;
  std::string household_address;
  std::string residence_address;
  // From the form when the document does not carry them (passports, permits: R-ID-4).
  std::string sex;         // "male" / "female"
  std::string birth_date;  // YYYY-MM-DD
  // R-ID-3: an adult without full civil capacity applies through a guardian.
  bool full_capacity = true;
};

struct Agent {
  AgentKind kind = AgentKind::kNone;
  std::string id_type;
  std::string id_number;
  std::string name;
  std::string relationship;
};

struct MaterialRef {
  std::string name;
  // "paper", "file" (an upload), "shared" (from shared data, R-BUNDLE-5) or "account" (online:
  // stood for by the real-name account, R-ONE-8)
  std::string kind;
  std::string file_id;
  // What the material proves, when it is one the rules look for: "guardianship_proof",
  // "authorisation_letter", "agent_document" (R-ID-3). Empty for the rest.
  std::string type;
};

// True when a guide entry limited to `operations` (none: all) applies to `operation`.
bool AppliesTo(const std::vector<std::string>& operations, const std::string& operation);

struct Delivery {
  std::string method = "pickup";  // "pickup" or "mail"
  std::string org_code;
  std::string address;
};

struct IntakeRequest {
  std::string item;
  std::string operation;
  Channel channel = Channel::kWindow;
  Applicant applicant;
  std::optional<Agent> agent;
  std::map<std::string, std::string> form;  // the item's business form, as text
  std::vector<MaterialRef> materials;
  Delivery delivery;
  std::string opinion;
};

struct IntakeCheck {
  std::vector<FieldError> problems;  // form problems: VALIDATION_FAILED
  std::optional<Error> refusal;      // a rule that refuses the whole case (R-CAT-3, R-CAT-4)
  IdCheck applicant_id;
  std::optional<Date> birth_date;
  bool rare_name = false;  // R-ID-7: production at the provincial card centre, mailed
};

// Checks a case against the item's guide and the accepting org. `known_files(file_id)` says
// whether an uploaded file exists.
// The materials a citizen's real-name account stands for online (material kind "account").
bool IsAccountVerifiedMaterial(std::string_view material_name);

IntakeCheck CheckIntake(const CatalogItem& item, const IntakeRequest& request, const Org& accepting,
                        Date today, const std::function<bool(const std::string&)>& known_files);

// Case numbers: the accepting org's 6-digit region, the date, a 6-digit daily serial:
// "42011520261123000001". Readable, sortable by region and day, never reused.
std::string FormatCaseNo(std::string_view region_code, Date date, int serial);

// The 6-digit county code over a region ("420115001" -> "420115").
std::string CountyOf(std::string_view region_code);

}  // namespace sscard::domain
