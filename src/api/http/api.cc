#include "api/http/api.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "api/http/card_json.h"
#include "api/http/embedded_openapi.h"
#include "api/http/json_io.h"
#include "api/http/route_kit.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "domain/name.h"
#include "domain/pin.h"

namespace sscard::api {



struct Api::Route {
  RouteInfo info;
  std::vector<std::string> segments;
  Handler handler;
};

namespace {

// A 429 with Retry-After (defined with the rate policies below).
Response TooMany(int seconds, bool english, const std::string& request_id);

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Fixed segments are compared first, so a route that does not match allocates nothing.
bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  for (size_t index = 0; index < pattern.size(); ++index) {
    bool parameter = IsParameter(pattern[index]);
    if (parameter ? path[index].empty() : pattern[index] != path[index]) return false;
  }
  for (size_t index = 0; index < pattern.size(); ++index) {
    const std::string& segment = pattern[index];
    if (IsParameter(segment)) params[segment.substr(1, segment.size() - 2)] = path[index];
  }
  return true;
}


// An answer whose JSON text is already written (the card answers of card_json.h).
Response JsonTextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Json Page(Json items, const std::string& next_cursor) {
  return {{"items", std::move(items)},
          {"next_cursor", next_cursor.empty() ? Json() : Json(next_cursor)}};
}

bool WantsEnglish(const Request& request) {
  std::string language = request.Header("accept-language");
  return language.rfind("en", 0) == 0;
}

std::string RequestIdOf(const Request& request, TimePoint now) {
  std::string given = request.Header("x-request-id");
  bool sane = !given.empty() && given.size() <= 64 &&
              std::all_of(given.begin(), given.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                       c == '.';
              });
  return sane ? given : NewSortableId(now);
}

std::string BearerToken(const Request& request) {
  std::string header = request.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() > kPrefix.size() && header.compare(0, kPrefix.size(), kPrefix) == 0) {
    return header.substr(kPrefix.size());
  }
  return {};
}

// The session of a request: its bearer token (API clients), else the browser's HttpOnly
// session cookie.
struct SessionCredential {
  std::string token;
  bool from_cookie = false;
};
SessionCredential CredentialOf(const Request& request) {
  std::string bearer = BearerToken(request);
  if (!bearer.empty()) return {bearer, false};
  return {request.Cookie(SessionCookieName(request)), true};
}

// A request the session cookie authenticates changes nothing unless it carries the session's
// CSRF token (a page of another site cannot read it). Reads are safe.
bool CsrfHolds(const Request& request, const SessionCredential& credential) {
  if (!credential.from_cookie || request.method == "GET" || request.method == "HEAD") return true;
  std::string sent = request.Header("x-csrf-token");
  std::string expected = CsrfTokenFor(credential.token);
  return sent.size() == expected.size() && ConstantTimeEquals(sent, expected);
}

// `"session": "cookie"` in a sign-in: the token goes into cookies, not into the answer.
bool WantsCookieSession(FormReader& form) {
  auto kind = form.OptionalString("session", 10);
  if (kind && *kind != "cookie" && *kind != "token") {
    form.AddProblem("session", "NOT_AN_OPTION", "会话方式应为 cookie 或 token", "cookie or token");
  }
  return kind && *kind == "cookie";
}
Response SignedInResponse(int status, Json body, const Call& call, bool cookie, const std::string& token, TimePoint expires_at) {
  if (!cookie) {
    body["token"] = token;
    return JsonResponse(status, body);
  }
  body["csrf_token"] = CsrfTokenFor(token);
  Response response = JsonResponse(status, body);
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(expires_at - call.context.now).count();
  SetSessionCookies(response, call.request, token, std::max<int64_t>(seconds, 0));
  return response;
}

bool IsLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

