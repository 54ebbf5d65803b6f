// Home service by appointment (R-ONE-4): who may book for advanced age, which days, which
// items, and the booking's states.

#include "domain/booking.h"

#include <gtest/gtest.h>

namespace sscard::domain {
namespace {

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}; }

TEST(Booking, AdvancedAgeStartsAtEightyAndOtherReasonsAreDeclaredForROne4) {
  Date today = D(2026, 11, 23);
  EXPECT_TRUE(CheckBookingRequest(BookingReason::kAdvancedAge, D(1946, 11, 23), "002014010001", D(2026, 11, 24), today, true).empty());
  auto young = CheckBookingRequest(BookingReason::kAdvancedAge, D(1946, 11, 24), "002014010001", D(2026, 11, 24), today, true);
  ASSERT_EQ(young.size(), 1u);
  EXPECT_EQ(young[0].code, "NOT_ELIGIBLE");
  EXPECT_EQ(young[0].rule, "R-ONE-4");
  EXPECT_FALSE(CheckBookingRequest(BookingReason::kAdvancedAge, std::nullopt, "002014010001", D(2026, 11, 24), today, true).empty());
  for (BookingReason reason : {BookingReason::kSeriouslyIll, BookingReason::kDisabled}) {
    EXPECT_TRUE(CheckBookingRequest(reason, D(1990, 3, 7), "002014010007", D(2026, 11, 24), today, true).empty());
  }
}

TEST(Booking, TheDayIsAWorkingDayWithinThirtyDaysAndPinServicesStayAtTheWindowForROne4) {
  Date today = D(2026, 11, 23);
  auto codes = [&](Date day, bool working, std::string_view item = "002014010001") {
    std::vector<std::string> found;
    for (const FieldError& problem : CheckBookingRequest(BookingReason::kDisabled, D(1990, 3, 7), item, day, today, working)) {
      found.push_back(problem.code);
    }
    return found;
  };
  EXPECT_EQ(codes(today, true), std::vector<std::string>{"OUT_OF_WINDOW"});
  EXPECT_EQ(codes(D(2026, 12, 24), true), std::vector<std::string>{"OUT_OF_WINDOW"});
  EXPECT_TRUE(codes(D(2026, 12, 23), true).empty());  // the 30th day
  EXPECT_EQ(codes(D(2026, 11, 28), false), std::vector<std::string>{"NOT_A_WORKING_DAY"});
  EXPECT_EQ(codes(D(2026, 11, 24), true, "002014010006"), std::vector<std::string>{"NOT_AT_HOME"});
}

TEST(Booking, StatesMoveForwardOnlyForROne4) {
  EXPECT_EQ(NextBookingStatus(BookingStatus::kRequested, "schedule").value(), BookingStatus::kScheduled);
  EXPECT_EQ(NextBookingStatus(BookingStatus::kScheduled, "schedule").value(), BookingStatus::kScheduled);  // moved
  EXPECT_EQ(NextBookingStatus(BookingStatus::kScheduled, "complete").value(), BookingStatus::kDone);
  EXPECT_EQ(NextBookingStatus(BookingStatus::kRequested, "cancel").value(), BookingStatus::kCancelled);
  for (BookingStatus finished : {BookingStatus::kDone, BookingStatus::kCancelled}) {
    for (const char* action : {"schedule", "complete", "cancel"}) {
      EXPECT_EQ(NextBookingStatus(finished, action).error().code, ErrorCode::kCASE_STATE_CONFLICT);
    }
  }
  EXPECT_FALSE(NextBookingStatus(BookingStatus::kRequested, "visit"));
  for (BookingStatus status : {BookingStatus::kRequested, BookingStatus::kScheduled, BookingStatus::kDone, BookingStatus::kCancelled}) {
    EXPECT_EQ(ParseBookingStatus(BookingStatusName(status)), status);
  }
  EXPECT_EQ(ParseBookingReason("seriously_ill"), BookingReason::kSeriouslyIll);
  EXPECT_FALSE(ParseBookingReason("tired"));
}

}  // namespace
}  // namespace sscard::domain
