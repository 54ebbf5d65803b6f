#include "storage/sql/sql_store.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "storage/sql/case_codec.h"
#include "storage/sql/migrations.h"
#include "storage/sql/sql_helpers.h"
#include "storage/sql/sql_audit.h"
#include "storage/sql/sql_credentials.h"
#include "storage/sql/sql_payments.h"

namespace sscard::storage::sql {

int64_t Row::Int(size_t column) const {
  if (const auto* value = std::get_if<int64_t>(&values[column])) return *value;
  if (const auto* text = std::get_if<std::string>(&values[column])) return std::stoll(*text);
  return 0;
}

std::string Row::Text(size_t column) const {
  if (const auto* text = std::get_if<std::string>(&values[column])) return *text;
  if (const auto* value = std::get_if<int64_t>(&values[column])) return std::to_string(*value);
  return {};
}

std::optional<int64_t> Row::OptionalInt(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

namespace {

using domain::AuditEntry;
using domain::Org;
using domain::Region;
using domain::Session;
using domain::StaffAccount;



std::string JoinRoles(const std::vector<domain::Role>& roles) {
  std::string joined;
  for (domain::Role role : roles) {
    if (!joined.empty()) joined += ",";
    joined += domain::RoleName(role);
  }
  return joined;
}

std::vector<domain::Role> SplitRoles(const std::string& joined) {
  std::vector<domain::Role> roles;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (auto role = domain::ParseRole(joined.substr(start, end - start))) roles.push_back(*role);
    start = end + 1;
  }
  return roles;
}

class SqlRegions final : public ports::RegionRepository {
 public:
  explicit SqlRegions(Connection& connection) : db_(connection) {}
  Result<std::optional<Region>> Find(const std::string& code) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT code, name, level, parent_code FROM regions "
                                          "WHERE code = ?",
                                          {code}));
    if (rows.empty()) return std::optional<Region>();
    return std::optional<Region>(FromRow(rows[0]));
  }
  Result<std::vector<Region>> Children(const std::string& parent_code) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT code, name, level, parent_code FROM regions "
                                          "WHERE parent_code = ? ORDER BY code",
                                          {parent_code}));
    std::vector<Region> regions;
    for (const Row& row : rows) regions.push_back(FromRow(row));
    return regions;
  }
  Result<int64_t> Count() override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT COUNT(*) FROM regions"));
    return rows[0].Int(0);
  }
  Status Upsert(const std::vector<Region>& regions) override {
    for (const Region& region : regions) {
      RETURN_IF_ERROR(db_.Execute(
          "INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
          "parent_code = excluded.parent_code",
          {region.code, region.name, std::string(domain::RegionLevelName(region.level)),
           region.parent_code}));
    }
    return Ok();
  }

 private:
  static Region FromRow(const Row& row) {
    return Region{row.Text(0), row.Text(1),
                  domain::ParseRegionLevel(row.Text(2)).value_or(domain::RegionLevel::kTown),
                  row.Text(3)};
  }
  Connection& db_;
};

constexpr const char* kOrgColumns =
    "code, name, level, type, region_code, pin_pad, instant_printer, service_point_id, "
    "address, bank_code, active, version";

class SqlOrgs final : public ports::OrgRepository {
 public:
  explicit SqlOrgs(Connection& connection) : db_(connection) {}
  Result<std::optional<Org>> Find(const std::string& code) override {
    static const std::string sql = fmt::format("SELECT {} FROM orgs WHERE code = ?", kOrgColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {code}));
    if (rows.empty()) return std::optional<Org>();
    return std::optional<Org>(FromRow(rows[0]));
  }
  Result<std::vector<Org>> ListUnder(const std::string& region_prefix) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM orgs WHERE region_code "
                                                      "LIKE ? ESCAPE '\\' ORDER BY code",
                                                      kOrgColumns),
                                          {LikePrefix(region_prefix)}));
    std::vector<Org> orgs;
    for (const Row& row : rows) orgs.push_back(FromRow(row));
    return orgs;
  }
  Status Insert(const Org& org) override {
    return db_
        .Execute(fmt::format("INSERT INTO orgs ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             kOrgColumns),
                 Params(org))
        .map([](int64_t) {});
  }
  Status Update(const Org& org) override {
    std::vector<Value> params = Params(org);
    params.erase(params.begin());  // code goes last
    params.push_back(org.code);
    params.push_back(org.version - 1);
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE orgs SET name = ?, level = ?, type = ?, region_code = ?, "
                                 "pin_pad = ?, instant_printer = ?, service_point_id = ?, "
                                 "address = ?, bank_code = ?, active = ?, version = ? "
                                 "WHERE code = ? AND version = ?",
                                 params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }

 private:
  static std::vector<Value> Params(const Org& org) {
    return {org.code,
            org.name,
            std::string(domain::OrgLevelName(org.level)),
            std::string(domain::OrgTypeName(org.type)),
            org.region_code,
            Bool(org.capabilities.pin_pad),
            Bool(org.capabilities.instant_printer),
            org.service_point_id,
            org.address,
            org.bank_code,
            Bool(org.active),
            org.version};
  }
  static Org FromRow(const Row& row) {
    Org org;
    org.code = row.Text(0);
    org.name = row.Text(1);
    org.level = domain::ParseOrgLevel(row.Text(2)).value_or(domain::OrgLevel::kTown);
    org.type = domain::ParseOrgType(row.Text(3)).value_or(domain::OrgType::kTownCentre);
    org.region_code = row.Text(4);
    org.capabilities.pin_pad = row.Int(5) != 0;
    org.capabilities.instant_printer = row.Int(6) != 0;
    org.service_point_id = row.Text(7);
    org.address = row.Text(8);
    org.bank_code = row.Text(9);
    org.active = row.Int(10) != 0;
    org.version = row.Int(11);
    return org;
  }
  Connection& db_;
};

constexpr const char* kStaffColumns =
    "username, name, org_code, roles, password_hash, failed_attempts, locked_until, disabled, "
    "created_at, version";

class SqlStaff final : public ports::StaffRepository {
 public:
  explicit SqlStaff(Connection& connection) : db_(connection) {}
  Result<std::optional<StaffAccount>> Find(const std::string& username) override {
    static const std::string sql = fmt::format("SELECT {} FROM staff WHERE username = ?", kStaffColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {username}));
    if (rows.empty()) return std::optional<StaffAccount>();
    return std::optional<StaffAccount>(FromRow(rows[0]));
  }
  Result<std::vector<StaffAccount>> List(const std::string& org_code_prefix) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM staff WHERE org_code "
                                                      "LIKE ? ESCAPE '\\' ORDER BY username",
                                                      kStaffColumns),
                                          {LikePrefix(org_code_prefix)}));
    std::vector<StaffAccount> accounts;
    for (const Row& row : rows) accounts.push_back(FromRow(row));
    return accounts;
  }
  Status Insert(const StaffAccount& account) override {
    return db_
        .Execute(fmt::format("INSERT INTO staff ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             kStaffColumns),
                 Params(account))
        .map([](int64_t) {});
  }
  Status Update(const StaffAccount& account) override {
    std::vector<Value> params = Params(account);
    params.erase(params.begin());
    params.push_back(account.username);
    params.push_back(account.version - 1);
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE staff SET name = ?, org_code = ?, roles = ?, "
                                 "password_hash = ?, failed_attempts = ?, locked_until = ?, "
                                 "disabled = ?, created_at = ?, version = ? "
                                 "WHERE username = ? AND version = ?",
                                 params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }

 private:
  static std::vector<Value> Params(const StaffAccount& account) {
    return {account.username,
            account.name,
            account.org_code,
            JoinRoles(account.roles),
            account.password_hash,
            int64_t{account.failed_attempts},
            account.locked_until ? Millis(*account.locked_until) : Value{},
            Bool(account.disabled),
            Millis(account.created_at),
            account.version};
  }
  static StaffAccount FromRow(const Row& row) {
    StaffAccount account;
    account.username = row.Text(0);
    account.name = row.Text(1);
    account.org_code = row.Text(2);
    account.roles = SplitRoles(row.Text(3));
    account.password_hash = row.Text(4);
    account.failed_attempts = static_cast<int>(row.Int(5));
    if (auto locked = row.OptionalInt(6)) account.locked_until = FromUnixMillis(*locked);
    account.disabled = row.Int(7) != 0;
    account.created_at = FromUnixMillis(row.Int(8));
    account.version = row.Int(9);
    return account;
  }
  Connection& db_;
};

