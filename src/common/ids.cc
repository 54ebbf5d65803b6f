#include "common/ids.h"

#include <sodium.h>

#include <array>

namespace sscard {

std::string NewSortableId(TimePoint now) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  uint64_t millis = static_cast<uint64_t>(ToUnixMillis(now));
  std::string id(26, '0');
  for (int index = 9; index >= 0; --index) {
    id[index] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  std::array<unsigned char, 16> random{};
  randombytes_buf(random.data(), random.size());
  for (int index = 0; index < 16; ++index) id[10 + index] = kAlphabet[random[index] & 31];
  return id;
}

}  // namespace sscard
