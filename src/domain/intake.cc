#include "domain/intake.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "domain/bundle.h"
#include "domain/name.h"
#include "domain/photo.h"

namespace sscard::domain {
namespace {

FieldError Problem(std::string field, std::string code, std::string zh, std::string en, std::string rule = "") {
  return {std::move(field), std::move(code), {std::move(zh), std::move(en)}, std::move(rule)};
}

bool MailAllowed(const CatalogItem& item) {
  return item.code == "002014010001" || item.code == "002014010008";  // apply, replacement
}

}  // namespace

bool AppliesTo(const std::vector<std::string>& operations, const std::string& operation) {
  return operations.empty() || std::find(operations.begin(), operations.end(), operation) != operations.end();
}

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kWindow: return "window";
    case Channel::kOnline: return "online";
    case Channel::kDirect: return "direct";
  }
  return "window";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel channel : {Channel::kWindow, Channel::kOnline, Channel::kDirect}) {
    if (ChannelName(channel) == name) return channel;
  }
  return std::nullopt;
}

bool IsAccountVerifiedMaterial(std::string_view material_name) {
  return material_name == "居民身份证或其他有效身份证件" || material_name == "中华人民共和国社会保障卡";
}

IntakeCheck CheckIntake(const CatalogItem& item, const IntakeRequest& request, const Org& accepting,
                        Date today, const std::function<bool(const std::string&)>& known_files) {
  IntakeCheck check;
  auto& problems = check.problems;
  const Operation* operation = item.FindOperation(request.operation);
  if (!operation) {
    problems.push_back(Problem("operation", "UNKNOWN_OPERATION", "该事项没有此业务办理项",
                               "the item has no such operation", "R-ACCEPT-2"));
    return check;
  }
  // R-CAT-3: town-level orgs take these items at the window only.
  if (accepting.level == OrgLevel::kTown && item.town_offline_only && request.channel == Channel::kOnline) {
    check.refusal = MakeError(ErrorCode::kCHANNEL_NOT_ALLOWED).WithRule("R-CAT-3");
  }
  // The guide's channels (R-CAT-5): PIN services need the card at an org or a self-service
  // device (R-PIN-3), never online.
  if (request.channel == Channel::kOnline &&
      std::find(item.channels.begin(), item.channels.end(), "online") == item.channels.end()) {
    check.refusal = MakeError(ErrorCode::kCHANNEL_NOT_ALLOWED, "此事项不能网上办理，请持卡到服务窗口或自助设备办理",
                              "this item is not offered online; bring the card to a window or a self-service device")
                        .WithRule(item.requires_pin_pad ? "R-PIN-3" : "R-CAT-5");
  }
  // R-CAT-4: PIN services need a PIN pad with PSAM at the org.
  if (item.requires_pin_pad && !accepting.capabilities.pin_pad && request.channel != Channel::kOnline) {
    check.refusal = MakeError(ErrorCode::kPIN_PAD_REQUIRED).WithRule("R-CAT-4");
  }

  // Basic information (starred fields).
  const Applicant& applicant = request.applicant;
  auto id_type = ParseIdType(applicant.id_type);
  if (!id_type) {
    problems.push_back(Problem("applicant.id_type", "UNKNOWN_ID_TYPE", "请选择证件类型", "choose a document type", "R-ID-1"));
  } else {
    check.applicant_id = CheckIdNumber(*id_type, applicant.id_number, today);
    for (FieldError problem : check.applicant_id.problems) {
      problem.field = "applicant." + (problem.field == "number" ? std::string("id_number") : problem.field);
      problems.push_back(std::move(problem));
    }
    check.birth_date = check.applicant_id.birth_date;
    // R-ID-4: what the document does not carry (a passport, a permit) comes from the form.
    if (!check.birth_date && !applicant.birth_date.empty()) {
      check.birth_date = ParseDate(applicant.birth_date);
      if (!check.birth_date || *check.birth_date > today) {
        problems.push_back(Problem("applicant.birth_date", "BAD_DATE", "出生日期应为 YYYY-MM-DD，且不晚于今天",
                                   "birth_date is a YYYY-MM-DD date not after today", "R-ID-4"));
        check.birth_date.reset();
      }
    }
    if (check.applicant_id.sex == Sex::kUnknown && (applicant.sex == "male" || applicant.sex == "female")) {
      check.applicant_id.sex = applicant.sex == "male" ? Sex::kMale : Sex::kFemale;
    }
  }
  NameCheck name = CheckName(applicant.name);
  for (FieldError problem : name.problems) {
    problem.field = "applicant.name";
    problems.push_back(std::move(problem));
  }
  check.rare_name = name.rare;
  bool makes_a_card = item.code == "002014010001" || item.code == "002014010008";
  if (makes_a_card && id_type && check.applicant_id.problems.empty()) {
    if (!check.birth_date && applicant.birth_date.empty()) {
      problems.push_back(Problem("applicant.birth_date", "REQUIRED", "证件不含出生日期，请填写出生日期",
                                 "the document carries no birth date: birth_date is required", "R-ID-4"));
    }
    if (check.applicant_id.sex == Sex::kUnknown) {
      problems.push_back(Problem("applicant.sex", "REQUIRED", "证件不含性别，请选择性别（male 或 female）",
                                 "the document carries no sex: sex is male or female", "R-ID-4"));
    }
  }
  if (makes_a_card) {
    if (applicant.phone.empty()) problems.push_back(Problem("applicant.phone", "REQUIRED", "请填写联系电话", "the phone is required", "R-ID-4"));
    if (applicant.household_address.empty()) {
      problems.push_back(Problem("applicant.household_address", "REQUIRED", "请填写户口地址", "the household address is required", "R-ID-4"));
    }
  }

  // Business information: the item's form schema.
  std::set<std::string> known_keys;
  for (const FormField& field : item.form) {
    if (!AppliesTo(field.operations, request.operation)) continue;
    known_keys.insert(field.key);
    auto value = request.form.find(field.key);
    bool present = value != request.form.end() && !value->second.empty();
    std::string path = "form." + field.key;
    if (!present) {
      if (field.required) problems.push_back(Problem(path, "REQUIRED", field.label + "为必填项", field.label_en + " is required"));
      continue;
    }
    if (field.type == "select" &&
        std::none_of(field.options.begin(), field.options.end(),
                     [&](const FormOption& option) { return option.value == value->second; })) {
      problems.push_back(Problem(path, "NOT_AN_OPTION", field.label + "的取值不在可选范围内", field.label_en + ": not one of the options"));
    }
    if (field.type == "date" && !ParseDate(value->second)) {
      problems.push_back(Problem(path, "BAD_DATE", field.label + "应为 YYYY-MM-DD 日期", field.label_en + " is a YYYY-MM-DD date"));
    }
    if (field.key == "nationality" &&
        (value->second.size() != 3 || !std::all_of(value->second.begin(), value->second.end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; }))) {
      problems.push_back(Problem(path, "BAD_CODE", "国籍（地区）应为 GB/T 2659 三位字母代码，如 CHN",
                                 "nationality is a GB/T 2659 three-letter code such as CHN", "R-ID-4"));
    }
    if (field.type == "boolean" && value->second != "true" && value->second != "false") {
      problems.push_back(Problem(path, "WRONG_TYPE", field.label + "应为是或否", field.label_en + " is true or false"));
    }
    if (field.max_length > 0 && value->second.size() > static_cast<size_t>(field.max_length) * 3) {
      problems.push_back(Problem(path, "TOO_LONG", field.label + "过长", field.label_en + " is too long"));
    }
  }
  auto from = request.form.find("id_valid_from");
  auto to = request.form.find("id_valid_to");
  if (from != request.form.end() && to != request.form.end() && ParseDate(from->second) && ParseDate(to->second) &&
      *ParseDate(to->second) < *ParseDate(from->second)) {
    problems.push_back(Problem("form.id_valid_to", "BAD_RANGE", "证件有效期止不能早于有效期起",
                               "the document's validity ends before it starts", "R-ID-4"));
  }
  for (const auto& [key, value] : request.form) {
    if (!known_keys.count(key)) problems.push_back(Problem("form." + key, "UNKNOWN_FIELD", "不认识的业务信息字段", "unknown form field"));
  }

  // Materials (R-ACCEPT-2): the guide's required ones, each paper or an uploaded file.
  int age = check.birth_date ? AgeOn(*check.birth_date, today) : 99;
  bool has_agent = request.agent && request.agent->kind != AgentKind::kNone;
  for (size_t index = 0; index < request.materials.size(); ++index) {
    const MaterialRef& material = request.materials[index];
    std::string path = fmt::format("materials[{}]", index);
    if (material.kind == "shared") {
      // R-BUNDLE-5: taken from shared data (the police photo, the identity document's images).
      if (!IsSharedDataMaterial(material.name)) {
        problems.push_back(Problem(path + ".kind", "NOT_SHARED_DATA", "该材料不在数据共享清单中，请提交纸质或电子材料",
                                   "this material is not on the data-sharing list", "R-BUNDLE-5"));
      }
    } else if (material.kind == "account") {
      // R-ONE-8: online, the real-name account (checked against the registry) stands for the
      // identity document and the card the citizen holds.
      if (request.channel != Channel::kOnline || !IsAccountVerifiedMaterial(material.name)) {
        problems.push_back(Problem(path + ".kind", "NOT_ACCOUNT_VERIFIED", "仅网上实名账户办理时，身份证件和社会保障卡可由账户核验",
                                   "only online, through the real-name account, stand for the document or the card",
                                   "R-ONE-8"));
      }
    } else if (material.kind != "paper" && material.kind != "file") {
      problems.push_back(Problem(path + ".kind", "BAD_MATERIAL_KIND", "材料应标记为纸质、上传电子文件或取自共享数据",
                                 "paper, file or shared"));
    } else if (material.kind == "file" && (material.file_id.empty() || !known_files(material.file_id))) {
      problems.push_back(Problem(path + ".file_id", "UNKNOWN_FILE", "未找到上传的材料文件", "no such uploaded file"));
    }
  }
  for (const Material& material : item.materials) {
    if (!material.required || !AppliesTo(material.operations, request.operation)) continue;
    if (material.when == "agent" && !has_agent) continue;
    if (material.when == "age_7_or_over" && !PhotoRequired(age)) continue;
    bool given = std::any_of(request.materials.begin(), request.materials.end(),
                             [&](const MaterialRef& ref) { return ref.name == material.name; });
    if (!given) {
      problems.push_back(Problem("materials", "MATERIAL_MISSING", "缺少材料：" + material.name,
                                 "missing material: " + (material.name_en.empty() ? material.name : material.name_en),
                                 "R-ACCEPT-2"));
    }
  }

  // Agent or guardian (R-ID-3).
  Representation representation;
  if (has_agent) {
    representation.kind = request.agent->kind;
    auto named = [&](std::string_view text) {
      return std::any_of(request.materials.begin(), request.materials.end(),
                         [&](const MaterialRef& ref) { return ref.name.find(text) != std::string::npos; });
    };
    auto typed = [&](std::string_view type) {
      return std::any_of(request.materials.begin(), request.materials.end(),
                         [&](const MaterialRef& ref) { return ref.type == type; });
    };
    representation.applicant_document = named("身份证") || named("证件");
    representation.agent_document = !request.agent->id_number.empty() || typed("agent_document");
    representation.authorisation_letter = typed("authorisation_letter") || named("委托书") || named("介绍信");
    representation.officer_document_copy = named("复印件");
    representation.guardianship_proof = typed("guardianship_proof") || named("监护");
  }
  for (FieldError problem : CheckRepresentation(age, applicant.full_capacity, representation)) {
    problems.push_back(std::move(problem));
  }

  // R-ID-7: a rare-character name is made at the provincial card centre and mailed.
  if (check.rare_name && makes_a_card && request.delivery.method != "mail") {
    problems.push_back(Problem("delivery.method", "MAIL_REQUIRED", "姓名含生僻字，须由省制卡中心制卡并邮寄，请填写邮寄地址",
                               "a rare-character name is produced by the provincial card centre and mailed", "R-ID-7"));
  }
  // Receipt method (R-ACCEPT-2): mail only for apply and replacement, with an address.
  if (request.delivery.method == "mail") {
    if (!MailAllowed(item)) {
      problems.push_back(Problem("delivery.method", "MAIL_NOT_ALLOWED", "仅申领、补换卡可选择邮寄",
                                 "mail delivery is for apply and replacement only", "R-ACCEPT-2"));
    } else if (request.delivery.address.empty()) {
      problems.push_back(Problem("delivery.address", "REQUIRED", "邮寄须填写邮寄地址", "mail needs an address", "R-ACCEPT-2"));
    }
  } else if (request.delivery.method != "pickup") {
    problems.push_back(Problem("delivery.method", "BAD_DELIVERY", "领取方式应为 pickup 或 mail", "pickup or mail"));
  }
  return check;
}

std::string FormatCaseNo(std::string_view region_code, Date date, int serial) {
  return fmt::format("{}{:04}{:02}{:02}{:06}", region_code.substr(0, 6), int(date.year()), unsigned(date.month()),
                     unsigned(date.day()), serial);
}

std::string CountyOf(std::string_view region_code) { return std::string(region_code.substr(0, 6)); }

}  // namespace sscard::domain
