// The audit trail no one can quietly change (R-SEC-3, security issue item 7), over the API:
// the province auditor's verification walks the chain the server sealed, and names the row a
// database administrator changed behind the server's back.

#include "api_fixture.h"
#include "storage/open_store.h"
#include "storage/postgres/postgres_connection.h"
#include "storage/sqlite/sqlite_connection.h"

namespace sscard::testing {
namespace {

class AuditApiTest : public ApiTest {};

TEST_F(AuditApiTest, AnAuditRowChangedInTheDatabaseIsFoundByTheAuditorForRSec3) {
  std::string auditor = TokenOf("auditor");
  std::string clerk = TokenOf("clerk");
  EXPECT_EQ(Login("clerk", "Not-The-Password-1").status, 401);
  ASSERT_TRUE(test_.runtime->SealAudit());

  Answer chain = Call("GET", "/api/v1/audit/chain", auditor);
  ASSERT_EQ(chain.status, 200) << chain.raw.body;
  EXPECT_TRUE(chain.body["intact"].get<bool>()) << chain.raw.body;
  EXPECT_GE(chain.body["chained"].get<int64_t>(), 4);
  EXPECT_EQ(chain.body["first_seq"], 1);
  // Only a province auditor walks the chain; a clerk is refused.
  EXPECT_EQ(Call("GET", "/api/v1/audit/chain", clerk).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/audit/chain").status, 401);

  // Rows written after the sealing are checked by their own MAC until the next one.
  EXPECT_EQ(Login("clerk", "Not-The-Password-2").status, 401);
  chain = Call("GET", "/api/v1/audit/chain", auditor);
  EXPECT_TRUE(chain.body["intact"].get<bool>()) << chain.raw.body;
  EXPECT_GE(chain.body["pending"].get<int64_t>(), 1);

  std::string url = DatabaseUrlOf(test_.runtime->config());
  if (url.rfind("memory:", 0) == 0) return;  // no database to tamper with
  std::unique_ptr<storage::sql::Connection> raw;
  if (std::string path = storage::SqlitePathOf(url); !path.empty()) {
    raw = storage::sqlite::OpenSqlite({path}).value();
  } else {
    raw = storage::postgres::OpenPostgres(url).value();
  }
  // The failed sign-in becomes a successful one, straight in the database.
  auto rows = raw->Query("SELECT id, code FROM audit_log WHERE action = 'auth.login' AND result = 'refused' "
                         "AND seq IS NOT NULL").value();
  ASSERT_EQ(rows.size(), 1u);
  std::string changed_id = rows[0].Text(0);
  std::string code = rows[0].Text(1);
  ASSERT_EQ(raw->Execute("UPDATE audit_log SET result = 'ok', code = '' WHERE id = ?", {changed_id}).value(), 1);
  chain = Call("GET", "/api/v1/audit/chain", auditor);
  ASSERT_EQ(chain.status, 200);
  EXPECT_FALSE(chain.body["intact"].get<bool>()) << chain.raw.body;
  EXPECT_EQ(chain.body["broken"]["id"], changed_id);
  EXPECT_EQ(chain.body["broken"]["reason"], "row changed");

  // Put back, the trail verifies again; a row deleted is found too.
  ASSERT_EQ(raw->Execute("UPDATE audit_log SET result = 'refused', code = ? WHERE id = ?", {code, changed_id}).value(),
            1);
  chain = Call("GET", "/api/v1/audit/chain", auditor);
  EXPECT_TRUE(chain.body["intact"].get<bool>()) << chain.raw.body;
  ASSERT_EQ(raw->Execute("DELETE FROM audit_log WHERE seq = 2").value(), 1);
  chain = Call("GET", "/api/v1/audit/chain", auditor);
  EXPECT_FALSE(chain.body["intact"].get<bool>()) << chain.raw.body;
  EXPECT_EQ(chain.body["broken"]["seq"], 3);
  EXPECT_EQ(chain.body["broken"]["reason"], "row missing before this row");
}

// Free text is no side door for personal numbers (non-negotiable 7): an ID number or a phone
// typed into a rejection's reason is masked before it is stored and shown.
TEST_F(AuditApiTest, PersonalNumbersTypedIntoAReasonAreMaskedForRSec3) {
  std::string clerk = TokenOf("clerk");
  Answer applied = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
  ASSERT_EQ(applied.status, 201) << applied.raw.body;
  std::string case_no = applied.body["case_no"];
  Answer rejected = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                         Json{{"decision", "reject"},
                              {"reason", "申请人420115199003071234照片不合格，请联系13800135678"}}.dump());
  ASSERT_EQ(rejected.status, 200) << rejected.raw.body;
  Answer shown = Call("GET", "/api/v1/cases/" + case_no, clerk);
  ASSERT_EQ(shown.status, 200);
  const std::string masked = "申请人4201**********1234照片不合格，请联系138****5678";
  EXPECT_EQ(shown.body["reason"], masked) << shown.raw.body;
  EXPECT_EQ(rejected.body["reason"], masked);
  EXPECT_EQ(shown.raw.body.find("13800135678"), std::string::npos);
  EXPECT_EQ(shown.raw.body.find("199003071234"), std::string::npos);
}

}  // namespace
}  // namespace sscard::testing