// Headers every answer carries: the UI's scripts come from this server only (no inline
// script), nothing frames it, no type sniffing, no referrer leaves with a case number in it.
void AddSecurityHeaders(Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
  response.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

std::optional<int> ParseLimit(const std::string& text) {
  if (text.empty()) return 50;
  if (text.size() > 4 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  int limit = std::stoi(text);
  if (limit < 1 || limit > 500) return std::nullopt;
  return limit;
}



Json BatchJson(const domain::Batch& batch) {
  return {{"batch_no", batch.batch_no},   {"mode", batch.mode},
          {"status", domain::BatchStatusName(batch.status)}, {"created_by", batch.created_by},
          {"org_code", batch.org_code},   {"created_at", FormatRfc3339(batch.created_at)},
          {"due_on", FormatDate(batch.due_on)}, {"size", batch.size},
          {"produced", batch.produced},   {"failed", batch.failed},
          {"version", batch.version}};
}

// The paging and date-range parameters every list shares: limit, cursor, from, to.
struct ListParameters {
  int limit = 50;
  std::string cursor;
  std::optional<Date> from;
  std::optional<Date> to;
};


// An applicant's tracking request: the number (`number_field`) and their ID number, which
// travels in the body, never in a URL (URLs end up in logs). Errors: VALIDATION_FAILED.
Result<std::pair<std::string, std::string>> ReadTrackRequest(const Call& call, const std::string& number_field) {
  ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
  FormReader form(body);
  std::string number = form.RequiredString(number_field, 41);
  std::string id_number = form.RequiredString("id_number", 40);
  form.RejectUnknown({number_field, "id_number"});
  RETURN_IF_ERROR(form.Finish());
  return std::make_pair(number, id_number);
}

// Staff names are not the applicant's business: a case as the applicant tracks it.
void HideActors(Json& case_json) {
  case_json.erase("accepted_by");
  for (auto& step : case_json["steps"]) step.erase("actor");
}

// Reads limit, cursor, from and to (China dates). Errors: BAD_QUERY.
Result<ListParameters> ReadListParameters(const Call& call) {
  ListParameters parameters;
  auto limit = ParseLimit(call.Query("limit"));
  if (!limit) return Fail(BadQuery("limit", "limit 应为1至500", "limit is 1 to 500"));
  parameters.limit = *limit;
  parameters.cursor = call.Query("cursor");
  for (const char* bound : {"from", "to"}) {
    std::string text = call.Query(bound);
    if (text.empty()) continue;
    auto date = ParseDate(text);
    if (!date) return Fail(BadQuery(bound, "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD"));
    (std::string_view(bound) == "from" ? parameters.from : parameters.to) = date;
  }
  return parameters;
}

}  // namespace

int HttpStatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return 400;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kPermissionDenied: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kMethodNotAllowed: return 405;
    case ErrorKind::kRequestTimeout: return 408;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kPreconditionFailed: return 412;
    case ErrorKind::kPayloadTooLarge: return 413;
    case ErrorKind::kUnsupportedMedia: return 415;
    case ErrorKind::kRuleViolation: return 422;
    case ErrorKind::kLocked: return 423;
    case ErrorKind::kTooManyRequests: return 429;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

Response ProblemResponse(const Error& error, bool english, const std::string& request_id) {
  auto pick = [english](const LocalText& text) { return english ? text.en : text.zh; };
  std::string code(CodeName(error.code));
  Json fields = Json::array();
  for (const FieldError& field : error.fields) {
    fields.push_back({{"field", field.field},
                      {"code", field.code},
                      {"message", pick(field.message)},
                      {"rule", field.rule.empty() ? Json() : Json(field.rule)}});
  }
  std::string detail = pick(error.detail);
  Json body = {{"type", "urn:sscard:problem:" + code},
               {"title", pick(error.title)},
               {"status", HttpStatusOf(error.kind)},
               {"detail", detail.empty() ? pick(error.title) : detail},
               {"code", code},
               {"rule", error.rule.empty() ? Json() : Json(error.rule)},
               {"errors", fields},
               {"request_id", request_id}};
  Response response = JsonResponse(HttpStatusOf(error.kind), body);
  response.content_type = "application/problem+json";
  if (error.kind == ErrorKind::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

Api::~Api() = default;

Api::Api(ApiDeps deps) : deps_(std::move(deps)) {
  auto add = [this](std::string method, std::string pattern, bool requires_auth, Handler handler) {
    Route route;
    route.info = {std::move(method), pattern, requires_auth};
    route.segments = SplitPath(pattern);
    route.handler = std::move(handler);
    routes_.push_back(std::move(route));
  };
  ApiDeps& d = deps_;

  // Service and meta.
  add("GET", "/healthz", kPublic, [](Call&) -> Result<Response> {
    return JsonResponse(200, {{"status", "ok"}});
  });
  add("GET", "/readyz", kPublic, [&d](Call&) -> Result<Response> {
    RETURN_IF_ERROR(d.store->Ping());
    ASSIGN_OR_RETURN(int schema, d.store->SchemaVersion());
    if (schema == 0) {
      return Fail(ErrorCode::kUNAVAILABLE, "数据库尚未初始化", "the database has no schema yet");
    }
    return JsonResponse(200, {{"status", "ready"}, {"engine", d.store->Engine()}, {"schema", schema}});
  });
  // Operators read /metrics on the loopback listener; from anywhere else it takes a system
  // administrator's session (the figures tell how busy each route is).
  add("GET", "/metrics", kPublic, [&d](Call& call) -> Result<Response> {
    if (!IsLoopback(call.request.remote_address)) {
      ASSIGN_OR_RETURN(auto principal, d.auth->Authenticate(CredentialOf(call.request).token, call.context.now));
      RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kManageOrgs));
    }
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = d.metrics->RenderPrometheus();
    return response;
  });
  add("GET", "/api/openapi.json", kPublic, [](Call&) -> Result<Response> {
    Response response;
    response.body = std::string(EmbeddedOpenApiFiles().at(0).content);
    return response;
  });
  // Without a built web UI, "/" explains where things are instead of answering 404.
  add("GET", "/", kPublic, [&d](Call&) -> Result<Response> {
    if (auto index = d.site.Find("/")) return std::move(*index);
    Response response;
    response.content_type = "text/html; charset=utf-8";
    response.body =
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>sscard 社会保障卡业务平台</title>"
        "<body style=\"font-family:sans-serif;max-width:46em;margin:3em auto;line-height:1.6\">"
        "<h1>sscard 社会保障卡业务平台</h1>"
        "<p>服务运行中。接口文档：<a href=\"/api/openapi.json\">/api/openapi.json</a>；"
        "健康检查：<a href=\"/healthz\">/healthz</a>；指标：<a href=\"/metrics\">/metrics</a>。</p>"
        "<p>The server is running. The staff web UI is served from <code>--web DIR</code> once built; "
        "the HTTP API is described at <a href=\"/api/openapi.json\">/api/openapi.json</a>. "
        "Sign in with <code>POST /api/v1/auth/login</code>.</p></body></html>";
    return response;
  });
  add("GET", "/api/v1/version", kPublic, [&d](Call&) -> Result<Response> {
    return JsonResponse(200, {{"version", d.version}, {"engine", d.store->Engine()}});
  });

  // Sessions.
  add("POST", "/api/v1/auth/login", kPublic, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string username = form.RequiredString("username", 64);
    std::string password = form.RequiredString("password", 128);
    form.OptionalString("otp", 16);
    bool cookie = WantsCookieSession(form);
    form.RejectUnknown({"username", "password", "otp", "session"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(auto login, d.auth->Login(call.context, username, password));
    Json answer = {{"expires_at", FormatRfc3339(login.expires_at)}, {"user", ToJson(login.principal)}};
    return SignedInResponse(200, std::move(answer), call, cookie, login.token, login.expires_at);
  });
  add("POST", "/api/v1/auth/logout", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(d.auth->Logout(call.context));
    Response response;
    response.status = 204;
    ClearSessionCookies(response, call.request);
    return response;
  });
  add("GET", "/api/v1/auth/me", kSignedIn, [](Call& call) -> Result<Response> {
    return JsonResponse(200, ToJson(*call.context.principal));
  });

  // Reference data.
  add("GET", "/api/v1/regions", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    std::string parent = call.Query("parent");
    if (!parent.empty()) {
      auto normalized = domain::NormalizeRegionCode(parent);
      if (!normalized) {
        return Fail(BadQuery("parent", "不是行政区划代码", "not a region code"));
      }
      parent = *normalized;
    }
    ASSIGN_OR_RETURN(auto regions, d.admin->RegionChildren(parent));
    Json items = Json::array();
    for (const auto& region : regions) items.push_back(ToJson(region));
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/regions/{code}", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    ASSIGN_OR_RETURN(auto region, d.admin->RegionOf(call.params["code"]));
    return JsonResponse(200, ToJson(region));
  });
  add("GET", "/api/v1/orgs", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto orgs, d.admin->ListOrgs(call.context));
    Json items = Json::array();
    for (const auto& org : orgs) items.push_back(ToJson(org));
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/orgs/{code}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto org, d.admin->GetOrg(call.context, call.params["code"]));
    return JsonResponse(200, ToJson(org));
  });
  add("POST", "/api/v1/orgs", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    app::NewOrg request;
    request.name = form.RequiredString("name");
    request.region_code = form.RequiredString("region_code", 9);
    request.institution = form.RequiredString("institution", 5);
    request.type = form.RequiredString("type", 20);
    request.level = form.OptionalString("level", 10).value_or("");
    request.address = form.OptionalString("address").value_or("");
    request.bank_code = form.OptionalString("bank_code", 20).value_or("");
    if (body.contains("capabilities")) {
      if (!body["capabilities"].is_object()) {
        form.AddProblem("capabilities", "WRONG_TYPE", "应为对象", "must be an object");
      } else {
        FormReader capabilities(body["capabilities"], "capabilities");
        request.capabilities.pin_pad = capabilities.OptionalBool("pin_pad", false);
        request.capabilities.instant_printer = capabilities.OptionalBool("instant_printer", false);
        capabilities.RejectUnknown({"pin_pad", "instant_printer"});
        RETURN_IF_ERROR(capabilities.Finish());
      }
    }
    form.RejectUnknown({"name", "region_code", "institution", "type", "level", "address",
                        "bank_code", "capabilities"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(auto org, d.admin->CreateOrg(call.context, request));
    return JsonResponse(201, ToJson(org));
  });

  // The catalog and its guides are published (R-CAT-5): no sign-in needed.
  add("GET", "/api/v1/catalog/items", kPublic, [&d](Call& call) -> Result<Response> {
    Json items = Json::array();
    for (const auto* item : d.reference->catalog().Search(call.Query("q"))) {
      items.push_back(ToJson(*item, false));
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/catalog/items/{code}", kPublic, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(const domain::CatalogItem* item, d.reference->Item(call.params["code"]));
    return JsonResponse(200, ToJson(*item, true));
  });
  add("GET", "/api/v1/catalog/items/{code}/guide", kPublic, [&d](Call& call) -> Result<Response> {
    std::string org = call.Query("org");
    if (org.empty()) return Fail(BadQuery("org", "请指定服务机构 org", "org is required"));
    ASSIGN_OR_RETURN(app::Guide guide, d.reference->GuideAt(call.params["code"], org));
    Json json = ToJson(*guide.item, true);
    json["org"] = {{"code", guide.org.code},
                   {"name", guide.org.name},
                   {"level", domain::OrgLevelName(guide.org.level)},
                   {"address", guide.org.address},
                   {"service_point_id", guide.org.service_point_id},
                   {"pin_pad", guide.org.capabilities.pin_pad}};
    Json fees = Json::object();
    for (const auto& [operation, fee] : guide.fees) fees[operation] = {{"amount", fee.amount}, {"note", fee.note}};
    json["fees_here"] = fees;
    // What this org can actually offer of the item.
    bool level_ok = std::find(guide.item->levels.begin(), guide.item->levels.end(),
                              std::string(domain::OrgLevelName(guide.org.level))) != guide.item->levels.end();
    bool pin_ok = !guide.item->requires_pin_pad || guide.org.capabilities.pin_pad;
    json["available_here"] = level_ok && pin_ok;
    json["online_here"] = guide.item->HasChannel("online") &&
                          !(guide.org.level == domain::OrgLevel::kTown && guide.item->town_offline_only);
    return JsonResponse(200, json);
  });

  // The working-day calendar (R-APPLY-4).
  add("GET", "/api/v1/calendar/due-date", kPublic, [&d](Call& call) -> Result<Response> {
    auto from = ParseDate(call.Query("from"));
    if (!from) return Fail(BadQuery("from", "from 应为 YYYY-MM-DD 日期", "from is a YYYY-MM-DD date"));
    std::string days_text = call.Query("working_days");
    if (days_text.empty() || days_text.size() > 3 ||
        !std::all_of(days_text.begin(), days_text.end(), ::isdigit)) {
      return Fail(BadQuery("working_days", "working_days 应为0至400的整数", "working_days is 0 to 400"));
    }
    ASSIGN_OR_RETURN(app::DueDate due, d.reference->DueDateFrom(*from, std::stoi(days_text)));
    return JsonResponse(200, {{"from", FormatDate(*from)},
                              {"working_days", std::stoi(days_text)},
                              {"due_on", FormatDate(due.due_on)},
                              {"calendar_complete", due.calendar_complete}});
  });
  add("GET", "/api/v1/calendar/days/{date}", kPublic, [&d](Call& call) -> Result<Response> {
    auto date = ParseDate(call.params["date"]);
    if (!date) return Fail(BadQuery("date", "日期应为 YYYY-MM-DD", "the date is YYYY-MM-DD"));
    const auto& calendar = d.reference->calendar();
    std::string festival = calendar.FestivalOf(*date);
    return JsonResponse(200, {{"date", FormatDate(*date)},
                              {"working_day", calendar.IsWorkingDay(*date)},
                              {"festival", festival.empty() ? Json() : Json(festival)},
                              {"covered", calendar.Covers(*date)}});
  });

  // Live checks (200 whether valid or not; API.md).
  add("POST", "/api/v1/checks/id-document", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string type = form.RequiredString("type", 40);
    std::string number = form.RequiredString("number", 64);
    form.RejectUnknown({"type", "number"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::IdCheck check,
                     d.reference->CheckIdDocument(type, number, ChinaDate(call.context.now)));
    Json answer = CheckAnswer(check.valid, check.problems, check.warnings, call.english);
    answer["normalized"] = check.normalized.empty() ? Json() : Json(check.normalized);
    answer["birth_date"] = check.birth_date ? Json(FormatDate(*check.birth_date)) : Json();
    answer["sex"] = check.sex == domain::Sex::kUnknown ? Json() : Json(domain::SexName(check.sex));
    answer["region_code"] = check.region_code.empty() ? Json() : Json(check.region_code);
    return JsonResponse(200, answer);
  });
  add("POST", "/api/v1/checks/name", kSignedIn, [](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string name = form.RequiredString("name", 400);
    form.RejectUnknown({"name"});
    RETURN_IF_ERROR(form.Finish());
    domain::NameCheck check = domain::CheckName(name);
    Json answer = CheckAnswer(check.valid, check.problems, {}, call.english);
    answer["rare"] = check.rare;
    answer["rare_chars"] = check.rare_chars;
    if (check.rare) {
      answer["routing"] = {{"production", "provincial_card_centre"}, {"delivery", "mail"}, {"rule", "R-ID-7"}};
    }
    return JsonResponse(200, answer);
  });
  add("POST", "/api/v1/checks/pin", kSignedIn, [](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string pin = form.RequiredString("pin", 16);
    domain::PinContext context;
    context.id_number = form.OptionalString("id_number", 32).value_or("");
    context.phone = form.OptionalString("phone", 32).value_or("");
    if (auto birth = form.OptionalString("birth_date", 10)) {
      context.birth_date = ParseDate(*birth);
      if (!context.birth_date) form.AddProblem("birth_date", "BAD_DATE", "日期应为 YYYY-MM-DD", "a YYYY-MM-DD date");
    }
    form.RejectUnknown({"pin", "id_number", "birth_date", "phone"});
    RETURN_IF_ERROR(form.Finish());
    auto problems = domain::CheckPin(pin, context);
    return JsonResponse(200, CheckAnswer(problems.empty(), problems, {}, call.english));
  });
  add("POST", "/api/v1/checks/photo", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(domain::RequireReferenceReader(*call.context.principal));
    std::string type = call.request.Header("content-type");
    if (type.rfind("image/jpeg", 0) != 0) {
      return Fail(ErrorCode::kUNSUPPORTED_MEDIA_TYPE, "请以 image/jpeg 提交照片", "send the photo as image/jpeg");
    }
    domain::PhotoCheck check = d.reference->CheckPhoto(call.request.body);
    Json answer = CheckAnswer(check.valid, check.problems, {}, call.english);
    answer["width"] = check.width;
    answer["height"] = check.height;
    answer["bytes"] = check.bytes;
    return JsonResponse(200, answer);
  });

  // Cases: the unified acceptance interface (R-ACCEPT-2…5).
  add("POST", "/api/v1/cases", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    if (call.context.principal->IsCitizen()) {
      // A citizen's online case: the applicant comes from the session, a sensitive operation
      // needs the fresh code sent to the citizen's own phone (POST /me/codes).
      std::string code = body.contains("confirm_code") && body["confirm_code"].is_string() ? body["confirm_code"].get<std::string>() : "";
      body.erase("confirm_code");
      std::string operation = body.contains("operation") && body["operation"].is_string() ? body["operation"].get<std::string>() : "";
      bool changes_phone = body.contains("form") && body["form"].is_object() && body["form"].contains("phone");
      RETURN_IF_ERROR(d.citizens->ConfirmIfSensitive(call.context, operation, code, changes_phone));
    }
    ASSIGN_OR_RETURN(domain::IntakeRequest request,
                     IntakeFromJson(body, call.context.principal->IsCitizen() ? ApplicantSource::kSession : ApplicantSource::kBody));
    ASSIGN_OR_RETURN(auto idempotency, IdempotencyOf(call));
    ASSIGN_OR_RETURN(app::IntakeResult result, d.cases->Intake(call.context, request, idempotency.first, idempotency.second));
    Response response = JsonResponse(201, ToJson(result.record, d.reference->catalog(), ChinaDate(call.context.now)));
    response.headers.emplace_back("ETag", "\"" + std::to_string(result.record.version) + "\"");
    response.headers.emplace_back("Location", "/api/v1/cases/" + result.record.case_no);
    if (result.replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  });
  add("GET", "/api/v1/cases", kSignedIn, [&d](Call& call) -> Result<Response> {
    ports::CaseQuery query;
    query.status = call.Query("status");
    if (!query.status.empty() && !domain::ParseCaseStatus(query.status)) {
      return Fail(BadQuery("status", "未知的办件状态", "unknown case status"));
    }
    query.item = call.Query("item");
    query.accepting_org = call.Query("org");
    query.reviewing_org = call.Query("reviewing_org");
    ASSIGN_OR_RETURN(ListParameters list, ReadListParameters(call));
    query.after_case_no = list.cursor;
    query.limit = list.limit;
    query.from = list.from;
    query.to = list.to;
    if (call.Query("overdue") == "true") query.overdue_on = ChinaDate(call.context.now);
    ASSIGN_OR_RETURN(app::CasePage page, d.cases->List(call.context, query));
    Json items = Json::array();
    for (const auto& record : page.items) {
      items.push_back(ToJson(record, d.reference->catalog(), ChinaDate(call.context.now)));
    }
    return JsonResponse(200, Page(std::move(items), page.next_cursor));
  });
  add("GET", "/api/v1/cases/{case_no}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(domain::Case record, d.cases->Get(call.context, call.params["case_no"]));
    Response response = JsonResponse(200, ToJson(record, d.reference->catalog(), ChinaDate(call.context.now)));
    response.headers.emplace_back("ETag", "\"" + std::to_string(record.version) + "\"");
    return response;
  });
  add("POST", "/api/v1/cases/{case_no}/review", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string decision = form.RequiredString("decision", 10);
    std::string reason = form.OptionalString("reason", 500).value_or("");
    if (!decision.empty() && decision != "approve" && decision != "reject") {
      form.AddProblem("decision", "BAD_DECISION", "决定应为 approve 或 reject", "approve or reject");
    }
    bool insured_closed = form.OptionalBool("insured_closed", false);
    form.RejectUnknown({"decision", "reason", "insured_closed"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(auto expected, IfMatchVersion(call.request));
    ASSIGN_OR_RETURN(domain::Case record,
                     d.cases->Review(call.context, call.params["case_no"], {decision == "approve", reason, insured_closed},
                                     expected));
    return JsonResponse(200, ToJson(record, d.reference->catalog(), ChinaDate(call.context.now)));
  });
  add("POST", "/api/v1/cases/track", kPublic, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto asked, ReadTrackRequest(call, "case_no"));
    ASSIGN_OR_RETURN(domain::Case record, d.cases->Track(asked.first, asked.second));
    Json json = ToJson(record, d.reference->catalog(), ChinaDate(call.context.now));
    HideActors(json);
    return JsonResponse(200, json);
  });

  // The "one-thing" bundle (R-BUNDLE-1…5).
  auto bundle_json = [&d](const app::BundleView& view, const Call& call) {
    Json cases = Json::array();
    bool open = false;
    for (const domain::Case& record : view.cases) {
      cases.push_back(ToJson(record, d.reference->catalog(), ChinaDate(call.context.now)));
      open = open || record.status == domain::CaseStatus::kPendingReview || record.status == domain::CaseStatus::kSuspended;
    }
    return Json{{"bundle_no", view.record.bundle_no},
                {"org_code", view.record.org_code},
                {"created_at", FormatRfc3339(view.record.created_at)},
                {"status", open ? "in_progress" : "finished"},
                {"items", std::move(cases)}};
  };
  add("POST", "/api/v1/bundles/precheck", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    ASSIGN_OR_RETURN(domain::BundleRequest request,
                     BundleFromJson(body, call.context.principal->IsCitizen() ? ApplicantSource::kSession : ApplicantSource::kBody));
    ASSIGN_OR_RETURN(app::BundlePrecheck precheck, d.bundles->Precheck(call.context, request));
    Json items = Json::array();
    for (const app::BundleItemVerdict& verdict : precheck.items) {
      Json item = {{"item", verdict.item}, {"operation", verdict.operation}, {"eligible", !verdict.refusal}};
      if (verdict.refusal) {
        const Error& refusal = *verdict.refusal;
        const LocalText& text = refusal.detail.zh.empty() ? refusal.title : refusal.detail;
        item["code"] = CodeName(refusal.code);
        item["message"] = call.english ? text.en : text.zh;
        item["rule"] = refusal.rule.empty() ? Json() : Json(refusal.rule);
        Json errors = Json::array();
        for (const FieldError& field : refusal.fields) errors.push_back(ToJson(field, call.english));
        item["errors"] = std::move(errors);
      }
      items.push_back(std::move(item));
    }
    return JsonResponse(200, {{"eligible", precheck.eligible}, {"items", std::move(items)}});
  });
  add("POST", "/api/v1/bundles", kSignedIn, [&d, bundle_json](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    if (call.context.principal->IsCitizen()) {
      // As for a single case: a bundle with a sensitive item (a loss report, a pension account
      // change) needs the fresh code sent to the citizen's own phone, once for the bundle.
      std::string code = body.contains("confirm_code") && body["confirm_code"].is_string() ? body["confirm_code"].get<std::string>() : "";
      body.erase("confirm_code");
      std::string sensitive;
      if (body.contains("items") && body["items"].is_array()) {
        for (const Json& item : body["items"]) {
          bool changes_phone = item.is_object() && item.contains("form") && item["form"].is_object() &&
                               item["form"].contains("phone");
          if (item.is_object() && item.contains("operation") && item["operation"].is_string() &&
              app::CitizenService::IsSensitive(item["operation"].get<std::string>(), changes_phone)) {
            sensitive = item["operation"].get<std::string>();
          }
        }
      }
      RETURN_IF_ERROR(d.citizens->ConfirmIfSensitive(call.context, sensitive, code, !sensitive.empty()));
    }
    ASSIGN_OR_RETURN(domain::BundleRequest request,
                     BundleFromJson(body, call.context.principal->IsCitizen() ? ApplicantSource::kSession : ApplicantSource::kBody));
    ASSIGN_OR_RETURN(auto idempotency, IdempotencyOf(call));
    ASSIGN_OR_RETURN(app::BundleView view, d.bundles->Submit(call.context, request, idempotency.first, idempotency.second));
    Response response = JsonResponse(201, bundle_json(view, call));
    response.headers.emplace_back("Location", "/api/v1/bundles/" + view.record.bundle_no);
    if (view.replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  });
  add("GET", "/api/v1/bundles/{bundle_no}", kSignedIn, [&d, bundle_json](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::BundleView view, d.bundles->Get(call.context, call.params["bundle_no"]));
    return JsonResponse(200, bundle_json(view, call));
  });
  add("POST", "/api/v1/bundles/track", kPublic, [&d, bundle_json](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto asked, ReadTrackRequest(call, "bundle_no"));
    ASSIGN_OR_RETURN(app::BundleView view, d.bundles->Track(asked.first, asked.second));
    Json json = bundle_json(view, call);
    for (auto& item : json["items"]) HideActors(item);
    return JsonResponse(200, json);
  });

  // Home service by appointment (R-ONE-4).
  auto booking_json = [&d](const app::BookingView& view) {
    const domain::Booking& booking = view.booking;
    const domain::CatalogItem* item = d.reference->catalog().Find(booking.item);
    return Json{{"booking_no", booking.booking_no},
                {"status", domain::BookingStatusName(booking.status)},
                {"reason", domain::BookingReasonName(booking.reason)},
                {"item", booking.item},
                {"item_name", item ? item->name : ""},
                {"preferred_on", FormatDate(booking.preferred_on)},
                {"scheduled_on", booking.scheduled_on ? Json(FormatDate(*booking.scheduled_on)) : Json()},
                {"org_code", booking.org_code},
                {"case_no", booking.case_no.empty() ? Json() : Json(booking.case_no)},
                {"note", booking.note.empty() ? Json() : Json(booking.note)},
                {"person", {{"name", domain::MaskName(view.person.name)},
                            {"phone", view.person.phone.empty() ? Json() : Json(domain::MaskPhone(view.person.phone))},
                            {"address", domain::MaskAddress(view.person.residence_address.empty()
                                                                ? view.person.household_address
                                                                : view.person.residence_address)}}},
                {"created_at", FormatRfc3339(booking.created_at)},
                {"version", booking.version}};
  };
  add("POST", "/api/v1/bookings", kPublic, [this, &d, booking_json](Call& call) -> Result<Response> {
    // The ID number travels in the body, never in a URL.
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    app::BookingRequest request;
    request.id_number = form.RequiredString("id_number", 40);
    request.name = form.RequiredString("name", 200);
    std::string reason = form.RequiredString("reason", 20);
    request.item = form.RequiredString("item", 20);
    std::string day = form.RequiredString("preferred_on", 10);
    form.RejectUnknown({"id_number", "name", "reason", "item", "preferred_on"});
    if (auto parsed = domain::ParseBookingReason(reason)) request.reason = *parsed;
    else if (!reason.empty()) form.AddProblem("reason", "BAD_REASON", "原因应为 advanced_age、seriously_ill 或 disabled", "advanced_age, seriously_ill or disabled");
    if (auto parsed = ParseDate(day)) request.preferred_on = *parsed;
    else if (!day.empty()) form.AddProblem("preferred_on", "BAD_DATE", "日期格式应为 YYYY-MM-DD", "a YYYY-MM-DD date");
    RETURN_IF_ERROR(form.Finish());
    // A public route that checks a name against an ID number is a guessing oracle: a few
    // misses per ID number a day (whatever the address), then that number waits.
    constexpr RateLimiter::Limit kMissesPerIdNumber{10, std::chrono::hours(24)};
    std::string misses = "booking-miss|" + Sha256Hex(domain::NormalizeIdNumber(request.id_number));
    if (auto wait = limiter_.Blocked(misses, kMissesPerIdNumber, call.context.now)) {
      return TooMany(*wait, call.english, call.context.request_id);
    }
    auto view = d.bookings->Request(call.context, request);
    if (!view && view.error().code == ErrorCode::kNOT_FOUND) limiter_.Hit(misses, kMissesPerIdNumber, call.context.now);
    if (!view) return tl::unexpected(std::move(view).error());
    return JsonResponse(201, booking_json(*view));
  });
  add("GET", "/api/v1/bookings", kSignedIn, [&d, booking_json](Call& call) -> Result<Response> {
    std::string status = call.Query("status");
    if (!status.empty() && !domain::ParseBookingStatus(status)) {
      return Fail(BadQuery("status", "未知的预约状态", "unknown booking status"));
    }
    ASSIGN_OR_RETURN(auto views, d.bookings->List(call.context, status));
    Json items = Json::array();
    for (const auto& view : views) items.push_back(booking_json(view));
    return JsonResponse(200, Page(std::move(items), ""));
  });
  for (const char* action : {"schedule", "complete", "cancel"}) {
    std::string name = action;
    add("POST", "/api/v1/bookings/{booking_no}/" + name, kSignedIn, [&d, booking_json, name](Call& call) -> Result<Response> {
      ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
      FormReader form(body);
      app::BookingStep step{name, std::nullopt, "", ""};
      if (name == "schedule") {
        std::string day = form.RequiredString("on", 10);
        if (auto parsed = ParseDate(day)) step.on = *parsed;
        else if (!day.empty()) form.AddProblem("on", "BAD_DATE", "日期格式应为 YYYY-MM-DD", "a YYYY-MM-DD date");
        form.RejectUnknown({"on"});
      } else if (name == "complete") {
        step.case_no = form.OptionalString("case_no", 40).value_or("");
        form.RejectUnknown({"case_no"});
      } else {
        step.reason = form.OptionalString("reason", 500).value_or("");
        form.RejectUnknown({"reason"});
      }
      RETURN_IF_ERROR(form.Finish());
      ASSIGN_OR_RETURN(app::BookingView view, d.bookings->Step(call.context, call.params["booking_no"], step));
      return JsonResponse(200, booking_json(view));
    });
  }

  for (const char* action : {"suspend", "resume", "withdraw"}) {
    std::string name = action;
    add("POST", "/api/v1/cases/{case_no}/" + name, kSignedIn, [&d, name](Call& call) -> Result<Response> {
      std::string reason;
      if (!call.request.body.empty()) {
        ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
        FormReader form(body);
        reason = form.OptionalString("reason", 500).value_or("");
        form.RejectUnknown({"reason"});
        RETURN_IF_ERROR(form.Finish());
      }
      const std::string& case_no = call.params["case_no"];
      ASSIGN_OR_RETURN(auto expected, IfMatchVersion(call.request));
      auto record = name == "suspend" ? d.cases->Suspend(call.context, case_no, reason, expected)
                    : name == "resume" ? d.cases->Resume(call.context, case_no, expected)
                                       : d.cases->Withdraw(call.context, case_no, reason, expected);
      if (!record) return tl::unexpected(record.error());
      return JsonResponse(200, ToJson(*record, d.reference->catalog(), ChinaDate(call.context.now)));
    });
  }

  // Uploaded materials (content-addressed).
  add("POST", "/api/v1/files", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ports::StoredFile file,
                     d.files->Upload(call.context, call.request.Header("content-type"), call.request.body));
    return JsonResponse(201, {{"file_id", file.file_id}, {"sha256", file.file_id}, {"bytes", file.bytes},
                              {"content_type", file.content_type}});
  });
  add("GET", "/api/v1/files/{file_id}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ports::StoredFile file, d.files->Download(call.context, call.params["file_id"]));
    Response response;
    response.content_type = file.content_type;
    response.body = std::move(file.content);
    return response;
  });

  add("GET", "/api/v1/reports/dashboard", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::Dashboard board, d.reports->DashboardOf(call.context));
    Json by_item = Json::array();
    for (const auto& [code, count] : board.today_by_item) {
      const domain::CatalogItem* item = d.reference->catalog().Find(code);
      by_item.push_back({{"item", code}, {"name", item ? item->name : code}, {"count", count}});
    }
    Json by_org = Json::array();
    for (const auto& [code, count] : board.today_by_org) by_org.push_back({{"org_code", code}, {"count", count}});
    Json cross_region = Json::array();
    for (const auto& row : board.cross_region) {
      cross_region.push_back({{"case_no", row.case_no}, {"item", row.item}, {"status", row.status},
                              {"accepting_org", row.accepting_org}, {"other_region", row.other_region},
                              {"accepted_on", FormatDate(row.accepted_on)}, {"late", row.late}});
    }
    return JsonResponse(200, {{"date", FormatDate(board.day)}, {"today_by_item", by_item}, {"today_by_org", by_org},
                              {"pending_reviews", board.pending_reviews}, {"overdue", board.overdue},
                              {"old_stock", board.old_stock}, {"cross_region", cross_region},
                              {"truncated", board.truncated}});
  });
  // R-ACCEPT-6: the town connectivity report, as JSON or CSV (format=csv).
  add("GET", "/api/v1/reports/connectivity", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rows, d.reports->Connectivity(call.context));
    if (call.Query("format") == "csv") {
      std::vector<std::vector<std::string>> lines;
      int index = 0;
      for (const auto& row : rows) {
        lines.push_back({std::to_string(++index), row.county, row.town, row.pin_case_no, row.loss_case_no, row.hall_type,
                         row.address, row.can_login ? "是" : "否"});
      }
      return CsvResponse("connectivity.csv",
                         {"序号", "区县", "乡镇（街道）", "社保卡密码服务办件编号", "社保卡挂失解挂办件编号", "服务大厅类型",
                          "服务大厅地址", "能否登录省社保卡管理系统"},
                         lines);
    }
    if (!call.Query("format").empty() && call.Query("format") != "json") {
      return Fail(BadQuery("format", "format 应为 json 或 csv", "format is json or csv"));
    }
    Json items = Json::array();
    for (const auto& row : rows) {
      items.push_back({{"county", row.county}, {"town", row.town}, {"org_code", row.org_code},
                       {"org_name", row.org_name},
                       {"pin_case_no", row.pin_case_no.empty() ? Json() : Json(row.pin_case_no)},
                       {"loss_case_no", row.loss_case_no.empty() ? Json() : Json(row.loss_case_no)},
                       {"hall_type", row.hall_type}, {"address", row.address}, {"can_login", row.can_login}});
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });

  // Cards: instant production, issuing with the read test, the card's view.
  add("POST", "/api/v1/production/instant", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string case_no = form.RequiredString("case_no", 40);
    form.RejectUnknown({"case_no"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Card card, d.cards->ProduceInstant(call.context, case_no));
    return JsonTextResponse(200, CardSummaryText(card));
  });
  add("POST", "/api/v1/cards/{card_no}/issue", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string read_check = form.RequiredString("read_check", 10);
    std::vector<std::string> problems = form.StringList("problems");
    if (!read_check.empty() && read_check != "pass" && read_check != "fail") {
      form.AddProblem("read_check", "BAD_READ_CHECK", "读卡检测结果应为 pass 或 fail", "pass or fail");
    }
    form.RejectUnknown({"read_check", "problems"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Card card, d.cards->Issue(call.context, call.params["card_no"], read_check == "pass", problems));
    return JsonTextResponse(200, CardSummaryText(card));
  });
  add("POST", "/api/v1/cards/{card_no}/arrive", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string org_code = form.OptionalString("org_code", 14).value_or("");
    form.RejectUnknown({"org_code"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Card card, d.cards->Arrive(call.context, call.params["card_no"], org_code));
    return JsonTextResponse(200, CardSummaryText(card));
  });
  add("POST", "/api/v1/cards/{card_no}/mail", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string tracking_no = form.RequiredString("tracking_no", 40);
    form.RejectUnknown({"tracking_no"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Card card, d.cards->Mail(call.context, call.params["card_no"], tracking_no));
    return JsonTextResponse(200, CardSummaryText(card));
  });
  add("POST", "/api/v1/cards/{card_no}/deliver", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(domain::Card card, d.cards->Deliver(call.context, call.params["card_no"]));
    return JsonTextResponse(200, CardSummaryText(card));
  });
  add("GET", "/api/v1/persons/{id_number}", kSignedIn, [&d](Call& call) -> Result<Response> {
    bool unmask = call.Query("unmask") == "true";
    ASSIGN_OR_RETURN(domain::Person person, d.cards->GetPerson(call.context, call.params["id_number"], unmask));
    auto show = [unmask](const std::string& text, std::string (*mask)(std::string_view)) {
      return unmask ? text : mask(text);
    };
    return JsonResponse(200, {{"id_type", domain::IdTypeName(person.id_type)},
                              {"id_number", show(person.id_number, domain::MaskIdNumber)},
                              {"name", show(person.name, domain::MaskName)},
                              {"sex", domain::SexName(person.sex)},
                              {"birth_date", person.birth_date ? Json(FormatDate(*person.birth_date)) : Json()},
                              {"ethnicity", person.ethnicity},
                              {"nationality", person.nationality},
                              {"occupation", person.occupation},
                              {"phone", show(person.phone, domain::MaskPhone)},
                              {"household_address", show(person.household_address, domain::MaskAddress)},
                              {"residence_address", show(person.residence_address, domain::MaskAddress)},
                              {"id_valid_from", person.id_valid_from ? Json(FormatDate(*person.id_valid_from)) : Json()},
                              {"id_valid_to", person.id_valid_to ? Json(FormatDate(*person.id_valid_to)) : Json()},
                              {"region_code", person.region_code},
                              {"insured", person.insured},
                              {"has_photo", !person.photo_file_id.empty()},
                              {"masked", !unmask},
                              {"version", person.version}});
  });
  add("GET", "/api/v1/persons/{id_number}/cards", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto cards, d.cards->ListForPerson(call.context, call.params["id_number"]));
    return JsonTextResponse(200, CardListText(cards));
  });

  // The citizen online channel (R-ONE-8, API.md "Citizens"): sign-up, sign-in, and the
  // citizen's own data. Every /me route reads the person from the session, never the path.
  auto citizen_json = [](const domain::CitizenAccount& account) {
    return Json{{"name", domain::MaskName(account.name)},
                {"id_type", domain::IdTypeName(account.id_type)},
                {"id_number", domain::MaskIdNumber(account.id_number)},
                {"phone", domain::MaskPhone(account.phone)},
                {"has_password", !account.password_hash.empty()}};
  };
  auto code_sent = [](const app::CodeSent& sent) {
    Json answer = {{"sent", true}, {"expires_in", sent.expires_in}, {"retry_after", sent.retry_after}};
    if (!sent.demo_code.empty()) answer["demo_code"] = sent.demo_code;
    return JsonResponse(202, answer);
  };
  auto signed_in = [citizen_json](int status, const app::CitizenLogin& login, const Call& call, bool cookie) {
    Json body = {{"expires_at", FormatRfc3339(login.expires_at)}, {"citizen", citizen_json(login.account)}};
    return SignedInResponse(status, std::move(body), call, cookie, login.token, login.expires_at);
  };
  add("POST", "/api/v1/citizens/codes", kPublic, [&d, code_sent](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string phone = form.RequiredString("phone", 20);
    std::string purpose_name = form.OptionalString("purpose", 20).value_or("login");
    auto purpose = domain::ParseCodePurpose(purpose_name);
    if (!purpose || *purpose == domain::CodePurpose::kConfirm) {
      form.AddProblem("purpose", "NOT_AN_OPTION", "用途应为 register 或 login", "register or login");
    }
    form.RejectUnknown({"phone", "purpose"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(app::CodeSent sent, d.citizens->SendCode(call.context, phone, *purpose));
    return code_sent(sent);
  });
  add("POST", "/api/v1/citizens/register", kPublic, [&d, signed_in](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    app::Registration registration;
    registration.id_type = form.OptionalString("id_type", 40).value_or("resident_id");
    registration.id_number = form.RequiredString("id_number", 40);
    registration.name = form.RequiredString("name", 60);
    registration.phone = form.RequiredString("phone", 20);
    registration.code = form.RequiredString("code", 10);
    registration.password = form.OptionalString("password", 128).value_or("");
    bool cookie = WantsCookieSession(form);
    form.RejectUnknown({"id_type", "id_number", "name", "phone", "code", "password", "session"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(app::CitizenLogin login, d.citizens->Register(call.context, registration));
    return signed_in(201, login, call, cookie);
  });
  add("POST", "/api/v1/citizens/login", kPublic, [&d, signed_in](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    auto phone = form.OptionalString("phone", 20);
    auto code = form.OptionalString("code", 10);
    auto id_number = form.OptionalString("id_number", 40);
    auto password = form.OptionalString("password", 128);
    bool by_code = phone && code && !id_number && !password;
    bool by_password = id_number && password && !phone && !code;
    if (!by_code && !by_password) {
      form.AddProblem("phone", "ONE_METHOD", "请用手机号+验证码，或证件号码+密码登录",
                      "sign in with phone and code, or ID number and password");
    }
    bool cookie = WantsCookieSession(form);
    form.RejectUnknown({"phone", "code", "id_number", "password", "session"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(app::CitizenLogin login, by_code ? d.citizens->LoginByCode(call.context, *phone, *code)
                                                     : d.citizens->LoginByPassword(call.context, *id_number, *password));
    return signed_in(200, login, call, cookie);
  });
  add("POST", "/api/v1/citizens/logout", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(d.auth->Logout(call.context));
    Response response;
    response.status = 204;
    ClearSessionCookies(response, call.request);
    return response;
  });
  add("GET", "/api/v1/me", kSignedIn, [&d, citizen_json](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(domain::CitizenAccount account, d.citizens->Me(call.context));
    return JsonResponse(200, {{"citizen", citizen_json(account)}});
  });
  add("POST", "/api/v1/me/codes", kSignedIn, [&d, code_sent](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::CodeSent sent, d.citizens->SendConfirmCode(call.context));
    return code_sent(sent);
  });
  add("GET", "/api/v1/me/cards", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto views, d.citizens->MyCards(call.context));
    std::string text = "{\"items\":[";
    for (size_t index = 0; index < views.size(); ++index) text += (index ? "," : "") + CardText(views[index]);
    return JsonTextResponse(200, text + "],\"next_cursor\":null}");
  });
  add("GET", "/api/v1/me/cases", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ListParameters list, ReadListParameters(call));
    ASSIGN_OR_RETURN(auto cases, d.citizens->MyCases(call.context, list.limit));
    Json items = Json::array();
    for (const auto& record : cases) {
      Json json = ToJson(record, d.reference->catalog(), ChinaDate(call.context.now));
      HideActors(json);
      items.push_back(std::move(json));
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/me/notices", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ListParameters list, ReadListParameters(call));
    ASSIGN_OR_RETURN(auto notices, d.citizens->MyNotices(call.context, list.limit));
    Json items = Json::array();
    for (const auto& notice : notices) {
      items.push_back({{"id", notice.id}, {"at", FormatRfc3339(notice.created_at)}, {"kind", notice.kind},
                       {"case_no", notice.case_no}, {"title", notice.kind}, {"text", notice.text},
                       {"sent", notice.sent_at.has_value()}});
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/me/access-log", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ListParameters list, ReadListParameters(call));
    ASSIGN_OR_RETURN(auto entries, d.citizens->MyAccessLog(call.context, list.limit));
    Json items = Json::array();
    for (const auto& entry : entries) {
      items.push_back({{"at", FormatRfc3339(entry.at)}, {"kind", entry.kind}, {"org_code", entry.org_code},
                       {"org_name", entry.org_name}, {"purpose", entry.purpose}});
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("GET", "/api/v1/me/consents", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto consents, d.citizens->MyConsents(call.context));
    Json items = Json::array();
    for (const auto& consent : consents) {
      items.push_back({{"partner_code", consent.partner_code}, {"name", consent.name}, {"purpose", consent.purpose},
                       {"fields", consent.fields}, {"status", consent.revoked ? "revoked" : "granted"}});
    }
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("DELETE", "/api/v1/me/consents/{partner_code}", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(d.citizens->Revoke(call.context, call.params["partner_code"]));
    Response response;
    response.status = 204;
    return response;
  });

  // Production (R-APPLY-4): factory batches, their personalisation files and results.
  add("POST", "/api/v1/production/batches", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string mode = form.RequiredString("mode", 10);
    int limit = static_cast<int>(form.OptionalInt("limit", 1000));
    form.RejectUnknown({"mode", "limit"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Batch batch, d.cards->CreateBatch(call.context, mode, limit));
    return JsonResponse(201, BatchJson(batch));
  });
  add("GET", "/api/v1/production/batches", kSignedIn, [&d](Call& call) -> Result<Response> {
    ports::BatchQuery query;
    query.status = call.Query("status");
    if (call.Query("late") == "true") query.due_before = ChinaDate(call.context.now);
    query.after_batch_no = call.Query("cursor");
    query.limit = 100;
    ASSIGN_OR_RETURN(auto batches, d.cards->ListBatches(call.context, query));
    Json items = Json::array();
    for (const auto& batch : batches) items.push_back(BatchJson(batch));
    std::string next = static_cast<int>(batches.size()) == query.limit ? batches.back().batch_no : "";
    return JsonResponse(200, Page(std::move(items), next));
  });
  add("GET", "/api/v1/production/batches/{batch_no}/export", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rows, d.cards->ExportBatch(call.context, call.params["batch_no"]));
    std::vector<std::vector<std::string>> lines;
    for (const auto& row : rows) {
      lines.push_back({row.card_no, row.name, row.sex, row.id_number, row.birth_date, row.nationality, row.bank_code,
                       row.photo_sha256, row.issue_month, row.delivery, row.org_code});
    }
    return CsvResponse(call.params["batch_no"] + ".csv",
                       {"card_no", "name", "sex", "social_security_no", "birth_date", "nationality", "bank_code",
                        "photo_sha256", "issue_month", "delivery", "org_code"},
                       lines);
  });
  // The JPEG a card of the batch carries, named by photo_sha256 in the factory file.
  add("GET", "/api/v1/production/batches/{batch_no}/photos/{card_no}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(ports::StoredFile file,
                     d.cards->BatchPhoto(call.context, call.params["batch_no"], call.params["card_no"]));
    Response response;
    response.content_type = file.content_type;
    response.body = std::move(file.content);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
  add("POST", "/api/v1/production/batches/{batch_no}/results", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::vector<app::BatchResult> results;
    const Json* list = body.contains("results") ? &body["results"] : nullptr;
    if (!list || !list->is_array() || list->empty() || list->size() > 10000) {
      form.AddProblem("results", "REQUIRED", "请提供每张卡的制卡结果", "results: one entry per card");
    } else {
      for (size_t index = 0; index < list->size(); ++index) {
        const Json& entry = (*list)[index];
        std::string path = fmt::format("results[{}]", index);
        if (!entry.is_object() || !entry.value("card_no", Json()).is_string() || !entry.value("outcome", Json()).is_string()) {
          form.AddProblem(path, "BAD_RESULT", "每项须有 card_no 和 outcome", "each result has card_no and outcome");
          continue;
        }
        std::string outcome = entry["outcome"].get<std::string>();
        if (outcome != "produced" && outcome != "failed") {
          form.AddProblem(path + ".outcome", "NOT_AN_OPTION", "结果应为 produced 或 failed", "produced or failed");
        }
        std::string reason = entry.value("reason", Json("")).is_string() ? entry.value("reason", std::string()) : "";
        results.push_back({entry["card_no"].get<std::string>(), outcome == "produced", reason.substr(0, 200)});
      }
    }
    form.RejectUnknown({"results"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Batch batch, d.cards->RecordResults(call.context, call.params["batch_no"], results));
    return JsonResponse(200, BatchJson(batch));
  });

  // Banks report on their own cards (R-LOSS-3, R-REPL-2, R-CANCEL-2).
  add("POST", "/api/v1/bank/events", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    app::BankEvent event;
    event.event_id = form.RequiredString("event_id", 64);
    event.card_no = form.RequiredString("card_no", 20);
    event.event = form.RequiredString("event", 40);
    event.at = form.RequiredString("at", 40);
    event.account_no = form.OptionalString("account_no", 40).value_or("");
    form.RejectUnknown({"event_id", "card_no", "event", "at", "account_no"});
    RETURN_IF_ERROR(form.Finish());
    bool replayed = false;
    ASSIGN_OR_RETURN(domain::Card card, d.cards->ReportBankEvent(call.context, event, &replayed));
    Json answer = {{"event_id", event.event_id}, {"card_no", card.card_no}, {"replayed", replayed},
                   {"bank", {{"code", card.bank_code}, {"account_status", domain::BankAccountStatusName(card.bank_account)}}}};
    return JsonResponse(replayed ? 200 : 201, answer);
  });

  // R-APPLY-7/8: the sweeps, also run daily inside the server.
  add("POST", "/api/v1/sweeps", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string action = form.OptionalString("action", 10).value_or("seal");
    form.RejectUnknown({"action"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(app::SweepReport report, d.cards->Sweep(call.context, action));
    return JsonResponse(200, SweepJson(report));
  });
  add("GET", "/api/v1/me/ecard/qr", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::QrToken token, d.ecards->MyQr(call.context));
    return JsonResponse(200, {{"token", token.token}, {"expires_at", FormatRfc3339(token.expires_at)},
                              {"ecard_no", token.ecard_no}});
  });
  AddPaymentRoutes(add, d);
  AddTerminalRoutes(add, d);
  AddPartnerRoutes(add, d);
  add("GET", "/api/v1/ecard/keys", kPublic, [&d](Call&) -> Result<Response> {
    Json keys = Json::array();
    for (const auto& key : d.ecards->Keys()) {
      keys.push_back({{"kid", key.kid}, {"alg", key.algorithm}, {"key", key.key}, {"encoding", "base64"}});
    }
    return JsonResponse(200, {{"keys", keys}, {"token_format", "SSC1.<base64url payload>.<base64url Ed25519 signature>"}});
  });
  add("GET", "/api/v1/cards/{card_no}", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::CardView view, d.cards->Get(call.context, call.params["card_no"]));
    return JsonTextResponse(200, CardText(view));
  });

  // Staff accounts.
  add("GET", "/api/v1/staff", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto accounts, d.admin->ListStaff(call.context, call.Query("org")));
    Json items = Json::array();
    for (const auto& account : accounts) items.push_back(ToJson(account, call.context.now));
    return JsonResponse(200, Page(std::move(items), ""));
  });
  add("POST", "/api/v1/staff", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    app::NewStaff request;
    request.username = form.RequiredString("username", 32);
    request.name = form.RequiredString("name", 64);
    request.org_code = form.RequiredString("org_code", 14);
    request.roles = form.StringList("roles");
    request.password = form.RequiredString("password", 128);
    form.RejectUnknown({"username", "name", "org_code", "roles", "password"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(auto account, d.admin->AddStaff(call.context, request));
    return JsonResponse(201, ToJson(account, call.context.now));
  });
  add("POST", "/api/v1/staff/{username}/disable", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(d.admin->DisableStaff(call.context, call.params["username"]));
    Response response;
    response.status = 204;
    return response;
  });
  add("POST", "/api/v1/staff/{username}/reset-password", kSignedIn,
      [&d](Call& call) -> Result<Response> {
        ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
        FormReader form(body);
        std::string password = form.RequiredString("password", 128);
        form.RejectUnknown({"password"});
        RETURN_IF_ERROR(form.Finish());
        RETURN_IF_ERROR(d.admin->ResetPassword(call.context, call.params["username"], password));
        Response response;
        response.status = 204;
        return response;
      });

  // The audit trail.
  add("GET", "/api/v1/audit", kSignedIn, [&d](Call& call) -> Result<Response> {
    ports::AuditQuery query;
    query.actor = call.Query("actor");
    query.action = call.Query("action");
    ASSIGN_OR_RETURN(ListParameters list, ReadListParameters(call));
    query.after_id = list.cursor;
    query.limit = list.limit;
    // Dates are China dates: the day starts at 00:00 +08:00.
    if (list.from) query.from = std::chrono::sys_days(*list.from) - std::chrono::hours(8);
    if (list.to) query.to = std::chrono::sys_days(*list.to) + std::chrono::hours(16);
    ASSIGN_OR_RETURN(auto page, d.admin->ListAudit(call.context, query));
    Json items = Json::array();
    for (const auto& entry : page.items) items.push_back(ToJson(entry));
    return JsonResponse(200, Page(std::move(items), page.next_cursor));
  });

  // The audit chain's verification walks every row: on the worker pool.
  add("GET", "/api/v1/audit/chain", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto report, d.admin->VerifyAuditChain(call.context));
    Json body = {{"intact", report.intact},       {"chained", report.chained},
                 {"pending", report.pending},     {"first_seq", report.first_seq},
                 {"last_seq", report.last_seq}};
    if (!report.intact) {
      body["broken"] = {{"id", report.broken_id}, {"seq", report.broken_seq}, {"reason", report.reason}};
    }
    return JsonResponse(200, std::move(body));
  });

  // argon2id (≈ 50 ms a hash) runs on the worker pool: sign-in, passwords, PINs at intake.
  const std::set<std::pair<std::string, std::string>> kOnWorker = {
      {"POST", "/api/v1/auth/login"},     {"POST", "/api/v1/staff"},
      {"POST", "/api/v1/staff/{username}/reset-password"},
      {"POST", "/api/v1/cases"},          {"POST", "/api/v1/bundles"},
      {"POST", "/api/v1/citizens/login"}, {"POST", "/api/v1/citizens/register"},
      {"GET", "/api/v1/audit/chain"}};
  for (Route& route : routes_) {
    route.info.on_worker = kOnWorker.count({route.info.method, route.info.pattern}) > 0;
  }
}

