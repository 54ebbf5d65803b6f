// One contract for every Store implementation: the same suite runs on the in-memory store,
// on SQLite, and on every URL of SSCARD_TEST_DB_URLS (PostgreSQL in `make test`).

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <atomic>
#include <random>
#include <thread>

#include <fstream>
#include <sstream>

#include "app/pin_service.h"
#include "storage/postgres/postgres_connection.h"
#include "storage/sql/sql_audit.h"
#include "storage/sqlite/sqlite_connection.h"
#include "infra/key_sealer.h"
#include "storage/open_store.h"
#include "test_support.h"

namespace sscard {
namespace {

using domain::AuditEntry;
using domain::Org;
using domain::Region;
using domain::StaffAccount;
using ports::Tx;
using ports::TxMode;

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::FreshDatabaseUrl(GetParam(), dir_);
    const std::string& url = url_;
    if (url.empty()) GTEST_SKIP() << "no PostgreSQL cluster (scripts/test.sh starts one)";
    storage::StoreOptions options;
    options.sealer = &sealer_;
    auto opened = storage::OpenStore(url, options);
    ASSERT_TRUE(opened) << opened.error().detail.en;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(Write([](Tx& tx) {
      return tx.regions().Upsert({{"420000", "湖北省", domain::RegionLevel::kProvince, ""},
                                  {"420100", "武汉市", domain::RegionLevel::kCity, "420000"},
                                  {"420115", "江夏区", domain::RegionLevel::kCounty, "420100"},
                                  {"420116", "黄陂区", domain::RegionLevel::kCounty, "420100"},
                                  {"420115001", "纸坊街道", domain::RegionLevel::kTown, "420115"}});
    }));
  }

  Status Write(const std::function<Status(Tx&)>& body) { return store_->Run(TxMode::kWrite, body); }
  Status Read(const std::function<Status(Tx&)>& body) { return store_->Run(TxMode::kRead, body); }

  static Org MakeOrg(std::string code, std::string region) {
    Org org;
    org.code = code;
    org.name = "机构 " + code;
    org.region_code = region;
    org.service_point_id = code + "001";
    return org;
  }

  static StaffAccount MakeStaff(std::string username, std::string org_code) {
    StaffAccount account;
    account.username = std::move(username);
    account.name = "测试";
    account.org_code = std::move(org_code);
    account.roles = {domain::Role::kClerk, domain::Role::kStockKeeper};
    account.password_hash = "$argon2id$fake";
    account.created_at = testing::TestStart();
    return account;
  }

  static domain::Person MakePerson(std::string id, std::string id_number) {
    domain::Person person;
    person.id = std::move(id);
    person.id_number = std::move(id_number);
    person.name = "张敏";
    person.sex = domain::Sex::kMale;
    person.ethnicity = "汉族";
    person.household_address = "武汉市江夏区纸坊街1号";
    person.residence_address = "武汉市江夏区文化路2号";
    person.phone = "13800135678";
    person.birth_date = ParseDate("1990-03-07");
    person.id_valid_from = ParseDate("2020-01-01");
    person.region_code = "420115";
    person.created_at = testing::TestStart();
    return person;
  }

  infra::KeySealer sealer_{"1", std::string(32, 'k'), std::string(32, 'l')};
  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<ports::Store> store_;
};

TEST_P(StoreContract, PersonsRoundTripAndAreFoundByIdNumber) {
  domain::Person person = MakePerson("P1", "420115199003071234");
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.persons().Insert(person); }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    auto found = tx.persons().FindByIdNumber("420115199003071234").value();
    EXPECT_TRUE(found);
    EXPECT_EQ(found->id, "P1");
    EXPECT_EQ(found->name, "张敏");
    EXPECT_EQ(found->phone, "13800135678");
    EXPECT_EQ(found->residence_address, "武汉市江夏区文化路2号");
    EXPECT_EQ(found->birth_date, person.birth_date);
    EXPECT_FALSE(found->id_valid_to);
    EXPECT_FALSE(tx.persons().FindByIdNumber("420115199003071235").value());
    EXPECT_TRUE(tx.persons().FindById("P1").value());
    return Ok();
  }));
  auto twin = Write([&](Tx& tx) { return tx.persons().Insert(MakePerson("P2", "420115199003071234")); });
  EXPECT_EQ(twin.error().code, ErrorCode::kALREADY_EXISTS);
  person.phone = "13900000000";
  person.version = 2;
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.persons().Update(person); }));
  auto stale = Write([&](Tx& tx) { return tx.persons().Update(person); });
  EXPECT_EQ(stale.error().code, ErrorCode::kCONFLICT);
}

