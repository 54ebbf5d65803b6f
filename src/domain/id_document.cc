#include "domain/id_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace sscard::domain {
namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";

// Mainland province-level codes (GB/T 2260).
constexpr std::array<std::string_view, 31> kMainlandProvinces = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"};

struct TypeRow {
  IdType type;
  std::string_view name;
};
constexpr TypeRow kTypes[] = {
    {IdType::kResidentId, "resident_id"},
    {IdType::kTemporaryResidentId, "temporary_resident_id"},
    {IdType::kHouseholdRegister, "household_register"},
    {IdType::kHkMacaoPermit, "hk_macao_permit"},
    {IdType::kHkMacaoResidencePermit, "hk_macao_residence_permit"},
    {IdType::kTaiwanPermit, "taiwan_permit"},
    {IdType::kTaiwanResidencePermit, "taiwan_residence_permit"},
    {IdType::kPassport, "passport"},
    {IdType::kForeignPermanentId, "foreign_permanent_id"},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), IsDigit);
}

class Checker {
 public:
  Checker(IdCheck& check, std::string_view field) : check_(check), field_(field) {}
  void Problem(const char* code, std::string zh, std::string en) {
    check_.problems.push_back({field_, code, {std::move(zh), std::move(en)}, "R-ID-2"});
  }
  void Warning(const char* code, std::string zh, std::string en) {
    check_.warnings.push_back({field_, code, {std::move(zh), std::move(en)}, "R-ID-2"});
  }

 private:
  IdCheck& check_;
  std::string field_;
};

// Refuses what a clerk's keyboard or a scanner can slip in: full-width characters, spaces.
bool CheckCharacters(std::string_view number, Checker& checker) {
  if (number.empty()) {
    checker.Problem("ID_EMPTY", "证件号码不能为空", "the number is empty");
    return false;
  }
  if (number.find("\xEF\xBC") != std::string_view::npos) {  // U+FF00–U+FF3F (full-width)
    checker.Problem("ID_FULL_WIDTH", "证件号码含全角字符，请使用半角数字和字母",
                    "the number has full-width characters; use half-width digits and letters");
    return false;
  }
  if (std::any_of(number.begin(), number.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; })) {
    checker.Problem("ID_WHITESPACE", "证件号码含空格", "the number contains spaces");
    return false;
  }
  if (std::any_of(number.begin(), number.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80 || c < 0x20; })) {
    checker.Problem("ID_BAD_CHARACTER", "证件号码含非法字符", "the number has characters that are not allowed");
    return false;
  }
  return true;
}

std::optional<Date> DateOf(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  Date date{std::chrono::year(year), std::chrono::month(unsigned(month)),
            std::chrono::day(unsigned(day))};
  if (!date.ok()) return std::nullopt;
  return date;
}

// Birth date YYYYMMDD at `text`: a real date, not in the future, not before 1880.
std::optional<Date> CheckBirthDate(std::string_view text, Date today, Checker& checker) {
  int year = std::stoi(std::string(text.substr(0, 4)));
  auto date = DateOf(year, std::stoi(std::string(text.substr(4, 2))),
                     std::stoi(std::string(text.substr(6, 2))));
  if (!date || year < 1880) {
    checker.Problem("ID_BAD_BIRTH_DATE", fmt::format("出生日期 {} 不是有效日期", text),
                    fmt::format("the birth date {} is not a real date", text));
    return std::nullopt;
  }
  if (std::chrono::sys_days(*date) > std::chrono::sys_days(today)) {
    checker.Problem("ID_BIRTH_IN_FUTURE", "出生日期晚于今天", "the birth date is in the future");
    return std::nullopt;
  }
  return date;
}

// The 18-character GB 11643 family: resident ids, residence permits, new foreign ids.
void Check18(std::string_view number, Date today, IdCheck& check, Checker& checker) {
  if (number.size() != 18) {
    checker.Problem("ID_LENGTH", fmt::format("应为18位，实际为{}位", number.size()),
                    fmt::format("must be 18 characters, not {}", number.size()));
    return;
  }
  std::string normalized(number);
  if (normalized[17] == 'x') normalized[17] = 'X';
  std::string_view first17 = std::string_view(normalized).substr(0, 17);
  if (!AllDigits(first17)) {
    checker.Problem("ID_NOT_DIGITS", "前17位应全部为数字", "the first 17 characters must be digits");
    return;
  }
  char last = normalized[17];
  if (!IsDigit(last) && last != 'X') {
    checker.Problem("ID_BAD_CHECK_CHARACTER", "第18位应为数字或X", "the 18th character must be a digit or X");
    return;
  }
  check.normalized = normalized;
  auto birth = CheckBirthDate(first17.substr(6, 8), today, checker);
  char expected = Gb11643CheckChar(first17);
  if (expected != last) {
    checker.Problem("ID_CHECK_DIGIT", "校验位不正确，请核对号码",
                    "the check digit (GB 11643) does not match; check the number");
    return;
  }
  if (birth) {
    check.birth_date = birth;
    check.sex = (first17[16] - '0') % 2 ? Sex::kMale : Sex::kFemale;
  }
}

