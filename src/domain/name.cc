#include "domain/name.h"

#include <fmt/format.h>

namespace sscard::domain {
namespace {

// Decodes one UTF-8 sequence at `text[index]`; returns the code point and advances, or
// returns U+FFFFFFFF for a malformed sequence.
char32_t Decode(std::string_view text, size_t& index) {
  constexpr char32_t kBad = 0xFFFFFFFF;
  unsigned char lead = static_cast<unsigned char>(text[index]);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || index + length > text.size()) {
    ++index;
    return kBad;
  }
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int offset = 1; offset < length; ++offset) {
    unsigned char next = static_cast<unsigned char>(text[index + offset]);
    if ((next >> 6) != 0x2) {
      ++index;
      return kBad;
    }
    code = (code << 6) | (next & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  index += length;
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return kBad;
  return code;
}

bool IsIdeograph(char32_t code) {
  return (code >= 0x3400 && code <= 0x4DBF) || (code >= 0x4E00 && code <= 0x9FFF) ||
         (code >= 0xF900 && code <= 0xFAFF) || (code >= 0x20000 && code <= 0x3FFFF);
}

bool IsPrivateUse(char32_t code) {
  return (code >= 0xE000 && code <= 0xF8FF) || (code >= 0xF0000 && code <= 0x10FFFF);
}

bool IsNameSymbol(char32_t code) {
  return (code >= 'A' && code <= 'Z') || (code >= 'a' && code <= 'z') || code == ' ' ||
         code == 0x00B7 /* · */ || code == 0x30FB /* ・ */ || code == '-' || code == '.';
}

FieldError Problem(const char* code, std::string zh, std::string en) {
  return {"name", code, {std::move(zh), std::move(en)}, "R-ID-7"};
}

}  // namespace

NameCheck CheckName(std::string_view name, const NamePolicy& policy) {
  NameCheck check;
  if (name.empty()) {
    check.problems.push_back(Problem("NAME_EMPTY", "姓名不能为空", "the name is empty"));
    return check;
  }
  size_t characters = 0;
  for (size_t index = 0; index < name.size();) {
    size_t start = index;
    char32_t code = Decode(name, index);
    ++characters;
    if (code == 0xFFFFFFFF) {
      check.problems.push_back(Problem("NAME_ENCODING", "姓名不是有效的 UTF-8 文本", "the name is not valid UTF-8"));
      return check;
    }
    bool common = false;
    for (const CodeRange& range : policy.common) common = common || (code >= range.first && code <= range.last);
    if (common || IsNameSymbol(code)) continue;
    if (IsIdeograph(code) || IsPrivateUse(code)) {
      check.rare = true;
      check.rare_chars.emplace_back(name.substr(start, index - start));
      continue;
    }
    check.problems.push_back(Problem("NAME_BAD_CHARACTER",
                                     fmt::format("姓名含不允许的字符 U+{:04X}", static_cast<uint32_t>(code)),
                                     fmt::format("the name has a character that is not allowed: U+{:04X}",
                                                 static_cast<uint32_t>(code))));
  }
  if (characters > policy.max_characters) {
    check.problems.push_back(Problem("NAME_TOO_LONG", fmt::format("姓名不能超过{}个字", policy.max_characters),
                                     fmt::format("at most {} characters", policy.max_characters)));
  }
  check.valid = check.problems.empty();
  return check;
}

}  // namespace sscard::domain
