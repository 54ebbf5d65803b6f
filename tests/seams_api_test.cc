// Rules that must hold across whole flows, not only where a unit test looks (issue 14).

#include <atomic>
#include <thread>

#include "api_fixture.h"

namespace sscard::testing {
namespace {

// R-ID-6: while an application is pending, a second one for the same person is refused; the
// refusal names the rule and changes nothing.
TEST_F(ApiTest, ASecondApplicationWhileTheFirstIsPendingIsRefusedForRId6) {
  std::string clerk = TokenOf("clerk");
  Answer first = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
  ASSERT_EQ(first.status, 201) << first.raw.body;
  Json other_bank = ApplyBody();
  other_bank["form"]["bank_code"] = "ICBC";
  Answer second = Call("POST", "/api/v1/cases", clerk, other_bank.dump());
  ExpectProblem(second, 422, "ONE_PERSON_ONE_CARD");
  EXPECT_EQ(second.body["rule"], "R-ID-6");
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].size(), 1u);
  // Once the first is rejected, a new application may go ahead.
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + first.body["case_no"].get<std::string>() + "/review",
                 TokenOf("reviewer"), Json{{"decision", "reject"}, {"reason", "资料不全"}}.dump()).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/cases", clerk, other_bank.dump()).status, 201);
}

// R-ID-6 by construction: 16 clerks' requests for the same person at once — exactly one is
// accepted, on every engine.
TEST_F(ApiTest, SixteenConcurrentApplicationsForOnePersonMakeOneCaseForRId6) {
  std::string clerk = TokenOf("clerk");
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int index = 0; index < 16; ++index) {
    threads.emplace_back([&] {
      Answer answer = Call("POST", "/api/v1/cases", clerk, ApplyBody().dump());
      if (answer.status == 201) ++accepted;
      else if (answer.body.value("code", "") == "ONE_PERSON_ONE_CARD") ++refused;
      else ++other;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(refused.load(), 15);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Call("GET", "/api/v1/cases?item=002014010001", clerk).body["items"].size(), 1u);
}

}  // namespace
}  // namespace sscard::testing
