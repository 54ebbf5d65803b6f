#pragma once
// Home service by appointment (R-ONE-4, seed 003 §4, seed 001 §47): people of advanced age,
// the seriously ill and the disabled book online; the county hall of their home region
// schedules a visit and handles the business at home. Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/result.h"

namespace sscard::domain {

enum class BookingReason { kAdvancedAge, kSeriouslyIll, kDisabled };
std::string_view BookingReasonName(BookingReason reason);
std::optional<BookingReason> ParseBookingReason(std::string_view name);

enum class BookingStatus { kRequested, kScheduled, kDone, kCancelled };
std::string_view BookingStatusName(BookingStatus status);
std::optional<BookingStatus> ParseBookingStatus(std::string_view name);

// A booking names the person on file, never their data: the visit goes to the address and
// phone of the person's record, read (and audited) by the visiting staff.
struct Booking {
  std::string booking_no;    // "H" + time-ordered id
  std::string person_id;
  std::string region_code;   // the person's home region (6 digits)
  std::string org_code;      // the county hall that visits
  BookingReason reason = BookingReason::kAdvancedAge;
  std::string item;          // the catalog item to handle at home
  Date preferred_on;
  BookingStatus status = BookingStatus::kRequested;
  std::optional<Date> scheduled_on;
  std::string handled_by;    // the staff who scheduled, completed or cancelled
  std::string case_no;       // the case taken at home, once done
  std::string note;          // a cancellation's reason
  TimePoint created_at;
  int64_t version = 1;
};

struct BookingPolicy {
  int advanced_age = 80;       // 高龄: years
  int book_ahead_days = 30;    // the latest day one may ask for
};

// The checks of a booking request on `today`: advanced age needs the age of the policy (the
// illness and the disability are declared and checked by phone before the visit); the day
// asked for is a working day after today and within the booking window; the item is one that
// can be handled at home (not the PIN services, which need a PIN pad, R-CAT-4). Every problem
// at once; NOT_ELIGIBLE problems carry R-ONE-4.
std::vector<FieldError> CheckBookingRequest(BookingReason reason, std::optional<Date> birth_date,
                                            std::string_view item, Date preferred_on, Date today,
                                            bool preferred_is_working_day, const BookingPolicy& policy = {});

// The next status of a booking: "schedule" (requested → scheduled, or moved), "complete"
// (requested or scheduled → done), "cancel" (requested or scheduled → cancelled).
// Errors: CASE_STATE_CONFLICT from a finished booking or for an unknown action.
Result<BookingStatus> NextBookingStatus(BookingStatus status, std::string_view action);

}  // namespace sscard::domain
