// Micro benchmarks (Google Benchmark): identity document checks, state-machine steps, PIN
// policy, sealing of personal data. `make bench` runs them; results land in bench/results/.

#include <benchmark/benchmark.h>

#include "common/crypto.h"
#include "domain/id_document.h"
#include "domain/pin.h"
#include "domain/state_machines.h"
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

}  // namespace

BENCHMARK_MAIN();
