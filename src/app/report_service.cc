#include "app/report_service.h"

#include <algorithm>

#include "domain/lifecycle.h"
#include "domain/state_machines.h"

#include "app/admin_service.h"

namespace sscard::app {
namespace {

std::string HallType(domain::OrgType type) {
  switch (type) {
    case domain::OrgType::kHrssHall: return "人社服务大厅";
    case domain::OrgType::kTownCentre: return "便民服务中心";
    default: return "其他";
  }
}

}  // namespace

Result<std::vector<ConnectivityRow>> ReportService::Connectivity(const CallContext& context) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kReadStaff));
  std::string scope(domain::ScopePrefix(principal.region_code));
  return ports::Transact<std::vector<ConnectivityRow>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<ConnectivityRow>> {
        std::vector<ConnectivityRow> rows;
        ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(scope));
        for (const domain::Org& org : orgs) {
          if (org.level != domain::OrgLevel::kTown) continue;
          ConnectivityRow row;
          ASSIGN_OR_RETURN(auto town, tx.regions().Find(org.region_code));
          ASSIGN_OR_RETURN(auto county, tx.regions().Find(domain::CountyOf(org.region_code)));
          row.town = town ? town->name : org.region_code;
          row.county = county ? county->name : domain::CountyOf(org.region_code);
          row.org_code = org.code;
          row.org_name = org.name;
          row.hall_type = HallType(org.type);
          row.address = org.address;
          for (auto [item, target] : {std::pair{"002014010006", &row.pin_case_no},
                                      std::pair{"002014010007", &row.loss_case_no}}) {
            ports::CaseQuery query;
            query.region_prefix = org.region_code;
            query.accepting_org = org.code;
            query.item = item;
            query.limit = 1;
            ASSIGN_OR_RETURN(auto cases, tx.cases().List(query));
            if (!cases.empty()) *target = cases[0].case_no;
          }
          ports::AuditQuery logins;
          logins.org_code_prefix = org.code;
          logins.action = "auth.login";
          logins.limit = 50;
          ASSIGN_OR_RETURN(auto entries, tx.audit().List(logins));
          row.can_login = std::any_of(entries.begin(), entries.end(),
                                      [](const domain::AuditEntry& entry) { return entry.result == "ok"; });
          rows.push_back(std::move(row));
        }
        return rows;
      });
}

Result<Dashboard> ReportService::DashboardOf(const CallContext& context) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kReadReference));
  // The counts of cases, reviews and stock are the service's own business: for those who work
  // cases or stock and for administrators, not for a bank's interface account.
  bool reads_cases = principal.Has(domain::Permission::kReadCases);
  if (!reads_cases && !principal.Has(domain::Permission::kReadCards) && !principal.Has(domain::Permission::kManageStaff)) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN).WithRule("R-SEC-1"));
  }
  std::string scope = principal.org_level == domain::OrgLevel::kProvince ? "" : std::string(domain::ScopePrefix(principal.region_code));
  Dashboard board;
  board.day = ChinaDate(context.now);
  return ports::Transact<Dashboard>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<Dashboard> {
    ports::CaseQuery today{.region_prefix = scope, .from = board.day, .to = board.day, .limit = kDashboardCap};
    ASSIGN_OR_RETURN(auto cases, tx.cases().List(today));
    for (const domain::Case& record : cases) {
      ++board.today_by_item[record.item];
      ++board.today_by_org[record.accepting_org];
    }
    ASSIGN_OR_RETURN(auto pending, tx.cases().List({.region_prefix = scope, .status = "pending_review", .limit = kDashboardCap}));
    ASSIGN_OR_RETURN(auto overdue, tx.cases().List({.region_prefix = scope, .overdue_on = board.day, .limit = kDashboardCap}));
    ASSIGN_OR_RETURN(auto stock, tx.cards().List({.statuses = {domain::CardStatus::kInStock},
                                                  .region_prefix = scope,
                                                  .stocked_before = domain::SixMonthsBefore(board.day),
                                                  .limit = kDashboardCap}));
    // R-APPLY-9: open cases whose applicant or pickup hall is in another county. The list
    // names cases: for those who read cases, not for the card roles.
    std::vector<domain::Case> open;
    if (reads_cases) {
      ASSIGN_OR_RETURN(open, tx.cases().List({.region_prefix = scope, .open_only = true, .limit = kDashboardCap}));
    }
    for (const domain::Case& record : open) {
      if (static_cast<int>(board.cross_region.size()) == kCrossRegionShown) {
        board.truncated = true;
        break;
      }
      std::string county = record.region_code.substr(0, 6);
      std::string other;
      if (record.delivery.method == "pickup" && record.delivery.org_code.size() >= 6 &&
          record.delivery.org_code.compare(0, 6, county) != 0) {
        other = record.delivery.org_code.substr(0, 6);
      }
      if (other.empty() && !record.person_id.empty()) {
        ASSIGN_OR_RETURN(auto person, tx.persons().FindById(record.person_id));
        if (person && person->region_code.size() >= 6 && person->region_code.compare(0, 6, county) != 0) {
          other = person->region_code.substr(0, 6);
        }
      }
      if (other.empty()) continue;
      Date accepted_on = ChinaDate(record.created_at);
      board.cross_region.push_back({record.case_no, record.item, std::string(domain::CaseStatusName(record.status)),
                                    record.accepting_org, other, accepted_on, accepted_on < board.day});
    }
    std::sort(board.cross_region.begin(), board.cross_region.end(),
              [](const CrossRegionCase& a, const CrossRegionCase& b) { return a.case_no < b.case_no; });
    board.pending_reviews = static_cast<int>(pending.size());
    board.overdue = static_cast<int>(overdue.size());
    board.old_stock = static_cast<int>(stock.size());
    board.truncated = board.truncated || static_cast<int>(cases.size()) == kDashboardCap || board.pending_reviews == kDashboardCap ||
                      board.overdue == kDashboardCap || board.old_stock == kDashboardCap;
    return board;
  });
}

}  // namespace sscard::app
