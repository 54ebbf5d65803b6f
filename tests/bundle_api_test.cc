// The "one-thing" bundle through the API (seed 002, R-BUNDLE-1…5): a pre-check item by item,
// every item accepted in one transaction or none, materials given once, shared data, and the
// results as they arrive. Same fixture and engines as api_test.cc.

#include <fstream>

#include "api_fixture.h"

namespace sscard {
namespace {

using testing::Answer;
using testing::ApiTest;
using testing::Json;

class BundleTest : public ApiTest {
 protected:
  // A bundle for the holder of ApplyBody(): `items` in order; the ID document, the card and
  // the police photo given once, for the items whose guides list them.
  static Json HolderBundle(Json items) {
    return {{"notice_accepted", true},
            {"channel", "window"},
            {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"},
                           {"phone", "13800135678"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
            {"items", std::move(items)},
            {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                           {{"name", "中华人民共和国社会保障卡"}, {"kind", "paper"}},
                           {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", testing::TestPhotoId()}}}}};
  }
  Answer Post(const std::string& target, const std::string& token, const Json& body, const std::string& key = "") {
    api::Request request;
    request.method = "POST";
    request.target = target;
    request.body = body.dump();
    request.headers = {{"content-type", "application/json"}};
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!key.empty()) request.headers.emplace_back("idempotency-key", key);
    return Send(request);
  }
  std::string CardStatus(const std::string& card_no) {
    return Call("GET", "/api/v1/cards/" + card_no, TokenOf("clerk")).body.value("status", "");
  }
};

// R-BUNDLE-1, R-BUNDLE-3, R-BUNDLE-4: query, activation and a loss report in one
// application; the ID document given once serves all three; each item is a case of its own,
// instant ones handled at once, and the bundle shows every result.
TEST_F(BundleTest, SeveralItemsInOneApplicationWithMaterialsGivenOnceForRBundle1AndRBundle3) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Answer bundle = Post("/api/v1/bundles", clerk, HolderBundle({
      {{"item", "002014010003"}, {"operation", "query"}},
      {{"item", "002014010002"}, {"operation", "activate"}, {"form", {{"authorised", true}}}},
      {{"item", "002014010007"}, {"operation", "temporary_loss"}}}));
  ASSERT_EQ(bundle.status, 201) << bundle.raw.body;
  std::string bundle_no = bundle.body["bundle_no"];
  EXPECT_EQ(bundle_no.front(), 'B');
  EXPECT_EQ(bundle.body["status"], "finished");
  const Json& items = bundle.body["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["operation"], "query");
  EXPECT_EQ(items[1]["operation"], "activate");
  EXPECT_EQ(items[2]["operation"], "temporary_loss");
  for (const Json& item : items) {
    EXPECT_EQ(item["status"], "completed");
    EXPECT_FALSE(item["result"].is_null());
    bool has_id = false;
    for (const Json& material : item["materials"]) has_id = has_id || material["name"] == "居民身份证或其他有效身份证件";
    EXPECT_TRUE(has_id) << item.dump();
  }
  // The card only where the guide asks for it: activation yes, the loss report no.
  EXPECT_EQ(items[1]["materials"].size(), 2u);
  EXPECT_EQ(items[2]["materials"].size(), 1u);
  EXPECT_EQ(CardStatus(card_no), "temporary_loss");
  EXPECT_EQ(AuditRows("bundle.submit", bundle_no).size(), 1u);

  // R-BUNDLE-4: staff and the applicant see every item's result.
  Answer seen = Call("GET", "/api/v1/bundles/" + bundle_no, clerk);
  ASSERT_EQ(seen.status, 200) << seen.raw.body;
  EXPECT_EQ(seen.body["items"].size(), 3u);
  Answer tracked = Post("/api/v1/bundles/track", "", {{"bundle_no", bundle_no}, {"id_number", "420115199003071234"}});
  ASSERT_EQ(tracked.status, 200) << tracked.raw.body;
  EXPECT_FALSE(tracked.body["items"][0]["steps"][0].contains("actor"));
  ExpectProblem(Post("/api/v1/bundles/track", "", {{"bundle_no", bundle_no}, {"id_number", "420115199003071235"}}), 404,
                "NOT_FOUND");
  ExpectProblem(Call("GET", "/api/v1/bundles/" + bundle_no, TokenOf("hospital")), 403, "FORBIDDEN");
}

// R-BUNDLE-1: all items or none — a later item refused leaves the earlier ones undone, and
// the answer names the item.
TEST_F(BundleTest, ARefusedItemLeavesTheWholeBundleUndoneForRBundle1) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Answer refused = Post("/api/v1/bundles", clerk, HolderBundle({
      {{"item", "002014010007"}, {"operation", "temporary_loss"}},
      {{"item", "002014010002"}, {"operation", "activate"}, {"form", {{"authorised", true}}}}}));
  EXPECT_GE(refused.status, 400) << refused.raw.body;
  EXPECT_EQ(refused.body["errors"][0]["field"], "items[1]");
  EXPECT_EQ(CardStatus(card_no), "issued");  // the loss report of item 0 did not stay
  Answer cases = Call("GET", "/api/v1/cases?item=002014010007", clerk);
  EXPECT_TRUE(cases.body["items"].empty()) << cases.raw.body;
  Answer pin = Post("/api/v1/bundles", clerk, HolderBundle({{{"item", "002014010006"}, {"operation", "change_pin"}}}));
  ExpectProblem(pin, 400, "VALIDATION_FAILED");
  EXPECT_EQ(pin.body["errors"][0]["code"], "NOT_A_BUNDLE_ITEM");
  EXPECT_EQ(pin.body["errors"][0]["rule"], "R-BUNDLE-1");
}

// R-BUNDLE-2: the notice first; then the pre-check says item by item what would happen, each
// in the state the earlier items would leave, and changes nothing.
TEST_F(BundleTest, ThePrecheckJudgesEachItemAfterTheEarlierOnesAndChangesNothingForRBundle2) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Json unaccepted = HolderBundle({{{"item", "002014010003"}, {"operation", "query"}}});
  unaccepted["notice_accepted"] = false;
  Answer notice = Post("/api/v1/bundles/precheck", clerk, unaccepted);
  ExpectProblem(notice, 400, "VALIDATION_FAILED");
  EXPECT_EQ(notice.body["rule"], "R-BUNDLE-2");
  EXPECT_EQ(notice.body["errors"][0]["code"], "NOTICE_NOT_ACCEPTED");
  ExpectProblem(Post("/api/v1/bundles", clerk, unaccepted), 400, "VALIDATION_FAILED");

  // A reissue alone needs a formal loss first (R-LOSS-4); after the formal loss of the same
  // bundle it is judged on the bank account instead (R-REPL-2).
  Answer alone = Post("/api/v1/bundles/precheck", clerk, HolderBundle({{{"item", "002014010008"}, {"operation", "reissue"},
                                                                         {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}}}}}));
  ASSERT_EQ(alone.status, 200) << alone.raw.body;
  EXPECT_EQ(alone.body["eligible"], false);
  EXPECT_EQ(alone.body["items"][0]["code"], "FORMAL_LOSS_REQUIRED") << alone.raw.body;
  EXPECT_EQ(alone.body["items"][0]["rule"], "R-LOSS-4");
  Answer after = Post("/api/v1/bundles/precheck", clerk,
                      HolderBundle({{{"item", "002014010007"}, {"operation", "formal_loss"}},
                                    {{"item", "002014010008"}, {"operation", "reissue"}, {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}}}},
                                    {{"item", "002014010003"}, {"operation", "query"}}}));
  ASSERT_EQ(after.status, 200) << after.raw.body;
  EXPECT_EQ(after.body["eligible"], false);
  EXPECT_EQ(after.body["items"][0]["eligible"], true);
  EXPECT_EQ(after.body["items"][1]["eligible"], false);
  EXPECT_EQ(after.body["items"][1]["code"], "BANK_ACCOUNT_NOT_CLOSED");
  EXPECT_EQ(after.body["items"][1]["rule"], "R-REPL-2");
  EXPECT_FALSE(after.body["items"][1]["message"].get<std::string>().empty());
  EXPECT_EQ(after.body["items"][2]["eligible"], true);
  // Nothing of it stayed: no formal loss, no case.
  EXPECT_EQ(CardStatus(card_no), "issued");
  EXPECT_TRUE(Call("GET", "/api/v1/cases?item=002014010007", clerk).body["items"].empty());
  EXPECT_EQ(AuditRows("bundle.precheck", "3 items").size(), 1u);
}