class SqlSessions final : public ports::SessionRepository {
 public:
  explicit SqlSessions(Connection& connection) : db_(connection) {}
  Status Insert(const Session& session) override {
    return db_
        .Execute("INSERT INTO sessions (token_digest, username, created_at, last_seen_at, "
                 "expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?)",
                 {session.token_digest, session.username, Millis(session.created_at),
                  Millis(session.last_seen_at), Millis(session.expires_at),
                  Bool(session.revoked)})
        .map([](int64_t) {});
  }
  Result<std::optional<Session>> Find(const std::string& token_digest) override {
    ASSIGN_OR_RETURN(auto rows,
                     db_.Query("SELECT token_digest, username, created_at, last_seen_at, "
                               "expires_at, revoked FROM sessions WHERE token_digest = ?",
                               {token_digest}));
    if (rows.empty()) return std::optional<Session>();
    const Row& row = rows[0];
    return std::optional<Session>(Session{row.Text(0), row.Text(1), FromUnixMillis(row.Int(2)),
                                          FromUnixMillis(row.Int(3)), FromUnixMillis(row.Int(4)),
                                          row.Int(5) != 0});
  }
  Status Touch(const std::string& token_digest, TimePoint last_seen_at) override {
    return db_
        .Execute("UPDATE sessions SET last_seen_at = ? WHERE token_digest = ?",
                 {Millis(last_seen_at), token_digest})
        .map([](int64_t) {});
  }
  Status Revoke(const std::string& token_digest) override {
    return db_.Execute("UPDATE sessions SET revoked = 1 WHERE token_digest = ?", {token_digest})
        .map([](int64_t) {});
  }
  Result<int64_t> RevokeAll(const std::string& username) override {
    return db_.Execute("UPDATE sessions SET revoked = 1 WHERE username = ? AND revoked = 0",
                       {username});
  }

 private:
  Connection& db_;
};


class SqlSettings final : public ports::SettingRepository {
 public:
  explicit SqlSettings(Connection& connection) : db_(connection) {}
  Result<std::optional<std::string>> Get(const std::string& key) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT value FROM settings WHERE name = ?", {key}));
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0].Text(0));
  }
  Status Put(const std::string& key, const std::string& value) override {
    return db_
        .Execute("INSERT INTO settings (name, value) VALUES (?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                 {key, value})
        .map([](int64_t) {});
  }

 private:
  Connection& db_;
};

Value OptionalDate(const std::optional<Date>& date) {
  return date ? Value(FormatDate(*date)) : Value{};
}

std::optional<Date> DateOf(const Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return ParseDate(row.Text(column));
}

domain::Sex SexOf(const std::string& name) {
  return name == "male" ? domain::Sex::kMale : name == "female" ? domain::Sex::kFemale : domain::Sex::kUnknown;
}



constexpr const char* kPersonColumns =
    "id, lookup_key, id_type, id_number_sealed, name_sealed, sex, ethnicity, nationality, "
    "occupation, household_address_sealed, residence_address_sealed, phone_sealed, birth_date, "
    "id_valid_from, id_valid_to, photo_file_id, region_code, insured, alive, created_at, version, "
    "pension_bank_until";

class SqlPersons final : public ports::PersonRepository {
 public:
  SqlPersons(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}
  Result<std::optional<domain::Person>> FindById(const std::string& id) override {
    return FindWhere("id = ?", id);
  }
  Result<std::optional<domain::Person>> FindByIdNumber(const std::string& id_number) override {
    if (!sealer_) return Fail(NoSealer());
    return FindWhere("lookup_key = ?", sealer_->LookupKey(id_number));
  }
  Status Insert(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto params, Params(person));
    return db_
        .Execute(fmt::format("INSERT INTO persons ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             kPersonColumns),
                 params)
        .map([](int64_t) {});
  }
  Result<bool> InsertIfAbsent(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto params, Params(person));
    static const std::string sql = fmt::format("INSERT INTO persons ({}) VALUES ({}) ON CONFLICT (lookup_key) DO NOTHING",
                                               kPersonColumns, Placeholders(22));
    ASSIGN_OR_RETURN(int64_t inserted, db_.Execute(sql, params));
    return inserted == 1;
  }
  Status Update(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto params, Params(person));
    params.erase(params.begin());  // id goes last
    params.push_back(person.id);
    params.push_back(person.version - 1);
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE persons SET lookup_key = ?, id_type = ?, id_number_sealed = ?, "
                                 "name_sealed = ?, sex = ?, ethnicity = ?, nationality = ?, occupation = ?, "
                                 "household_address_sealed = ?, residence_address_sealed = ?, "
                                 "phone_sealed = ?, birth_date = ?, id_valid_from = ?, id_valid_to = ?, "
                                 "photo_file_id = ?, region_code = ?, insured = ?, alive = ?, "
                                 "created_at = ?, version = ?, pension_bank_until = ? WHERE id = ? AND version = ?",
                                 params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }

 private:
  Result<std::optional<domain::Person>> FindWhere(const char* condition, const std::string& value) {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM persons WHERE {}", kPersonColumns,
                                                      condition),
                                          {value}));
    if (rows.empty()) return std::optional<domain::Person>();
    const Row& row = rows[0];
    domain::Person person;
    person.id = row.Text(0);
    person.id_type = domain::ParseIdType(row.Text(2)).value_or(domain::IdType::kResidentId);
    auto open = [&](size_t column, const char* context) -> Result<std::string> {
      auto opened = sealer_->Open(row.Text(column), context);
      if (!opened) {
        return Fail(ErrorCode::kINTERNAL, "个人数据无法解密", std::string("cannot open ") + context);
      }
      return *opened;
    };
    ASSIGN_OR_RETURN(person.id_number, open(3, "person.id_number"));
    ASSIGN_OR_RETURN(person.name, open(4, "person.name"));
    person.sex = SexOf(row.Text(5));
    person.ethnicity = row.Text(6);
    person.nationality = row.Text(7);
    person.occupation = row.Text(8);
    ASSIGN_OR_RETURN(person.household_address, open(9, "person.household_address"));
    ASSIGN_OR_RETURN(person.residence_address, open(10, "person.residence_address"));
    ASSIGN_OR_RETURN(person.phone, open(11, "person.phone"));
    person.birth_date = DateOf(row, 12);
    person.id_valid_from = DateOf(row, 13);
    person.id_valid_to = DateOf(row, 14);
    person.photo_file_id = row.Text(15);
    person.region_code = row.Text(16);
    person.insured = row.Int(17) != 0;
    person.alive = row.Int(18) != 0;
    person.created_at = FromUnixMillis(row.Int(19));
    person.version = row.Int(20);
    person.pension_bank_until = DateOf(row, 21);
    return std::optional<domain::Person>(std::move(person));
  }

  Result<std::vector<Value>> Params(const domain::Person& person) {
    if (!sealer_) return Fail(NoSealer());
    return std::vector<Value>{person.id,
                              sealer_->LookupKey(person.id_number),
                              std::string(domain::IdTypeName(person.id_type)),
                              sealer_->Seal(person.id_number, "person.id_number"),
                              sealer_->Seal(person.name, "person.name"),
                              std::string(domain::SexName(person.sex)),
                              person.ethnicity,
                              person.nationality,
                              person.occupation,
                              sealer_->Seal(person.household_address, "person.household_address"),
                              sealer_->Seal(person.residence_address, "person.residence_address"),
                              sealer_->Seal(person.phone, "person.phone"),
                              OptionalDate(person.birth_date),
                              OptionalDate(person.id_valid_from),
                              OptionalDate(person.id_valid_to),
                              person.photo_file_id,
                              person.region_code,
                              Bool(person.insured),
                              Bool(person.alive),
                              Millis(person.created_at),
                              person.version,
                              OptionalDate(person.pension_bank_until)};
  }

  Connection& db_;
  const ports::Sealer* sealer_;
};