// Bulk import: a second row for the same ID number is skipped, not an error, and the
// transaction goes on (PostgreSQL would abort it on a failed INSERT).
TEST_P(StoreContract, InsertIfAbsentSkipsKnownIdNumbers) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.persons().InsertIfAbsent(MakePerson("P1", "420115199003071234")).value());
    EXPECT_FALSE(tx.persons().InsertIfAbsent(MakePerson("P2", "420115199003071234")).value());
    EXPECT_TRUE(tx.persons().InsertIfAbsent(MakePerson("P3", "11010519491231002X")).value());
    return Ok();
  }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.persons().FindByIdNumber("420115199003071234").value()->id, "P1");
    EXPECT_FALSE(tx.persons().FindById("P2").value());
    EXPECT_TRUE(tx.persons().FindById("P3").value());
    return Ok();
  }));
}

TEST_P(StoreContract, RegistryUpsertsAndFinds) {
  std::vector<domain::RegistryEntry> entries = {
      {"420115199003071234", "张敏", domain::Sex::kMale, ParseDate("1990-03-07"), true, "420115"},
      {"11010519491231002X", "李娟", domain::Sex::kFemale, ParseDate("1949-12-31"), false, "110105"}};
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.registry().Upsert(entries); }));
  entries[0].name = "张敏敏";
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.registry().Upsert({entries[0]}); }));
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.registry().Count().value(), 2);
    auto found = tx.registry().Find("420115199003071234").value();
    EXPECT_TRUE(found && found->name == "张敏敏" && found->alive);
    EXPECT_FALSE(tx.registry().Find("11010519491231002X").value()->alive);
    return Ok();
  }));
}

TEST_P(StoreContract, MigrateIsIdempotent) {
  auto again = store_->Migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_GE(store_->SchemaVersion().value(), 1);
  EXPECT_TRUE(store_->Ping());
}

TEST_P(StoreContract, RegionsUpsertListAndCount) {
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.regions().Count().value(), 5);
    auto children = tx.regions().Children("420100").value();
    EXPECT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0].code, "420115");
    EXPECT_EQ(tx.regions().Children("").value().size(), 1u);
    auto town = tx.regions().Find("420115001").value();
    EXPECT_TRUE(town && town->level == domain::RegionLevel::kTown && town->parent_code == "420115");
    EXPECT_FALSE(tx.regions().Find("999999").value());
    return Ok();
  }));
  ASSERT_TRUE(Write([](Tx& tx) {
    return tx.regions().Upsert({{"420115", "江夏区（新）", domain::RegionLevel::kCounty, "420100"}});
  }));
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.regions().Find("420115").value()->name, "江夏区（新）");
    EXPECT_EQ(tx.regions().Count().value(), 5);
    return Ok();
  }));
}

TEST_P(StoreContract, OrgsInsertFindListAndVersionedUpdate) {
  ASSERT_TRUE(Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500000001", "420115")));
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500100001", "420115001")));
    return tx.orgs().Insert(MakeOrg("42011600000001", "420116"));
  }));
  auto duplicate = Write([](Tx& tx) { return tx.orgs().Insert(MakeOrg("42011500000001", "420115")); });
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kALREADY_EXISTS);
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.orgs().ListUnder("420115").value().size(), 2u);
    EXPECT_EQ(tx.orgs().ListUnder("42").value().size(), 3u);
    EXPECT_EQ(tx.orgs().ListUnder("").value().size(), 3u);
    return Ok();
  }));
  Org org = MakeOrg("42011500000001", "420115");
  org.capabilities.pin_pad = true;
  org.version = 2;
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.orgs().Update(org); }));
  auto stale = Write([&](Tx& tx) { return tx.orgs().Update(org); });  // version 2 again
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kCONFLICT);
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    auto found = tx.orgs().Find("42011500000001").value();
    EXPECT_TRUE(found && found->capabilities.pin_pad && found->version == 2);
    return Ok();
  }));
}

