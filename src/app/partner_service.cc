#include "app/partner_service.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "app/admin_service.h"
#include "app/audited.h"
#include "domain/staff.h"

namespace sscard::app {
namespace {

std::string KeyOf(const std::string& org_code) { return "partner_profile/" + org_code; }

std::string Encode(const domain::PartnerProfile& profile) {
  nlohmann::json fields = nlohmann::json::array();
  for (domain::PartnerField field : profile.fields) fields.push_back(std::string(domain::PartnerFieldName(field)));
  return nlohmann::json{{"purpose", profile.purpose},
                        {"fields", fields},
                        {"verifications_per_minute", profile.verifications_per_minute},
                        {"version", profile.version}}
      .dump();
}

std::optional<domain::PartnerProfile> Decode(const std::string& org_code, const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json["purpose"].is_string() || !json["fields"].is_array() ||
      !json["verifications_per_minute"].is_number_integer() || !json["version"].is_number_integer()) {
    return std::nullopt;
  }
  domain::PartnerProfile profile;
  profile.org_code = org_code;
  profile.purpose = json["purpose"].get<std::string>();
  for (const auto& name : json["fields"]) {
    if (!name.is_string()) return std::nullopt;
    auto field = domain::ParsePartnerField(name.get<std::string>());
    if (!field) return std::nullopt;
    profile.fields.push_back(*field);
  }
  profile.verifications_per_minute = json["verifications_per_minute"].get<int>();
  profile.version = json["version"].get<int64_t>();
  profile.configured = true;
  return profile;
}

Result<domain::Org> RequirePartnerOrg(ports::Tx& tx, const std::string& org_code) {
  ASSIGN_OR_RETURN(auto org, tx.orgs().Find(org_code));
  if (!org || org->type != domain::OrgType::kPartner) {
    return Fail(MakeError(ErrorCode::kUNKNOWN_ORG, "没有这个合作部门", "no such partner department").WithRule("R-ONE-6"));
  }
  return *org;
}

}  // namespace

Result<domain::PartnerProfile> LoadPartnerProfile(ports::Tx& tx, const std::string& org_code) {
  ASSIGN_OR_RETURN(auto stored, tx.settings().Get(KeyOf(org_code)));
  if (stored) {
    if (auto profile = Decode(org_code, *stored)) return *profile;
    return Fail(ErrorCode::kINTERNAL, "合作部门配置无法读取", "a partner profile could not be read");
  }
  // Before the province sets one: what the department's accounts' roles allow.
  ASSIGN_OR_RETURN(auto staff, tx.staff().List(org_code));
  bool shares = std::any_of(staff.begin(), staff.end(), [](const domain::StaffAccount& account) {
    return std::find(account.roles.begin(), account.roles.end(), domain::Role::kDataPartner) != account.roles.end();
  });
  return domain::DefaultPartnerProfile(org_code, shares);
}

Result<domain::PartnerProfile> PartnerService::Profile(const CallContext& context, const std::string& org_code) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
  return ports::Transact<domain::PartnerProfile>(store_, ports::TxMode::kRead,
                                                 [&](ports::Tx& tx) -> Result<domain::PartnerProfile> {
    ASSIGN_OR_RETURN(domain::Org org, RequirePartnerOrg(tx, org_code));
    RETURN_IF_ERROR(domain::Authorize(principal, domain::Permission::kManageOrgs, org.region_code));
    return LoadPartnerProfile(tx, org.code);
  });
}

Result<domain::PartnerProfile> PartnerService::PutProfile(const CallContext& context, domain::PartnerProfile profile,
                                                          std::optional<int> per_minute,
                                                          std::optional<int64_t> expected_version) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  return RunAudited<domain::PartnerProfile>(store_, context, {"partner.profile", profile.org_code},
                                            [&](ports::Tx& tx) -> Result<domain::PartnerProfile> {
    RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
    ASSIGN_OR_RETURN(domain::Org org, RequirePartnerOrg(tx, profile.org_code));
    RETURN_IF_ERROR(domain::Authorize(principal, domain::Permission::kManageOrgs, org.region_code));
    ASSIGN_OR_RETURN(domain::PartnerProfile current, LoadPartnerProfile(tx, org.code));
    profile.verifications_per_minute = per_minute.value_or(current.verifications_per_minute);
    auto problems = domain::ValidatePartnerProfile(profile);
    if (!problems.empty()) {
      Error error = MakeError(ErrorCode::kVALIDATION_FAILED).WithRule("R-ONE-6");
      error.fields = std::move(problems);
      return Fail(std::move(error));
    }
    if (expected_version && *expected_version != current.version) return Fail(ErrorCode::kVERSION_MISMATCH);
    // Kept in the order of the field list, whatever order they were sent in.
    std::vector<domain::PartnerField> ordered;
    for (domain::PartnerField field : domain::AllPartnerFields()) {
      if (std::find(profile.fields.begin(), profile.fields.end(), field) != profile.fields.end()) ordered.push_back(field);
    }
    profile.fields = std::move(ordered);
    profile.version = current.version + 1;
    profile.configured = true;
    RETURN_IF_ERROR(tx.settings().Put(KeyOf(org.code), Encode(profile)));
    return profile;
  });
}

}  // namespace sscard::app