class SqlRegistry final : public ports::RegistryRepository {
 public:
  SqlRegistry(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}
  Result<std::optional<domain::RegistryEntry>> Find(const std::string& id_number) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT name_sealed, sex, birth_date, alive, region_code, phone_sealed, "
                                          "other_documents FROM population_registry WHERE lookup_key = ?",
                                          {sealer_->LookupKey(id_number)}));
    if (rows.empty()) return std::optional<domain::RegistryEntry>();
    auto name = sealer_->Open(rows[0].Text(0), "registry.name");
    if (!name) return Fail(ErrorCode::kINTERNAL, "人口库数据无法解密", "cannot open registry.name");
    std::string phone;
    if (!rows[0].Text(5).empty()) {
      auto opened = sealer_->Open(rows[0].Text(5), "registry.phone");
      if (!opened) return Fail(ErrorCode::kINTERNAL, "人口库数据无法解密", "cannot open registry.phone");
      phone = *opened;
    }
    return std::optional<domain::RegistryEntry>(domain::RegistryEntry{
        id_number, *name, SexOf(rows[0].Text(1)), DateOf(rows[0], 2), rows[0].Int(3) != 0, rows[0].Text(4), phone,
        domain::ParseIdTypeList(rows[0].Text(6)).value_or(std::vector<domain::IdType>{})});
  }
  Status Upsert(const std::vector<domain::RegistryEntry>& entries) override {
    if (!sealer_) return Fail(NoSealer());
    for (const auto& entry : entries) {
      RETURN_IF_ERROR(db_.Execute(
          "INSERT INTO population_registry (lookup_key, name_sealed, sex, birth_date, alive, region_code, "
          "phone_sealed, other_documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lookup_key) DO UPDATE SET "
          "name_sealed = excluded.name_sealed, sex = excluded.sex, birth_date = excluded.birth_date, "
          "alive = excluded.alive, region_code = excluded.region_code, phone_sealed = excluded.phone_sealed, "
          "other_documents = excluded.other_documents",
          {sealer_->LookupKey(entry.id_number), sealer_->Seal(entry.name, "registry.name"),
           std::string(domain::SexName(entry.sex)), OptionalDate(entry.birth_date), Bool(entry.alive),
           entry.region_code, entry.phone.empty() ? std::string() : sealer_->Seal(entry.phone, "registry.phone"),
           domain::JoinIdTypes(entry.other_documents)}));
    }
    return Ok();
  }
  Result<int64_t> Count() override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT COUNT(*) FROM population_registry"));
    return rows[0].Int(0);
  }
  Result<std::optional<domain::InsuredStatus>> FindInsured(const std::string& id_number) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT insured_open, as_of FROM insured_status WHERE lookup_key = ?",
                                          {sealer_->LookupKey(id_number)}));
    if (rows.empty()) return std::optional<domain::InsuredStatus>();
    auto as_of = DateOf(rows[0], 1);
    return std::optional<domain::InsuredStatus>(domain::InsuredStatus{id_number, rows[0].Int(0) != 0, as_of.value_or(Date{})});
  }
  Status UpsertInsured(const std::vector<domain::InsuredStatus>& rows) override {
    if (!sealer_) return Fail(NoSealer());
    for (const auto& row : rows) {
      // A row older than the one on file does not undo it.
      RETURN_IF_ERROR(db_.Execute("INSERT INTO insured_status (lookup_key, insured_open, as_of) VALUES (?, ?, ?) "
                                  "ON CONFLICT (lookup_key) DO UPDATE SET insured_open = excluded.insured_open, "
                                  "as_of = excluded.as_of WHERE insured_status.as_of <= excluded.as_of",
                                  {sealer_->LookupKey(row.id_number), Bool(row.open), FormatDate(row.as_of)}));
    }
    return Ok();
  }
  Result<std::optional<std::string>> FindPolicePhoto(const std::string& id_number) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT file_id FROM police_photos WHERE lookup_key = ?", {sealer_->LookupKey(id_number)}));
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0].Text(0));
  }
  Status PutPolicePhoto(const std::string& id_number, const std::string& file_id) override {
    if (!sealer_) return Fail(NoSealer());
    RETURN_IF_ERROR(db_.Execute("INSERT INTO police_photos (lookup_key, file_id) VALUES (?, ?) "
                                "ON CONFLICT (lookup_key) DO UPDATE SET file_id = excluded.file_id",
                                {sealer_->LookupKey(id_number), file_id}));
    return Ok();
  }

 private:
  Connection& db_;
  const ports::Sealer* sealer_;
};

class SqlPins final : public ports::PinRepository {
 public:
  explicit SqlPins(Connection& connection) : db_(connection) {}
  Result<std::optional<ports::PinRecord>> Find(const std::string& card_no) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT pin_hash, failures, locked, initial FROM pin_credentials "
                                          "WHERE card_no = ?",
                                          {card_no}));
    if (rows.empty()) return std::optional<ports::PinRecord>();
    return std::optional<ports::PinRecord>(ports::PinRecord{
        card_no, rows[0].Text(0), {static_cast<int>(rows[0].Int(1)), rows[0].Int(2) != 0},
        rows[0].Int(3) != 0});
  }
  Status Put(const std::string& card_no, const std::string& pin_hash, bool initial) override {
    return db_
        .Execute("INSERT INTO pin_credentials (card_no, pin_hash, failures, locked, initial) "
                 "VALUES (?, ?, 0, 0, ?) ON CONFLICT (card_no) DO UPDATE SET pin_hash = excluded.pin_hash, "
                 "failures = 0, locked = 0, initial = excluded.initial",
                 {card_no, pin_hash, Bool(initial)})
        .map([](int64_t) {});
  }
  Result<domain::PinState> RecordFailure(const std::string& card_no) override {
    // One statement: the count and the lock move together, whatever runs beside it.
    RETURN_IF_ERROR(db_.Execute(
        "UPDATE pin_credentials SET failures = failures + 1, "
        "locked = CASE WHEN failures + 1 >= ? THEN 1 ELSE 0 END "
        "WHERE card_no = ? AND locked = 0",
        {int64_t{domain::kPinMaxFailures}, card_no}));
    ASSIGN_OR_RETURN(auto record, Find(card_no));
    if (!record) return Fail(ErrorCode::kNOT_FOUND);
    return record->state;
  }
  Result<bool> RecordSuccess(const std::string& card_no) override {
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute("UPDATE pin_credentials SET failures = 0 "
                                                  "WHERE card_no = ? AND locked = 0",
                                                  {card_no}));
    if (changed == 1) return true;
    ASSIGN_OR_RETURN(auto record, Find(card_no));
    if (!record) return Fail(ErrorCode::kNOT_FOUND);
    return false;
  }

 private:
  Connection& db_;
};

constexpr const char* kCaseColumns =
    "case_no, item, operation, channel, status, person_id, applicant_sealed, agent_sealed, form_sealed, "
    "materials, delivery_sealed, opinion, accepting_org, reviewing_org, region_code, accepted_by, due_on, "
    "result, reason, rare_name, created_at, created_on, updated_at, version, suspended_on, card_no";

class SqlCases final : public ports::CaseRepository {
 public:
  SqlCases(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}

