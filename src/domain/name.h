#pragma once
// Names and rare characters (R-ID-7). Interpretation (configurable, docs/rules.md): a name
// character is *common* when it lies in CJK Unified Ideographs U+4E00–U+9FA5 or Extension A
// U+3400–U+4DB5; any other ideograph (Extensions B+ , U+9FA6–U+9FFF, compatibility
// ideographs) and any Private Use Area character is *rare*: the card goes to the provincial
// card centre and is mailed. Letters, spaces and the middle dot of minority and foreign names
// are allowed. Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sscard::domain {

struct CodeRange {
  char32_t first;
  char32_t last;
};

struct NamePolicy {
  std::vector<CodeRange> common = {{0x4E00, 0x9FA5}, {0x3400, 0x4DB5}};
  size_t max_characters = 50;
};

struct NameCheck {
  bool valid = false;
  bool rare = false;
  std::vector<std::string> rare_chars;  // each as UTF-8
  std::vector<FieldError> problems;
};

NameCheck CheckName(std::string_view name, const NamePolicy& policy = {});

}  // namespace sscard::domain
