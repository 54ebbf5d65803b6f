#include "common/ids.h"

#include <sodium.h>

#include <array>
#include <mutex>

namespace sscard {

std::string NewSortableId(TimePoint now) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  // Monotonic within the process: an id made in the same millisecond as the previous one
  // (or with a clock that went back) continues from it, so ids sort in creation order.
  static std::mutex mutex;
  static uint64_t last_millis = 0;
  static std::array<unsigned char, 10> last_random{};  // 80 bits

  uint64_t millis = static_cast<uint64_t>(ToUnixMillis(now));
  std::array<unsigned char, 10> random{};
  {
    std::lock_guard lock(mutex);
    if (millis <= last_millis) {
      millis = last_millis;
      random = last_random;
      for (int index = 9; index >= 0 && ++random[index] == 0; --index) {
      }
    } else {
      randombytes_buf(random.data(), random.size());
      random[0] &= 0x7f;  // headroom so increments within a millisecond cannot overflow
    }
    last_millis = millis;
    last_random = random;
  }
  std::string id(26, '0');
  for (int index = 9; index >= 0; --index) {
    id[index] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  // 80 random bits as 16 base32 characters, most significant first.
  for (int index = 0; index < 16; ++index) {
    int bit = index * 5;
    int value = 0;
    for (int offset = 0; offset < 5; ++offset) {
      int position = bit + offset;
      value = (value << 1) | ((random[position / 8] >> (7 - position % 8)) & 1);
    }
    id[10 + index] = kAlphabet[value];
  }
  return id;
}

}  // namespace sscard
