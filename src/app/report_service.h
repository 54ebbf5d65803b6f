#pragma once
// Reports for supervision. The town connectivity report (R-ACCEPT-6, seed 000 annex 3): per
// town org in the caller's subtree, one PIN-service case number, one loss-service case
// number, the hall type, its address, and whether its staff have signed in.
// Thread-safety: all methods may be called concurrently.

#include <map>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct ConnectivityRow {
  std::string county;
  std::string town;
  std::string org_code;
  std::string org_name;
  std::string pin_case_no;
  std::string loss_case_no;
  std::string hall_type;  // 人社服务大厅 / 便民服务中心 / 党群服务中心 / 其他
  std::string address;
  bool can_login = false;
};

// A case accepted for another county (异地, R-APPLY-9): the applicant's household county, or
// the pickup org's, is not the accepting org's. It is handed on once decided (approved into
// production, rejected or withdrawn with notice); until then it is on the dashboard, `late`
// when it was accepted before today (R-APPLY-9: the same day, none lost).
struct CrossRegionCase {
  std::string case_no;
  std::string item;
  std::string status;
  std::string accepting_org;
  std::string other_region;  // the applicant's or the pickup org's county (6 digits)
  Date accepted_on;
  bool late = false;
};

// The dashboard of the caller's region: today's cases by item and by accepting org,
// pending reviews, overdue cases, stock cards held over 6 months (R-APPLY-7), cross-region
// cases not yet handed on (R-APPLY-9).
struct Dashboard {
  Date day;
  std::map<std::string, int> today_by_item;  // item code → cases accepted today
  std::map<std::string, int> today_by_org;   // accepting org code → cases accepted today
  int pending_reviews = 0;
  int overdue = 0;
  int old_stock = 0;
  std::vector<CrossRegionCase> cross_region;  // oldest first, at most kCrossRegionShown
  bool truncated = false;  // a count reached its cap (kDashboardCap)
};
inline constexpr int kDashboardCap = 10000;
inline constexpr int kCrossRegionShown = 200;

class ReportService {
 public:
  explicit ReportService(ports::Store& store) : store_(store) {}
  // Errors: FORBIDDEN (needs read_staff: org admins, auditors, province admins).
  Result<std::vector<ConnectivityRow>> Connectivity(const CallContext& context);
  // Every signed-in account sees its own region's figures.
  Result<Dashboard> DashboardOf(const CallContext& context);

 private:
  ports::Store& store_;
};

}  // namespace sscard::app
