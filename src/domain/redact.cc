#include "domain/redact.h"

#include "domain/person.h"

namespace sscard::domain {
namespace {

// The digit at `at` (ASCII, or full-width U+FF10…U+FF19 in UTF-8), with its byte length.
bool DigitAt(std::string_view text, size_t at, char& digit, size_t& length) {
  if (at >= text.size()) return false;
  auto byte = static_cast<unsigned char>(text[at]);
  if (byte >= '0' && byte <= '9') {
    digit = static_cast<char>(byte);
    length = 1;
    return true;
  }
  if (byte == 0xEF && at + 2 < text.size() && static_cast<unsigned char>(text[at + 1]) == 0xBC) {
    auto last = static_cast<unsigned char>(text[at + 2]);
    if (last >= 0x90 && last <= 0x99) {
      digit = static_cast<char>('0' + (last - 0x90));
      length = 3;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string MaskPersonalNumbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    std::string digits;
    size_t end = at;
    char digit = 0;
    size_t length = 0;
    while (DigitAt(text, end, digit, length)) {
      digits += digit;
      end += length;
      // A phone number written in groups: 3, then 4, then 4 digits.
      size_t next = 0;
      char ignored = 0;
      if ((digits.size() == 3 || digits.size() == 7) && end < text.size() &&
          (text[end] == ' ' || text[end] == '-') && DigitAt(text, end + 1, ignored, next)) {
        ++end;
      }
    }
    if (digits.empty()) {
      out += text[at++];
      continue;
    }
    if (digits.size() == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) {
      digits += 'X';
      ++end;
    }
    if (digits.size() == 18 || digits.size() == 15) {
      out += MaskIdNumber(digits);
    } else if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3') {
      out += MaskPhone(digits);
    } else if (digits.size() >= 16 && digits.size() <= 19) {
      out += std::string(digits.size() - 4, '*') + digits.substr(digits.size() - 4);
    } else {
      out += text.substr(at, end - at);
    }
    at = end;
  }
  return out;
}

}  // namespace sscard::domain