TEST_P(StoreContract, StaffRoundTripsEveryField) {
  StaffAccount account = MakeStaff("clerk_a", "42011500100001");
  account.failed_attempts = 3;
  account.locked_until = testing::TestStart() + std::chrono::minutes(15);
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500100001", "420115001")));
    return tx.staff().Insert(account);
  }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    auto found = tx.staff().Find("clerk_a").value();
    EXPECT_TRUE(found);
    EXPECT_EQ(found->roles, account.roles);
    EXPECT_EQ(found->failed_attempts, 3);
    EXPECT_EQ(found->locked_until, account.locked_until);
    EXPECT_EQ(found->created_at, account.created_at);
    EXPECT_EQ(tx.staff().List("420115").value().size(), 1u);
    EXPECT_EQ(tx.staff().List("420116").value().size(), 0u);
    return Ok();
  }));
  auto duplicate = Write([&](Tx& tx) { return tx.staff().Insert(account); });
  EXPECT_EQ(duplicate.error().code, ErrorCode::kALREADY_EXISTS);
}

TEST_P(StoreContract, FailedBodyLeavesNothingBehind) {
  auto status = Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500000001", "420115")));
    RETURN_IF_ERROR(tx.settings().Put("k", "v"));
    return Fail(ErrorCode::kWEAK_PASSWORD);  // a rule refuses after the writes
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kWEAK_PASSWORD);
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.orgs().Find("42011500000001").value());
    EXPECT_FALSE(tx.settings().Get("k").value());
    return Ok();
  }));
}

// A trial transaction (the bundle pre-check of R-BUNDLE-2) sees its own writes and leaves
// nothing behind, also when its body succeeds.
TEST_P(StoreContract, TrialSeesItsWritesAndLeavesNothingBehindForRBundle2) {
  ASSERT_TRUE(store_->Run(ports::TxMode::kTrial, [](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500000001", "420115")));
    EXPECT_TRUE(tx.orgs().Find("42011500000001").value());
    return tx.settings().Put("k", "v");
  }));
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.orgs().Find("42011500000001").value());
    EXPECT_FALSE(tx.settings().Get("k").value());
    return Ok();
  }));
}

TEST_P(StoreContract, BundlesInsertFindAndRefuseTwinsForRBundle1) {
  ports::BundleRecord bundle{"B42011520261202000001", "420115001", "P1", "42011500100001", "clerk",
                             testing::TestStart(), {}};
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.bundles().Insert(bundle); }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    auto found = tx.bundles().Find("B42011520261202000001").value();
    EXPECT_TRUE(found);
    EXPECT_EQ(found->person_id, "P1");
    EXPECT_EQ(found->region_code, "420115001");
    EXPECT_EQ(found->created_by, "clerk");
    EXPECT_EQ(found->created_at, testing::TestStart());
    EXPECT_TRUE(found->case_nos.empty());
    EXPECT_FALSE(tx.bundles().Find("B0").value());
    return Ok();
  }));
  auto twin = Write([&](Tx& tx) { return tx.bundles().Insert(bundle); });
  EXPECT_EQ(twin.error().code, ErrorCode::kALREADY_EXISTS);
}

