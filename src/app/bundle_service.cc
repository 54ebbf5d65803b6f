#include "app/bundle_service.h"

#include <fmt/format.h>

#include "app/admin_service.h"
#include "app/audited.h"
#include "app/idempotency.h"
#include "domain/id_document.h"

namespace sscard::app {
namespace {

using domain::Case;
using domain::Permission;

Status CheckRequest(const domain::BundleRequest& request, const domain::Catalog& catalog) {
  std::vector<FieldError> problems = domain::CheckBundle(request, catalog);
  if (problems.empty()) return Ok();
  Error error = MakeError(ErrorCode::kVALIDATION_FAILED);
  error.fields = std::move(problems);
  if (error.fields.front().code == "NOTICE_NOT_ACCEPTED") error.rule = "R-BUNDLE-2";
  return Fail(std::move(error));
}

// The refusal of item `index`, with a field that names the item first.
Error MarkItem(Error error, size_t index, const domain::BundleItem& item) {
  std::string prefix = fmt::format("items[{}]", index);
  for (FieldError& field : error.fields) field.field = prefix + "." + field.field;
  LocalText what = error.detail.zh.empty() ? error.title : error.detail;
  error.fields.insert(error.fields.begin(),
                      FieldError{prefix, std::string(CodeName(error.code)),
                                 {fmt::format("事项 {}（{}）：{}", item.item, item.operation, what.zh),
                                  fmt::format("item {} ({}): {}", item.item, item.operation, what.en)},
                                 error.rule});
  return error;
}

}  // namespace

Result<std::vector<Case>> BundleService::AcceptAll(ports::Tx& tx, const CallContext& context,
                                                   const domain::Principal& principal,
                                                   const domain::BundleRequest& request,
                                                   const std::vector<size_t>& indices) {
  std::vector<Case> accepted;
  for (size_t index : indices) {
    const domain::BundleItem& item = request.items[index];
    const domain::CatalogItem* catalog_item = catalog_.Find(item.item);
    domain::IntakeRequest intake = domain::RequestFor(request, item, *catalog_item);
    if (principal.IsCitizen()) RETURN_IF_ERROR(cases_.ActAsCitizen(tx, principal, intake));
    auto record = cases_.Accept(tx, context, principal, *catalog_item, intake, {}, {}, std::nullopt);
    if (!record) return Fail(MarkItem(std::move(record).error(), index, item));
    accepted.push_back(std::move(*record));
  }
  return accepted;
}

namespace {

// Staff take bundles at the window; a citizen bundles their own items online (R-ONE-8).
Status MayBundle(const domain::Principal& principal) {
  return principal.IsCitizen() ? Ok() : domain::RequirePermission(principal, Permission::kIntake);
}

}  // namespace

Result<BundlePrecheck> BundleService::Precheck(const CallContext& context, const domain::BundleRequest& request) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(MayBundle(principal));
  RETURN_IF_ERROR(CheckRequest(request, catalog_));
  BundlePrecheck answer;
  answer.eligible = true;
  std::vector<size_t> passed;  // each item is tried after the earlier ones that would pass
  for (size_t index = 0; index < request.items.size(); ++index) {
    std::vector<size_t> trial = passed;
    trial.push_back(index);
    Status outcome = store_.Run(ports::TxMode::kTrial, [&](ports::Tx& tx) -> Status {
      return AcceptAll(tx, context, principal, request, trial).map([](auto&&) {});
    });
    BundleItemVerdict verdict{request.items[index].item, request.items[index].operation, std::nullopt};
    if (outcome) {
      passed.push_back(index);
    } else {
      verdict.refusal = std::move(outcome).error();
      answer.eligible = false;
    }
    answer.items.push_back(std::move(verdict));
  }
  // The look at the applicant's cards is a use of their data: it leaves its trace.
  RETURN_IF_ERROR(RunAudited(store_, context, {"bundle.precheck", fmt::format("{} items", request.items.size())},
                             [](ports::Tx&) { return Ok(); }));
  return answer;
}

