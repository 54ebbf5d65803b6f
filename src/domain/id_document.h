#pragma once
// Identity documents (R-ID-1, R-ID-2): the accepted types, the checks of every number
// (GB 11643 for resident ids and the 18-character permits and foreign permanent residence
// ids), what the number carries (birth date, sex, region), and the document rules of age.
// Pure functions of their inputs; thread-safe. Never throws, whatever the bytes.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace sscard::domain {

enum class IdType {
  kResidentId,               // 居民身份证
  kTemporaryResidentId,      // 临时居民身份证
  kHouseholdRegister,        // 户口簿 (under 16 only)
  kHkMacaoPermit,            // 港澳居民来往内地通行证
  kHkMacaoResidencePermit,   // 港澳居民居住证
  kTaiwanPermit,             // 台湾居民来往大陆通行证
  kTaiwanResidencePermit,    // 台湾居民居住证
  kPassport,                 // 护照
  kForeignPermanentId,       // 外国人永久居留身份证
};

std::string_view IdTypeName(IdType type);  // API.md names: "resident_id", …
std::optional<IdType> ParseIdType(std::string_view name);
const std::vector<IdType>& AllIdTypes();
// A list of id type names separated by ';' (a registry row's other documents); nullopt when
// a name is unknown.
std::string JoinIdTypes(const std::vector<IdType>& types);
std::optional<std::vector<IdType>> ParseIdTypeList(std::string_view text);
// An ID number as stored and compared: a final check character x is written X (GB 11643).
// The one place this is done.
std::string NormalizeIdNumber(std::string id_number);

enum class Sex { kUnknown, kMale, kFemale };
std::string_view SexName(Sex sex);  // "male", "female", "unknown"

// The result of checking one number. `problems` are fatal, `warnings` are not.
struct IdCheck {
  bool valid = false;
  std::string normalized;  // upper case, as stored
  std::optional<Date> birth_date;
  Sex sex = Sex::kUnknown;
  std::string region_code;  // 6 digits where the number carries one
  std::vector<FieldError> problems;
  std::vector<FieldError> warnings;
};

// What the checker may ask about regions. `known_county(code)` is true when a 6-digit code
// is a county (or city) of the imported division data. Absent: no county check.
using CountyLookup = std::function<bool(std::string_view code)>;

// Checks a number of a document type. `today` decides "not in the future" and the age of
// household register holders.
IdCheck CheckIdNumber(IdType type, std::string_view number, Date today,
                      const CountyLookup& known_county = nullptr);

// The GB 11643 check character of the first 17 digits ('0'–'9' or 'X'); '?' if not digits.
char Gb11643CheckChar(std::string_view first17);

// Age in whole years on `on`.
int AgeOn(Date birth, Date on);

// R-ID-1: a person holding both an HK/Macau (or Taiwan) travel permit and a residence
// permit must use the residence permit. Returns the type to use given the types held.
IdType PreferredDocument(const std::vector<IdType>& held);

}  // namespace sscard::domain
