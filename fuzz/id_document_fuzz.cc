// libFuzzer target: the identity document checker never crashes, never reads out of bounds,
// and agrees with itself on any bytes. The first byte picks the document type.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/id_document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sscard::domain;
  using sscard::Date;
  if (size == 0) return 0;
  const auto& types = AllIdTypes();
  IdType type = types[data[0] % types.size()];
  std::string_view number(reinterpret_cast<const char*>(data + 1), size - 1);
  Date today{std::chrono::year(2026), std::chrono::month(11), std::chrono::day(23)};
  IdCheck check = CheckIdNumber(type, number, today, [](std::string_view code) { return code.size() == 6; });
  if (check.valid != check.problems.empty()) std::abort();
  if (check.valid && check.normalized.size() == 18 &&
      (type == IdType::kResidentId || type == IdType::kHkMacaoResidencePermit)) {
    if (Gb11643CheckChar(std::string_view(check.normalized).substr(0, 17)) != check.normalized[17]) std::abort();
  }
  return 0;
}
