// Partner departments (R-ONE-1, R-ONE-6): verification of the card a holder presents, and the
// partner profiles the province keeps (purpose, the fields a partner may receive, its rate
// limit). What a partner receives is decided in the app layer (CardService::Verify); this file
// only reads the request and writes the projection it is given.
#include <algorithm>

#include "api/http/route_kit.h"
#include "app/card_service.h"
#include "app/ecard_service.h"
#include "app/partner_service.h"
#include "domain/card.h"
#include "domain/id_document.h"
#include "domain/partner_profile.h"
#include "domain/person.h"
#include "domain/state_machines.h"

namespace sscard::api {
namespace {

Json FieldNames(const std::vector<domain::PartnerField>& fields) {
  Json names = Json::array();
  for (domain::PartnerField field : fields) names.push_back(std::string(domain::PartnerFieldName(field)));
  return names;
}

Json ProfileJson(const domain::PartnerProfile& profile) {
  return {{"org_code", profile.org_code},
          {"purpose", profile.purpose},
          {"fields", FieldNames(profile.fields)},
          {"verifications_per_minute", profile.verifications_per_minute},
          {"configured", profile.configured},
          {"version", profile.version}};
}

// Field names as sent; unknown names are field problems of `form`.
std::vector<domain::PartnerField> ReadFields(FormReader& form, const Json& body, const std::string& name) {
  std::vector<domain::PartnerField> fields;
  if (!body.contains(name)) return fields;
  for (const std::string& text : form.StringList(name)) {
    auto field = domain::ParsePartnerField(text);
    if (field) {
      fields.push_back(*field);
    } else {
      form.AddProblem(name, "UNKNOWN_FIELD", "没有这个字段：" + text.substr(0, 40), "no such field: " + text.substr(0, 40));
    }
  }
  return fields;
}

Json VerificationJson(const app::Verification& verification, bool qr, bool english) {
  Json answer = {{"verdict", verification.verdict.valid ? "valid" : "invalid"},
                 {"valid", verification.verdict.valid},
                 {"code", verification.verdict.code},
                 {"message", english ? verification.verdict.en : verification.verdict.zh},
                 {"credential", qr ? "qr" : "chip"},
                 {"purpose", verification.purpose},
                 {"shared_fields", FieldNames(verification.shared)}};
  if (verification.verdict_only) return answer;
  const domain::HolderProjection& shown = verification.projection;
  if (shown.card) {
    const domain::Card& card = *shown.card;
    answer["card"] = {{"card_no", card.card_no},
                      {"status", domain::CardStatusName(card.status)},
                      {"ecard_status", domain::ECardStatusOf(card)},
                      {"expires_on", card.expires_on ? Json(FormatDate(*card.expires_on)) : Json()}};
  }
  Json holder = Json::object();
  if (shown.masked_name) {
    holder["masked_name"] = *shown.masked_name;
    holder["name"] = *shown.masked_name;
  }
  if (shown.name) holder["name"] = *shown.name;
  holder["masked"] = !shown.name.has_value();
  if (shown.id_type) holder["id_type"] = domain::IdTypeName(*shown.id_type);
  if (shown.id_number) holder["id_number"] = *shown.id_number;
  if (shown.sex) holder["sex"] = domain::SexName(*shown.sex);
  if (shown.birth_date) holder["birth_date"] = *shown.birth_date ? Json(FormatDate(**shown.birth_date)) : Json();
  if (shown.insured) holder["insured"] = *shown.insured;
  answer["holder"] = std::move(holder);
  if (shown.bank_code) {
    answer["bank"] = {{"code", *shown.bank_code}, {"account_status", domain::BankAccountStatusName(*shown.bank_account)}};
  }
  return answer;
}

}  // namespace

void AddPartnerRoutes(const AddRoute& add, ApiDeps& d) {
  // R-ONE-1/R-ONE-6: a partner verifies the card the holder presents — the e-card's signed QR
  // token or a chip read at its registered terminal — never a bare number; `fields` narrows
  // the answer to some of what its profile allows.
  add("POST", "/api/v1/cards/verify", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::optional<std::string> qr = form.OptionalString("qr", 2048);
    bool bare_number = body.contains("card_no") || body.contains("ecard_no");
    bool chip = body.contains("chip");
    if (!qr && !bare_number && !chip) form.AddProblem("qr", "REQUIRED", "请出示电子社保卡二维码", "present the e-card's QR token");
    std::optional<std::vector<domain::PartnerField>> requested;
    if (body.contains("fields")) requested = ReadFields(form, body, "fields");
    form.RejectUnknown({"qr", "chip", "card_no", "ecard_no", "fields"});
    std::optional<app::ChipRead> read;
    if (!qr && chip) {
      if (!body["chip"].is_object()) {
        form.AddProblem("chip", "WRONG_TYPE", "芯片读卡数据应为对象", "chip is an object");
      } else {
        FormReader chip_form(body["chip"], "chip");
        read = app::ChipRead{chip_form.RequiredString("terminal_id", 40), chip_form.RequiredString("card_no", 20),
                             chip_form.RequiredString("challenge", 100), chip_form.RequiredString("mac", 64)};
        chip_form.RejectUnknown({"terminal_id", "card_no", "challenge", "mac"});
        RETURN_IF_ERROR(chip_form.Finish());
      }
    }
    RETURN_IF_ERROR(form.Finish());
    std::string card_no;
    std::optional<app::PresentedQr> presented;
    if (qr) {
      ASSIGN_OR_RETURN(presented, d.ecards->Check(*qr, call.context.now));
      if (presented->ecard_no.size() < 2) return Fail(MakeError(ErrorCode::kCREDENTIAL_INVALID).WithRule("R-ONE-6"));
      card_no = presented->ecard_no.substr(1);
    } else if (read) {
      ASSIGN_OR_RETURN(card_no, d.ecards->RedeemChip(call.context, *read));
    } else {
      // A card number is no proof that the holder is present.
      return Fail(MakeError(ErrorCode::kCREDENTIAL_REQUIRED).WithRule("R-ONE-6"));
    }
    ASSIGN_OR_RETURN(app::Verification verification,
                     d.cards->Verify(call.context, card_no,
                                     qr ? app::CardService::Credential::kECard : app::CardService::Credential::kCard,
                                     presented ? &presented->use : nullptr, requested));
    return JsonResponse(200, VerificationJson(verification, qr.has_value(), call.english));
  });