TEST_P(StoreContract, BookingsRoundTripUpdateByVersionAndListByRegionForROne4) {
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.persons().Insert(MakePerson("P1", "420115199003071234")); }));
  domain::Booking booking;
  booking.booking_no = "H01";
  booking.person_id = "P1";
  booking.region_code = "420115";
  booking.org_code = "42011500000001";
  booking.reason = domain::BookingReason::kDisabled;
  booking.item = "002014010002";
  booking.preferred_on = *ParseDate("2026-11-24");
  booking.created_at = testing::TestStart();
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.bookings().Insert(booking); }));
  booking.status = domain::BookingStatus::kScheduled;
  booking.scheduled_on = ParseDate("2026-11-25");
  booking.handled_by = "reviewer";
  booking.version = 2;
  ASSERT_TRUE(Write([&](Tx& tx) { return tx.bookings().Update(booking); }));
  auto stale = Write([&](Tx& tx) { return tx.bookings().Update(booking); });
  EXPECT_EQ(stale.error().code, ErrorCode::kCONFLICT);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    auto found = tx.bookings().Find("H01").value();
    EXPECT_TRUE(found);
    EXPECT_EQ(found->reason, domain::BookingReason::kDisabled);
    EXPECT_EQ(found->status, domain::BookingStatus::kScheduled);
    EXPECT_EQ(found->scheduled_on, ParseDate("2026-11-25"));
    EXPECT_EQ(found->preferred_on, *ParseDate("2026-11-24"));
    EXPECT_EQ(found->version, 2);
    EXPECT_EQ(found->created_at, testing::TestStart());
    EXPECT_EQ(tx.bookings().List("420115", "", 10).value().size(), 1u);
    EXPECT_EQ(tx.bookings().List("420115", "scheduled", 10).value().size(), 1u);
    EXPECT_TRUE(tx.bookings().List("420115", "requested", 10).value().empty());
    EXPECT_TRUE(tx.bookings().List("420116", "", 10).value().empty());
    return Ok();
  }));
}

TEST_P(StoreContract, SessionsInsertTouchRevoke) {
  TimePoint start = testing::TestStart();
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500100001", "420115001")));
    RETURN_IF_ERROR(tx.staff().Insert(MakeStaff("clerk_a", "42011500100001")));
    RETURN_IF_ERROR(tx.sessions().Insert({"d1", "clerk_a", start, start, start + std::chrono::hours(12), false}));
    return tx.sessions().Insert({"d2", "clerk_a", start, start, start + std::chrono::hours(12), false});
  }));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.sessions().Touch("d1", start + std::chrono::minutes(5)));
    return tx.sessions().Revoke("d2");
  }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.sessions().Find("d1").value()->last_seen_at, start + std::chrono::minutes(5));
    EXPECT_TRUE(tx.sessions().Find("d2").value()->revoked);
    EXPECT_FALSE(tx.sessions().Find("d3").value());
    return Ok();
  }));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    EXPECT_EQ(tx.sessions().RevokeAll("clerk_a").value(), 1);
    return Ok();
  }));
}

TEST_P(StoreContract, AuditFiltersAndPagesNewestFirst) {
  TimePoint start = testing::TestStart();
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (int index = 0; index < 7; ++index) {
      AuditEntry entry;
      entry.id = NewSortableId(start + std::chrono::seconds(index));
      entry.at = start + std::chrono::seconds(index);
      entry.actor = index % 2 ? "clerk" : "reviewer";
      entry.org_code = index < 5 ? "42011500100001" : "42011600000001";
      entry.action = "auth.login";
      entry.target = "x";
      entry.result = "ok";
      entry.request_id = "r" + std::to_string(index);
      RETURN_IF_ERROR(tx.audit().Append(entry));
    }
    return Ok();
  }));
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    ports::AuditQuery query;
    query.org_code_prefix = "420115";
    query.limit = 3;
    auto first = tx.audit().List(query).value();
    EXPECT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].request_id, "r4");
    query.after_id = first.back().id;
    auto second = tx.audit().List(query).value();
    EXPECT_EQ(second.size(), 2u);
    EXPECT_EQ(second.back().request_id, "r0");
    ports::AuditQuery by_actor;
    by_actor.actor = "clerk";
    EXPECT_EQ(tx.audit().List(by_actor).value().size(), 3u);
    ports::AuditQuery by_time;
    by_time.from = start + std::chrono::seconds(2);
    by_time.to = start + std::chrono::seconds(4);
    EXPECT_EQ(tx.audit().List(by_time).value().size(), 2u);
    return Ok();
  }));
}

