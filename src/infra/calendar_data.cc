#include "infra/calendar_data.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "infra/embedded_data.h"

namespace sscard::infra {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Fail(ErrorCode::kNOT_FOUND, "找不到日历数据文件 " + path, "calendar file not found: " + path);
  }
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// "National Day,国庆节,3" -> "国庆节"; other strings pass through.
std::string ChineseName(const std::string& text) {
  size_t first = text.find(',');
  if (first == std::string::npos) return text;
  size_t second = text.find(',', first + 1);
  return text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
}

}  // namespace

Result<domain::WorkingCalendar> ParseCalendar(const std::string& json_text) {
  auto document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("holidays") ||
      !document.contains("workdays")) {
    return Fail(ErrorCode::kMALFORMED_JSON, "日历数据格式错误",
                "not chinese-days data (holidays and workdays maps)");
  }
  std::map<Date, std::string> maps[2];
  const char* keys[2] = {"holidays", "workdays"};
  for (int index = 0; index < 2; ++index) {
    const auto& entries = document[keys[index]];
    if (!entries.is_object()) return Fail(ErrorCode::kMALFORMED_JSON);
    for (const auto& [day, name] : entries.items()) {
      auto date = ParseDate(day);
      if (!date || !name.is_string()) {
        return Fail(ErrorCode::kMALFORMED_JSON, "日历数据含无效日期：" + day, "bad calendar entry " + day);
      }
      maps[index][*date] = ChineseName(name.get<std::string>());
    }
  }
  return domain::WorkingCalendar(std::move(maps[0]), std::move(maps[1]));
}

Result<domain::WorkingCalendar> ReadCalendarFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadText(path));
  return ParseCalendar(text);
}

const domain::WorkingCalendar& BuiltInCalendar() {
  static const domain::WorkingCalendar calendar = [] {
    for (const auto& file : EmbeddedDataFiles()) {
      if (file.name == "calendar.json") {
        auto parsed = ParseCalendar(std::string(file.content));
        if (parsed) return *parsed;
      }
    }
    std::abort();  // the build embeds a valid file; a broken one must not ship
  }();
  return calendar;
}

Result<std::string> CalendarDataFrom(const std::string& chinese_days_path) {
  ASSIGN_OR_RETURN(std::string text, ReadText(chinese_days_path));
  auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("holidays") ||
      !document.contains("workdays")) {
    return Fail(ErrorCode::kMALFORMED_JSON, "不是 chinese-days 数据", "not a chinese-days file");
  }
  nlohmann::ordered_json out;
  out["source"] = "npm package chinese-days (dist/chinese-days.json): holidays and workdays";
  out["holidays"] = document["holidays"];
  out["workdays"] = document["workdays"];
  return out.dump(1) + "\n";
}

}  // namespace sscard::infra