  Result<int> NextSerial(const std::string& region6, Date date) override {
    std::string day = FormatDate(date);
    RETURN_IF_ERROR(db_.Execute("INSERT INTO case_counters (region_code, day, last_serial) VALUES (?, ?, 0) "
                                "ON CONFLICT (region_code, day) DO NOTHING",
                                {region6, day}));
    RETURN_IF_ERROR(db_.Execute("UPDATE case_counters SET last_serial = last_serial + 1 "
                                "WHERE region_code = ? AND day = ?",
                                {region6, day}));
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT last_serial FROM case_counters WHERE region_code = ? AND day = ?",
                                          {region6, day}));
    return static_cast<int>(rows[0].Int(0));
  }

  Status Insert(const domain::Case& record) override {
    if (!sealer_) return Fail(NoSealer());
    RETURN_IF_ERROR(db_.Execute(fmt::format("INSERT INTO cases ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                            kCaseColumns),
                                Params(record)));
    return InsertSteps(record, 0);
  }

  Result<std::optional<domain::Case>> Find(const std::string& case_no) override {
    static const std::string sql = fmt::format("SELECT {} FROM cases WHERE case_no = ?", kCaseColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {case_no}));
    if (rows.empty()) return std::optional<domain::Case>();
    ASSIGN_OR_RETURN(domain::Case record, FromRow(rows[0]));
    ASSIGN_OR_RETURN(record.steps, Steps(case_no));
    return std::optional<domain::Case>(std::move(record));
  }

  Result<std::vector<domain::CaseStep>> Steps(const std::string& case_no) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT at, actor, org_code, action, note FROM case_steps "
                                          "WHERE case_no = ? ORDER BY seq",
                                          {case_no}));
    std::vector<domain::CaseStep> steps;
    for (const Row& step : rows) {
      steps.push_back({FromUnixMillis(step.Int(0)), step.Text(1), step.Text(2), step.Text(3), step.Text(4)});
    }
    return steps;
  }

  Status Update(const domain::Case& record) override {
    ASSIGN_OR_RETURN(auto stored_steps, db_.Query("SELECT COUNT(*) FROM case_steps WHERE case_no = ?",
                                                  {record.case_no}));
    ASSIGN_OR_RETURN(int64_t changed,
                     db_.Execute("UPDATE cases SET status = ?, reviewing_org = ?, due_on = ?, result = ?, "
                                 "reason = ?, suspended_on = ?, card_no = ?, updated_at = ?, version = ? "
                                 "WHERE case_no = ? AND version = ?",
                                 {std::string(domain::CaseStatusName(record.status)), record.reviewing_org,
                                  OptionalDate(record.due_on), record.result, record.reason,
                                  OptionalDate(record.suspended_on), record.card_no,
                                  Millis(record.updated_at), record.version, record.case_no, record.version - 1}));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return InsertSteps(record, static_cast<size_t>(stored_steps[0].Int(0)));
  }

  Result<std::vector<domain::Case>> List(const ports::CaseQuery& query) override {
    std::string sql = fmt::format("SELECT {} FROM cases WHERE region_code LIKE ? ESCAPE '\\' AND case_no > ?",
                                  kCaseColumns);
    std::vector<Value> params = {LikePrefix(query.region_prefix), query.after_case_no};
    auto add = [&](const char* condition, Value value) {
      sql += condition;
      params.push_back(std::move(value));
    };
    if (!query.status.empty()) add(" AND status = ?", query.status);
    if (!query.item.empty()) add(" AND item = ?", query.item);
    if (!query.accepting_org.empty()) add(" AND accepting_org = ?", query.accepting_org);
    if (!query.reviewing_org.empty()) add(" AND reviewing_org = ?", query.reviewing_org);
    if (!query.accepted_by.empty()) add(" AND accepted_by = ?", query.accepted_by);
    if (!query.person_id.empty()) add(" AND person_id = ?", query.person_id);
    if (query.open_only) sql += " AND status IN ('pending_review', 'suspended')";
    if (query.from) add(" AND created_on >= ?", FormatDate(*query.from));
    if (query.to) add(" AND created_on <= ?", FormatDate(*query.to));
    if (query.overdue_on) {
      add(" AND status IN ('pending_review', 'suspended') AND due_on < ?", FormatDate(*query.overdue_on));
    }
    add(" ORDER BY case_no LIMIT ?", int64_t{query.limit});
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, params));
    std::vector<domain::Case> cases;
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(domain::Case record, FromRow(row));
      cases.push_back(std::move(record));
    }
    return cases;
  }

 private:
  Status InsertSteps(const domain::Case& record, size_t from) {
    for (size_t index = from; index < record.steps.size(); ++index) {
      const domain::CaseStep& step = record.steps[index];
      RETURN_IF_ERROR(db_.Execute("INSERT INTO case_steps (case_no, seq, at, actor, org_code, action, note) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  {record.case_no, static_cast<int64_t>(index), Millis(step.at), step.actor,
                                   step.org_code, step.action, step.note}));
    }
    return Ok();
  }

  std::vector<Value> Params(const domain::Case& record) {
    return {record.case_no,
            record.item,
            record.operation,
            std::string(domain::ChannelName(record.channel)),
            std::string(domain::CaseStatusName(record.status)),
            record.person_id,
            sealer_->Seal(EncodeApplicant(record.applicant), "case.applicant"),
            sealer_->Seal(EncodeAgent(record.agent), "case.agent"),
            sealer_->Seal(EncodeForm(record.form), "case.form"),
            EncodeMaterials(record.materials),
            sealer_->Seal(EncodeDelivery(record.delivery), "case.delivery"),
            record.opinion,
            record.accepting_org,
            record.reviewing_org,
            record.region_code,
            record.accepted_by,
            OptionalDate(record.due_on),
            record.result,
            record.reason,
            Bool(record.rare_name),
            Millis(record.created_at),
            FormatDate(ChinaDate(record.created_at)),
            Millis(record.updated_at),
            record.version,
            OptionalDate(record.suspended_on),
            record.card_no};
  }

  Result<domain::Case> FromRow(const Row& row) {
    if (!sealer_) return Fail(NoSealer());
    auto open = [&](size_t column, const char* context) -> Result<std::string> {
      auto opened = sealer_->Open(row.Text(column), context);
      if (!opened) return Fail(ErrorCode::kINTERNAL, "办件数据无法解密", std::string("cannot open ") + context);
      return *opened;
    };
    domain::Case record;
    record.case_no = row.Text(0);
    record.item = row.Text(1);
    record.operation = row.Text(2);
    record.channel = domain::ParseChannel(row.Text(3)).value_or(domain::Channel::kWindow);
    record.status = domain::ParseCaseStatus(row.Text(4)).value_or(domain::CaseStatus::kPendingReview);
    record.person_id = row.Text(5);
    ASSIGN_OR_RETURN(std::string applicant, open(6, "case.applicant"));
    record.applicant = DecodeApplicant(applicant);
    ASSIGN_OR_RETURN(std::string agent, open(7, "case.agent"));
    record.agent = DecodeAgent(agent);
    ASSIGN_OR_RETURN(std::string form, open(8, "case.form"));
    record.form = DecodeForm(form);
    record.materials = DecodeMaterials(row.Text(9));
    ASSIGN_OR_RETURN(std::string delivery, open(10, "case.delivery"));
    record.delivery = DecodeDelivery(delivery);
    record.opinion = row.Text(11);
    record.accepting_org = row.Text(12);
    record.reviewing_org = row.Text(13);
    record.region_code = row.Text(14);
    record.accepted_by = row.Text(15);
    record.due_on = DateOf(row, 16);
    record.result = row.Text(17);
    record.reason = row.Text(18);
    record.rare_name = row.Int(19) != 0;
    record.created_at = FromUnixMillis(row.Int(20));
    record.updated_at = FromUnixMillis(row.Int(22));
    record.version = row.Int(23);
    record.suspended_on = DateOf(row, 24);
    record.card_no = row.Text(25);
    return record;
  }

  Connection& db_;
  const ports::Sealer* sealer_;
};

class SqlIdempotency final : public ports::IdempotencyRepository {
 public:
  explicit SqlIdempotency(Connection& connection) : db_(connection) {}
  Result<std::optional<ports::IdempotencyRecord>> Find(const std::string& key) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT request_digest, status, body, created_at FROM idempotency_keys "
                                          "WHERE idem_key = ?",
                                          {key}));
    if (rows.empty()) return std::optional<ports::IdempotencyRecord>();
    return std::optional<ports::IdempotencyRecord>(ports::IdempotencyRecord{
        key, rows[0].Text(0), static_cast<int>(rows[0].Int(1)), rows[0].Text(2), FromUnixMillis(rows[0].Int(3))});
  }
  Status Insert(const ports::IdempotencyRecord& record) override {
    return db_
        .Execute("INSERT INTO idempotency_keys (idem_key, request_digest, status, body, created_at) "
                 "VALUES (?, ?, ?, ?, ?)",
                 {record.key, record.request_digest, int64_t{record.status}, record.body, Millis(record.created_at)})
        .map([](int64_t) {});
  }

 private:
  Connection& db_;
};

