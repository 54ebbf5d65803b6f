#include "domain/pin.h"

#include <fmt/format.h>

#include <algorithm>

namespace sscard::domain {
namespace {

FieldError Problem(const char* code, std::string zh, std::string en) {
  return {"pin", code, {std::move(zh), std::move(en)}, "R-PIN-2"};
}

std::string LastSixDigits(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits.size() >= 6 ? digits.substr(digits.size() - 6) : "";
}

}  // namespace

std::vector<FieldError> CheckPin(std::string_view pin, const PinContext& context) {
  std::vector<FieldError> problems;
  if (pin.size() != 6 || !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    problems.push_back(Problem("PIN_FORMAT", "密码必须为6位阿拉伯数字", "the PIN must be 6 digits"));
    return problems;
  }
  if (std::all_of(pin.begin(), pin.end(), [&](char c) { return c == pin[0]; })) {
    problems.push_back(Problem("PIN_ALL_SAME", "密码不能是六位相同数字", "six equal digits"));
  }
  bool ascending = true, descending = true;
  for (size_t index = 1; index < pin.size(); ++index) {
    ascending = ascending && pin[index] == pin[index - 1] + 1;
    descending = descending && pin[index] == pin[index - 1] - 1;
  }
  if (ascending || descending) {
    problems.push_back(Problem("PIN_SEQUENCE", "密码不能是连续数字", "an ascending or descending run"));
  }
  if (context.birth_date) {
    const Date& birth = *context.birth_date;
    int yy = int(birth.year()) % 100;
    unsigned mm = unsigned(birth.month());
    unsigned dd = unsigned(birth.day());
    for (const std::string& form : {fmt::format("{:02}{:02}{:02}", yy, mm, dd),
                                    fmt::format("{:02}{:02}{:02}", mm, dd, yy),
                                    fmt::format("{:02}{:02}{:02}", dd, mm, yy)}) {
      if (pin == form) {
        problems.push_back(Problem("PIN_BIRTH_DATE", "密码不能使用出生日期", "the birth date"));
        break;
      }
    }
  }
  if (!context.phone.empty() && LastSixDigits(context.phone) == pin) {
    problems.push_back(Problem("PIN_PHONE", "密码不能使用电话号码后六位", "the last 6 digits of the phone"));
  }
  if (!context.id_number.empty() && LastSixDigits(context.id_number) == pin &&
      context.id_number.size() >= 6 &&
      std::all_of(context.id_number.end() - 6, context.id_number.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    problems.push_back(Problem("PIN_ID_NUMBER", "密码不能使用证件号码后六位", "the last 6 digits of the ID number"));
  }
  return problems;
}

PinState AfterPinEntry(PinState state, bool correct) {
  if (state.locked) return state;
  if (correct) return PinState{};
  ++state.failures;
  state.locked = state.failures >= kPinMaxFailures;
  return state;
}

}  // namespace sscard::domain