  add("GET", "/api/v1/partners/{org_code}/profile", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(domain::PartnerProfile profile, d.partners->Profile(call.context, call.params["org_code"]));
    Response response = JsonResponse(200, ProfileJson(profile));
    response.headers.emplace_back("ETag", "\"" + std::to_string(profile.version) + "\"");
    return response;
  });
  add("PUT", "/api/v1/partners/{org_code}/profile", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    ASSIGN_OR_RETURN(auto expected, IfMatchVersion(call.request));
    FormReader form(body);
    domain::PartnerProfile profile;
    profile.org_code = call.params["org_code"];
    profile.purpose = form.RequiredString("purpose", 800);
    if (!body.contains("fields")) form.AddProblem("fields", "REQUIRED", "请列出可接收的字段", "list the fields");
    profile.fields = ReadFields(form, body, "fields");
    // Left out: the limit stays as it is.
    std::optional<int> per_minute;
    if (body.contains("verifications_per_minute")) {
      per_minute = static_cast<int>(form.OptionalInt("verifications_per_minute", 120, 1, 6000));
    }
    if (body.contains("version")) {
      if (!body["version"].is_number_integer()) {
        form.AddProblem("version", "WRONG_TYPE", "version 应为整数", "version is an integer");
      } else if (!expected) {
        expected = body["version"].get<int64_t>();
      }
    }
    form.RejectUnknown({"purpose", "fields", "verifications_per_minute", "version"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::PartnerProfile saved,
                     d.partners->PutProfile(call.context, std::move(profile), per_minute, expected));
    Response response = JsonResponse(200, ProfileJson(saved));
    response.headers.emplace_back("ETag", "\"" + std::to_string(saved.version) + "\"");
    return response;
  });
}

}  // namespace sscard::api