class SqlBundles final : public ports::BundleRepository {
 public:
  explicit SqlBundles(Connection& connection) : db_(connection) {}
  Status Insert(const ports::BundleRecord& bundle) override {
    RETURN_IF_ERROR(db_.Execute("INSERT INTO bundles (bundle_no, region_code, person_id, org_code, created_by, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                {bundle.bundle_no, bundle.region_code, bundle.person_id, bundle.org_code,
                                 bundle.created_by, Millis(bundle.created_at)}));
    for (size_t index = 0; index < bundle.case_nos.size(); ++index) {
      RETURN_IF_ERROR(db_.Execute("INSERT INTO bundle_cases (bundle_no, seq, case_no) VALUES (?, ?, ?)",
                                  {bundle.bundle_no, static_cast<int64_t>(index), bundle.case_nos[index]}));
    }
    return Ok();
  }
  Result<std::optional<ports::BundleRecord>> Find(const std::string& bundle_no) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT region_code, person_id, org_code, created_by, created_at FROM bundles "
                                          "WHERE bundle_no = ?",
                                          {bundle_no}));
    if (rows.empty()) return std::optional<ports::BundleRecord>();
    ports::BundleRecord bundle{bundle_no, rows[0].Text(0), rows[0].Text(1), rows[0].Text(2), rows[0].Text(3),
                               FromUnixMillis(rows[0].Int(4)), {}};
    ASSIGN_OR_RETURN(auto cases, db_.Query("SELECT case_no FROM bundle_cases WHERE bundle_no = ? ORDER BY seq", {bundle_no}));
    for (const Row& row : cases) bundle.case_nos.push_back(row.Text(0));
    return std::optional<ports::BundleRecord>(std::move(bundle));
  }

 private:
  Connection& db_;
};

class SqlBookings final : public ports::BookingRepository {
 public:
  explicit SqlBookings(Connection& connection) : db_(connection) {}
  Status Insert(const domain::Booking& booking) override {
    static const std::string sql =
        fmt::format("INSERT INTO bookings ({}) VALUES ({})", kColumns, Placeholders(kColumnCount));
    return db_.Execute(sql, Params(booking)).map([](int64_t) {});
  }
  Result<std::optional<domain::Booking>> Find(const std::string& booking_no) override {
    static const std::string sql = fmt::format("SELECT {} FROM bookings WHERE booking_no = ?", kColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {booking_no}));
    if (rows.empty()) return std::optional<domain::Booking>();
    return std::optional<domain::Booking>(FromRow(rows[0]));
  }
  Status Update(const domain::Booking& booking) override {
    static const std::string sql =
        fmt::format("UPDATE bookings SET {} WHERE booking_no = ? AND version = ?", Assignments(kColumns));
    std::vector<Value> params = Params(booking);
    params.erase(params.begin());
    params.push_back(booking.booking_no);
    params.push_back(booking.version - 1);
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute(sql, params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }
  Result<std::vector<domain::Booking>> List(const std::string& region_prefix, const std::string& status,
                                            int limit) override {
    std::string sql = fmt::format("SELECT {} FROM bookings WHERE region_code LIKE ? ESCAPE '\\'", kColumns);
    std::vector<Value> params = {LikePrefix(region_prefix)};
    if (!status.empty()) {
      sql += " AND status = ?";
      params.push_back(status);
    }
    sql += " ORDER BY booking_no LIMIT ?";
    params.push_back(int64_t{limit});
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, params));
    std::vector<domain::Booking> bookings;
    for (const Row& row : rows) bookings.push_back(FromRow(row));
    return bookings;
  }

 private:
  static constexpr const char* kColumns =
      "booking_no, person_id, region_code, org_code, reason, item, preferred_on, status, scheduled_on, "
      "handled_by, case_no, note, created_at, version";
  static constexpr int kColumnCount = 14;
  static std::vector<Value> Params(const domain::Booking& booking) {
    return {booking.booking_no, booking.person_id, booking.region_code, booking.org_code,
            std::string(domain::BookingReasonName(booking.reason)), booking.item, FormatDate(booking.preferred_on),
            std::string(domain::BookingStatusName(booking.status)), OptionalDate(booking.scheduled_on),
            booking.handled_by, booking.case_no, booking.note, Millis(booking.created_at), booking.version};
  }
  static domain::Booking FromRow(const Row& row) {
    domain::Booking booking;
    booking.booking_no = row.Text(0);
    booking.person_id = row.Text(1);
    booking.region_code = row.Text(2);
    booking.org_code = row.Text(3);
    booking.reason = domain::ParseBookingReason(row.Text(4)).value_or(domain::BookingReason::kAdvancedAge);
    booking.item = row.Text(5);
    booking.preferred_on = ParseDate(row.Text(6)).value_or(Date{});
    booking.status = domain::ParseBookingStatus(row.Text(7)).value_or(domain::BookingStatus::kRequested);
    booking.scheduled_on = DateOf(row, 8);
    booking.handled_by = row.Text(9);
    booking.case_no = row.Text(10);
    booking.note = row.Text(11);
    booking.created_at = FromUnixMillis(row.Int(12));
    booking.version = row.Int(13);
    return booking;
  }
  Connection& db_;
};

class SqlCitizens final : public ports::CitizenRepository {
 public:
  SqlCitizens(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}
  Result<std::optional<domain::CitizenAccount>> FindById(const std::string& id) override {
    return FindWhere("id = ?", id);
  }
  Result<std::optional<domain::CitizenAccount>> FindByIdNumber(const std::string& id_number) override {
    if (!sealer_) return Fail(NoSealer());
    return FindWhere("id_lookup = ?", sealer_->LookupKey(id_number));
  }
  Result<std::optional<domain::CitizenAccount>> FindByPhone(const std::string& phone) override {
    if (!sealer_) return Fail(NoSealer());
    return FindWhere("phone_lookup = ?", sealer_->LookupKey("phone:" + phone));
  }
  Status Insert(const domain::CitizenAccount& account) override {
    if (!sealer_) return Fail(NoSealer());
    static const std::string sql =
        fmt::format("INSERT INTO citizens ({}) VALUES ({})", kColumns, Placeholders(kColumnCount));
    return db_.Execute(sql, Params(account)).map([](int64_t) {});
  }
  Status Update(const domain::CitizenAccount& account) override {
    if (!sealer_) return Fail(NoSealer());
    static const std::string sql =
        fmt::format("UPDATE citizens SET {} WHERE id = ? AND version = ?", Assignments(kColumns));
    std::vector<Value> params = Params(account);
    params.erase(params.begin());
    params.push_back(account.id);
    params.push_back(account.version - 1);
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute(sql, params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }
  Status PutCode(const std::string& phone, domain::CodePurpose purpose, const domain::OneTimeCode& code) override {
    if (!sealer_) return Fail(NoSealer());
    return db_
        .Execute("INSERT INTO one_time_codes (code_key, code_digest, sent_at, expires_at, attempts, used) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code_key) DO UPDATE SET code_digest = excluded.code_digest, "
                 "sent_at = excluded.sent_at, expires_at = excluded.expires_at, attempts = excluded.attempts, "
                 "used = excluded.used",
                 {CodeKey(phone, purpose), code.code_digest, Millis(code.sent_at), Millis(code.expires_at),
                  int64_t{code.attempts}, Bool(code.used)})
        .map([](int64_t) {});
  }
  Result<std::optional<domain::OneTimeCode>> FindCode(const std::string& phone, domain::CodePurpose purpose) override {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT code_digest, sent_at, expires_at, attempts, used FROM one_time_codes "
                                          "WHERE code_key = ?",
                                          {CodeKey(phone, purpose)}));
    if (rows.empty()) return std::optional<domain::OneTimeCode>();
    return std::optional<domain::OneTimeCode>(domain::OneTimeCode{rows[0].Text(0), FromUnixMillis(rows[0].Int(1)),
                                                                  FromUnixMillis(rows[0].Int(2)),
                                                                  static_cast<int>(rows[0].Int(3)), rows[0].Int(4) != 0});
  }
  Status SetRevoked(const std::string& person_id, const std::string& partner_org, bool revoked, TimePoint at) override {
    if (!revoked) {
      return db_.Execute("DELETE FROM consent_revocations WHERE person_id = ? AND partner_org = ?", {person_id, partner_org})
          .map([](int64_t) {});
    }
    return db_
        .Execute("INSERT INTO consent_revocations (person_id, partner_org, revoked_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (person_id, partner_org) DO NOTHING",
                 {person_id, partner_org, Millis(at)})
        .map([](int64_t) {});
  }
  Result<std::vector<std::string>> RevokedPartners(const std::string& person_id) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT partner_org FROM consent_revocations WHERE person_id = ? "
                                          "ORDER BY partner_org",
                                          {person_id}));
    std::vector<std::string> partners;
    for (const Row& row : rows) partners.push_back(row.Text(0));
    return partners;
  }

 private:
  static constexpr const char* kColumns =
      "id, person_id, id_lookup, phone_lookup, id_type, id_number_sealed, name_sealed, phone_sealed, "
      "password_hash, failed_attempts, locked_until, created_at, version";
  static constexpr int kColumnCount = 13;
  std::string CodeKey(const std::string& phone, domain::CodePurpose purpose) const {
    return std::string(domain::CodePurposeName(purpose)) + ":" + sealer_->LookupKey("phone:" + phone);
  }
  std::vector<Value> Params(const domain::CitizenAccount& account) const {
    return {account.id,
            account.person_id,
            sealer_->LookupKey(account.id_number),
            sealer_->LookupKey("phone:" + account.phone),
            std::string(domain::IdTypeName(account.id_type)),
            sealer_->Seal(account.id_number, "citizen.id_number"),
            sealer_->Seal(account.name, "citizen.name"),
            sealer_->Seal(account.phone, "citizen.phone"),
            account.password_hash,
            int64_t{account.failed_attempts},
            account.locked_until ? Millis(*account.locked_until) : Value{},
            Millis(account.created_at),
            account.version};
  }
  Result<std::optional<domain::CitizenAccount>> FindWhere(const std::string& condition, const std::string& value) {
    if (!sealer_) return Fail(NoSealer());
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM citizens WHERE {}", kColumns, condition), {value}));
    if (rows.empty()) return std::optional<domain::CitizenAccount>();
    const Row& row = rows[0];
    domain::CitizenAccount account;
    account.id = row.Text(0);
    account.person_id = row.Text(1);
    account.id_type = domain::ParseIdType(row.Text(4)).value_or(domain::IdType::kResidentId);
    auto id_number = sealer_->Open(row.Text(5), "citizen.id_number");
    auto name = sealer_->Open(row.Text(6), "citizen.name");
    auto phone = sealer_->Open(row.Text(7), "citizen.phone");
    if (!id_number || !name || !phone) return Fail(ErrorCode::kINTERNAL, "账户数据无法解密", "cannot open a citizen account");
    account.id_number = *id_number;
    account.name = *name;
    account.phone = *phone;
    account.password_hash = row.Text(8);
    account.failed_attempts = static_cast<int>(row.Int(9));
    if (auto locked = row.OptionalInt(10)) account.locked_until = FromUnixMillis(*locked);
    account.created_at = FromUnixMillis(row.Int(11));
    account.version = row.Int(12);
    return std::optional<domain::CitizenAccount>(std::move(account));
  }
  Connection& db_;
  const ports::Sealer* sealer_;
};

