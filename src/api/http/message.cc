#include "api/http/message.h"

#include <algorithm>
#include <cctype>

#include "common/crypto.h"

namespace sscard::api {
namespace {

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t index = 0; index < text.size(); ++index) {
    char character = text[index];
    if (character == '%') {
      if (index + 2 >= text.size()) return std::nullopt;
      auto hex = [](char digit) -> int {
        if (digit >= '0' && digit <= '9') return digit - '0';
        if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
        if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
        return -1;
      };
      int high = hex(text[index + 1]);
      int low = hex(text[index + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded.push_back(static_cast<char>(high * 16 + low));
      index += 2;
    } else if (character == '+' && plus_is_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(character);
    }
  }
  return decoded;
}

}  // namespace

std::string Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

std::string Request::Cookie(std::string_view name) const {
  for (const auto& [header, value] : headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    }
  }
  return {};
}

std::string SessionCookieName(const Request& request) {
  return (request.secure ? "__Host-" : "") + std::string(kSessionCookie);
}

std::string CsrfTokenFor(const std::string& session_token) {
  return Sha256Hex("sscard-csrf:" + session_token).substr(0, 32);
}

namespace {
// Over TLS the names carry the __Host- prefix: the browser then takes such a cookie only from
// this host over https, with Path=/ and no Domain, so no sibling site can plant one.
std::string CookieLine(std::string_view name, const std::string& value, bool http_only, bool secure, int64_t max_age) {
  return (secure ? "__Host-" : "") + std::string(name) + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age) + "; SameSite=Strict" +
         (http_only ? "; HttpOnly" : "") + (secure ? "; Secure" : "");
}
}  // namespace

void SetSessionCookies(Response& response, const Request& request, const std::string& token, int64_t max_age_seconds) {
  response.headers.emplace_back("Set-Cookie", CookieLine(kSessionCookie, token, true, request.secure, max_age_seconds));
  response.headers.emplace_back("Set-Cookie",
                                CookieLine(kCsrfCookie, CsrfTokenFor(token), false, request.secure, max_age_seconds));
}

void ClearSessionCookies(Response& response, const Request& request) {
  response.headers.emplace_back("Set-Cookie", CookieLine(kSessionCookie, "", true, request.secure, 0));
  response.headers.emplace_back("Set-Cookie", CookieLine(kCsrfCookie, "", false, request.secure, 0));
}

Response HttpsRedirect(const Request& request, uint16_t https_port) {
  std::string host = request.Header("host");
  size_t hosts = std::count_if(request.headers.begin(), request.headers.end(),
                               [](const auto& header) { return header.first == "host"; });
  // Only reads are redirected: a form or API call sent in clear is refused, so that the
  // client fixes its URL instead of sending the same body again (RFC 9112: one Host only).
  bool read = request.method == "GET" || request.method == "HEAD";
  std::string name;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close != std::string::npos) name = host.substr(0, close + 1);
    bool address = name.size() > 2 && std::all_of(name.begin() + 1, name.end() - 1, [](unsigned char c) {
      return std::isxdigit(c) || c == ':' || c == '.';
    });
    if (!address) name.clear();
  } else {
    name = host.substr(0, host.find(':'));
    bool plain = !name.empty() && name.size() <= 253 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '.' || c == '-';
    });
    if (!plain) name.clear();
  }
  std::string rest = name.empty() ? "" : host.substr(name.size());
  bool port_ok = rest.empty() || (rest.size() <= 6 && rest[0] == ':' &&
                                  std::all_of(rest.begin() + 1, rest.end(), [](unsigned char c) { return std::isdigit(c); }));
  const std::string& target = request.target;
  bool path_ok = !target.empty() && target[0] == '/' && target.compare(0, 2, "//") != 0 && target.size() <= 8192;
  if (name.empty() || !port_ok || !path_ok || hosts != 1 || !read) {
    Response bad;
    bad.status = 400;
    bad.content_type = "text/plain; charset=utf-8";
    bad.body = "use https\n";
    bad.close = true;
    return bad;
  }
  Response moved;
  moved.status = 308;
  moved.content_type = "text/plain; charset=utf-8";
  std::string location = "https://" + name + (https_port == 443 ? "" : ":" + std::to_string(https_port)) + target;
  moved.headers.emplace_back("Location", location);
  moved.body = location + "\n";
  return moved;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view hop = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
    while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
    // Only address characters: whatever else a hop holds is not an address.
    bool shaped = !hop.empty() && hop.size() <= 45 &&
                  std::all_of(hop.begin(), hop.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':'; });
    if (!shaped) break;
    client = std::string(hop);
    if (!trusted(hop)) break;
  }
  return client;
}

std::optional<Target> ParseTarget(std::string_view target) {
  Target parsed;
  size_t question = target.find('?');
  auto path = PercentDecode(target.substr(0, question), false);
  if (!path || path->empty() || (*path)[0] != '/') return std::nullopt;
  parsed.path = *path;
  if (question == std::string_view::npos) return parsed;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      auto key = PercentDecode(pair.substr(0, equals), true);
      auto value = PercentDecode(
          equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
      if (!key || !value) return std::nullopt;
      parsed.query.emplace(*key, *value);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return parsed;
}

}  // namespace sscard::api
