#pragma once
// What a resource's handlers are written with: the call they receive, the table entry they
// are added by, and the answers and request readers every resource shares. Each resource's
// routes live in a file of their own and are added to the table by one function
// (`Add…Routes`); the router (api.cc) matches, authenticates and maps problems.
// Thread-safety: handlers run concurrently; a Call belongs to one request.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http/api.h"
#include "api/http/json_io.h"
#include "api/http/message.h"
#include "app/context.h"

namespace sscard::api {

struct Call {
  const Request& request;
  const Target& target;
  std::map<std::string, std::string> params;  // from the route pattern
  app::CallContext context;
  bool english = false;

  std::string Query(const std::string& name) const {
    auto found = target.query.find(name);
    return found == target.query.end() ? "" : found->second;
  }
};

using Handler = std::function<Result<Response>(Call&)>;

// Adds one route: method, pattern ("/api/v1/x/{id}"), whether it needs a session, handler.
using AddRoute = std::function<void(std::string method, std::string pattern, bool requires_auth, Handler handler)>;
inline constexpr bool kPublic = false;
inline constexpr bool kSignedIn = true;

Response JsonResponse(int status, const Json& body);

// A CSV download (UTF-8 with BOM, CRLF, every cell quoted) that Excel opens as it is; a cell
// that a spreadsheet would run as a formula (= + - @ first) is prefixed with an apostrophe.
Response CsvResponse(const std::string& filename, const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows);

// BAD_QUERY naming the parameter.
Error BadQuery(const std::string& name, std::string zh, std::string en);

// The Idempotency-Key of a creating POST (empty when none) and the digest of the request it
// must come with again. Errors: BAD_QUERY for an overlong key.
Result<std::pair<std::string, std::string>> IdempotencyOf(const Call& call);

// The version an If-Match header asks for ("3" or "\"3\""); none when absent.
// Errors: BAD_QUERY for anything else.
Result<std::optional<int64_t>> IfMatchVersion(const Request& request);

// Resources whose routes live in their own files.
void AddPaymentRoutes(const AddRoute& add, ApiDeps& deps);
void AddTerminalRoutes(const AddRoute& add, ApiDeps& deps);
void AddPartnerRoutes(const AddRoute& add, ApiDeps& deps);

}  // namespace sscard::api
