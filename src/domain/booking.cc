#include "domain/booking.h"

#include <fmt/format.h>

#include "domain/id_document.h"

namespace sscard::domain {
namespace {

constexpr std::pair<BookingReason, std::string_view> kReasons[] = {
    {BookingReason::kAdvancedAge, "advanced_age"},
    {BookingReason::kSeriouslyIll, "seriously_ill"},
    {BookingReason::kDisabled, "disabled"},
};
constexpr std::pair<BookingStatus, std::string_view> kStatuses[] = {
    {BookingStatus::kRequested, "requested"},
    {BookingStatus::kScheduled, "scheduled"},
    {BookingStatus::kDone, "done"},
    {BookingStatus::kCancelled, "cancelled"},
};

// The name of a value in a table of (value, name) pairs, and back.
template <typename E, size_t N>
std::string_view NameIn(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [known, name] : table) {
    if (known == value) return name;
  }
  return table[0].second;
}
template <typename E, size_t N>
std::optional<E> ValueIn(const std::pair<E, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [value, known] : table) {
    if (known == name) return value;
  }
  return std::nullopt;
}

FieldError Problem(std::string field, std::string code, std::string zh, std::string en, std::string rule = "") {
  return {std::move(field), std::move(code), {std::move(zh), std::move(en)}, std::move(rule)};
}

}  // namespace

std::string_view BookingReasonName(BookingReason reason) { return NameIn(kReasons, reason); }
std::optional<BookingReason> ParseBookingReason(std::string_view name) { return ValueIn(kReasons, name); }
std::string_view BookingStatusName(BookingStatus status) { return NameIn(kStatuses, status); }
std::optional<BookingStatus> ParseBookingStatus(std::string_view name) { return ValueIn(kStatuses, name); }

std::vector<FieldError> CheckBookingRequest(BookingReason reason, std::optional<Date> birth_date,
                                            std::string_view item, Date preferred_on, Date today,
                                            bool preferred_is_working_day, const BookingPolicy& policy) {
  std::vector<FieldError> problems;
  if (reason == BookingReason::kAdvancedAge && (!birth_date || AgeOn(*birth_date, today) < policy.advanced_age)) {
    problems.push_back(Problem("reason", "NOT_ELIGIBLE",
                               fmt::format("上门服务按高龄预约须年满{}周岁", policy.advanced_age),
                               fmt::format("home service for advanced age is for people of {} or over", policy.advanced_age),
                               "R-ONE-4"));
  }
  if (item == "002014010006") {
    problems.push_back(Problem("item", "NOT_AT_HOME", "密码服务须在配有密码键盘的服务网点办理",
                               "PIN services need a PIN pad at a service point", "R-CAT-4"));
  }
  Date latest = Date(std::chrono::sys_days(today) + std::chrono::days(policy.book_ahead_days));
  if (preferred_on <= today || preferred_on > latest) {
    problems.push_back(Problem("preferred_on", "OUT_OF_WINDOW",
                               fmt::format("预约日期应在明天至{}天内", policy.book_ahead_days),
                               fmt::format("the day is from tomorrow to {} days ahead", policy.book_ahead_days)));
  } else if (!preferred_is_working_day) {
    problems.push_back(Problem("preferred_on", "NOT_A_WORKING_DAY", "预约日期应为工作日", "the day must be a working day"));
  }
  return problems;
}

Result<BookingStatus> NextBookingStatus(BookingStatus status, std::string_view action) {
  bool open = status == BookingStatus::kRequested || status == BookingStatus::kScheduled;
  if (open && action == "schedule") return BookingStatus::kScheduled;
  if (open && action == "complete") return BookingStatus::kDone;
  if (open && action == "cancel") return BookingStatus::kCancelled;
  return Fail(MakeError(ErrorCode::kCASE_STATE_CONFLICT, "该预约已办结或已取消", "the booking is finished or cancelled"));
}

}  // namespace sscard::domain