class SqlFiles final : public ports::FileRepository {
 public:
  SqlFiles(Connection& connection, const ports::Sealer* sealer) : db_(connection), sealer_(sealer) {}
  Status Put(const ports::StoredFile& file) override {
    if (!sealer_) return Fail(NoSealer());
    // The content is sealed (ID card images are personal data); sealed text is base64.
    return db_
        .Execute("INSERT INTO files (file_id, content_type, bytes, org_code, uploaded_by, created_at, content_sealed) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_id) DO NOTHING",
                 {file.file_id, file.content_type, file.bytes, file.org_code, file.uploaded_by,
                  Millis(file.created_at), sealer_->Seal(file.content, "file.content")})
        .map([](int64_t) {});
  }
  Result<std::optional<ports::StoredFile>> Find(const std::string& file_id, bool with_content) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query(with_content
                                              ? "SELECT content_type, bytes, org_code, uploaded_by, created_at, "
                                                "content_sealed FROM files WHERE file_id = ?"
                                              : "SELECT content_type, bytes, org_code, uploaded_by, created_at "
                                                "FROM files WHERE file_id = ?",
                                          {file_id}));
    if (rows.empty()) return std::optional<ports::StoredFile>();
    ports::StoredFile file{file_id, rows[0].Text(0), rows[0].Int(1), rows[0].Text(2), rows[0].Text(3),
                           FromUnixMillis(rows[0].Int(4)), ""};
    if (with_content) {
      if (!sealer_) return Fail(NoSealer());
      auto content = sealer_->Open(rows[0].Text(5), "file.content");
      if (!content) return Fail(ErrorCode::kINTERNAL, "文件无法解密", "cannot open file.content");
      file.content = std::move(*content);
    }
    return std::optional<ports::StoredFile>(std::move(file));
  }

 private:
  Connection& db_;
  const ports::Sealer* sealer_;
};

class SqlOutbox final : public ports::OutboxRepository {
 public:
  explicit SqlOutbox(Connection& connection) : db_(connection) {}
  Status Enqueue(const ports::OutboxMessage& m) override {
    return db_
        .Execute("INSERT INTO outbox (id, kind, case_no, person_id, text, attempts, next_attempt_at, sent_at, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                 {m.id, m.kind, m.case_no, m.person_id, m.text, int64_t{m.attempts}, Millis(m.next_attempt_at),
                  Millis(m.created_at)})
        .map([](int64_t) {});
  }
  Result<std::vector<ports::OutboxMessage>> Due(TimePoint now, int limit) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT id, kind, case_no, person_id, text, attempts, next_attempt_at, "
                                          "created_at FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
                                          "ORDER BY id LIMIT ?",
                                          {Millis(now), int64_t{limit}}));
    std::vector<ports::OutboxMessage> due;
    for (const Row& row : rows) {
      due.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), static_cast<int>(row.Int(5)),
                     FromUnixMillis(row.Int(6)), std::nullopt, FromUnixMillis(row.Int(7))});
    }
    return due;
  }
  Status MarkSent(const std::string& id, TimePoint at) override {
    return db_.Execute("UPDATE outbox SET sent_at = ? WHERE id = ?", {Millis(at), id}).map([](int64_t) {});
  }
  Status MarkFailed(const std::string& id, int attempts, TimePoint next_attempt_at) override {
    return db_.Execute("UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                       {int64_t{attempts}, Millis(next_attempt_at), id})
        .map([](int64_t) {});
  }
  Result<std::vector<ports::OutboxMessage>> ListForPerson(const std::string& person_id, int limit) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT id, kind, case_no, person_id, text, attempts, next_attempt_at, "
                                          "created_at, sent_at FROM outbox WHERE person_id = ? ORDER BY id DESC LIMIT ?",
                                          {person_id, int64_t{limit}}));
    std::vector<ports::OutboxMessage> messages;
    for (const Row& row : rows) {
      std::optional<TimePoint> sent;
      if (auto at = row.OptionalInt(8)) sent = FromUnixMillis(*at);
      messages.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                          static_cast<int>(row.Int(5)), FromUnixMillis(row.Int(6)), sent, FromUnixMillis(row.Int(7))});
    }
    return messages;
  }

 private:
  Connection& db_;
};

constexpr const char* kCardColumns =
    "card_no, person_id, status, bank_code, bank_account, production_mode, case_no, org_code, region_code, "
    "issued_on, expires_on, activated, replacement_applied, created_at, version, batch_no, delivery, "
    "tracking_no, produced_on, stocked_on, replaces, ecard_no, photo_due_on, notice";
constexpr int kCardColumnCount = 24;



