#include "api/http/route_kit.h"

#include "common/crypto.h"

namespace sscard::api {

Response JsonResponse(int status, const Json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

Response CsvResponse(const std::string& filename, const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) text += ',';
      text += '"';
      const std::string& cell = cells[i];
      if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@')) text += '\'';
      for (char c : cell) text += c == '"' ? std::string("\"\"") : std::string(1, c);
      text += '"';
    }
    return text + "\r\n";
  };
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=" + filename);
  response.body = "\xEF\xBB\xBF" + line(header);
  for (const auto& row : rows) response.body += line(row);
  return response;
}

Error BadQuery(const std::string& name, std::string zh, std::string en) {
  return MakeError(ErrorCode::kBAD_QUERY)
      .WithField({name, "BAD_QUERY_PARAMETER", {std::move(zh), std::move(en)}, ""});
}

Result<std::pair<std::string, std::string>> IdempotencyOf(const Call& call) {
  std::string key = call.request.Header("idempotency-key");
  if (key.size() > 200) return Fail(BadQuery("Idempotency-Key", "幂等键过长", "the key is too long"));
  return std::make_pair(key, DigestHex(call.request.target + "\n" + call.request.body));
}

// The version an If-Match header asks for ("3" or "\"3\""); none when absent.
// Errors: BAD_QUERY for anything else.
Result<std::optional<int64_t>> IfMatchVersion(const Request& request) {
  std::string value = request.Header("if-match");
  if (value.empty()) return std::optional<int64_t>();
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty() || value.size() > 12 || !std::all_of(value.begin(), value.end(), ::isdigit)) {
    return Fail(BadQuery("If-Match", "If-Match 应为所改数据的 version", "If-Match carries the record's version"));
  }
  return std::optional<int64_t>(std::stoll(value));
}

}  // namespace sscard::api