namespace {

// Per client address (one window each): generous enough for a busy service hall behind one
// address, tight enough that guessing passwords, codes or case numbers gets nowhere.
struct RatePolicy {
  std::string_view method;
  std::string_view pattern;
  RateLimiter::Limit per_address;
};
constexpr RatePolicy kRatePolicies[] = {
    {"POST", "/api/v1/auth/login", {300, std::chrono::seconds(60)}},
    {"POST", "/api/v1/citizens/login", {120, std::chrono::seconds(60)}},
    {"POST", "/api/v1/citizens/register", {60, std::chrono::seconds(600)}},
    {"POST", "/api/v1/citizens/codes", {30, std::chrono::seconds(600)}},
    {"POST", "/api/v1/cases/track", {120, std::chrono::seconds(60)}},
    {"POST", "/api/v1/bundles/track", {120, std::chrono::seconds(60)}},
    {"POST", "/api/v1/bookings", {60, std::chrono::seconds(60)}},
    // Chip-read challenges are durable rows: a terminal needs one a read.
    {"POST", "/api/v1/cards/verify/challenge", {600, std::chrono::seconds(60)}},
};
// Failed sign-ins from one address, whatever the account: then the address waits.
constexpr RateLimiter::Limit kSignInFailures{30, std::chrono::seconds(900)};

bool IsSignIn(const RouteInfo& route) {
  return route.method == "POST" && (route.pattern == "/api/v1/auth/login" || route.pattern == "/api/v1/citizens/login");
}

Response TooMany(int seconds, bool english, const std::string& request_id) {
  Error error = MakeError(ErrorCode::kRATE_LIMITED);
  error.retry_after_seconds = seconds;
  return ProblemResponse(error, english, request_id);
}

}  // namespace

