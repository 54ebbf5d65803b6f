#pragma once
// Free text typed by staff, citizens and departments (reasons, opinions, notes, purposes) is
// not a place for personal numbers (non-negotiable 7, R-SEC-3): an ID number (18 or 15
// digits), a mobile number (11 digits, also written 138 0013 5678 or 138-0013-5678) or a
// bank account (16–19 digits) found in it is masked before it is stored, shown or logged.
// Full-width digits count as digits. Other text is kept byte for byte.
// Thread-safety: pure function.

#include <string>
#include <string_view>

namespace sscard::domain {

std::string MaskPersonalNumbers(std::string_view text);

}  // namespace sscard::domain
