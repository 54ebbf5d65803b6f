#include "infra/key_sealer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace sscard::infra {

KeySealer::KeySealer(std::string key_id, std::string encryption_key, std::string lookup_key)
    : key_id_(std::move(key_id)),
      encryption_key_(std::move(encryption_key)),
      lookup_key_(std::move(lookup_key)) {}

Result<std::unique_ptr<KeySealer>> KeySealer::OpenOrCreate(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::exists(path, error)) {
    fs::path folder = fs::path(path).parent_path();
    if (!folder.empty()) {
      fs::create_directories(folder, error);
      ::chmod(folder.c_str(), 0700);
    }
    std::string content = "sscard-key v1\nid 1\nencryption " + Base64Encode(RandomBytes(32)) +
                          "\nlookup " + Base64Encode(RandomBytes(32)) + "\n";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      return Fail(ErrorCode::kUNAVAILABLE, "无法创建密钥文件 " + path, "cannot create the key file " + path);
    }
    bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    written = ::fsync(fd) == 0 && written;
    ::close(fd);
    if (!written) return Fail(ErrorCode::kUNAVAILABLE, "无法写入密钥文件", "cannot write the key file " + path);
  }
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    return Fail(ErrorCode::kUNAVAILABLE, "无法读取密钥文件", "cannot read the key file " + path);
  }
  if (info.st_mode & 0077) {
    return Fail(ErrorCode::kVALIDATION_FAILED, "密钥文件权限过宽，应为 0600",
                "the key file " + path + " must be readable by its owner only (chmod 600)");
  }
  std::ifstream file(path);
  std::string line, id, encryption, lookup;
  std::getline(file, line);
  if (line != "sscard-key v1") {
    return Fail(ErrorCode::kVALIDATION_FAILED, "密钥文件格式错误", "not an sscard key file: " + path);
  }
  while (std::getline(file, line)) {
    std::istringstream words(line);
    std::string name, value;
    words >> name >> value;
    if (name == "id") id = value;
    if (name == "encryption") encryption = value;
    if (name == "lookup") lookup = value;
  }
  auto encryption_key = Base64Decode(encryption);
  auto lookup_key = Base64Decode(lookup);
  if (id.empty() || !encryption_key || encryption_key->size() != 32 || !lookup_key || lookup_key->size() != 32) {
    return Fail(ErrorCode::kVALIDATION_FAILED, "密钥文件内容不完整", "the key file " + path + " is incomplete");
  }
  return std::make_unique<KeySealer>(id, *encryption_key, *lookup_key);
}

std::string KeySealer::Seal(std::string_view plaintext, std::string_view context) const {
  return "k" + key_id_ + ":" + Base64Encode(AesGcmEncrypt(encryption_key_, plaintext, context));
}

std::optional<std::string> KeySealer::Open(std::string_view sealed, std::string_view context) const {
  size_t colon = sealed.find(':');
  if (colon == std::string_view::npos || sealed.substr(1, colon - 1) != key_id_) return std::nullopt;
  auto raw = Base64Decode(sealed.substr(colon + 1));
  if (!raw) return std::nullopt;
  return AesGcmDecrypt(encryption_key_, *raw, context);
}

std::string KeySealer::LookupKey(std::string_view value) const {
  return HmacSha256Hex(lookup_key_, value);
}

}  // namespace sscard::infra