// R-BUNDLE-3: a first application and the pension account maintenance are decided within
// one working day by the county; the bundle shows each decision as it comes (R-BUNDLE-4).
TEST_F(BundleTest, CommitmentItemsAreDecidedWithinOneWorkingDayAndShownAsTheyArriveForRBundle3AndRBundle4) {
  std::string clerk = TokenOf("clerk");
  std::string card_no = IssueCard(clerk);
  Answer bundle = Post("/api/v1/bundles", clerk, HolderBundle({
      {{"item", "002014010003"}, {"operation", "query"}},
      {{"item", "002014019901"}, {"operation", "pension_account_change"}, {"form", {{"new_card_no", card_no}}}}}));
  ASSERT_EQ(bundle.status, 201) << bundle.raw.body;
  EXPECT_EQ(bundle.body["status"], "in_progress");
  EXPECT_EQ(bundle.body["items"][0]["status"], "completed");
  EXPECT_EQ(bundle.body["items"][1]["status"], "pending_review");
  EXPECT_EQ(bundle.body["items"][1]["due_on"], "2026-11-24");  // Monday 23 November + 1 working day
  std::string pension_case = bundle.body["items"][1]["case_no"];
  Answer approved = Call("POST", "/api/v1/cases/" + pension_case + "/review", TokenOf("reviewer"),
                         Json{{"decision", "approve"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.raw.body;
  Answer later = Call("GET", "/api/v1/bundles/" + bundle.body["bundle_no"].get<std::string>(), clerk);
  EXPECT_EQ(later.body["status"], "finished");
  EXPECT_EQ(later.body["items"][1]["status"], "approved");
}

// R-BUNDLE-5: the identity document's images and the police photo come from shared data; any
// other material must still be given. A retried submission is the same bundle. The photo is
// the police library's own (imported as `sscard import photos` does): where the library has
// none, "shared" is refused (R-ID-5), and the factory file names the photo it holds.
TEST_F(BundleTest, SharedDataReplacesUploadsOfTheDocumentImagesAndPhotoForRBundle5) {
  std::string clerk = TokenOf("clerk");
  Json apply = {{"notice_accepted", true},
                {"channel", "window"},
                {"applicant", {{"id_type", "resident_id"}, {"id_number", "42011519700101005X"}, {"name", "李娟"},
                               {"phone", "13800135679"}, {"household_address", "武汉市江夏区纸坊街2号"}}},
                {"items", {{{"item", "002014010001"}, {"operation", "apply"},
                            {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"},
                                      {"household_address", "武汉市江夏区纸坊街2号"}}}}}},
                {"materials", {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
                               {{"name", "申领人电子照片"}, {"kind", "shared"}},
                               {{"name", "有效身份证件正反面照片"}, {"kind", "shared"}}}},
                {"delivery", {{"method", "pickup"}, {"org_code", "42011500100001"}}}};
  Answer none = Post("/api/v1/bundles", clerk, apply);
  ExpectProblem(none, 400, "VALIDATION_FAILED");
  EXPECT_EQ(none.body["rule"], "R-ID-5") << none.raw.body;
  EXPECT_NE(none.raw.body.find("PHOTO_NOT_SHARED"), std::string::npos) << none.raw.body;

  // The police library: one photo named by the ID number, and files that are not photos of
  // anyone, skipped.
  testing::TempDir library;
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(library.path() / name, std::ios::binary) << bytes;
  };
  write("42011519700101005X.jpg", testing::ValidPhotoJpeg());
  write("not-an-id.jpg", testing::ValidPhotoJpeg());
  write("420115197001010051.jpg", testing::ValidPhotoJpeg());  // a wrong check digit
  write("42011519700101005X.txt", "text");
  auto imported = test_.runtime->ImportPolicePhotos(library.path().string());
  ASSERT_TRUE(imported.has_value());
  EXPECT_EQ(imported->imported, 1);
  EXPECT_EQ(imported->skipped, 3);

  Answer first = Post("/api/v1/bundles", clerk, apply, "bundle-key-1");
  ASSERT_EQ(first.status, 201) << first.raw.body;
  const Json& materials = first.body["items"][0]["materials"];
  ASSERT_EQ(materials.size(), 3u);
  EXPECT_EQ(materials[1]["kind"], "shared");
  EXPECT_EQ(first.body["items"][0]["status"], "pending_review");
  Answer again = Post("/api/v1/bundles", clerk, apply, "bundle-key-1");
  ASSERT_EQ(again.status, 201) << again.raw.body;
  EXPECT_EQ(again.body["bundle_no"], first.body["bundle_no"]);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");

  Json not_shared = HolderBundle({{{"item", "002014010003"}, {"operation", "query"}}});
  not_shared["materials"][0]["kind"] = "shared";  // the ID document itself is shown, not shared
  IssueCard(clerk);
  Answer refused = Post("/api/v1/bundles", clerk, not_shared);
  ExpectProblem(refused, 400, "VALIDATION_FAILED");
  bool named = false;
  for (const Json& error : refused.body["errors"]) named = named || (error["code"] == "NOT_SHARED_DATA" && error["rule"] == "R-BUNDLE-5");
  EXPECT_TRUE(named) << refused.raw.body;
}

}  // namespace
}  // namespace sscard
