#pragma once
// The HTTP/1.1 server on Boost.Beast: asynchronous, a thread pool sized to the cores,
// keep-alive, a body-size limit, read and idle timeouts, graceful shutdown (stop accepting,
// let in-flight requests finish, close idle connections), and HTTPS through OpenSSL when a
// certificate is given. Every request goes to one socket-free handler (Api::Handle).
// Thread-safety: Stop may be called from any thread (and from a signal); the rest from the
// owning thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http/message.h"
#include "common/result.h"

namespace sscard::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 0;       // 0: one per core (at least 2)
  size_t body_limit = 8 * 1024 * 1024;
  size_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30000};   // to receive one whole request
  std::chrono::milliseconds idle_timeout{60000};   // keep-alive wait for the next request
  std::chrono::milliseconds drain_timeout{10000};  // in-flight requests at shutdown
  // Connections served at once; one more is answered 503 and closed.
  size_t max_connections = 2048;
  // Requests for which this returns true (sign-in, password and PIN hashing: argon2id) run
  // on a bounded pool of worker threads, so the I/O threads keep answering everyone else.
  std::function<bool(const Request&)> runs_on_worker;
  int worker_threads = 2;
  size_t worker_queue = 256;  // waiting worker requests; more are answered 503 with Retry-After
  // Reverse proxies whose X-Forwarded-For names the client (ClientAddress in message.h).
  std::vector<std::string> trusted_proxies;
  // TLS through OpenSSL: PEM files of the certificate chain and of its private key. When both
  // are set the port speaks HTTPS only (TLS 1.2 and 1.3, forward-secret AEAD suites), and
  // every answer carries Strict-Transport-Security.
  std::string tls_cert_file;
  std::string tls_key_file;
  bool Tls() const { return !tls_cert_file.empty() && !tls_key_file.empty(); }
};

class HttpServer {
 public:
  using Handler = std::function<Response(const Request&)>;
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();

  // Binds and listens. Returns the bound port. Errors: UNAVAILABLE (address in use, …;
  // a certificate or key that cannot be loaded).
  Result<uint16_t> Listen();
  // Makes SIGINT and SIGTERM start a graceful Stop.
  void StopOnSignals();
  // Serves on the pool's threads until stopped; blocks the caller until then.
  void Run();
  // Starts serving on background threads and returns (tests).
  void Start();
  // Graceful stop; returns at once. Run() / Wait() return once drained.
  void Stop();
  // Waits for the threads started by Start().
  void Wait();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sscard::api