class SqlCards final : public ports::CardRepository {
 public:
  explicit SqlCards(Connection& connection) : db_(connection) {}
  Result<int64_t> NextSerial(const std::string& province2) override {
    RETURN_IF_ERROR(db_.Execute("INSERT INTO card_counters (province, last_serial) VALUES (?, 0) "
                                "ON CONFLICT (province) DO NOTHING",
                                {province2}));
    RETURN_IF_ERROR(db_.Execute("UPDATE card_counters SET last_serial = last_serial + 1 WHERE province = ?",
                                {province2}));
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT last_serial FROM card_counters WHERE province = ?", {province2}));
    return rows[0].Int(0);
  }
  Status Insert(const domain::Card& card) override {
    return db_
        .Execute(fmt::format("INSERT INTO cards ({}) VALUES ({})", kCardColumns, Placeholders(kCardColumnCount)),
                 Params(card))
        .map([](int64_t) {});
  }
  Result<std::optional<domain::Card>> Find(const std::string& card_no) override {
    static const std::string sql = fmt::format("SELECT {} FROM cards WHERE card_no = ?", kCardColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {card_no}));
    if (rows.empty()) return std::optional<domain::Card>();
    return std::optional<domain::Card>(FromRow(rows[0]));
  }
  Result<std::vector<domain::Card>> ListByPerson(const std::string& person_id) override {
    static const std::string sql =
        fmt::format("SELECT {} FROM cards WHERE person_id = ? ORDER BY card_no DESC", kCardColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql, {person_id}));
    std::vector<domain::Card> cards;
    for (const Row& row : rows) cards.push_back(FromRow(row));
    return cards;
  }
  Status Update(const domain::Card& card) override {
    std::vector<Value> params = Params(card);
    params.erase(params.begin());
    params.push_back(card.card_no);
    params.push_back(card.version - 1);
    static const std::string sql =
        fmt::format("UPDATE cards SET {} WHERE card_no = ? AND version = ?", Assignments(kCardColumns));
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute(sql, params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }
  Result<std::vector<domain::Card>> List(const ports::CardQuery& query) override {
    std::string where = "1 = 1";
    std::vector<Value> params;
    if (!query.statuses.empty()) {
      where += " AND status IN (" + Placeholders(static_cast<int>(query.statuses.size())) + ")";
      for (auto status : query.statuses) params.emplace_back(std::string(domain::CardStatusName(status)));
    }
    auto equal = [&](const char* column, const std::string& value) {
      if (value.empty()) return;
      where += fmt::format(" AND {} = ?", column);
      params.emplace_back(value);
    };
    equal("production_mode", query.production_mode);
    equal("batch_no", query.batch_no);
    equal("org_code", query.org_code);
    equal("person_id", query.person_id);
    if (!query.region_prefix.empty()) {
      where += " AND region_code LIKE ?";
      params.emplace_back(query.region_prefix + "%");
    }
    auto before = [&](const char* column, const std::optional<Date>& day, const char* op) {
      if (!day) return;
      where += fmt::format(" AND {} IS NOT NULL AND {} {} ?", column, column, op);
      params.emplace_back(FormatDate(*day));
    };
    before("stocked_on", query.stocked_before, "<");
    before("produced_on", query.produced_before, "<");
    before("expires_on", query.expires_before, "<");
    before("photo_due_on", query.photo_due_by, "<=");
    if (!query.notice_not.empty()) {
      where += " AND notice <> ?";
      params.emplace_back(query.notice_not);
    }
    if (!query.after_card_no.empty()) {
      where += " AND card_no > ?";
      params.emplace_back(query.after_card_no);
    }
    params.emplace_back(int64_t{query.limit});
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM cards WHERE {} ORDER BY card_no LIMIT ?",
                                                      kCardColumns, where),
                                          params));
    std::vector<domain::Card> cards;
    for (const Row& row : rows) cards.push_back(FromRow(row));
    return cards;
  }
  Status Log(const domain::CardLogEntry& entry) override {
    return db_
        .Execute("INSERT INTO card_log (card_no, seq, at, actor, org_code, event, note) "
                 "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM card_log WHERE card_no = ?",
                 {entry.card_no, Millis(entry.at), entry.actor, entry.org_code, entry.event, entry.note,
                  entry.card_no})
        .map([](int64_t) {});
  }
  Result<std::vector<domain::CardLogEntry>> History(const std::string& card_no) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT card_no, at, actor, org_code, event, note FROM card_log "
                                          "WHERE card_no = ? ORDER BY seq",
                                          {card_no}));
    std::vector<domain::CardLogEntry> entries;
    for (const Row& row : rows) {
      entries.push_back({row.Text(0), FromUnixMillis(row.Int(1)), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
    }
    return entries;
  }

 private:
  static std::vector<Value> Params(const domain::Card& card) {
    return {card.card_no,
            card.person_id,
            std::string(domain::CardStatusName(card.status)),
            card.bank_code,
            std::string(domain::BankAccountStatusName(card.bank_account)),
            card.production_mode,
            card.case_no,
            card.org_code,
            card.region_code,
            OptionalDate(card.issued_on),
            OptionalDate(card.expires_on),
            Bool(card.activated),
            Bool(card.replacement_applied),
            Millis(card.created_at),
            card.version,
            card.batch_no,
            card.delivery,
            card.tracking_no,
            OptionalDate(card.produced_on),
            OptionalDate(card.stocked_on),
            card.replaces,
            card.ecard_no,
            OptionalDate(card.photo_due_on),
            card.notice};
  }
  static domain::Card FromRow(const Row& row) {
    domain::Card card;
    card.card_no = row.Text(0);
    card.person_id = row.Text(1);
    card.status = domain::ParseCardStatus(row.Text(2)).value_or(domain::CardStatus::kApproved);
    card.bank_code = row.Text(3);
    card.bank_account = domain::ParseBankAccountStatus(row.Text(4)).value_or(domain::BankAccountStatus::kNotActivated);
    card.production_mode = row.Text(5);
    card.case_no = row.Text(6);
    card.org_code = row.Text(7);
    card.region_code = row.Text(8);
    card.issued_on = DateOf(row, 9);
    card.expires_on = DateOf(row, 10);
    card.activated = row.Int(11) != 0;
    card.replacement_applied = row.Int(12) != 0;
    card.created_at = FromUnixMillis(row.Int(13));
    card.version = row.Int(14);
    card.batch_no = row.Text(15);
    card.delivery = row.Text(16);
    card.tracking_no = row.Text(17);
    card.produced_on = DateOf(row, 18);
    card.stocked_on = DateOf(row, 19);
    card.replaces = row.Text(20);
    card.ecard_no = row.Text(21);
    card.photo_due_on = DateOf(row, 22);
    card.notice = row.Text(23);
    return card;
  }
  Connection& db_;
};

constexpr const char* kBatchColumns =
    "batch_no, mode, status, created_by, org_code, created_at, due_on, size, produced, failed, version";

class SqlBatches final : public ports::BatchRepository {
 public:
  explicit SqlBatches(Connection& connection) : db_(connection) {}
  Result<int> CountOn(Date day) override {
    ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT COUNT(*) FROM batches WHERE batch_no LIKE ?",
                                          {domain::FormatBatchNo(day, 0).substr(0, 9) + "%"}));
    return static_cast<int>(rows[0].Int(0));
  }
  Status Insert(const domain::Batch& batch) override {
    return db_
        .Execute(fmt::format("INSERT INTO batches ({}) VALUES ({})", kBatchColumns, Placeholders(11)), Params(batch))
        .map([](int64_t) {});
  }
  Result<std::optional<domain::Batch>> Find(const std::string& batch_no) override {
    static const std::string sql = fmt::format("SELECT {} FROM batches WHERE batch_no = ?", kBatchColumns);
    ASSIGN_OR_RETURN(auto rows, db_.Query(sql,
                                          {batch_no}));
    if (rows.empty()) return std::optional<domain::Batch>();
    return std::optional<domain::Batch>(FromRow(rows[0]));
  }
  Status Update(const domain::Batch& batch) override {
    std::vector<Value> params = Params(batch);
    params.erase(params.begin());
    params.push_back(batch.batch_no);
    params.push_back(batch.version - 1);
    static const std::string sql =
        fmt::format("UPDATE batches SET {} WHERE batch_no = ? AND version = ?", Assignments(kBatchColumns));
    ASSIGN_OR_RETURN(int64_t changed, db_.Execute(sql, params));
    if (changed != 1) return Fail(ErrorCode::kCONFLICT);
    return Ok();
  }
  Result<std::vector<domain::Batch>> List(const ports::BatchQuery& query) override {
    std::string where = "batch_no > ?";
    std::vector<Value> params{query.after_batch_no};
    if (!query.status.empty()) {
      where += " AND status = ?";
      params.emplace_back(query.status);
    }
    if (query.due_before) {
      where += " AND status = 'open' AND due_on < ?";
      params.emplace_back(FormatDate(*query.due_before));
    }
    params.emplace_back(int64_t{query.limit});
    ASSIGN_OR_RETURN(auto rows, db_.Query(fmt::format("SELECT {} FROM batches WHERE {} ORDER BY batch_no LIMIT ?",
                                                      kBatchColumns, where),
                                          params));
    std::vector<domain::Batch> batches;
    for (const Row& row : rows) batches.push_back(FromRow(row));
    return batches;
  }

 private:
  static std::vector<Value> Params(const domain::Batch& batch) {
    return {batch.batch_no,   batch.mode,          std::string(domain::BatchStatusName(batch.status)),
            batch.created_by, batch.org_code,      Millis(batch.created_at),
            FormatDate(batch.due_on), int64_t{batch.size}, int64_t{batch.produced},
            int64_t{batch.failed},    batch.version};
  }
  static domain::Batch FromRow(const Row& row) {
    domain::Batch batch;
    batch.batch_no = row.Text(0);
    batch.mode = row.Text(1);
    batch.status = domain::ParseBatchStatus(row.Text(2)).value_or(domain::BatchStatus::kOpen);
    batch.created_by = row.Text(3);
    batch.org_code = row.Text(4);
    batch.created_at = FromUnixMillis(row.Int(5));
    batch.due_on = ParseDate(row.Text(6)).value_or(Date{});
    batch.size = static_cast<int>(row.Int(7));
    batch.produced = static_cast<int>(row.Int(8));
    batch.failed = static_cast<int>(row.Int(9));
    batch.version = row.Int(10);
    return batch;
  }
  Connection& db_;
};

