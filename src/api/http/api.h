#pragma once
// The HTTP API of sscard without sockets: `Handle(request) -> response` routes a request,
// authenticates it, calls the use case, and turns errors into problem+json (API.md). The
// Beast server and the tests both call Handle.
// Thread-safety: Handle may be called concurrently; the route table is fixed at construction.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/http/message.h"
#include "api/http/static_site.h"
#include "app/admin_service.h"
#include "app/auth_service.h"
#include "app/booking_service.h"
#include "app/bundle_service.h"
#include "app/card_service.h"
#include "app/case_service.h"
#include "app/file_service.h"
#include "app/report_service.h"
#include "app/reference_service.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "domain/ports/store.h"

namespace sscard::api {

struct ApiDeps {
  ports::Store* store = nullptr;
  app::AuthService* auth = nullptr;
  app::AdminService* admin = nullptr;
  app::ReferenceService* reference = nullptr;
  app::CaseService* cases = nullptr;
  app::BundleService* bundles = nullptr;
  app::BookingService* bookings = nullptr;
  app::FileService* files = nullptr;
  app::ReportService* reports = nullptr;
  app::CardService* cards = nullptr;
  Metrics* metrics = nullptr;
  const Clock* clock = nullptr;
  StaticSite site;  // the built web UI, read at start-up; empty serves none
  std::string version;
};

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/orgs/{code}"
  bool requires_auth = true;
};

class Api {
 public:
  explicit Api(ApiDeps deps);
  ~Api();
  Response Handle(const Request& request) const;
  std::vector<RouteInfo> Routes() const;

  struct Route;

 private:
  ApiDeps deps_;
  std::vector<Route> routes_;
};

// The HTTP status of an error kind (the one place where kinds map to HTTP).
int HttpStatusOf(ErrorKind kind);

// The problem+json response of an error in the caller's language.
Response ProblemResponse(const Error& error, bool english, const std::string& request_id);

}  // namespace sscard::api
