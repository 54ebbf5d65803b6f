#include "api/http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http/api.h"
#include "common/ids.h"

namespace sscard::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// What the server keeps of each connection, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void CloseIfIdle() = 0;
  virtual void SendProblem(const Error& error) = 0;
};

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        threads_(options_.threads > 0
                     ? options_.threads
                     : std::max(2, static_cast<int>(std::thread::hardware_concurrency()))),
        io_(threads_),
        workers_(static_cast<size_t>(std::max(1, options_.worker_threads))),
        acceptor_(asio::make_strand(io_)),
        signals_(io_),
        drain_timer_(io_) {}

  Result<uint16_t> Listen() {
    if (options_.Tls()) RETURN_IF_ERROR(LoadTls());
    beast::error_code error;
    auto address = asio::ip::make_address(options_.address, error);
    if (error) {
      return Fail(ErrorCode::kUNAVAILABLE, "监听地址无效", "bad listen address " + options_.address);
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return Fail(ErrorCode::kUNAVAILABLE, "无法监听端口",
                  "cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                      ": " + error.message());
    }
    Accept();
    return acceptor_.local_endpoint().port();
  }

  void StopOnSignals() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](beast::error_code error, int signal) {
      if (error) return;
      spdlog::info("signal {} received: stopping gracefully", signal);
      Stop();
    });
  }

  void Run() {
    std::vector<std::thread> pool;
    for (int index = 1; index < threads_; ++index) pool.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& thread : pool) thread.join();
  }

  void Start() {
    for (int index = 0; index < threads_; ++index) background_.emplace_back([this] { io_.run(); });
  }

  void Wait() {
    for (auto& thread : background_) thread.join();
    background_.clear();
  }

  void Stop();
  void Accept();
  void Register(const std::shared_ptr<SessionBase>& session);
  void Unregister(SessionBase* session);
  ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }

  const ServerOptions& options() const { return options_; }
  asio::thread_pool& workers() { return workers_; }
  // Takes a place in the worker queue; false when it is full.
  bool EnterWorkerQueue() {
    size_t waiting = worker_waiting_.fetch_add(1);
    if (waiting < options_.worker_queue) return true;
    worker_waiting_.fetch_sub(1);
    return false;
  }
  void LeaveWorkerQueue() { worker_waiting_.fetch_sub(1); }
  const Handler& handler() const { return handler_; }
  bool stopping() const { return stopping_; }

 private:
  // TLS 1.2 and 1.3 only, forward-secret AEAD suites for 1.2; the chain and key from PEM files.
  Status LoadTls() {
    tls_.emplace(ssl::context::tls_server);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls_->native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(tls_->native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20");
    beast::error_code error;
    tls_->use_certificate_chain_file(options_.tls_cert_file, error);
    if (error) {
      tls_.reset();
      return Fail(ErrorCode::kUNAVAILABLE, "无法读取 TLS 证书", "cannot load the TLS certificate: " + error.message());
    }
    tls_->use_private_key_file(options_.tls_key_file, ssl::context::pem, error);
    if (error || SSL_CTX_check_private_key(tls_->native_handle()) != 1) {
      tls_.reset();
      return Fail(ErrorCode::kUNAVAILABLE, "无法读取 TLS 私钥或与证书不符",
                  "cannot load the TLS key, or it does not match the certificate");
    }
    return Ok();
  }

  ServerOptions options_;
  Handler handler_;
  std::optional<ssl::context> tls_;
  int threads_;
  asio::io_context io_;
  asio::thread_pool workers_;
  std::atomic<size_t> worker_waiting_{0};
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  std::vector<std::thread> background_;
  std::atomic<bool> stopping_{false};
  std::mutex sessions_mutex_;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions_;
};

