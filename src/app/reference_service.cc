#include "app/reference_service.h"

namespace sscard::app {

ReferenceService::ReferenceService(ports::Store& store, const domain::Catalog& catalog,
                                   const domain::WorkingCalendar& calendar,
                                   PhotoInspector photo_inspector)
    : store_(store), catalog_(catalog), calendar_(calendar),
      photo_inspector_(std::move(photo_inspector)) {}

Result<const domain::CatalogItem*> ReferenceService::Item(const std::string& code) const {
  const domain::CatalogItem* item = catalog_.Find(code);
  if (!item) return Fail(ErrorCode::kNOT_FOUND, "事项不存在：" + code, "no catalog item " + code);
  return item;
}

Result<Guide> ReferenceService::GuideAt(const std::string& item_code,
                                        const std::string& org_code) const {
  ASSIGN_OR_RETURN(const domain::CatalogItem* item, Item(item_code));
  ASSIGN_OR_RETURN(auto org, ports::Transact<std::optional<domain::Org>>(
                                 store_, ports::TxMode::kRead,
                                 [&](ports::Tx& tx) { return tx.orgs().Find(org_code); }));
  if (!org) return Fail(ErrorCode::kNOT_FOUND, "服务机构不存在：" + org_code, "no org " + org_code);
  Guide guide{item, *org, {}};
  for (const domain::Operation& operation : item->operations) {
    if (auto fee = domain::FeeFor(*item, operation.key, org->region_code)) {
      guide.fees.emplace_back(operation.key, *fee);
    }
  }
  return guide;
}

Result<DueDate> ReferenceService::DueDateFrom(Date from, int working_days) const {
  if (working_days < 0 || working_days > 400) {
    return Fail(MakeError(ErrorCode::kBAD_QUERY)
                    .WithField({"working_days", "OUT_OF_RANGE", {"工作日数应为0至400", "0 to 400"}, ""}));
  }
  DueDate due{calendar_.AddWorkingDays(from, working_days), true};
  due.calendar_complete = calendar_.Covers(from) && calendar_.Covers(due.due_on);
  return due;
}

Result<domain::IdCheck> ReferenceService::CheckIdDocument(const std::string& type,
                                                          const std::string& number,
                                                          Date today) const {
  auto id_type = domain::ParseIdType(type);
  if (!id_type) {
    return Fail(MakeError(ErrorCode::kVALIDATION_FAILED)
                    .WithField({"type", "UNKNOWN_ID_TYPE", {"不支持的证件类型", "unknown document type"}, "R-ID-1"}));
  }
  // Counties are looked up only when the data has any (a fresh install may have none yet).
  domain::CountyLookup known_county = [this](std::string_view code) {
    auto known = ports::Transact<bool>(store_, ports::TxMode::kRead, [&](ports::Tx& tx) -> Result<bool> {
      ASSIGN_OR_RETURN(auto region, tx.regions().Find(std::string(code)));
      if (region) return true;
      ASSIGN_OR_RETURN(int64_t count, tx.regions().Count());
      return count == 0;
    });
    return !known || *known;  // a database hiccup must not turn into a warning
  };
  return domain::CheckIdNumber(*id_type, number, today, known_county);
}

}  // namespace sscard::app
