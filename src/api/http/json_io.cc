#include "api/http/json_io.h"

#include <fmt/format.h>

namespace sscard::api {

namespace {

// A linear first pass over the body that only counts: depth, members of each object, items
// of each array, string length and the number of values. A body over any limit is refused
// before a document is built, so no body can make the parser or a handler work more than
// linearly (the ordered objects look members up one by one).
class BoundedSax final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t& text) override { return Text(text) && Value(); }
  bool binary(binary_t&) override { return Refuse("binary values"); }
  bool start_object(std::size_t) override { return Open(true); }
  bool key(string_t& text) override {
    if (++open_.back().count > kMaxMembers) return Refuse("more than 200 members in an object");
    return Text(text);
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(false); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    malformed_ = true;
    return false;
  }
  bool malformed() const { return malformed_; }
  const std::string& refusal() const { return refusal_; }

  static constexpr size_t kMaxDepth = 16;
  static constexpr size_t kMaxMembers = 200;
  static constexpr size_t kMaxItems = 20000;
  static constexpr size_t kMaxValues = 100000;
  static constexpr size_t kMaxString = 64 * 1024;

 private:
  struct Level {
    bool object;
    size_t count;
  };
  bool Value() {
    if (!open_.empty() && !open_.back().object && ++open_.back().count > kMaxItems) {
      return Refuse("more than 20000 items in an array");
    }
    return ++values_ <= kMaxValues || Refuse("more than 100000 values");
  }
  bool Text(const string_t& text) { return text.size() <= kMaxString || Refuse("a string longer than 64 KiB"); }
  bool Open(bool object) {
    if (!Value()) return false;
    if (open_.size() >= kMaxDepth) return Refuse("nested deeper than 16 levels");
    open_.push_back({object, 0});
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }
  bool Refuse(std::string why) {
    refusal_ = std::move(why);
    return false;
  }

  std::vector<Level> open_;
  size_t values_ = 0;
  bool malformed_ = false;
  std::string refusal_;
};

}  // namespace

Result<Json> ParseJsonObject(const Request& request) {
  std::string type = request.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return Fail(ErrorCode::kUNSUPPORTED_MEDIA_TYPE, "请以 application/json 提交",
                "send the body as application/json");
  }
  if (request.body.size() > kMaxJsonBody) {
    return Fail(ErrorCode::kPAYLOAD_TOO_LARGE, "JSON 请求内容不能超过1 MiB",
                "a JSON body is at most 1 MiB");
  }
  BoundedSax bounds;
  if (!nlohmann::json::sax_parse(request.body, &bounds, nlohmann::json::input_format_t::json, true)) {
    if (bounds.malformed()) return Fail(ErrorCode::kMALFORMED_JSON);
    return Fail(ErrorCode::kJSON_TOO_COMPLEX, "请求内容结构超出限制：" + bounds.refusal(),
                "the body is over a limit: " + bounds.refusal());
  }
  Json document = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Fail(ErrorCode::kMALFORMED_JSON);
  if (!document.is_object()) {
    return Fail(ErrorCode::kMALFORMED_JSON, "请求内容应为 JSON 对象", "the body must be a JSON object");
  }
  return document;
}