Result<BundleView> BundleService::Submit(const CallContext& context, const domain::BundleRequest& request,
                                         const std::string& idempotency_key, const std::string& request_digest) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(MayBundle(principal));
  std::string scoped_key = idempotency_key.empty() ? "" : principal.username + ":bundle:" + idempotency_key;
  // A retry after a timeout: the first bundle again, never a second one.
  CreateOnce<BundleView> once(store_, scoped_key, request_digest,
                              [&](ports::Tx& tx, const std::string& bundle_no) -> Result<std::optional<BundleView>> {
                                ASSIGN_OR_RETURN(BundleView view, Load(tx, bundle_no));
                                view.replayed = true;
                                return std::optional<BundleView>(std::move(view));
                              });
  ASSIGN_OR_RETURN(auto seen, once.Replay());
  if (seen) return std::move(*seen);
  RETURN_IF_ERROR(CheckRequest(request, catalog_));
  std::vector<size_t> all(request.items.size());
  for (size_t index = 0; index < all.size(); ++index) all[index] = index;
  AuditTarget what{"bundle.submit", "new"};
  return once.Run(
      context, what,
      [&](ports::Tx& tx) -> Result<BundleView> {
    ASSIGN_OR_RETURN(std::vector<Case> accepted, AcceptAll(tx, context, principal, request, all));
    BundleView view;
    view.record.bundle_no = "B" + accepted.front().case_no;
    view.record.region_code = accepted.front().region_code;
    view.record.person_id = accepted.front().person_id;
    view.record.org_code = accepted.front().accepting_org;
    view.record.created_by = principal.username;
    view.record.created_at = context.now;
    for (const Case& record : accepted) view.record.case_nos.push_back(record.case_no);
    view.cases = std::move(accepted);
    what.target = view.record.bundle_no;
    RETURN_IF_ERROR(tx.bundles().Insert(view.record));
    return view;
      },
      [](const BundleView& view) { return view.record.bundle_no; });
}

Result<BundleView> BundleService::Load(ports::Tx& tx, const std::string& bundle_no) {
  ASSIGN_OR_RETURN(auto record, tx.bundles().Find(bundle_no));
  if (!record) return Fail(ErrorCode::kNOT_FOUND);
  BundleView view;
  view.record = std::move(*record);
  for (const std::string& case_no : view.record.case_nos) {
    ASSIGN_OR_RETURN(auto found, tx.cases().Find(case_no));
    if (!found) return Fail(ErrorCode::kINTERNAL, "办件缺失", "a bundled case is missing: " + case_no);
    view.cases.push_back(std::move(*found));
  }
  return view;
}

Result<BundleView> BundleService::Get(const CallContext& context, const std::string& bundle_no) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  if (!principal.IsCitizen()) RETURN_IF_ERROR(domain::RequirePermission(principal, Permission::kReadCases));
  ASSIGN_OR_RETURN(BundleView view, ports::Transact<BundleView>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) {
                     return Load(tx, bundle_no);
                   }));
  // A citizen reads their own bundles; "not yours" answers like "not there".
  if (principal.IsCitizen()) {
    if (view.record.person_id != principal.person_id) return Fail(ErrorCode::kNOT_FOUND);
    return view;
  }
  RETURN_IF_ERROR(domain::AuthorizeRecord(principal, Permission::kReadCases, view.record.region_code));
  return view;
}

Result<BundleView> BundleService::Track(const std::string& bundle_no, const std::string& id_number) {
  auto view = ports::Transact<BundleView>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) { return Load(tx, bundle_no); });
  std::string normalized = domain::NormalizeIdNumber(id_number);
  if (!view || view->cases.empty() || view->cases.front().applicant.id_number != normalized) {
    return Fail(ErrorCode::kNOT_FOUND);
  }
  return view;
}

}  // namespace sscard::app