class SqlTx final : public ports::Tx {
 public:
  SqlTx(Connection& connection, const ports::Sealer* sealer)
      : regions_(connection), orgs_(connection), staff_(connection), sessions_(connection),
        audit_(MakeSqlAudit(connection, sealer)), settings_(connection), persons_(connection, sealer),
        registry_(connection, sealer), pins_(connection), cases_(connection, sealer),
        idempotency_(connection), files_(connection, sealer), outbox_(connection), cards_(connection), batches_(connection),
        bundles_(connection), bookings_(connection), citizens_(connection, sealer),
        payments_(MakeSqlPayments(connection, sealer)), credentials_(MakeSqlCredentials(connection, sealer)) {}
  ports::RegionRepository& regions() override { return regions_; }
  ports::OrgRepository& orgs() override { return orgs_; }
  ports::StaffRepository& staff() override { return staff_; }
  ports::SessionRepository& sessions() override { return sessions_; }
  ports::AuditRepository& audit() override { return *audit_; }
  ports::SettingRepository& settings() override { return settings_; }
  ports::PersonRepository& persons() override { return persons_; }
  ports::RegistryRepository& registry() override { return registry_; }
  ports::PinRepository& pins() override { return pins_; }
  ports::CaseRepository& cases() override { return cases_; }
  ports::IdempotencyRepository& idempotency() override { return idempotency_; }
  ports::FileRepository& files() override { return files_; }
  ports::OutboxRepository& outbox() override { return outbox_; }
  ports::CardRepository& cards() override { return cards_; }
  ports::BatchRepository& batches() override { return batches_; }
  ports::BundleRepository& bundles() override { return bundles_; }
  ports::BookingRepository& bookings() override { return bookings_; }
  ports::CitizenRepository& citizens() override { return citizens_; }
  ports::PaymentRepository& payments() override { return *payments_; }
  ports::CredentialRepository& credentials() override { return *credentials_; }

 private:
  SqlRegions regions_;
  SqlOrgs orgs_;
  SqlStaff staff_;
  SqlSessions sessions_;
  std::unique_ptr<ports::AuditRepository> audit_;
  SqlSettings settings_;
  SqlPersons persons_;
  SqlRegistry registry_;
  SqlPins pins_;
  SqlCases cases_;
  SqlIdempotency idempotency_;
  SqlFiles files_;
  SqlOutbox outbox_;
  SqlCards cards_;
  SqlBatches batches_;
  SqlBundles bundles_;
  SqlBookings bookings_;
  SqlCitizens citizens_;
  std::unique_ptr<ports::PaymentRepository> payments_;
  std::unique_ptr<ports::CredentialRepository> credentials_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> SqlStore::Open(ConnectionFactory factory,
                                                 SqlStoreOptions options) {
  std::vector<std::unique_ptr<Connection>> connections;
  for (int index = 0; index < std::max(1, options.pool_size); ++index) {
    ASSIGN_OR_RETURN(auto connection, factory());
    connections.push_back(std::move(connection));
  }
  return std::unique_ptr<SqlStore>(new SqlStore(std::move(options), std::move(connections)));
}

SqlStore::SqlStore(SqlStoreOptions options, std::vector<std::unique_ptr<Connection>> connections)
    : options_(std::move(options)), idle_(std::move(connections)) {}

SqlStore::Lease::Lease(SqlStore& store) : store_(store), connection_(store.Acquire()) {}
SqlStore::Lease::~Lease() { store_.Release(std::move(connection_)); }

std::unique_ptr<Connection> SqlStore::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void SqlStore::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

Status SqlStore::Run(ports::TxMode mode, const std::function<Status(ports::Tx&)>& body) {
  Lease lease(*this);
  Connection* connection = &lease.get();

  const char* mode_name = mode == ports::TxMode::kRead ? "read" : mode == ports::TxMode::kWrite ? "write" : "trial";
  bool commit = mode != ports::TxMode::kTrial;
  Status status = Ok();
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    auto started = std::chrono::steady_clock::now();
    status = connection->Begin(commit ? mode : ports::TxMode::kWrite);
    if (status) {
      SqlTx tx(*connection, options_.sealer);
      status = body(tx);
      if (status && commit) {
        status = connection->Commit();
        if (!status) (void)connection->Rollback();
      } else {
        (void)connection->Rollback();
      }
    }
    if (options_.metrics) {
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      options_.metrics->ObserveTransaction(mode_name, status ? "commit" : "rollback", seconds);
    }
    if (status || status.error().code != ErrorCode::kTRANSACTION_CONFLICT) break;
    // Exponential backoff with full jitter (capped at 16 ms), so that transactions that
    // collided on a hot row (a case-number counter) spread out instead of colliding again.
    int ceiling = 250 << std::min(attempt, 6);
    std::this_thread::sleep_for(std::chrono::microseconds(ceiling / 4 + std::rand() % ceiling));
  }
  return status;
}

Result<int> SqlStore::SchemaVersion() {
  Lease lease(*this);
  Connection* connection = &lease.get();
  RETURN_IF_ERROR(connection->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  ASSIGN_OR_RETURN(auto rows,
                   connection->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(rows[0].Int(0));
}

Result<int> SqlStore::Migrate() {
  ASSIGN_OR_RETURN(int current, SchemaVersion());
  Lease lease(*this);
  Connection* connection = &lease.get();
  int applied = 0;
  for (const Migration& migration : AllMigrations()) {
    if (migration.version <= current) continue;
    RETURN_IF_ERROR(connection->Begin(ports::TxMode::kWrite));
    Status status = connection->ExecuteScript(AdaptForDialect(migration.script,
                                                              connection->dialect()));
    if (status) {
      status = connection->Execute(
                             "INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES (?, ?, ?)",
                             {int64_t{migration.version}, migration.name,
                              ToUnixMillis(std::chrono::system_clock::now())})
                   .map([](int64_t) {});
    }
    if (status) status = connection->Commit();
    if (!status) {
      (void)connection->Rollback();
      return Fail(MakeError(ErrorCode::kINTERNAL,
                            fmt::format("数据库迁移 {} 失败", migration.version),
                            fmt::format("migration {} ({}) failed: {}", migration.version,
                                        migration.name, status.error().detail.en)));
    }
    ++applied;
  }
  return applied;
}

Status SqlStore::Ping() {
  Lease lease(*this);
  Connection* connection = &lease.get();
  return connection->Query("SELECT 1").map([](auto&&) {});
}

}  // namespace sscard::storage::sql