FormReader::FormReader(const Json& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

std::string FormReader::Path(const std::string& name) const {
  return prefix_.empty() ? name : prefix_ + "." + name;
}

void FormReader::AddProblem(const std::string& name, const std::string& code, std::string zh,
                            std::string en) {
  problems_.push_back({Path(name), code, {std::move(zh), std::move(en)}, ""});
}

std::optional<std::string> FormReader::OptionalString(const std::string& name,
                                                      size_t max_length) {
  auto found = object_.find(name);
  if (found == object_.end() || found->is_null()) return std::nullopt;
  if (!found->is_string()) {
    AddProblem(name, "WRONG_TYPE", "应为文本", "must be a string");
    return std::nullopt;
  }
  std::string value = found->get<std::string>();
  if (value.size() > max_length) {
    AddProblem(name, "TOO_LONG", fmt::format("不能超过{}个字节", max_length),
               fmt::format("at most {} bytes", max_length));
    return std::nullopt;
  }
  return value;
}

std::string FormReader::RequiredString(const std::string& name, size_t max_length) {
  bool present = object_.contains(name) && !object_[name].is_null();
  auto value = OptionalString(name, max_length);
  if (!present) AddProblem(name, "REQUIRED", "必填项", "required");
  else if (value && value->empty()) AddProblem(name, "REQUIRED", "必填项不能为空", "must not be empty");
  return value.value_or("");
}

bool FormReader::OptionalBool(const std::string& name, bool fallback) {
  auto found = object_.find(name);
  if (found == object_.end() || found->is_null()) return fallback;
  if (!found->is_boolean()) {
    AddProblem(name, "WRONG_TYPE", "应为 true 或 false", "must be true or false");
    return fallback;
  }
  return found->get<bool>();
}

int64_t FormReader::OptionalInt(const std::string& name, int64_t fallback, int64_t minimum, int64_t maximum) {
  auto found = object_.find(name);
  if (found == object_.end() || found->is_null()) return fallback;
  if (!found->is_number_integer() || found->get<int64_t>() < minimum || found->get<int64_t>() > maximum) {
    AddProblem(name, "OUT_OF_RANGE", fmt::format("应为{}至{}之间的整数", minimum, maximum),
               fmt::format("an integer from {} to {}", minimum, maximum));
    return fallback;
  }
  return found->get<int64_t>();
}

std::vector<std::string> FormReader::StringList(const std::string& name) {
  std::vector<std::string> values;
  auto found = object_.find(name);
  if (found == object_.end() || found->is_null()) return values;
  if (!found->is_array()) {
    AddProblem(name, "WRONG_TYPE", "应为文本列表", "must be a list of strings");
    return values;
  }
  for (const auto& item : *found) {
    if (!item.is_string()) {
      AddProblem(name, "WRONG_TYPE", "列表中应全部为文本", "every item must be a string");
      return {};
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

void FormReader::RejectUnknown(const std::set<std::string>& known) {
  for (const auto& [key, value] : object_.items()) {
    if (!known.count(key)) AddProblem(key, "UNKNOWN_FIELD", "不认识的字段", "unknown field");
  }
}

Status FormReader::Finish() const {
  if (problems_.empty()) return Ok();
  Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
  error.fields = problems_;
  return Fail(std::move(error));
}

Json ToJson(const domain::Region& region) {
  return {{"code", region.code},
          {"name", region.name},
          {"level", domain::RegionLevelName(region.level)},
          {"parent_code", region.parent_code.empty() ? Json() : Json(region.parent_code)}};
}

Json ToJson(const domain::Org& org) {
  return {{"code", org.code},
          {"name", org.name},
          {"level", domain::OrgLevelName(org.level)},
          {"type", domain::OrgTypeName(org.type)},
          {"region_code", org.region_code},
          {"capabilities",
           {{"pin_pad", org.capabilities.pin_pad},
            {"instant_printer", org.capabilities.instant_printer}}},
          {"service_point_id", org.service_point_id},
          {"address", org.address},
          {"bank_code", org.bank_code.empty() ? Json() : Json(org.bank_code)},
          {"active", org.active},
          {"version", org.version}};
}

namespace {

Json RoleNames(const std::vector<domain::Role>& roles) {
  Json names = Json::array();
  for (domain::Role role : roles) names.push_back(domain::RoleName(role));
  return names;
}

}  // namespace

Json ToJson(const domain::StaffAccount& account, TimePoint now) {
  return {{"username", account.username},
          {"name", account.name},
          {"org_code", account.org_code},
          {"roles", RoleNames(account.roles)},
          {"disabled", account.disabled},
          {"locked", domain::IsLocked(account, now)},
          {"failed_attempts", account.failed_attempts},
          {"created_at", FormatRfc3339(account.created_at)},
          {"version", account.version}};
}

Json ToJson(const domain::AuditEntry& entry) {
  return {{"id", entry.id},           {"at", FormatRfc3339(entry.at)},
          {"actor", entry.actor},     {"org_code", entry.org_code},
          {"action", entry.action},   {"target", entry.target},
          {"result", entry.result},   {"code", entry.code.empty() ? Json() : Json(entry.code)},
          {"rule", entry.rule.empty() ? Json() : Json(entry.rule)},
          {"request_id", entry.request_id}};
}

Json ToJson(const domain::Principal& principal) {
  return {{"username", principal.username},
          {"name", principal.name},
          {"org_code", principal.org_code},
          {"org_level", domain::OrgLevelName(principal.org_level)},
          {"region_code", principal.region_code},
          {"roles", RoleNames(principal.roles)}};
}

Json ToJson(const domain::CatalogItem& item, bool full) {
  Json operations = Json::array();
  for (const auto& operation : item.operations) {
    operations.push_back({{"key", operation.key},
                          {"name", operation.name},
                          {"name_en", operation.name_en},
                          {"handling", domain::HandlingName(item.HandlingOf(operation.key))}});
  }
  Json materials = Json::array();
  for (const auto& material : item.materials) {
    materials.push_back({{"name", material.name},
                         {"name_en", material.name_en},
                         {"form", material.form},
                         {"source", material.source},
                         {"required", material.required},
                         {"when", material.when.empty() ? Json() : Json(material.when)},
                         {"operations", material.operations}});
  }
  Json json = {{"code", item.code},
               {"name", item.name},
               {"name_en", item.name_en},
               {"handling", domain::HandlingName(item.handling)},
               {"operations", operations},
               {"levels", item.levels},
               {"channels", item.channels},
               {"town_offline_only", item.town_offline_only},
               {"requires_pin_pad", item.requires_pin_pad},
               {"legal_limit_days", item.legal_limit_days},
               {"promised_limit_days", item.promised_limit_days},
               {"materials", materials},
               {"review_level", item.review_level.empty() ? Json() : Json(item.review_level)}};
  if (!full) return json;
  Json form = Json::array();
  for (const auto& field : item.form) {
    Json options = Json::array();
    for (const auto& option : field.options) options.push_back({{"value", option.value}, {"label", option.label}});
    form.push_back({{"key", field.key},
                    {"label", field.label},
                    {"label_en", field.label_en},
                    {"type", field.type},
                    {"required", field.required},
                    {"options", options},
                    {"operations", field.operations},
                    {"max_length", field.max_length}});
  }
  Json steps = Json::array();
  for (const auto& step : item.steps) {
    steps.push_back({{"name", step.name}, {"actor", step.actor}, {"limit_days", step.limit_days},
                     {"standard", step.standard}, {"result", step.result}});
  }
  Json faq = Json::array();
  for (const auto& entry : item.faq) faq.push_back({{"question", entry.question}, {"answer", entry.answer}});
  Json fees = Json::array();
  for (const auto& fee : item.fees) {
    fees.push_back({{"region_prefix", fee.region_prefix}, {"amount", fee.amount},
                    {"operations", fee.operations}, {"note", fee.note}});
  }
  json["category"] = item.category;
  json["type"] = item.type;
  json["max_visits"] = item.max_visits;
  json["online_depth"] = item.online_depth;
  json["conditions"] = item.conditions;
  json["fees"] = fees;
  json["form"] = form;
  json["steps"] = steps;
  json["result"] = item.result;
  json["faq"] = faq;
  json["basis"] = item.basis;
  json["local_code"] = item.local_code;
  return json;
}

Json ToJson(const FieldError& problem, bool english) {
  return {{"field", problem.field},
          {"code", problem.code},
          {"message", english ? problem.message.en : problem.message.zh},
          {"rule", problem.rule.empty() ? Json() : Json(problem.rule)}};
}

Json CheckAnswer(bool valid, const std::vector<FieldError>& problems,
                 const std::vector<FieldError>& warnings, bool english) {
  Json answer = {{"valid", valid}};
  Json problem_list = Json::array();
  for (const auto& problem : problems) problem_list.push_back(ToJson(problem, english));
  Json warning_list = Json::array();
  for (const auto& warning : warnings) warning_list.push_back(ToJson(warning, english));
  answer["problems"] = problem_list;
  answer["warnings"] = warning_list;
  if (!valid && !problems.empty()) {
    answer["code"] = problems[0].code;
    answer["message"] = english ? problems[0].message.en : problems[0].message.zh;
    answer["rule"] = problems[0].rule.empty() ? Json() : Json(problems[0].rule);
  }
  return answer;
}

Json ToJson(const domain::Case& record, const domain::Catalog& catalog, Date today) {
  Json steps = Json::array();
  for (const auto& step : record.steps) {
    steps.push_back({{"at", FormatRfc3339(step.at)}, {"actor", step.actor}, {"org_code", step.org_code},
                     {"action", step.action}, {"note", step.note.empty() ? Json() : Json(step.note)}});
  }
  const domain::CatalogItem* item = catalog.Find(record.item);
  bool open = record.status == domain::CaseStatus::kPendingReview || record.status == domain::CaseStatus::kSuspended;
  Json materials = Json::array();
  for (const auto& material : record.materials) {
    materials.push_back({{"name", material.name}, {"kind", material.kind},
                         {"file_id", material.file_id.empty() ? Json() : Json(material.file_id)}});
  }
  return {{"case_no", record.case_no},
          {"card_no", record.card_no.empty() ? Json() : Json(record.card_no)},
          {"status", domain::CaseStatusName(record.status)},
          {"item", record.item},
          {"item_name", item ? item->name : ""},
          {"operation", record.operation},
          {"channel", domain::ChannelName(record.channel)},
          {"due_on", record.due_on ? Json(FormatDate(*record.due_on)) : Json()},
          {"overdue", open && record.due_on && *record.due_on < today},
          {"result", record.result.empty() ? Json() : Json(record.result)},
          {"reason", record.reason.empty() ? Json() : Json(record.reason)},
          // R-BUNDLE-6: the month a pension account change takes effect.
          {"effective_month", record.form.count("effective_month") ? Json(record.form.at("effective_month")) : Json()},
          {"applicant",
           {{"id_type", record.applicant.id_type},
            {"id_number", domain::MaskIdNumber(record.applicant.id_number)},
            {"name", domain::MaskName(record.applicant.name)},
            {"phone", record.applicant.phone.empty() ? Json() : Json(domain::MaskPhone(record.applicant.phone))}}},
          {"agent", record.agent ? Json{{"kind", domain::AgentKindName(record.agent->kind)},
                                        {"name", domain::MaskName(record.agent->name)}}
                                 : Json()},
          {"materials", materials},
          {"delivery", {{"method", record.delivery.method},
                        {"org_code", record.delivery.org_code.empty() ? Json() : Json(record.delivery.org_code)},
                        {"address", record.delivery.address.empty() ? Json() : Json(domain::MaskAddress(record.delivery.address))}}},
          {"opinion", record.opinion.empty() ? Json() : Json(record.opinion)},
          {"accepting_org", record.accepting_org},
          {"reviewing_org", record.reviewing_org.empty() ? Json() : Json(record.reviewing_org)},
          {"accepted_by", record.accepted_by},
          {"rare_name", record.rare_name},
          {"created_at", FormatRfc3339(record.created_at)},
          {"updated_at", FormatRfc3339(record.updated_at)},
          {"version", record.version},
          {"steps", steps}};
}

namespace {

// The item's business form ("form": {key: text, number or boolean}), as text.
void ReadFormValues(const Json& body, FormReader& form, std::map<std::string, std::string>& values) {
  if (!body.contains("form") || body["form"].is_null()) return;
  if (!body["form"].is_object()) {
    form.AddProblem("form", "WRONG_TYPE", "应为对象", "must be an object");
    return;
  }
  for (const auto& [key, value] : body["form"].items()) {
    if (value.is_string()) values[key] = value.get<std::string>();
    else if (value.is_boolean()) values[key] = value.get<bool>() ? "true" : "false";
    else if (value.is_number()) values[key] = value.dump();
    else if (!value.is_null()) form.AddProblem("form." + key, "WRONG_TYPE", "应为文本、数字或是否", "text, number or boolean");
  }
}

}  // namespace

Result<domain::IntakeRequest> IntakeFromJson(const Json& body, ApplicantSource source) {
  bool from_session = source == ApplicantSource::kSession;
  domain::IntakeRequest request;
  FormReader form(body);
  request.item = form.RequiredString("item", 20);
  request.operation = form.RequiredString("operation", 40);
  std::string channel = form.OptionalString("channel", 10).value_or("window");
  if (auto parsed = domain::ParseChannel(channel)) request.channel = *parsed;
  else form.AddProblem("channel", "BAD_CHANNEL", "渠道应为 window、online 或 direct", "window, online or direct");
  request.opinion = form.OptionalString("opinion", 500).value_or("");
  form.RejectUnknown({"item", "operation", "channel", "applicant", "agent", "form", "materials", "delivery", "opinion"});
  if (from_session && (!body.contains("applicant") || body["applicant"].is_null())) {
    // The signed-in citizen is the applicant; the use case fills in who they are.
  } else if (!body.contains("applicant") || !body["applicant"].is_object()) {
    form.AddProblem("applicant", "REQUIRED", "请填写申请人基本信息", "the applicant's basic information is required");
  } else {
    FormReader applicant(body["applicant"], "applicant");
    auto identity = [&](const char* name, size_t length) {
      return from_session ? applicant.OptionalString(name, length).value_or("") : applicant.RequiredString(name, length);
    };
    request.applicant.id_type = identity("id_type", 40);
    request.applicant.id_number = identity("id_number", 40);
    request.applicant.name = identity("name", 200);
    request.applicant.phone = applicant.OptionalString("phone", 32).value_or("");
    request.applicant.ethnicity = applicant.OptionalString("ethnicity", 40).value_or("");
    request.applicant.household_address = applicant.OptionalString("household_address", 600).value_or("");
    request.applicant.residence_address = applicant.OptionalString("residence_address", 600).value_or("");
    request.applicant.sex = applicant.OptionalString("sex", 10).value_or("");
    request.applicant.birth_date = applicant.OptionalString("birth_date", 10).value_or("");
    request.applicant.full_capacity = applicant.OptionalBool("full_capacity", true);
    applicant.RejectUnknown({"id_type", "id_number", "name", "phone", "ethnicity", "household_address",
                             "residence_address", "sex", "birth_date", "full_capacity"});
    RETURN_IF_ERROR(applicant.Finish());
  }
  if (body.contains("agent") && !body["agent"].is_null()) {
    if (!body["agent"].is_object()) {
      form.AddProblem("agent", "WRONG_TYPE", "应为对象", "must be an object");
    } else {
      FormReader agent_form(body["agent"], "agent");
      domain::Agent agent;
      std::string kind = agent_form.RequiredString("kind", 20);
      agent.kind = domain::ParseAgentKind(kind).value_or(domain::AgentKind::kNone);
      if (!domain::ParseAgentKind(kind)) {
        agent_form.AddProblem("kind", "BAD_AGENT_KIND", "代办类型应为 person、organisation 或 guardian", "person, organisation or guardian");
      }
      agent.id_type = agent_form.OptionalString("id_type", 40).value_or("");
      agent.id_number = agent_form.OptionalString("id_number", 40).value_or("");
      agent.name = agent_form.OptionalString("name", 200).value_or("");
      agent.relationship = agent_form.OptionalString("relationship", 40).value_or("");
      agent_form.RejectUnknown({"kind", "id_type", "id_number", "name", "relationship"});
      RETURN_IF_ERROR(agent_form.Finish());
      request.agent = agent;
    }
  }
  ReadFormValues(body, form, request.form);
  if (body.contains("materials") && !body["materials"].is_null()) {
    if (!body["materials"].is_array()) {
      form.AddProblem("materials", "WRONG_TYPE", "应为列表", "must be a list");
    } else {
      int index = 0;
      for (const auto& material : body["materials"]) {
        if (!material.is_object()) {
          form.AddProblem(fmt::format("materials[{}]", index), "WRONG_TYPE", "应为对象", "must be an object");
        } else {
          FormReader item(material, fmt::format("materials[{}]", index));
          domain::MaterialRef ref;
          ref.name = item.RequiredString("name", 200);
          ref.kind = item.RequiredString("kind", 10);
          ref.file_id = item.OptionalString("file_id", 100).value_or("");
          ref.type = item.OptionalString("type", 40).value_or("");
          if (!ref.type.empty() && ref.type != "guardianship_proof" && ref.type != "authorisation_letter" &&
              ref.type != "agent_document") {
            item.AddProblem("type", "NOT_AN_OPTION", "材料类型应为 guardianship_proof、authorisation_letter 或 agent_document",
                            "type is guardianship_proof, authorisation_letter or agent_document");
          }
          RETURN_IF_ERROR(item.Finish());
          request.materials.push_back(ref);
        }
        ++index;
      }
    }
  }
  if (body.contains("delivery") && body["delivery"].is_object()) {
    FormReader delivery(body["delivery"], "delivery");
    request.delivery.method = delivery.OptionalString("method", 10).value_or("pickup");
    request.delivery.org_code = delivery.OptionalString("org_code", 20).value_or("");
    request.delivery.address = delivery.OptionalString("address", 600).value_or("");
    delivery.RejectUnknown({"method", "org_code", "address"});
    RETURN_IF_ERROR(delivery.Finish());
  }
  RETURN_IF_ERROR(form.Finish());
  return request;
}

Result<domain::BundleRequest> BundleFromJson(const Json& body, ApplicantSource source) {
  domain::BundleRequest request;
  FormReader form(body);
  request.notice_accepted = form.OptionalBool("notice_accepted", false);
  form.RejectUnknown({"notice_accepted", "items", "channel", "applicant", "agent", "materials", "delivery"});
  // The applicant, agent, channel, materials and delivery read as an intake's do.
  Json shared = body;
  shared.erase("notice_accepted");
  shared.erase("items");
  if (!shared.contains("channel")) shared["channel"] = "online";
  shared["item"] = "bundle";
  shared["operation"] = "bundle";
  auto common = IntakeFromJson(shared, source);
  if (!body.contains("items") || !body["items"].is_array()) {
    form.AddProblem("items", "REQUIRED", "请选择要联办的事项", "choose the items to bundle");
  } else {
    int index = 0;
    for (const auto& entry : body["items"]) {
      std::string path = fmt::format("items[{}]", index++);
      if (!entry.is_object()) {
        form.AddProblem(path, "WRONG_TYPE", "应为对象", "must be an object");
        continue;
      }
      FormReader item(entry, path);
      domain::BundleItem bundled;
      bundled.item = item.RequiredString("item", 20);
      bundled.operation = item.RequiredString("operation", 40);
      ReadFormValues(entry, item, bundled.form);
      item.RejectUnknown({"item", "operation", "form"});
      RETURN_IF_ERROR(item.Finish());
      request.items.push_back(std::move(bundled));
    }
  }
  if (!common) {
    Error error = std::move(common).error();
    RETURN_IF_ERROR(form.Finish());  // the bundle's own problems first
    return Fail(std::move(error));
  }
  RETURN_IF_ERROR(form.Finish());
  request.channel = common->channel;
  request.applicant = std::move(common->applicant);
  request.agent = std::move(common->agent);
  request.materials = std::move(common->materials);
  request.delivery = std::move(common->delivery);
  return request;
}

Json SweepJson(const app::SweepReport& report) {
  return {{"action", report.action},
          {"stock_handled", report.stock_handled},
          {"sleeping", report.sleeping},
          {"expired", report.expired},
          {"renewal_notices", report.renewal_notices},
          {"child_notices", report.child_notices}};
}

}  // namespace sscard::api