void CheckMainland(std::string_view number, Date today, const CountyLookup& known_county,
                   IdCheck& check, Checker& checker) {
  Check18(number, today, check, checker);
  if (!check.problems.empty()) return;
  std::string_view province = std::string_view(check.normalized).substr(0, 2);
  if (std::find(kMainlandProvinces.begin(), kMainlandProvinces.end(), province) ==
      kMainlandProvinces.end()) {
    checker.Problem("ID_BAD_REGION", fmt::format("前两位 {} 不是内地省级行政区划代码", province),
                    fmt::format("{} is not a mainland province code", province));
    return;
  }
  check.region_code = check.normalized.substr(0, 6);
  if (known_county && !known_county(check.region_code)) {
    // Numbers keep the county code of their issue; counties are renamed and merged since.
    checker.Warning("ID_UNKNOWN_COUNTY",
                    fmt::format("地区代码 {} 不在现行行政区划中（可能为旧代码）", check.region_code),
                    fmt::format("region {} is not a current county (possibly an old code)",
                                check.region_code));
  }
}

void CheckResidencePermit(std::string_view number, Date today, std::string_view prefix,
                          IdCheck& check, Checker& checker) {
  Check18(number, today, check, checker);
  if (!check.problems.empty()) return;
  if (check.normalized.compare(0, prefix.size(), prefix) != 0) {
    checker.Problem("ID_BAD_REGION", fmt::format("居住证号码应以 {} 开头", prefix),
                    fmt::format("this residence permit starts with {}", prefix));
    return;
  }
  check.region_code = check.normalized.substr(0, 6);
}

void CheckForeignPermanent(std::string_view number, Date today, IdCheck& check,
                           Checker& checker) {
  if (number.size() == 18) {
    // 2023 form: 9 + issuing province (2) + nationality (3) + birth date (8) + serial (3) + check.
    Check18(number, today, check, checker);
    if (!check.problems.empty()) return;
    if (check.normalized[0] != '9') {
      checker.Problem("ID_BAD_PREFIX", "新版永久居留身份证号码以9开头",
                      "the 2023 permanent residence id starts with 9");
    }
    return;
  }
  if (number.size() == 15) {
    // Older form: nationality (3 letters) + province (2) + birth YYMMDD + serial (2) + check.
    std::string normalized(number);
    std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (!std::all_of(normalized.begin(), normalized.begin() + 3, IsUpper) ||
        !AllDigits(std::string_view(normalized).substr(3))) {
      checker.Problem("ID_FORMAT", "旧版永久居留证号码应为3位字母加12位数字",
                      "the older permanent residence id is 3 letters and 12 digits");
      return;
    }
    check.normalized = normalized;
    int yy = std::stoi(normalized.substr(5, 2));
    int year = 2000 + yy;
    if (year > int(today.year())) year -= 100;
    auto birth = DateOf(year, std::stoi(normalized.substr(7, 2)), std::stoi(normalized.substr(9, 2)));
    if (!birth || std::chrono::sys_days(*birth) > std::chrono::sys_days(today)) {
      checker.Problem("ID_BAD_BIRTH_DATE", "出生日期不是有效日期", "the birth date is not a real date");
      return;
    }
    check.birth_date = birth;
    return;
  }
  checker.Problem("ID_LENGTH", fmt::format("应为18位或15位，实际为{}位", number.size()),
                  fmt::format("must be 18 or 15 characters, not {}", number.size()));
}

// Format-only documents: a leading letter set and a digit count.
void CheckTravelPermit(std::string_view number, IdType type, IdCheck& check, Checker& checker) {
  std::string normalized(number);
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  bool ok = false;
  if (type == IdType::kHkMacaoPermit) {
    // H or M followed by 8 digits (since 2013) or 10 digits (older).
    ok = (normalized.size() == 9 || normalized.size() == 11) &&
         (normalized[0] == 'H' || normalized[0] == 'M') &&
         AllDigits(std::string_view(normalized).substr(1));
    if (!ok) {
      checker.Problem("ID_FORMAT", "港澳居民来往内地通行证号码应为H或M加8位（或10位）数字",
                      "H or M followed by 8 (or 10) digits");
    }
  } else if (type == IdType::kTaiwanPermit) {
    ok = (normalized.size() == 8 && AllDigits(normalized)) ||
         (normalized.size() == 10 && AllDigits(std::string_view(normalized).substr(0, 8)));
    if (!ok) {
      checker.Problem("ID_FORMAT", "台湾居民来往大陆通行证号码应为8位数字（旧版10位）",
                      "8 digits (older permits: 10 characters)");
    }
  } else {  // passport
    ok = normalized.size() >= 5 && normalized.size() <= 17 &&
         std::all_of(normalized.begin(), normalized.end(),
                     [](char c) { return IsDigit(c) || IsUpper(c); });
    if (!ok) {
      checker.Problem("ID_FORMAT", "护照号码应为5至17位字母或数字", "5 to 17 letters or digits");
    }
  }
  if (ok) check.normalized = normalized;
}

}  // namespace

