#pragma once
// Small helpers shared by the SQL repositories: parameter values, placeholder lists and
// the error of a store opened without the personal-data key.
// Thread-safety: pure functions.

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "storage/sql/connection.h"

namespace sscard::storage::sql {

inline Value Bool(bool flag) { return int64_t{flag ? 1 : 0}; }
inline Value Millis(TimePoint when) { return ToUnixMillis(when); }

// "?, ?, …" with `count` placeholders.
inline std::string Placeholders(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += i == 0 ? "?" : ", ?";
  return text;
}

// "a = ?, b = ?, …" for the columns after the first (the key).
inline std::string Assignments(std::string_view columns) {
  std::string text;
  size_t start = columns.find(',') + 1;
  while (start < columns.size()) {
    size_t end = columns.find(',', start);
    if (end == std::string_view::npos) end = columns.size();
    std::string_view name = columns.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (!text.empty()) text += ", ";
    text += std::string(name) + " = ?";
    start = end + 1;
  }
  return text;
}

// "prefix%" for LIKE … ESCAPE '\\'. Prefixes come from validated codes (digits); anything
// else would be a bug upstream.
inline std::string LikePrefix(const std::string& prefix) {
  std::string pattern;
  for (char character : prefix) {
    if (character == '%' || character == '_' || character == '\\') pattern.push_back('\\');
    pattern.push_back(character);
  }
  return pattern + "%";
}

inline Error NoSealer() {
  return MakeError(ErrorCode::kINTERNAL, "未配置个人数据加密", "personal data needs a sealer (key file)");
}

}  // namespace sscard::storage::sql
