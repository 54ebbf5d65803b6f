#include "infra/ed25519_signer.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "common/error.h"

namespace sscard::infra {
namespace {

std::string NewKeyLine() {
  std::string seed = RandomBytes(crypto_sign_SEEDBYTES);
  return "ed25519 " + Base64Encode(seed) + "\n";
}

Status AppendLine(const std::string& path, const std::string& line, bool create) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | (create ? O_CREAT | O_EXCL : 0), 0600);
  if (fd < 0) return Fail(ErrorCode::kUNAVAILABLE, "无法写入电子社保卡签名密钥文件", "cannot write the e-card key file " + path);
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  written = ::fsync(fd) == 0 && written;
  ::close(fd);
  if (!written) return Fail(ErrorCode::kUNAVAILABLE, "无法写入电子社保卡签名密钥文件", "cannot write the e-card key file " + path);
  return Ok();
}

}  // namespace

Status Ed25519Signer::Rotate(const std::string& path) { return AppendLine(path, NewKeyLine(), false); }

Result<std::unique_ptr<Ed25519Signer>> Ed25519Signer::OpenOrCreate(const std::string& path) {
  namespace fs = std::filesystem;
  InitCrypto();
  std::error_code error;
  if (!fs::exists(path, error)) {
    fs::path folder = fs::path(path).parent_path();
    if (!folder.empty()) fs::create_directories(folder, error);
    RETURN_IF_ERROR(AppendLine(path, NewKeyLine(), true));
  }
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    return Fail(ErrorCode::kUNAVAILABLE, "无法读取电子社保卡签名密钥文件", "cannot read the e-card key file " + path);
  }
  if (info.st_mode & 0077) {
    return Fail(ErrorCode::kVALIDATION_FAILED, "密钥文件权限过宽，应为 0600", "the e-card key file " + path + " must be mode 0600");
  }
  auto signer = std::unique_ptr<Ed25519Signer>(new Ed25519Signer());
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line) && signer->keys_.size() < 64) {
    std::istringstream words(line);
    std::string kind, encoded;
    words >> kind >> encoded;
    auto seed = Base64Decode(encoded);
    if (kind != "ed25519" || !seed || seed->size() != crypto_sign_SEEDBYTES) {
      return Fail(ErrorCode::kVALIDATION_FAILED, "电子社保卡签名密钥文件格式错误", "bad line in the e-card key file " + path);
    }
    Key key;
    key.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    key.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                             reinterpret_cast<unsigned char*>(key.secret_key.data()),
                             reinterpret_cast<const unsigned char*>(seed->data()));
    key.kid = DigestHex(key.public_key).substr(0, 16);
    signer->keys_.push_back(std::move(key));
  }
  if (signer->keys_.empty()) {
    return Fail(ErrorCode::kVALIDATION_FAILED, "电子社保卡签名密钥文件为空", "no key in the e-card key file " + path);
  }
  return signer;
}

std::string Ed25519Signer::CurrentKid() const { return keys_.back().kid; }

std::string Ed25519Signer::Sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(keys_.back().secret_key.data()));
  return signature;
}

bool Ed25519Signer::Verify(std::string_view kid, std::string_view message, std::string_view signature) const {
  if (signature.size() != crypto_sign_BYTES) return false;
  for (const Key& key : keys_) {
    if (key.kid != kid) continue;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       reinterpret_cast<const unsigned char*>(key.public_key.data())) == 0;
  }
  return false;
}

std::vector<ports::PublicKey> Ed25519Signer::PublishedKeys() const {
  std::vector<ports::PublicKey> published;
  for (auto it = keys_.rbegin(); it != keys_.rend(); ++it) published.push_back({it->kid, "Ed25519", Base64Encode(it->public_key)});
  return published;
}

}  // namespace sscard::infra
