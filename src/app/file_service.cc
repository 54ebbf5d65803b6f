#include "app/file_service.h"

#include "app/admin_service.h"
#include "app/audited.h"
#include "common/crypto.h"

namespace sscard::app {
namespace {

// The declared type must be what the bytes are (a script named photo.jpg is not a photo).
bool ContentIs(const std::string& type, const std::string& content) {
  auto starts = [&](std::string_view magic) { return content.compare(0, magic.size(), magic) == 0; };
  if (type == "image/jpeg") return starts("\xFF\xD8\xFF");
  if (type == "image/png") return starts("\x89PNG\r\n\x1A\n");
  if (type == "application/pdf") return starts("%PDF-");
  return false;
}

}  // namespace

Result<ports::StoredFile> FileService::Upload(const CallContext& context, const std::string& content_type,
                                              const std::string& content) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  // Clerks upload materials at the window; citizens upload their own photo online (R-ONE-8).
  if (!principal.IsCitizen()) RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kIntake));
  std::string type = content_type.substr(0, content_type.find(';'));
  if (type != "image/jpeg" && type != "image/png" && type != "application/pdf") {
    return Fail(ErrorCode::kUNSUPPORTED_MEDIA_TYPE, "材料只接受 JPEG、PNG 或 PDF 文件",
                "materials are JPEG, PNG or PDF files");
  }
  if (content.empty()) return Fail(ErrorCode::kVALIDATION_FAILED, "文件为空", "the file is empty");
  if (content.size() > kMaxFileBytes) return Fail(ErrorCode::kPAYLOAD_TOO_LARGE, "文件不能超过5MB", "at most 5 MB");
  if (!ContentIs(type, content)) {
    return Fail(ErrorCode::kUNSUPPORTED_MEDIA_TYPE, "文件内容与声明的类型不符", "the file's content is not of its declared type");
  }
  ports::StoredFile file{Sha256Hex(content), type, static_cast<int64_t>(content.size()), principal.org_code,
                         principal.username, context.now, content};
  return RunAudited<ports::StoredFile>(store_, context, {"file.upload", file.file_id},
                                       [&](ports::Tx& tx) -> Result<ports::StoredFile> {
                                         RETURN_IF_ERROR(tx.files().Put(file));
                                         ASSIGN_OR_RETURN(auto stored, tx.files().Find(file.file_id, false));
                                         return *stored;
                                       });
}

Result<ports::StoredFile> FileService::Download(const CallContext& context, const std::string& file_id) {
  ASSIGN_OR_RETURN(domain::Principal principal, RequirePrincipal(context));
  RETURN_IF_ERROR(domain::RequirePermission(principal, domain::Permission::kReadCases));
  ASSIGN_OR_RETURN(auto file, ports::Transact<std::optional<ports::StoredFile>>(
                                  store_, ports::TxMode::kRead,
                                  [&](ports::Tx& tx) { return tx.files().Find(file_id, true); }));
  if (!file) return Fail(ErrorCode::kNOT_FOUND);
  // Org codes begin with the 9-digit region code of the org.
  std::string region = file->org_code.substr(0, 9);
  if (region.size() == 9 && region.substr(6) == "000") region = region.substr(0, 6);
  RETURN_IF_ERROR(domain::AuthorizeRecord(principal, domain::Permission::kReadCases, region));
  return *file;
}

}  // namespace sscard::app
