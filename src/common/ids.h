#pragma once
// Time-ordered unique ids (ULID layout: 48-bit milliseconds + 80 random bits, Crockford
// base32, 26 characters). Sorting the strings sorts by creation time, which suits cursor
// paging and keeps inserts local in B-trees without a database sequence.
// Thread-safety: safe to call concurrently.

#include <string>

#include "common/clock.h"

namespace sscard {

std::string NewSortableId(TimePoint now);

}  // namespace sscard
