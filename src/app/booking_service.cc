#include "app/booking_service.h"

#include <fmt/format.h>

#include "app/admin_service.h"
#include "app/audited.h"
#include "common/ids.h"
#include "domain/id_document.h"
#include "domain/intake.h"
#include "domain/redact.h"
#include "domain/region.h"

namespace sscard::app {
namespace {

using domain::Booking;
using domain::Permission;

Error Problems(ErrorCode code, std::vector<FieldError> fields, std::string rule = "") {
  Error error = MakeError(code);
  error.fields = std::move(fields);
  error.rule = std::move(rule);
  return error;
}

// Intake and review staff of a county (and of its town centres) serve its homes.
Status RequireCountyStaff(const domain::Principal& principal, const std::string& region_code) {
  if (!principal.Has(Permission::kIntake) && !principal.Has(Permission::kReview)) {
    return Fail(MakeError(ErrorCode::kFORBIDDEN).WithRule("R-SEC-1"));
  }
  // Another county's booking answers like no booking at all (no existence oracle).
  if (region_code.rfind(domain::CountyOf(principal.region_code), 0) != 0) return Fail(ErrorCode::kNOT_FOUND);
  return Ok();
}

std::string Notice(const Booking& booking, const std::string& item_name) {
  switch (booking.status) {
    case domain::BookingStatus::kRequested:
      return fmt::format("您的{}上门服务预约已受理，预约号{}，工作人员将电话联系您确认上门时间。", item_name, booking.booking_no);
    case domain::BookingStatus::kScheduled:
      return fmt::format("您的{}上门服务定于{}，预约号{}。", item_name, FormatDate(*booking.scheduled_on), booking.booking_no);
    case domain::BookingStatus::kDone:
      return fmt::format("您的{}上门服务已办理，预约号{}。", item_name, booking.booking_no);
    case domain::BookingStatus::kCancelled:
      return fmt::format("您的上门服务预约{}已取消：{}。", booking.booking_no, booking.note);
  }
  return "";
}

}  // namespace

Result<BookingView> BookingService::Request(const CallContext& context, const BookingRequest& request) {
  Date today = ChinaDate(context.now);
  const domain::CatalogItem* item = catalog_.Find(request.item);
  std::string id_number = domain::NormalizeIdNumber(request.id_number);
  AuditTarget what{"booking.request", "new"};
  return RunAudited<BookingView>(store_, context, what, [&](ports::Tx& tx) -> Result<BookingView> {
    ASSIGN_OR_RETURN(auto person, tx.persons().FindByIdNumber(id_number));
    if (!person || person->name != request.name) {
      return Fail(ErrorCode::kNOT_FOUND, "未找到该人员的社会保障卡信息，请核对证件号码和姓名，或拨打12333",
                  "no such person with this name");
    }
    if (!item) {
      return Fail(Problems(ErrorCode::kVALIDATION_FAILED,
                           {{"item", "UNKNOWN_ITEM", {"事项编码不存在", "no such catalog item"}, "R-CAT-1"}}));
    }
    auto problems = domain::CheckBookingRequest(request.reason, person->birth_date, request.item, request.preferred_on,
                                                today, calendar_.IsWorkingDay(request.preferred_on), policy_);
    if (!problems.empty()) {
      bool not_eligible = std::any_of(problems.begin(), problems.end(),
                                      [](const FieldError& problem) { return problem.code == "NOT_ELIGIBLE"; });
      return Fail(not_eligible ? Problems(ErrorCode::kNOT_ELIGIBLE, std::move(problems), "R-ONE-4")
                               : Problems(ErrorCode::kVALIDATION_FAILED, std::move(problems)));
    }
    // The county hall of the person's home region visits.
    std::string county = domain::CountyOf(person->region_code);
    ASSIGN_OR_RETURN(auto orgs, tx.orgs().ListUnder(county));
    auto hall = std::find_if(orgs.begin(), orgs.end(), [](const domain::Org& org) {
      return org.level == domain::OrgLevel::kCounty && org.type == domain::OrgType::kHrssHall && org.active;
    });
    if (hall == orgs.end()) {
      return Fail(ErrorCode::kUNKNOWN_ORG, "本地暂无可提供上门服务的人社服务大厅，请拨打12333",
                  "no county hall serves the person's region");
    }
    Booking booking;
    booking.booking_no = "H" + NewSortableId(context.now);
    booking.person_id = person->id;
    booking.region_code = person->region_code;
    booking.org_code = hall->code;
    booking.reason = request.reason;
    booking.item = item->code;
    booking.preferred_on = request.preferred_on;
    booking.created_at = context.now;
    what.target = booking.booking_no;
    what.org_code = hall->code;
    RETURN_IF_ERROR(tx.bookings().Insert(booking));
    RETURN_IF_ERROR(tx.outbox().Enqueue({NewSortableId(context.now), "booking", "", person->id,
                                         Notice(booking, item->name), 0, context.now, std::nullopt, context.now}));
    return BookingView{std::move(booking), std::move(*person)};
  });
}

Result<std::vector<BookingView>> BookingService::List(const CallContext& context, const std::string& status) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(RequireCountyStaff(principal, domain::CountyOf(principal.region_code)));
  return ports::Transact<std::vector<BookingView>>(
      store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<std::vector<BookingView>> {
        ASSIGN_OR_RETURN(auto bookings, tx.bookings().List(domain::CountyOf(principal.region_code), status, 500));
        std::vector<BookingView> views;
        for (Booking& booking : bookings) {
          ASSIGN_OR_RETURN(auto person, tx.persons().FindById(booking.person_id));
          if (person) views.push_back({std::move(booking), std::move(*person)});
        }
        return views;
      });
}

