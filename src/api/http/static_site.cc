#include "api/http/static_site.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/error.h"

namespace sscard::api {
namespace {

namespace fs = std::filesystem;

std::string MimeTypeOf(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".woff", "font/woff"},                {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
      {".jpg", "image/jpeg"},                {".webp", "image/webp"}};
  auto found = kTypes.find(path.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

Error BadRoot(const std::string& root, const std::string& why) {
  return MakeError(ErrorCode::kVALIDATION_FAILED, "网页目录不可用：" + root + "（" + why + "）",
                   "the web folder cannot be served: " + root + " (" + why + ")");
}

// A client-side route: no file extension in its last segment.
bool LooksLikeRoute(std::string_view path) {
  size_t slash = path.rfind('/');
  return path.substr(slash + 1).find('.') == std::string_view::npos;
}

// A path a browser of our UI can ask for: segments of printable characters, none empty, none
// starting with a dot, no backslash. Anything else is not looked up at all.
bool PlainPath(std::string_view path) {
  if (path.empty() || path.front() != '/' || path.size() > 1024) return false;
  if (path == "/") return true;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    bool last = end == path.size();
    if (segment.empty() && !last) return false;  // "//" anywhere
    if (!segment.empty() && segment.front() == '.') return false;
    for (char c : segment) {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f || c == '\\' || c == ':') return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

Result<StaticSite> StaticSite::Load(const std::string& root) {
  StaticSite site;
  if (root.empty()) return site;
  std::error_code error;
  fs::path base = fs::canonical(root, error);
  if (error || !fs::is_directory(base, error)) return Fail(BadRoot(root, "not a folder"));
  size_t total = 0;
  // Directory symlinks are not followed (the iterator's default); file symlinks are skipped.
  fs::recursive_directory_iterator walk(base, fs::directory_options::none, error);
  if (error) return Fail(BadRoot(root, error.message()));
  for (auto end = fs::recursive_directory_iterator(); walk != end; walk.increment(error)) {
    if (error) return Fail(BadRoot(root, error.message()));
    const fs::directory_entry& entry = *walk;
    std::string name = entry.path().filename().string();
    if (!name.empty() && name.front() == '.') {
      if (entry.is_directory(error)) walk.disable_recursion_pending();
      continue;
    }
    if (entry.is_symlink(error) || !entry.is_regular_file(error)) continue;
    if (site.files_.size() >= kMaxFiles) return Fail(BadRoot(root, "too many files"));
    std::ifstream stream(entry.path(), std::ios::binary);
    if (!stream) return Fail(BadRoot(root, "cannot read " + name));
    File file{MimeTypeOf(entry.path()), std::string(std::istreambuf_iterator<char>(stream), {})};
    total += file.body.size();
    if (total > kMaxBytes) return Fail(BadRoot(root, "more than 64 MiB"));
    std::string key = "/" + fs::relative(entry.path(), base).generic_string();
    site.files_.emplace(std::move(key), std::move(file));
  }
  return site;
}

const StaticSite::File* StaticSite::Exact(std::string_view path) const {
  auto found = files_.find(path);
  return found == files_.end() ? nullptr : &found->second;
}

std::optional<Response> StaticSite::Find(std::string_view path) const {
  if (!PlainPath(path)) return std::nullopt;
  const File* file = path == "/" ? nullptr : Exact(path);
  bool index = false;
  if (!file) {
    // Hashed build output and anything named like a file is never answered by a page.
    if (path.rfind("/assets/", 0) == 0 || path.find("/assets/") != std::string_view::npos ||
        !LooksLikeRoute(path)) {
      return std::nullopt;
    }
    // The portal under /m/ has its own page; everything else is the staff UI's.
    if (path == "/m" || path.rfind("/m/", 0) == 0) file = Exact("/m/index.html");
    if (!file) file = Exact("/index.html");
    if (!file) return std::nullopt;
    index = true;
  }
  Response response;
  response.content_type = file->content_type;
  response.body = file->body;
  bool hashed_asset = !index && path.find("/assets/") != std::string_view::npos;
  response.headers.emplace_back("Cache-Control",
                                hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace sscard::api
