#include "domain/partner_profile.h"

#include <algorithm>
#include <array>


namespace sscard::domain {
namespace {

struct FieldRow {
  PartnerField field;
  std::string_view name;
  bool personal;
};

constexpr std::array<FieldRow, 9> kFields{{
    {PartnerField::kMaskedName, "masked_name", false},
    {PartnerField::kCard, "card", false},
    {PartnerField::kName, "name", true},
    {PartnerField::kIdType, "id_type", true},
    {PartnerField::kIdNumber, "id_number", true},
    {PartnerField::kSex, "sex", true},
    {PartnerField::kBirthDate, "birth_date", true},
    {PartnerField::kInsured, "insured", true},
    {PartnerField::kBank, "bank", true},
}};

const FieldRow& RowOf(PartnerField field) {
  return *std::find_if(kFields.begin(), kFields.end(), [&](const FieldRow& row) { return row.field == field; });
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool Contains(const std::vector<PartnerField>& fields, PartnerField field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

}  // namespace

std::string_view PartnerFieldName(PartnerField field) { return RowOf(field).name; }

std::optional<PartnerField> ParsePartnerField(std::string_view name) {
  for (const FieldRow& row : kFields) {
    if (row.name == name) return row.field;
  }
  return std::nullopt;
}

const std::vector<PartnerField>& AllPartnerFields() {
  static const std::vector<PartnerField> all = [] {
    std::vector<PartnerField> fields;
    for (const FieldRow& row : kFields) fields.push_back(row.field);
    return fields;
  }();
  return all;
}

bool IsPersonalField(PartnerField field) { return RowOf(field).personal; }

PartnerProfile DefaultPartnerProfile(const std::string& org_code, bool shares_holder_data) {
  PartnerProfile profile;
  profile.org_code = org_code;
  if (shares_holder_data) {
    profile.purpose = "经授权共享持卡人基本信息";
    profile.fields = AllPartnerFields();
  } else {
    profile.purpose = "持卡人身份核验";
    profile.fields = {PartnerField::kMaskedName, PartnerField::kCard};
  }
  return profile;
}

std::vector<FieldError> ValidatePartnerProfile(const PartnerProfile& profile) {
  std::vector<FieldError> problems;
  size_t characters = CodePoints(profile.purpose);
  bool one_line = profile.purpose.find_first_of("\r\n\t") == std::string::npos;
  if (characters < 2 || characters > 200 || !one_line) {
    problems.push_back({"purpose", "INVALID_PURPOSE",
                        {"请用一行（2–200 字）写明使用用途", "state the purpose on one line, 2–200 characters"},
                        "R-ONE-6"});
  }
  for (size_t index = 0; index < profile.fields.size(); ++index) {
    if (std::count(profile.fields.begin(), profile.fields.end(), profile.fields[index]) > 1) {
      problems.push_back({"fields", "DUPLICATE_FIELD", {"字段重复", "a field is listed twice"}, "R-ONE-6"});
      break;
    }
  }
  if (profile.verifications_per_minute < 1 || profile.verifications_per_minute > 6000) {
    problems.push_back({"verifications_per_minute", "OUT_OF_RANGE",
                        {"每分钟核验次数应为 1–6000", "1 to 6000 verifications a minute"}, "R-ONE-6"});
  }
  return problems;
}

Result<std::vector<PartnerField>> FieldsToShare(const PartnerProfile& profile, bool may_receive_personal,
                                                const std::optional<std::vector<PartnerField>>& requested) {
  std::vector<PartnerField> allowed;
  for (PartnerField field : AllPartnerFields()) {
    if (Contains(profile.fields, field) && (may_receive_personal || !IsPersonalField(field))) allowed.push_back(field);
  }
  if (!requested) return allowed;
  std::vector<PartnerField> shared;
  for (PartnerField field : AllPartnerFields()) {
    if (!Contains(*requested, field)) continue;
    if (!Contains(allowed, field)) {
      return Fail(MakeError(ErrorCode::kFIELD_NOT_IN_PROFILE,
                            "所请求的字段“" + std::string(PartnerFieldName(field)) + "”不在本部门获准接收的范围内",
                            "the field '" + std::string(PartnerFieldName(field)) + "' is outside this partner's profile")
                      .WithRule("R-ONE-6"));
    }
    shared.push_back(field);
  }
  return shared;
}

HolderProjection ProjectForPartner(const std::vector<PartnerField>& fields, const Card& card, const Person& holder) {
  HolderProjection projection;
  for (PartnerField field : fields) {
    switch (field) {
      case PartnerField::kMaskedName: projection.masked_name = MaskName(holder.name); break;
      case PartnerField::kCard: projection.card = card; break;
      case PartnerField::kName: projection.name = holder.name; break;
      case PartnerField::kIdType: projection.id_type = holder.id_type; break;
      case PartnerField::kIdNumber: projection.id_number = holder.id_number; break;
      case PartnerField::kSex: projection.sex = holder.sex; break;
      case PartnerField::kBirthDate: projection.birth_date = holder.birth_date; break;
      case PartnerField::kInsured: projection.insured = holder.insured; break;
      case PartnerField::kBank:
        projection.bank_code = card.bank_code;
        projection.bank_account = card.bank_account;
        break;
    }
  }
  return projection;
}

}  // namespace sscard::domain