std::optional<Response> Api::OverRateLimit(const Route& route, const Request& request, TimePoint now, bool english,
                                           const std::string& request_id) const {
  const std::string& address = request.remote_address;
  if (IsSignIn(route.info)) {
    if (auto wait = limiter_.Blocked("signin-fail|" + address, kSignInFailures, now)) {
      return TooMany(*wait, english, request_id);
    }
  }
  for (const RatePolicy& policy : kRatePolicies) {
    if (policy.method != route.info.method || policy.pattern != route.info.pattern) continue;
    if (auto wait = limiter_.Hit(std::string(policy.pattern) + "|" + address, policy.per_address, now)) {
      return TooMany(*wait, english, request_id);
    }
  }
  return std::nullopt;
}

void Api::CountOutcome(const Route& route, const Request& request, const Response& response, TimePoint now) const {
  if (!IsSignIn(route.info)) return;
  if (response.status == 401 || response.status == 423) {
    limiter_.Hit("signin-fail|" + request.remote_address, kSignInFailures, now);
  }
}

bool Api::RunsOnWorker(const Request& request) const {
  if (request.method != "POST") return false;
  auto target = ParseTarget(request.target);
  if (!target) return false;
  std::vector<std::string> segments = SplitPath(target->path);
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (route.info.on_worker && route.info.method == request.method && Matches(route.segments, segments, params)) {
      return true;
    }
  }
  return false;
}

