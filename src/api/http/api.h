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
#include "app/citizen_service.h"
#include "app/ecard_service.h"
#include "app/case_service.h"
#include "app/file_service.h"
#include "app/partner_service.h"
#include "app/payment_service.h"
#include "app/report_service.h"
#include "app/reference_service.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"
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
  app::CitizenService* citizens = nullptr;
  app::EcardService* ecards = nullptr;
  app::PaymentService* payments = nullptr;
  app::PartnerService* partners = nullptr;
  Metrics* metrics = nullptr;
  const Clock* clock = nullptr;
  StaticSite site;  // the built web UI, read at start-up; empty serves none
  std::string version;
};

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/orgs/{code}"
  bool requires_auth = true;
  // Runs on the server's worker pool (argon2id hashing of passwords and PINs), never on an
  // I/O thread.
  bool on_worker = false;
};

class Api {
 public:
  explicit Api(ApiDeps deps);
  ~Api();
  Response Handle(const Request& request) const;
  // True when the request's route is marked on_worker (the server's runs_on_worker).
  bool RunsOnWorker(const Request& request) const;
  std::vector<RouteInfo> Routes() const;

  struct Route;

 private:
  // The per-address limits of public and sign-in routes; nullopt when within them, else a
  // 429 problem with Retry-After.
  std::optional<Response> OverRateLimit(const Route& route, const Request& request, TimePoint now,
                                        bool english, const std::string& request_id) const;
  void CountOutcome(const Route& route, const Request& request, const Response& response, TimePoint now) const;

  ApiDeps deps_;
  std::vector<Route> routes_;
  mutable RateLimiter limiter_;
};

// The HTTP status of an error kind (the one place where kinds map to HTTP).
int HttpStatusOf(ErrorKind kind);

// The problem+json response of an error in the caller's language.
Response ProblemResponse(const Error& error, bool english, const std::string& request_id);

}  // namespace sscard::api
