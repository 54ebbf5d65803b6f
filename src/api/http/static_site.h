#pragma once
// The built web UI, read once into memory at start-up and served from there. A request path
// is only ever a key into the table of files found under the root at load time, so no path a
// client sends can reach the file system: "//etc/passwd", "%2F…", "..", backslashes, NUL and
// symlinks that lead out of the root are not in the table and cannot be. Unknown paths that
// look like client-side routes get the folder's index.html; a missing file under /assets/ or
// any path with a file extension is 404.
// Thread-safety: immutable after Load; Find may be called concurrently.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/message.h"
#include "common/result.h"

namespace sscard::api {

class StaticSite {
 public:
  // Limits that keep a misconfigured --web (say "/") from reading the whole disk.
  static constexpr size_t kMaxFiles = 4096;
  static constexpr size_t kMaxBytes = 64u << 20;

  // Reads every regular file under `root` (symlinks are not followed, dot-files skipped).
  // An empty root gives an empty site. Errors: VALIDATION_FAILED when the root is not a
  // readable folder or holds more than the limits.
  static Result<StaticSite> Load(const std::string& root);

  bool empty() const { return files_.empty(); }
  size_t size() const { return files_.size(); }

  // The answer for a decoded request path, or nullopt (404). "/" and client-side routes
  // ("/cases", "/m/cards/1") give the nearest index.html ("/m/index.html" under "/m/").
  std::optional<Response> Find(std::string_view path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  const File* Exact(std::string_view path) const;
  std::map<std::string, File, std::less<>> files_;  // "/assets/index-abc.js" → content
};

}  // namespace sscard::api