// Tamper-evident audit (R-SEC-3, security issue item 7): rows are chained by a keyed hash, so
// a row changed, deleted, inserted or moved — straight in the database, as a DBA could — is
// found by the verification, which names the row. 1 000 random tamperings on each SQL engine,
// each inside a transaction that is rolled back.
TEST_P(StoreContract, AuditChainFindsEveryTamperingForRSec3) {
  TimePoint start = testing::TestStart();
  auto append = [&](int from, int count) {
    return Write([&](Tx& tx) -> Status {
      for (int index = from; index < from + count; ++index) {
        AuditEntry entry;
        entry.id = NewSortableId(start + std::chrono::minutes(index));
        entry.at = start + std::chrono::minutes(index);
        entry.actor = index % 3 ? "clerk" : "reviewer";
        entry.org_code = "42011500100001";
        entry.action = index % 2 ? "case.create" : "card.issue";
        entry.target = "T" + std::to_string(index);
        entry.result = index % 5 ? "ok" : "refused";
        entry.code = index % 5 ? "" : "RULE_VIOLATION";
        entry.rule = index % 5 ? "" : "R-ID-6";
        entry.request_id = "r" + std::to_string(index);
        RETURN_IF_ERROR(tx.audit().Append(entry));
      }
      return Ok();
    });
  };
  auto seal = [&](int limit) {
    return ports::Transact<int>(*store_, TxMode::kWrite, [&](Tx& tx) { return tx.audit().SealPending(limit); });
  };
  auto verify = [&] {
    return ports::Transact<ports::AuditChainReport>(*store_, TxMode::kRead, [](Tx& tx) { return tx.audit().VerifyChain(); })
        .value();
  };
  ASSERT_TRUE(append(0, 40));
  EXPECT_EQ(seal(15).value(), 15);
  EXPECT_EQ(seal(100).value(), 25);
  EXPECT_EQ(seal(100).value(), 0);
  ASSERT_TRUE(append(40, 3));  // written, not yet sealed
  auto report = verify();
  ASSERT_TRUE(report.intact) << report.broken_id << ": " << report.reason;
  EXPECT_EQ(report.chained, 40);
  EXPECT_EQ(report.pending, 3);
  EXPECT_EQ(report.last_seq, 40);

  if (GetParam() != "memory:") {
    std::unique_ptr<storage::sql::Connection> raw;
    if (std::string path = storage::SqlitePathOf(url_); !path.empty()) {
      raw = storage::sqlite::OpenSqlite({path, storage::sqlite::Synchronous::kNormal}).value();
    } else {
      raw = storage::postgres::OpenPostgres(url_).value();
    }
    auto text_of = [&](const std::string& sql, std::vector<storage::sql::Value> params) {
      return raw->Query(sql, params).value().at(0).Text(0);
    };
    std::mt19937 random(20261202);
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
    const char* columns[] = {"actor", "org_code", "action", "target", "result", "code", "rule", "request_id", "id"};
    int detected = 0;
    constexpr int kTrials = 1000;
    for (int trial = 0; trial < kTrials; ++trial) {
      ASSERT_TRUE(raw->Begin(TxMode::kWrite));
      int kind = pick(0, 7);
      int64_t seq = pick(1, 40);
      int64_t other = seq % 40 + 1;
      int64_t changed = 0;
      switch (kind) {
        case 0:  // change one field of a chained row
          changed = raw->Execute(fmt::format("UPDATE audit_log SET {0} = {0} || 'x' WHERE seq = ?", columns[pick(0, 8)]),
                                 {seq}).value();
          break;
        case 1:  // change the time of a chained row, or any field of a pending row
          changed = pick(0, 1) ? raw->Execute("UPDATE audit_log SET at = at + 1 WHERE seq = ?", {seq}).value()
                               : raw->Execute(fmt::format("UPDATE audit_log SET {0} = {0} || 'x' WHERE id = ?",
                                                          columns[pick(0, 7)]),
                                              {text_of("SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id "
                                                       "LIMIT 1 OFFSET ?", {int64_t{pick(0, 2)}})}).value();
          break;
        case 2:  // delete a chained row (the first, the last, any)
          changed = raw->Execute("DELETE FROM audit_log WHERE seq = ?", {seq}).value();
          break;
        case 3:  // insert a row: pending, with another row's MAC or the legacy mark
          changed = raw->Execute("INSERT INTO audit_log (id, at, actor, org_code, action, target, result, code, rule, "
                                 "request_id, row_mac) SELECT id || 'z', at, actor, org_code, action, 'forged', result, "
                                 "code, rule, request_id, " + std::string(pick(0, 1) ? "row_mac" : "'legacy'") +
                                 " FROM audit_log WHERE seq = ?", {seq}).value();
          break;
        case 4:  // insert a row into the chain at its end, with a copied link
          changed = raw->Execute("INSERT INTO audit_log (id, at, actor, org_code, action, target, result, code, rule, "
                                 "request_id, row_mac, seq, chain_link) SELECT id || 'z', at, actor, org_code, action, "
                                 "target, result, code, rule, request_id, row_mac, 41, chain_link FROM audit_log "
                                 "WHERE seq = ?", {seq}).value();
          break;
        case 5:  // swap two rows' places in the chain
          raw->Execute("UPDATE audit_log SET seq = -1 WHERE seq = ?", {seq}).value();
          raw->Execute("UPDATE audit_log SET seq = ? WHERE seq = ?", {seq, other}).value();
          changed = raw->Execute("UPDATE audit_log SET seq = ? WHERE seq = -1", {other}).value();
          break;
        case 6: {  // copy another row's link or MAC over a row's own
          const char* column = pick(0, 1) ? "chain_link" : "row_mac";
          changed = raw->Execute(fmt::format("UPDATE audit_log SET {} = ? WHERE seq = ?", column),
                                 {text_of(fmt::format("SELECT {} FROM audit_log WHERE seq = ?", column), {other}), seq})
                        .value();
          break;
        }
        default:  // change a field and put the legacy mark in place of its MAC
          changed = raw->Execute("UPDATE audit_log SET target = 'T99', row_mac = 'legacy' WHERE seq = ?", {seq}).value();
          break;
      }
      ASSERT_EQ(changed, 1) << "trial " << trial << " kind " << kind;
      auto found = storage::sql::VerifyAuditChain(*raw, &sealer_).value();
      if (!found.intact) ++detected;
      EXPECT_FALSE(found.intact) << "trial " << trial << " kind " << kind << " seq " << seq;
      EXPECT_FALSE(found.reason.empty());
      ASSERT_TRUE(raw->Rollback());
    }
    EXPECT_EQ(detected, kTrials);
    // The verification on a second connection sees the untouched chain after every rollback.
    EXPECT_TRUE(storage::sql::VerifyAuditChain(*raw, &sealer_).value().intact);
  }

  // Retention purges a prefix of the chain; what is kept still verifies, and a row deleted
  // after the purge is still found.
  int64_t purged = ports::Transact<int64_t>(*store_, TxMode::kWrite, [&](Tx& tx) {
                     return tx.audit().Purge(start + std::chrono::minutes(10));
                   }).value();
  EXPECT_EQ(purged, 10);
  EXPECT_EQ(seal(100).value(), 3);
  report = verify();
  ASSERT_TRUE(report.intact) << report.broken_id << ": " << report.reason;
  EXPECT_EQ(report.first_seq, 11);
  EXPECT_EQ(report.chained, 33);
  EXPECT_EQ(report.pending, 0);
}

