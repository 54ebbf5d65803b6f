#pragma once
// Socket-free HTTP messages: what the Beast server hands to the API and gets back. Tests
// build these directly to exercise every route without a socket.
// Thread-safety: plain values.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sscard::api {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as received: path and query, still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  std::string body;
  std::string remote_address;
  bool secure = false;  // came over TLS (to this server, or to a trusted proxy that says so)

  // The first value of a header (name in any case), or "".
  std::string Header(std::string_view name) const;
  // The value of a cookie of the Cookie header, or "".
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after this response
};

// A target split into its decoded path and query parameters.
struct Target {
  std::string path;
  std::multimap<std::string, std::string> query;
};

// The client's address. Behind a reverse proxy every request comes from the proxy, so rate
// limits and the loopback check of /metrics would see one client: when the peer is one of
// `trusted_proxies`, the rightmost address of X-Forwarded-For that is not itself a trusted
// proxy is the client (addresses a client put further left are its own claims and ignored).
// Without trusted proxies, or from any other peer, the header is ignored.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// Browser sessions (API.md: "the browser UI may use an HttpOnly cookie instead, with CSRF
// protection"). A sign-in asked for `"session": "cookie"` sets the session token in an
// HttpOnly, SameSite=Strict cookie (Secure over TLS) that scripts cannot read, and a readable
// CSRF cookie whose value must come back in X-CSRF-Token on every unsafe request the session
// cookie authenticates. The CSRF value is derived from the token, so nothing more is stored.
inline constexpr std::string_view kSessionCookie = "sscard_session";
inline constexpr std::string_view kCsrfCookie = "sscard_csrf";
// The session cookie's name for this request: "__Host-sscard_session" over TLS (the only name
// read then), else "sscard_session".
std::string SessionCookieName(const Request& request);
std::string CsrfTokenFor(const std::string& session_token);
// The two Set-Cookie headers of a cookie sign-in, and those that clear them at sign-out.
void SetSessionCookies(Response& response, const Request& request, const std::string& token, int64_t max_age_seconds);
void ClearSessionCookies(Response& response, const Request& request);

// The answer of the plain-HTTP port of a server that speaks HTTPS: 308 to the same host and
// target on `https_port`. The Host header counts only as a plain name or address with an
// optional port (no userinfo, nothing after it), and the target only as an absolute path;
// anything else is answered 400, so the redirect can never point at another site.
Response HttpsRedirect(const Request& request, uint16_t https_port);

// Splits and percent-decodes a request target. nullopt when the encoding is broken.
std::optional<Target> ParseTarget(std::string_view target);

}  // namespace sscard::api