std::vector<RouteInfo> Api::Routes() const {
  std::vector<RouteInfo> infos;
  for (const Route& route : routes_) infos.push_back(route.info);
  return infos;
}

Response Api::Handle(const Request& request) const {
  auto started = std::chrono::steady_clock::now();
  TimePoint now = deps_.clock->Now();
  std::string request_id = RequestIdOf(request, now);
  bool english = WantsEnglish(request);
  std::string route_label = "unmatched";
  std::string actor = "-";

  Response response = [&]() -> Response {
    auto target = ParseTarget(request.target);
    if (!target) {
      return ProblemResponse(MakeError(ErrorCode::kBAD_QUERY, "请求地址编码错误",
                                       "the request target is not valid percent-encoding"),
                             english, request_id);
    }
    std::vector<std::string> segments = SplitPath(target->path);
    std::vector<std::string> allowed;
    for (const Route& route : routes_) {
      std::map<std::string, std::string> params;
      if (!Matches(route.segments, segments, params)) continue;
      if (route.info.method != request.method) {
        allowed.push_back(route.info.method);
        continue;
      }
      route_label = route.info.pattern;
      if (auto refused = OverRateLimit(route, request, now, english, request_id)) return std::move(*refused);
      Call call{request, *target, std::move(params), {request_id, std::nullopt, now}, english};
      try {
        if (route.info.requires_auth) {
          SessionCredential credential = CredentialOf(request);
          auto principal = deps_.auth->Authenticate(credential.token, now);
          if (!principal) return ProblemResponse(principal.error(), english, request_id);
          if (!CsrfHolds(request, credential)) {
            return ProblemResponse(MakeError(ErrorCode::kCSRF_FAILED).WithRule("R-SEC-1"), english, request_id);
          }
          call.context.principal = std::move(*principal);
          actor = call.context.principal->username;
        }
        auto result = route.handler(call);
        Response answer = result ? std::move(*result) : ProblemResponse(result.error(), english, request_id);
        CountOutcome(route, request, answer, now);
        return answer;
      } catch (const std::exception& exception) {
        spdlog::error("request_id={} route={} unhandled exception: {}", request_id,
                      route_label, exception.what());
        return ProblemResponse(MakeError(ErrorCode::kINTERNAL), english, request_id);
      }
    }
    if (!allowed.empty()) {
      Response problem =
          ProblemResponse(MakeError(ErrorCode::kMETHOD_NOT_ALLOWED), english, request_id);
      std::string allow;
      for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
      problem.headers.emplace_back("Allow", allow);
      return problem;
    }
    bool api_path = target->path.rfind("/api/", 0) == 0;
    if (!api_path && (request.method == "GET" || request.method == "HEAD")) {
      if (auto file = deps_.site.Find(target->path)) {
        route_label = "static";
        return std::move(*file);
      }
    }
    return ProblemResponse(MakeError(ErrorCode::kROUTE_NOT_FOUND), english, request_id);
  }();

  response.headers.emplace_back("X-Request-Id", request_id);
  AddSecurityHeaders(response);
  if (route_label != "static") response.headers.emplace_back("Cache-Control", "no-store");
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  deps_.metrics->ObserveRequest(route_label, request.method, response.status, seconds);
  // The route pattern, never the raw path: paths may carry ID numbers.
  spdlog::info("request_id={} method={} route={} status={} ms={:.2f} actor={}", request_id,
               request.method, route_label, response.status, seconds * 1000, actor);
  return response;
}

}  // namespace sscard::api
