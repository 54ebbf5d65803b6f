#pragma once
// JSON in and out of the API: reading a request body into fields with every problem
// collected (not just the first), and the JSON forms of domain objects.
// Thread-safety: FormReader belongs to one request; the encoders are pure.

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/http/message.h"
#include "app/card_service.h"
#include "common/result.h"
#include "domain/bundle.h"
#include "domain/case.h"
#include "domain/catalog.h"
#include "domain/id_document.h"
#include "domain/org.h"
#include "domain/region.h"
#include "domain/staff.h"

namespace sscard::api {

// Objects keep their members in insertion order (a vector, not a tree): answers read in the
// order they are written, and building one costs a few allocations instead of one per member.
using Json = nlohmann::ordered_json;

// The largest JSON body any route reads (uploads of files and photos are raw bodies).
constexpr size_t kMaxJsonBody = 1024 * 1024;

// Parses a JSON object body within bounds checked in one linear pass first (depth 16, 200
// members an object, 20 000 items an array, 100 000 values, strings of 64 KiB).
// Errors: UNSUPPORTED_MEDIA_TYPE (not application/json), PAYLOAD_TOO_LARGE (over 1 MiB),
// JSON_TOO_COMPLEX (over a bound), MALFORMED_JSON (not JSON, or not an object).
Result<Json> ParseJsonObject(const Request& request);

// Reads fields of one JSON object, collecting a FieldError per problem.
class FormReader {
 public:
  FormReader(const Json& object, std::string prefix = "");
  // A required non-empty string (at most `max_length` bytes).
  std::string RequiredString(const std::string& name, size_t max_length = 200);
  std::optional<std::string> OptionalString(const std::string& name, size_t max_length = 200);
  bool OptionalBool(const std::string& name, bool fallback);
  // An integer in [minimum, maximum]; `fallback` when absent.
  int64_t OptionalInt(const std::string& name, int64_t fallback, int64_t minimum = 1, int64_t maximum = 10000);
  std::vector<std::string> StringList(const std::string& name);
  // Refuses fields outside `known` (a typo must not be silently ignored).
  void RejectUnknown(const std::set<std::string>& known);
  void AddProblem(const std::string& name, const std::string& code, std::string zh, std::string en);
  // VALIDATION_FAILED with every problem, or Ok.
  Status Finish() const;

 private:
  std::string Path(const std::string& name) const;
  const Json& object_;
  std::string prefix_;
  std::vector<FieldError> problems_;
};

Json ToJson(const domain::Region& region);
Json ToJson(const domain::Org& org);
Json ToJson(const domain::StaffAccount& account, TimePoint now);
Json ToJson(const domain::AuditEntry& entry);
Json ToJson(const domain::Principal& principal);
Json SweepJson(const app::SweepReport& report);
// The list form of an item (API.md: code, name, handling, operations, levels, channels,
// limits, materials); `full` adds the whole guide.
Json ToJson(const domain::CatalogItem& item, bool full);
Json ToJson(const FieldError& problem, bool english);
// A case with its steps; personal data masked. `today` decides "overdue".
Json ToJson(const domain::Case& record, const domain::Catalog& catalog, Date today);
// Reads the intake body of API.md into a request, collecting every problem.
// Who the applicant is: written in the body (staff at a window), or the signed-in citizen
// (the body's id_type, id_number and name are then optional and replaced by the use case).
enum class ApplicantSource { kBody, kSession };
Result<domain::IntakeRequest> IntakeFromJson(const Json& body, ApplicantSource source = ApplicantSource::kBody);
// Reads a bundle: {"notice_accepted", "items": [{"item", "operation", "form"}], and the
// applicant, agent, channel (online by default), materials and delivery as an intake's}.
Result<domain::BundleRequest> BundleFromJson(const Json& body, ApplicantSource source = ApplicantSource::kBody);
// A live check's answer: {"valid", …} and, when invalid, the first problem's code, message
// and rule, with every problem and warning listed.
Json CheckAnswer(bool valid, const std::vector<FieldError>& problems,
                 const std::vector<FieldError>& warnings, bool english);

}  // namespace sscard::api