// One connection: reads requests one after another (keep-alive), answers each through the
// handler, and closes on error, timeout, "Connection: close" or shutdown. `Stream` is a plain
// TCP stream or a TLS stream over one; a TLS connection shakes hands first, within the read
// timeout.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... TlsContext>
  Session(tcp::socket&& socket, HttpServer::Impl& server, TlsContext&... tls)
      : stream_(std::move(socket), tls...), server_(server), deadline_(stream_.get_executor()) {
    beast::error_code error;
    auto remote = Lowest().socket().remote_endpoint(error);
    if (!error) remote_ = remote.address().to_string();
    Lowest().socket().set_option(tcp::no_delay(true), error);
  }

  ~Session() override { server_.Unregister(this); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->server_.options().read_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code error) {
          self->Lowest().expires_never();
          if (error) return self->Close();
          self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

  // Called at shutdown: an idle connection is closed now, a busy one after its response.
  void CloseIfIdle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) self->Close();
    });
  }

 private:
  void Read() {
    if (server_.stopping()) return Close();
    parser_.emplace();
    parser_->body_limit(server_.options().body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().header_limit));
    idle_ = buffer_.size() == 0;
    // Our own deadline rather than the stream's: the stream's closes the socket, and a slow
    // client deserves a 408 answer first.
    timed_out_ = false;
    deadline_.expires_after(first_ ? server_.options().read_timeout : server_.options().idle_timeout);
    deadline_.async_wait([weak = this->weak_from_this()](beast::error_code error) {
      auto self = weak.lock();
      if (error || !self) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->Lowest().socket().cancel(ignored);
    });
    first_ = false;
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                       self->OnRead(error);
                     });
  }

  void OnRead(beast::error_code error) {
    idle_ = false;
    deadline_.cancel();
    bool partial = parser_->got_some() || buffer_.size() > 0;
    if (timed_out_) {
      if (!partial) return Close();  // an idle keep-alive connection: just close
      return SendProblem(MakeError(ErrorCode::kTIMEOUT));
    }
    if (error == http::error::end_of_stream || error == asio::error::operation_aborted ||
        error == asio::error::connection_reset || error == asio::error::eof) {
      return Close();
    }
    if (error == http::error::body_limit) {
      return SendProblem(MakeError(ErrorCode::kPAYLOAD_TOO_LARGE));
    }
    if (error) {
      if (!partial) return Close();
      return SendProblem(MakeError(ErrorCode::kMALFORMED_REQUEST, "无法解析的 HTTP 请求",
                                   "the HTTP request could not be parsed: " + error.message()));
    }
    auto& message = parser_->get();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = ClientAddress(remote_, request.Header("x-forwarded-for"), server_.options().trusted_proxies);
    // Over TLS here, or to a trusted proxy (the only peer whose forwarded address counts) that
    // says so: cookies are then marked Secure.
    request.secure = kTls || (request.remote_address != remote_ && request.Header("x-forwarded-proto") == "https");
    bool keep_alive = message.keep_alive();
    unsigned version = message.version();

    const auto& offload = server_.options().runs_on_worker;
    if (offload && offload(request)) {
      if (!server_.EnterWorkerQueue()) {
        Response busy = ProblemResponse(MakeError(ErrorCode::kUNAVAILABLE, "服务繁忙，请稍后重试",
                                                  "the server is busy; retry shortly"),
                                        false, NewSortableId(std::chrono::system_clock::now()));
        busy.headers.emplace_back("Retry-After", "1");
        return Write(std::move(busy), keep_alive && !server_.stopping(), version);
      }
      // The slow work leaves the I/O thread; the answer comes back on this connection's strand.
      asio::post(server_.workers(), [self = this->shared_from_this(), request = std::move(request), keep_alive,
                                     version]() mutable {
        Response response = self->server_.handler()(request);
        self->server_.LeaveWorkerQueue();
        asio::post(self->stream_.get_executor(), [self, response = std::move(response), keep_alive,
                                                  version]() mutable {
          bool again = keep_alive && !response.close && !self->server_.stopping();
          self->Write(std::move(response), again, version);
        });
      });
      return;
    }
    Response response = server_.handler()(request);
    Write(std::move(response), keep_alive && !response.close && !server_.stopping(), version);
  }

 public:
  void SendProblem(const Error& error) override {
    Response response = ProblemResponse(error, false, NewSortableId(std::chrono::system_clock::now()));
    Write(std::move(response), false, 11);
  }

 private:

  void Write(Response response, bool keep_alive, unsigned version) {
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    message->set(http::field::server, "sscard");
    message->set(http::field::content_type, response.content_type);
    if constexpr (kTls) message->set(http::field::strict_transport_security, "max-age=31536000");
    // insert, not set: a sign-in answers two Set-Cookie headers.
    for (const auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    Lowest().expires_after(server_.options().read_timeout);
    http::async_write(stream_, *message,
                      [self = this->shared_from_this(), message, keep_alive](beast::error_code error,
                                                                       std::size_t) {
                        if (error || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().socket().close(ignored);
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  Stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  asio::steady_timer deadline_;
  bool first_ = true;
  bool idle_ = true;
  bool timed_out_ = false;
};

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
      spdlog::warn("accept failed: {}", error.message());
    } else if (!stopping_) {
      std::shared_ptr<SessionBase> session;
      std::function<void()> start;
      if (tls_) {
        auto made = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), *this, *tls_);
        start = [made] { made->Start(); };
        session = made;
      } else {
        auto made = std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this);
        start = [made] { made->Start(); };
        session = made;
      }
      bool full = false;
      {
        std::lock_guard lock(sessions_mutex_);
        full = sessions_.size() >= options_.max_connections;
      }
      if (full) {
        // A clear refusal rather than a silent queue: the client may retry later.
        session->SendProblem(MakeError(ErrorCode::kUNAVAILABLE, "连接数已满，请稍后重试",
                                       "too many connections; retry shortly"));
      } else {
        Register(session);
        start();
      }
    }
    if (!stopping_) Accept();
  });
}

void HttpServer::Impl::Register(const std::shared_ptr<SessionBase>& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_[session.get()] = session;
}

void HttpServer::Impl::Unregister(SessionBase* session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
  if (stopping_ && sessions_.empty()) {
    asio::post(io_, [this] { drain_timer_.cancel(); });
  }
}

void HttpServer::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(sessions_mutex_);
      for (auto& [raw, weak] : sessions_) {
        if (auto session = weak.lock()) live.push_back(session);
      }
    }
    for (auto& session : live) session->CloseIfIdle();
    if (!live.empty()) {
      drain_timer_.expires_after(options_.drain_timeout);
      drain_timer_.async_wait([this](beast::error_code error) {
        if (!error) {
          spdlog::warn("drain timeout: closing the remaining connections");
          io_.stop();
        }
      });
    }
  });
}

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
HttpServer::~HttpServer() {
  impl_->Stop();
  impl_->Wait();
  impl_->workers().join();
}
Result<uint16_t> HttpServer::Listen() { return impl_->Listen(); }
void HttpServer::StopOnSignals() { impl_->StopOnSignals(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Start() { impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace sscard::api
