#pragma once
// Home service by appointment (R-ONE-4): a person of advanced age, seriously ill or disabled
// books online with their ID number and name; the county hall of their home region is
// assigned; its staff — or a town centre of the county — schedule the visit, handle the
// business at home as an ordinary case, and complete the booking; or cancel it with a reason.
// The person is told at each step (outbox). Every step is audited.
// Thread-safety: all methods may be called concurrently.

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/booking.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/ports/store.h"

namespace sscard::app {

struct BookingRequest {
  std::string id_number;
  std::string name;
  domain::BookingReason reason = domain::BookingReason::kAdvancedAge;
  std::string item;
  Date preferred_on;
};

// A booking with its person, for staff (who mask what they show).
struct BookingView {
  domain::Booking booking;
  domain::Person person;
};

// A staff step on a booking: "schedule" (with `on`), "complete" (with the case taken at home,
// optional) or "cancel" (with `reason`).
struct BookingStep {
  std::string action;
  std::optional<Date> on;
  std::string case_no;
  std::string reason;
};

class BookingService {
 public:
  BookingService(ports::Store& store, const domain::Catalog& catalog, const domain::WorkingCalendar& calendar,
                 domain::BookingPolicy policy = {})
      : store_(store), catalog_(catalog), calendar_(calendar), policy_(policy) {}

  // Anyone may ask (online, without an account). Errors: NOT_FOUND (no such person with this
  // name — no hint which part), VALIDATION_FAILED (item, day), NOT_ELIGIBLE (R-ONE-4: advanced
  // age below the policy's), UNKNOWN_ORG (no county hall for the region).
  Result<BookingView> Request(const CallContext& context, const BookingRequest& request);

  // Bookings of the caller's county, oldest first. Errors: FORBIDDEN (neither intake nor
  // review staff).
  Result<std::vector<BookingView>> List(const CallContext& context, const std::string& status);

  // Errors: FORBIDDEN, OUT_OF_REGION, NOT_FOUND, CASE_STATE_CONFLICT (finished booking),
  // VALIDATION_FAILED (a day that is not a coming working day, an unknown case or another
  // person's, no reason to cancel), CONFLICT (a concurrent step won).
  Result<BookingView> Step(const CallContext& context, const std::string& booking_no, const BookingStep& step);

 private:
  ports::Store& store_;
  const domain::Catalog& catalog_;
  const domain::WorkingCalendar& calendar_;
  domain::BookingPolicy policy_;
};

}  // namespace sscard::app
