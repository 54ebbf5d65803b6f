// libFuzzer target: the JPEG decoder and the photo rules never crash on any bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "infra/jpeg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto check = sscard::infra::CheckJpegPhoto(std::string_view(reinterpret_cast<const char*>(data), size));
  if (check.valid != check.problems.empty()) std::abort();
  return 0;
}