std::string NormalizeIdNumber(std::string id_number) {
  if (!id_number.empty() && id_number.back() == 'x') id_number.back() = 'X';
  return id_number;
}

std::string_view IdTypeName(IdType type) {
  for (const TypeRow& row : kTypes) {
    if (row.type == type) return row.name;
  }
  return "resident_id";
}

std::optional<IdType> ParseIdType(std::string_view name) {
  for (const TypeRow& row : kTypes) {
    if (row.name == name) return row.type;
  }
  return std::nullopt;
}

const std::vector<IdType>& AllIdTypes() {
  static const std::vector<IdType> types = [] {
    std::vector<IdType> all;
    for (const TypeRow& row : kTypes) all.push_back(row.type);
    return all;
  }();
  return types;
}

std::string_view SexName(Sex sex) {
  switch (sex) {
    case Sex::kMale: return "male";
    case Sex::kFemale: return "female";
    case Sex::kUnknown: return "unknown";
  }
  return "unknown";
}

char Gb11643CheckChar(std::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return '?';
  int sum = 0;
  for (size_t index = 0; index < 17; ++index) sum += (first17[index] - '0') * kWeights[index];
  return kCheckChars[sum % 11];
}

int AgeOn(Date birth, Date on) {
  int age = int(on.year()) - int(birth.year());
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) {
    --age;
  }
  return age;
}

IdCheck CheckIdNumber(IdType type, std::string_view number, Date today,
                      const CountyLookup& known_county) {
  IdCheck check;
  Checker checker(check, "number");
  if (!CheckCharacters(number, checker)) return check;
  switch (type) {
    case IdType::kResidentId:
    case IdType::kTemporaryResidentId:
    case IdType::kHouseholdRegister:
      CheckMainland(number, today, known_county, check, checker);
      if (type == IdType::kHouseholdRegister && check.problems.empty() && check.birth_date &&
          AgeOn(*check.birth_date, today) >= 16) {
        check.problems.push_back({"type", "HOUSEHOLD_REGISTER_AGE",
                                  {"户口簿仅限不满16周岁人员使用，请出示居民身份证",
                                   "a household register is accepted only under 16; use the "
                                   "resident ID card"},
                                  "R-ID-1"});
      }
      break;
    case IdType::kHkMacaoResidencePermit: {
      std::string_view prefix = number.substr(0, 6) == "820000" ? "820000" : "810000";
      CheckResidencePermit(number, today, prefix, check, checker);
      break;
    }
    case IdType::kTaiwanResidencePermit:
      CheckResidencePermit(number, today, "830000", check, checker);
      break;
    case IdType::kForeignPermanentId:
      CheckForeignPermanent(number, today, check, checker);
      break;
    case IdType::kHkMacaoPermit:
    case IdType::kTaiwanPermit:
    case IdType::kPassport:
      CheckTravelPermit(number, type, check, checker);
      break;
  }
  check.valid = check.problems.empty();
  return check;
}

std::string JoinIdTypes(const std::vector<IdType>& types) {
  std::string text;
  for (IdType type : types) {
    if (!text.empty()) text += ';';
    text += IdTypeName(type);
  }
  return text;
}

std::optional<std::vector<IdType>> ParseIdTypeList(std::string_view text) {
  std::vector<IdType> types;
  while (!text.empty()) {
    size_t end = text.find(';');
    std::string_view name = text.substr(0, end);
    if (!name.empty()) {
      auto type = ParseIdType(name);
      if (!type) return std::nullopt;
      types.push_back(*type);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return types;
}

IdType PreferredDocument(const std::vector<IdType>& held) {
  auto has = [&](IdType type) { return std::find(held.begin(), held.end(), type) != held.end(); };
  if (has(IdType::kHkMacaoResidencePermit)) return IdType::kHkMacaoResidencePermit;
  if (has(IdType::kTaiwanResidencePermit)) return IdType::kTaiwanResidencePermit;
  return held.empty() ? IdType::kResidentId : held.front();
}

}  // namespace sscard::domain