// No lost update: concurrent read-modify-write transactions on one account each land.
TEST_P(StoreContract, ConcurrentWritersLoseNoUpdate) {
  ASSERT_TRUE(Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.orgs().Insert(MakeOrg("42011500100001", "420115001")));
    return tx.staff().Insert(MakeStaff("counter", "42011500100001"));
  }));
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&] {
      for (int step = 0; step < kIncrements; ++step) {
        Status status = Write([](Tx& tx) -> Status {
          ASSIGN_OR_RETURN(auto account, tx.staff().Find("counter"));
          account->failed_attempts += 1;
          account->version += 1;
          return tx.staff().Update(*account);
        });
        if (!status) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    EXPECT_EQ(tx.staff().Find("counter").value()->failed_attempts, kThreads * kIncrements);
    return Ok();
  }));
}

// Non-negotiable 7 / R-SEC-3: no ID number, name, phone or address in clear in the database
// file, and a sealed value moved to another column does not open.
TEST(SqliteAtRest, PersonalDataIsSealedInTheFileForRSec3) {
  testing::TempDir dir;
  infra::KeySealer sealer("1", std::string(32, 'k'), std::string(32, 'l'));
  storage::StoreOptions options;
  options.sealer = &sealer;
  std::string path = dir.File("at-rest.db");
  {
    auto store = storage::OpenStore("sqlite:" + path, options).value();
    ASSERT_TRUE(store->Migrate());
    domain::Person person;
    person.id = "P1";
    person.id_number = "420115199003071234";
    person.name = "张敏";
    person.phone = "13800135678";
    person.household_address = "武汉市江夏区纸坊街1号";
    person.residence_address = "武汉市江夏区文化路2号";
    ASSERT_TRUE(store->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.persons().Insert(person));
      return tx.registry().Upsert({{"11010519491231002X", "李娟", domain::Sex::kFemale, std::nullopt, true, "110105"}});
    }));
  }
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream file(path + suffix, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    bytes += content.str();
  }
  ASSERT_GT(bytes.size(), 1000u);
  for (const char* secret : {"420115199003071234", "张敏", "13800135678", "纸坊街1号", "文化路2号",
                             "11010519491231002X", "李娟"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  std::string sealed = sealer.Seal("张敏", "person.name");
  EXPECT_EQ(sealer.Open(sealed, "person.name"), "张敏");
  EXPECT_FALSE(sealer.Open(sealed, "person.phone"));
}

// R-PIN-3: the counter locks at six, even with 12 threads entering wrong PINs at once, and
// a right PIN after the lock does not open the card.
TEST_P(StoreContract, PinCounterCannotBeRacedPastForRPin3) {
  app::PinService pins(*store_, PasswordCost::kMinimal);
  ASSERT_TRUE(pins.SetPin("C1", "480259", {}));
  std::atomic<int> wrong{0}, locked{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 12; ++thread) {
    threads.emplace_back([&] {
      auto outcome = pins.Verify("C1", "111112");
      if (outcome && *outcome == app::PinOutcome::kWrong) ++wrong;
      if (outcome && *outcome == app::PinOutcome::kLocked) ++locked;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 5);
  EXPECT_EQ(locked.load(), 7);
  EXPECT_EQ(pins.Verify("C1", "480259").value(), app::PinOutcome::kLocked);
  ASSERT_TRUE(Read([](Tx& tx) -> Status {
    auto record = tx.pins().Find("C1").value();
    EXPECT_TRUE(record->state.locked);
    EXPECT_EQ(record->state.failures, 6);
    EXPECT_EQ(record->pin_hash.rfind("$argon2id$", 0), 0u);  // salted slow hash only
    return Ok();
  }));
  // Unlock at a service org sets a new PIN and clears the lock.
  ASSERT_TRUE(pins.SetPin("C1", "375918", {}));
  EXPECT_EQ(pins.Verify("C1", "375918").value(), app::PinOutcome::kCorrect);
  auto weak = pins.SetPin("C1", "123456", {});
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().rule, "R-PIN-2");
}

// R-PIN-1: the platform keeps the social-security PIN only; the initial PIN set at issue is
// flagged until the holder changes it.
TEST_P(StoreContract, InitialPinMustBeChangedForRPin1) {
  app::PinService pins(*store_, PasswordCost::kMinimal);
  ASSERT_TRUE(pins.SetPin("C2", "071234", {{}, "", "420115199003071234"}, app::PinSource::kInitial));
  EXPECT_TRUE(pins.NeedsChange("C2").value());
  EXPECT_EQ(pins.Verify("C2", "071234").value(), app::PinOutcome::kCorrect);
  // The holder may not keep the ID number's tail as a chosen PIN.
  EXPECT_FALSE(pins.SetPin("C2", "071234", {{}, "", "420115199003071234"}));
  ASSERT_TRUE(pins.SetPin("C2", "480259", {{}, "", "420115199003071234"}));
  EXPECT_FALSE(pins.NeedsChange("C2").value());
  EXPECT_FALSE(pins.NeedsChange("no-such-card"));
}

std::string EngineName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param.substr(0, info.param.find(':'));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::ValuesIn(testing::Engines()), EngineName);

}  // namespace
}  // namespace sscard
