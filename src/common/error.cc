#include "common/error.h"

#include <array>

namespace sscard {
namespace {

struct CodeRow {
  std::string_view name;
  ErrorKind kind;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array kCodeTable = {
#define SSCARD_ERROR(code, kind, zh, en) CodeRow{#code, ErrorKind::kind, zh, en},
#include "common/error_codes.def"
#undef SSCARD_ERROR
};

const CodeRow& RowOf(ErrorCode code) { return kCodeTable.at(static_cast<size_t>(code)); }

}  // namespace

Error MakeError(ErrorCode code) {
  const CodeRow& row = RowOf(code);
  Error error;
  error.kind = row.kind;
  error.code = code;
  error.title = {std::string(row.zh), std::string(row.en)};
  return error;
}

Error MakeError(ErrorCode code, std::string detail_zh, std::string detail_en) {
  Error error = MakeError(code);
  error.detail = {std::move(detail_zh), std::move(detail_en)};
  return error;
}

std::string_view CodeName(ErrorCode code) { return RowOf(code).name; }
ErrorKind KindOf(ErrorCode code) { return RowOf(code).kind; }

std::vector<ErrorCode> AllErrorCodes() {
  std::vector<ErrorCode> codes;
  for (size_t index = 0; index < kCodeTable.size(); ++index) {
    codes.push_back(static_cast<ErrorCode>(index));
  }
  return codes;
}

}  // namespace sscard
