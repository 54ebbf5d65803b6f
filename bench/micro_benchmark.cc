// Micro benchmarks (Google Benchmark): identity document checks, state-machine steps, PIN
// policy, sealing of personal data, JSON encode/decode of a case. `make bench` runs them; results land in bench/results/.

#include <benchmark/benchmark.h>

#include "api/http/json_io.h"
#include "common/crypto.h"
#include "domain/id_document.h"
#include "domain/pin.h"
#include "domain/state_machines.h"
#include "infra/catalog_data.h"
#include "infra/key_sealer.h"

namespace {

using namespace sscard;

const Date kToday{std::chrono::year(2026), std::chrono::month(11), std::chrono::day(23)};

void BM_ResidentIdCheck(benchmark::State& state) {
  const char* numbers[] = {"420115199003071234", "11010519491231002X", "440524188001010014",
                           "420115199003071235"};
  size_t index = 0;
  for (auto _ : state) {
    auto check = domain::CheckIdNumber(domain::IdType::kResidentId, numbers[index++ & 3], kToday);
    benchmark::DoNotOptimize(check);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResidentIdCheck);

void BM_Gb11643CheckChar(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(domain::Gb11643CheckChar("42011519900307123"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Gb11643CheckChar);

void BM_CardStateStep(benchmark::State& state) {
  for (auto _ : state) {
    auto next = domain::NextCardStatus(domain::CardStatus::kTemporaryLoss, domain::CardEvent::kCancelLoss,
                                       {true, false});
    benchmark::DoNotOptimize(next);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CardStateStep);

void BM_PinPolicy(benchmark::State& state) {
  domain::PinContext context{ParseDate("1990-03-07"), "13800135678", "420115199003071234"};
  for (auto _ : state) benchmark::DoNotOptimize(domain::CheckPin("480259", context));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PinPolicy);

void BM_SealPersonalField(benchmark::State& state) {
  InitCrypto();
  infra::KeySealer sealer("1", std::string(32, 'k'), std::string(32, 'l'));
  for (auto _ : state) benchmark::DoNotOptimize(sealer.Seal("420115199003071234", "person.id_number"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SealPersonalField);

void BM_LookupKey(benchmark::State& state) {
  infra::KeySealer sealer("1", std::string(32, 'k'), std::string(32, 'l'));
  for (auto _ : state) benchmark::DoNotOptimize(sealer.LookupKey("420115199003071234"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupKey);


// A case as the API receives it (an apply at the window) and answers it.
const char* kApplyBody = R"({"item":"002014010001","operation":"apply","channel":"window",
 "applicant":{"id_type":"resident_id","id_number":"420115199003071234","name":"张敏","phone":"13800135678",
  "ethnicity":"汉族","household_address":"武汉市江夏区纸坊街1号"},
 "form":{"bank_code":"HBRCU","production_mode":"fast","household_address":"武汉市江夏区纸坊街1号"},
 "materials":[{"name":"居民身份证或其他有效身份证件","kind":"paper"},{"name":"申领人电子照片","kind":"shared"},
  {"name":"有效身份证件正反面照片","kind":"paper"}],
 "delivery":{"method":"pickup","org_code":"42011500100001"}})";

void BM_CaseJsonDecode(benchmark::State& state) {
  for (auto _ : state) {
    auto request = api::IntakeFromJson(api::Json::parse(kApplyBody));
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CaseJsonDecode);

void BM_CaseJsonEncode(benchmark::State& state) {
  auto request = api::IntakeFromJson(api::Json::parse(kApplyBody)).value();
  domain::Case record;
  record.case_no = "42011520261123000001";
  record.item = request.item;
  record.operation = request.operation;
  record.applicant = request.applicant;
  record.form = request.form;
  record.materials = request.materials;
  record.delivery = request.delivery;
  record.accepting_org = "42011500100001";
  record.reviewing_org = "42011500000001";
  record.region_code = "420115001";
  record.due_on = kToday;
  record.steps = {{std::chrono::system_clock::now(), "clerk", "42011500100001", "accept", ""}};
  const domain::Catalog& catalog = infra::BuiltInCatalog();
  for (auto _ : state) {
    std::string body = api::ToJson(record, catalog, kToday).dump();
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CaseJsonEncode);

}  // namespace

BENCHMARK_MAIN();
