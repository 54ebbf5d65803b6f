#pragma once
// The socket-free API fixture: a demo-seeded runtime (memory by default; the engine of
// SSCARD_API_TEST_ENGINE otherwise), requests built as a client would, answers parsed.
// Shared by api_test.cc and lifecycle_api_test.cc (one binary, run on every engine).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/demo.h"
#include "infra/jpeg.h"
#include "test_support.h"

namespace sscard::testing {

using Json = nlohmann::json;

struct Answer {
  int status = 0;
  std::string content_type;
  Json body;
  api::Response raw;
  std::string Header(const std::string& name) const {
    for (const auto& [key, value] : raw.headers) {
      if (key == name) return value;
    }
    return {};
  }
};

// A photo that passes R-ID-5: 358×441, white background, 14–40 KB (made once).
inline const std::string& ValidPhotoJpeg() {
  static const std::string jpeg = infra::SamplePortraitJpeg();
  return jpeg;
}

// The file id of ValidPhotoJpeg() (the content's SHA-256): every ApiTest starts with it
// uploaded, as a window would have, and ApplyBody() names it.
inline const std::string& TestPhotoId() {
  static const std::string id = Sha256Hex(ValidPhotoJpeg());
  return id;
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : test_(Engine()) {}
  // The engine of this run: memory by default; api_test_on_sqlite and
  // api_test_on_postgresql run the same suite on the others.
  static std::string Engine() {
    const char* engine = std::getenv("SSCARD_API_TEST_ENGINE");
    return engine ? engine : "memory:";
  }
  void SetUp() override {
    if (!test_.runtime) GTEST_SKIP() << "engine not available: " << Engine();
    Status uploaded = test_.runtime->store().Run(ports::TxMode::kWrite, [&](ports::Tx& tx) {
      const std::string& jpeg = ValidPhotoJpeg();
      return tx.files().Put({TestPhotoId(), "image/jpeg", static_cast<int64_t>(jpeg.size()), "42011500100001", "clerk",
                             test_.clock.Now(), jpeg});
    });
    ASSERT_TRUE(static_cast<bool>(uploaded));
  }

  Answer Call(const std::string& method, const std::string& target, const std::string& token = "",
              const std::string& body = "", const std::string& content_type = "application/json",
              const std::string& language = "") {
    api::Request request;
    request.method = method;
    request.target = target;
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("content-type", content_type);
    if (!language.empty()) request.headers.emplace_back("accept-language", language);
    request.body = body;
    return Send(request);
  }

  // Any request, as the server would handle it.
  Answer Send(const api::Request& request) {
    Answer answer;
    answer.raw = test_.runtime->api().Handle(request);
    answer.status = answer.raw.status;
    answer.content_type = answer.raw.content_type;
    if (answer.content_type.find("json") != std::string::npos && !answer.raw.body.empty()) {
      answer.body = Json::parse(answer.raw.body, nullptr, false);
    }
    return answer;
  }

  Answer Login(const std::string& username, const std::string& password = app::kDemoPassword) {
    return Call("POST", "/api/v1/auth/login", "",
                Json{{"username", username}, {"password", password}}.dump());
  }

  std::string TokenOf(const std::string& username) {
    Answer answer = Login(username);
    EXPECT_EQ(answer.status, 200) << answer.raw.body;
    return answer.body.value("token", "");
  }

  // Audit rows visible to the province auditor for one action and target.
  std::vector<Json> AuditRows(const std::string& action, const std::string& target) {
    Answer audit = Call("GET", "/api/v1/audit?limit=500&action=" + action, TokenOf("auditor"));
    EXPECT_EQ(audit.status, 200) << audit.raw.body;
    std::vector<Json> rows;
    for (const Json& row : audit.body["items"]) {
      if (row["target"] == target) rows.push_back(row);
    }
    return rows;
  }

  void ExpectProblem(const Answer& answer, int status, const std::string& code) {
    EXPECT_EQ(answer.status, status) << answer.raw.body;
    EXPECT_EQ(answer.content_type, "application/problem+json");
    EXPECT_EQ(answer.body.value("code", ""), code) << answer.raw.body;
    EXPECT_EQ(answer.body.value("status", 0), status);
    EXPECT_FALSE(answer.body.value("title", "").empty());
    EXPECT_FALSE(answer.body.value("request_id", "").empty());
    EXPECT_TRUE(answer.body.contains("errors"));
  }

  // Applies, approves, makes and hands over a card for the applicant of `apply` (ApplyBody()
  // when none is given).
  std::string IssueCard(const std::string& clerk, const Json& apply = Json());

  testing::TestRuntime test_;
};

// An application at the town window for a Hubei resident, fast production, pickup.
inline Json ApplyBody(const std::string& id_number = "420115199003071234", const std::string& name = "张敏") {
  return {{"item", "002014010001"},
          {"operation", "apply"},
          {"channel", "window"},
          {"applicant",
           {{"id_type", "resident_id"}, {"id_number", id_number}, {"name", name}, {"phone", "13800135678"},
            {"ethnicity", "汉族"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
          {"form", {{"bank_code", "HBRCU"}, {"production_mode", "fast"}, {"household_address", "武汉市江夏区纸坊街1号"}}},
          {"materials",
           {{{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}},
            {{"name", "申领人电子照片"}, {"kind", "file"}, {"file_id", TestPhotoId()}},  // R-ID-5
            {{"name", "有效身份证件正反面照片"}, {"kind", "paper"}}}},
          {"delivery", {{"method", "pickup"}, {"org_code", "42011500100001"}}}};
}

// An instant case on the card of ApplyBody()'s applicant.
inline Json InstantBody(const std::string& item, const std::string& operation) {
  Json body = {{"item", item}, {"operation", operation},
               {"applicant", {{"id_type", "resident_id"}, {"id_number", "420115199003071234"}, {"name", "张敏"}}},
               {"materials", {{{"name", "中华人民共和国社会保障卡"}, {"kind", "paper"}},
                              {{"name", "居民身份证或其他有效身份证件"}, {"kind", "paper"}}}}};
  if (operation == "activate") body["form"] = {{"authorised", true}};
  return body;
}

inline std::string ApiTest::IssueCard(const std::string& clerk, const Json& apply) {
  std::string case_no = Call("POST", "/api/v1/cases", clerk, (apply.is_null() ? ApplyBody() : apply).dump()).body["case_no"];
  std::string card_no = Call("POST", "/api/v1/cases/" + case_no + "/review", TokenOf("reviewer"),
                             Json{{"decision", "approve"}}.dump()).body["card_no"];
  EXPECT_EQ(Call("POST", "/api/v1/production/instant", clerk, Json{{"case_no", case_no}}.dump()).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/cards/" + card_no + "/issue", clerk, Json{{"read_check", "pass"}}.dump()).status, 200);
  return card_no;
}

}  // namespace sscard::testing
