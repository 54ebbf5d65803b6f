#pragma once
// The "one-thing" bundle (seed 002, R-BUNDLE-1…5): one application of several card items.
// The pre-check tells, item by item, whether each would be accepted now — in the state the
// earlier items of the bundle would leave — and why not (R-BUNDLE-2). Submitting accepts every
// item as a case of its own in one transaction, or none (R-BUNDLE-1, R-BUNDLE-3); the bundle
// then shows each case's status and result as it arrives (R-BUNDLE-4).
// Thread-safety: all methods may be called concurrently.

#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/context.h"
#include "domain/bundle.h"
#include "domain/catalog.h"
#include "domain/ports/store.h"

namespace sscard::app {

// One item's verdict in a pre-check: accepted now, or the refusal that would come.
struct BundleItemVerdict {
  std::string item;
  std::string operation;
  std::optional<Error> refusal;  // empty: the item would be accepted
};

struct BundlePrecheck {
  bool eligible = false;  // every item would be accepted
  std::vector<BundleItemVerdict> items;
};

struct BundleView {
  ports::BundleRecord record;
  std::vector<domain::Case> cases;  // in the order applied for
  bool replayed = false;            // the same Idempotency-Key and body were seen before
};

class BundleService {
 public:
  BundleService(ports::Store& store, const domain::Catalog& catalog, CaseService& cases)
      : store_(store), catalog_(catalog), cases_(cases) {}

  // R-BUNDLE-2. Errors: FORBIDDEN (no intake permission), VALIDATION_FAILED (the bundle's own
  // rules: notice not accepted, items). An item a rule refuses is a verdict, not an error.
  Result<BundlePrecheck> Precheck(const CallContext& context, const domain::BundleRequest& request);

  // R-BUNDLE-1/3. Errors: as Precheck's; the refusal of the first item that fails, with an
  // "items[i]" field naming it — nothing is accepted then; IDEMPOTENCY_KEY_REUSED.
  Result<BundleView> Submit(const CallContext& context, const domain::BundleRequest& request,
                            const std::string& idempotency_key, const std::string& request_digest);

  // R-BUNDLE-4: the bundle with its cases. Errors: NOT_FOUND, OUT_OF_REGION.
  Result<BundleView> Get(const CallContext& context, const std::string& bundle_no);
  // The applicant follows the bundle with its number and their ID number. Errors: NOT_FOUND
  // for any mismatch.
  Result<BundleView> Track(const std::string& bundle_no, const std::string& id_number);

 private:
  // Accepts items[0..count) of the request in `tx`, in order. Errors: the first refusal,
  // marked with its item.
  Result<std::vector<domain::Case>> AcceptAll(ports::Tx& tx, const CallContext& context,
                                              const domain::Principal& principal,
                                              const domain::BundleRequest& request,
                                              const std::vector<size_t>& indices);
  Result<BundleView> Load(ports::Tx& tx, const std::string& bundle_no);

  ports::Store& store_;
  const domain::Catalog& catalog_;
  CaseService& cases_;
};

}  // namespace sscard::app
