#pragma once
// Uploaded materials and photos (R-ACCEPT-2): content-addressed by SHA-256, with size and
// type limits; readable by staff whose region covers the uploading org.
// Thread-safety: all methods may be called concurrently.

#include <string>

#include "app/context.h"
#include "domain/ports/store.h"

namespace sscard::app {

inline constexpr size_t kMaxFileBytes = 5 * 1024 * 1024;

class FileService {
 public:
  explicit FileService(ports::Store& store) : store_(store) {}
  // Errors: FORBIDDEN (no intake permission), UNSUPPORTED_MEDIA_TYPE (JPEG, PNG, PDF only),
  // PAYLOAD_TOO_LARGE (over 5 MB), VALIDATION_FAILED (empty).
  Result<ports::StoredFile> Upload(const CallContext& context, const std::string& content_type,
                                   const std::string& content);
  // Errors: NOT_FOUND, OUT_OF_REGION.
  Result<ports::StoredFile> Download(const CallContext& context, const std::string& file_id);

 private:
  ports::Store& store_;
};

}  // namespace sscard::app
