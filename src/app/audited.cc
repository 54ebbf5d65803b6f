#include "app/audited.h"

#include "common/ids.h"

namespace sscard::app {

domain::Principal CliPrincipal(const std::string& province_region) {
  domain::Principal principal;
  principal.username = "cli";
  principal.name = "command line";
  principal.org_level = domain::OrgLevel::kProvince;
  principal.region_code = province_region;
  principal.roles = domain::AllRoles();
  return principal;
}

domain::AuditEntry MakeAuditEntry(const CallContext& context, const AuditTarget& what,
                                  const Error* refusal) {
  domain::AuditEntry entry;
  entry.id = NewSortableId(context.now);
  entry.at = context.now;
  entry.actor = context.Actor();
  entry.org_code = what.org_code.empty() ? context.OrgCode() : what.org_code;
  entry.action = what.action;
  entry.target = what.target;
  entry.result = refusal ? "refused" : "ok";
  entry.code = refusal ? std::string(CodeName(refusal->code)) : "";
  entry.rule = refusal ? refusal->rule : "";
  entry.request_id = context.request_id;
  return entry;
}

Status RunAudited(ports::Store& store, const CallContext& context, const AuditTarget& what,
                  const std::function<Status(ports::Tx&)>& body) {
  Status status = store.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) -> Status {
    RETURN_IF_ERROR(body(tx));
    return tx.audit().Append(MakeAuditEntry(context, what, nullptr));
  });
  if (status) return status;
  const Error& refusal = status.error();
  if (refusal.kind != ErrorKind::kUnavailable) {
    // Best effort: when the refusal row cannot be written either, the caller still gets the
    // original error (the database is failing and the access log has the request id).
    (void)store.Run(ports::TxMode::kWrite, [&](ports::Tx& tx) {
      return tx.audit().Append(MakeAuditEntry(context, what, &refusal));
    });
  }
  return status;
}

}  // namespace sscard::app