Result<BookingView> BookingService::Step(const CallContext& context, const std::string& booking_no,
                                         const BookingStep& step) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  Date today = ChinaDate(context.now);
  return RunAudited<BookingView>(
      store_, context, {"booking." + step.action, booking_no}, [&](ports::Tx& tx) -> Result<BookingView> {
        ASSIGN_OR_RETURN(auto found, tx.bookings().Find(booking_no));
        if (!found) return Fail(ErrorCode::kNOT_FOUND);
        Booking booking = std::move(*found);
        RETURN_IF_ERROR(RequireCountyStaff(principal, booking.region_code));
        ASSIGN_OR_RETURN(booking.status, domain::NextBookingStatus(booking.status, step.action));
        if (step.action == "schedule") {
          if (!step.on || *step.on < today || !calendar_.IsWorkingDay(*step.on)) {
            return Fail(Problems(ErrorCode::kVALIDATION_FAILED,
                                 {{"on", "NOT_A_WORKING_DAY", {"上门日期应为今天起的工作日", "a coming working day"}, ""}}));
          }
          booking.scheduled_on = step.on;
        } else if (step.action == "complete" && !step.case_no.empty()) {
          ASSIGN_OR_RETURN(auto record, tx.cases().Find(step.case_no));
          if (!record || record->person_id != booking.person_id) {
            return Fail(Problems(ErrorCode::kVALIDATION_FAILED,
                                 {{"case_no", "NOT_THIS_PERSONS_CASE", {"该办件不是预约人的办件", "not the person's case"}, ""}}));
          }
          booking.case_no = step.case_no;
        } else if (step.action == "cancel") {
          if (step.reason.empty()) {
            return Fail(Problems(ErrorCode::kREJECT_REASON_REQUIRED,
                                 {{"reason", "REQUIRED", {"请填写取消原因", "a reason is required"}, ""}}));
          }
          booking.note = domain::MaskPersonalNumbers(step.reason);
        }
        booking.handled_by = principal.username;
        booking.version += 1;
        RETURN_IF_ERROR(tx.bookings().Update(booking));
        const domain::CatalogItem* item = catalog_.Find(booking.item);
        RETURN_IF_ERROR(tx.outbox().Enqueue({NewSortableId(context.now), "booking", booking.case_no, booking.person_id,
                                             Notice(booking, item ? item->name : booking.item), 0, context.now,
                                             std::nullopt, context.now}));
        ASSIGN_OR_RETURN(auto person, tx.persons().FindById(booking.person_id));
        if (!person) return Fail(ErrorCode::kNOT_FOUND);
        return BookingView{std::move(booking), std::move(*person)};
      });
}

}  // namespace sscard::app
