// Partners' scan terminals and the chip-read challenge (R-ONE-6): the province registers a
// partner department's terminal (its key is shown once); a partner asks for a one-time
// challenge that its terminal's PSAM answers with a MAC over the card number.
#include "api/http/route_kit.h"
#include "common/crypto.h"

namespace sscard::api {
namespace {

Json TerminalJson(const domain::Terminal& terminal) {
  return {{"terminal_id", terminal.terminal_id},
          {"org_code", terminal.org_code},
          {"name", terminal.name},
          {"created_at", FormatRfc3339(terminal.created_at)},
          {"revoked", terminal.revoked}};
}

}  // namespace

void AddTerminalRoutes(const AddRoute& add, ApiDeps& d) {
  add("POST", "/api/v1/partners/{org_code}/terminals", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(Json body, ParseJsonObject(call.request));
    FormReader form(body);
    std::string name = form.RequiredString("name", 120);
    form.RejectUnknown({"name"});
    RETURN_IF_ERROR(form.Finish());
    ASSIGN_OR_RETURN(domain::Terminal terminal, d.ecards->RegisterTerminal(call.context, call.params["org_code"], name));
    Json answer = TerminalJson(terminal);
    // The key leaves the platform once, to be loaded into the terminal's PSAM.
    answer["key"] = Base64Encode(terminal.key);
    answer["mac"] = "hex(HMAC-SHA256(key, card_no + \"\\n\" + challenge + \"\\n\" + terminal_id))";
    Response response = JsonResponse(201, answer);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
  add("GET", "/api/v1/partners/{org_code}/terminals", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(auto terminals, d.ecards->Terminals(call.context, call.params["org_code"]));
    Json items = Json::array();
    for (const auto& terminal : terminals) items.push_back(TerminalJson(terminal));
    return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", Json()}});
  });
  add("DELETE", "/api/v1/partners/{org_code}/terminals/{terminal_id}", kSignedIn, [&d](Call& call) -> Result<Response> {
    RETURN_IF_ERROR(d.ecards->RevokeTerminal(call.context, call.params["org_code"], call.params["terminal_id"]));
    Response response;
    response.status = 204;
    return response;
  });
  add("POST", "/api/v1/cards/verify/challenge", kSignedIn, [&d](Call& call) -> Result<Response> {
    ASSIGN_OR_RETURN(app::Challenge challenge, d.ecards->NewChallenge(call.context));
    return JsonResponse(201, {{"challenge", challenge.challenge}, {"expires_at", FormatRfc3339(challenge.expires_at)}});
  });
}

}  // namespace sscard::api
