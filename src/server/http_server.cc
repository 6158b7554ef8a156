// The only translation unit that compiles Boost.Beast. Structure follows Beast's
// advanced_server_flex example: one CRTP Session for both plain and TLS streams.
#include "server/http_server.h"

#include <openssl/ssl.h>
#include <poll.h>

#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "server/auth.h"
#include "server/http_framing.h"

namespace ocular::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// Mozilla "intermediate" TLS 1.2 suites (forward secret AEAD only); TLS 1.3 suites as OpenSSL's.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
// After answering an oversized upload, read and discard at most this much (and for at most
// kDrainTime) so the client sees the answer rather than a reset; then close.
constexpr std::size_t kDrainBytes = 64 * 1024 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(2);
// How often a connection with unread pipelined bytes is checked for a closed peer while its
// request is being analysed.
constexpr auto kWatchInterval = std::chrono::milliseconds(100);

class Counters {
 public:
  std::atomic<std::uint64_t> active{0}, total{0};
  void Error(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu);
    ++errors[reason];
  }
  std::map<std::string, std::uint64_t> Errors() {
    std::lock_guard<std::mutex> lock(mu);
    return errors;
  }

 private:
  std::mutex mu;
  std::map<std::string, std::uint64_t> errors;
};

// Shared by a listener and its sessions: sessions may outlive the listener during shutdown.
struct ListenerConfig {
  ListenerOptions options;
  HttpHandler* handler = nullptr;
  std::shared_ptr<ssl::context> tls;  // null: plain HTTP
  std::shared_ptr<Counters> counters;
};
using ConfigPtr = std::shared_ptr<const ListenerConfig>;

template <class Derived>
class Session {
 public:
  explicit Session(ConfigPtr config) : config_ptr_(std::move(config)), config_(*config_ptr_) {
    ++config_.counters->active;
    ++config_.counters->total;
  }
  ~Session() { --config_.counters->active; }

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }
  auto& lowest() { return beast::get_lowest_layer(self().stream()); }

  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config_.options.max_header_bytes));
    // No body limit while parsing the header (Beast would fail the header itself on a large
    // Content-Length, losing the path we need for an API-shaped answer); set in OnHeader.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest().expires_after(config_.options.read_timeout);
    ReadHead();
  }

  // Reads until the request head is complete and passes the strict framing check
  // (http_framing.h), then lets Beast parse it from the buffer.
  void ReadHead() {
    const auto data = buffer_.data();
    const std::string_view received(static_cast<const char*>(data.data()), data.size());
    HeadScan scan = ScanRequestHead(received);
    if (scan.kind == HeadScan::Kind::kRejected) {
      config_.counters->Error("malformed_" + scan.reason);
      return Reject(HttpHandler::Rejection::kMalformed, 0, /*with_path=*/false);
    }
    if (scan.kind == HeadScan::Kind::kComplete) {
      return http::async_read_header(
          self().stream(), buffer_, *parser_,
          beast::bind_front_handler(&Session::OnHeader, self().shared_from_this()));
    }
    if (received.size() >= config_.options.max_header_bytes) {
      return Reject(HttpHandler::Rejection::kHeaderTooLarge, 0, false);
    }
    const std::size_t want =
        std::min<std::size_t>(16 * 1024, config_.options.max_header_bytes - received.size());
    self().stream().async_read_some(
        buffer_.prepare(want),
        [keep = self().shared_from_this()](beast::error_code ec, std::size_t n) {
          keep->buffer_.commit(n);
          if (ec) return keep->OnReadError(ec, /*in_header=*/true);
          keep->ReadHead();
        });
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec, /*in_header=*/true);
    auto& req = parser_->get();
    auto length = parser_->content_length();
    if (length && *length > config_.options.max_body_bytes) {
      return Reject(HttpHandler::Rejection::kBodyTooLarge, *length, /*with_path=*/true);
    }
    parser_->body_limit(config_.options.max_body_bytes);  // chunked bodies stop here too
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      return http::async_write(
          self().stream(), *continue_,
          beast::bind_front_handler(&Session::OnContinueWritten, self().shared_from_this()));
    }
    DoReadBody();
  }

  void OnContinueWritten(beast::error_code ec, std::size_t) {
    continue_.reset();
    if (ec) return Close();
    DoReadBody();
  }

  void DoReadBody() {
    http::async_read(self().stream(), buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, self().shared_from_this()));
  }

  void OnReadError(beast::error_code ec, bool in_header) {
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::ssl::error::stream_truncated ||
        ec == http::error::partial_message) {
      // The client went away between or during requests (partial_message: EOF mid-body), not
      // a malformed request: nobody is left to answer.
      return Close();
    }
    if (ec == beast::error::timeout) {
      config_.counters->Error(in_header ? "read_timeout_header" : "read_timeout_body");
      return Abort();
    }
    if (ec == http::error::header_limit) {
      return Reject(HttpHandler::Rejection::kHeaderTooLarge, 0, false);
    }
    if (ec == http::error::body_limit) {
      return Reject(HttpHandler::Rejection::kBodyTooLarge, config_.options.max_body_bytes + 1,
                    true);
    }
    if (ec.category() == beast::error_code(http::error::bad_target).category()) {
      config_.counters->Error("malformed");
      return Reject(HttpHandler::Rejection::kMalformed, 0, false);
    }
    config_.counters->Error("read_failed");
    Abort();
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec, /*in_header=*/false);
    lowest().expires_never();  // analysis time is not the client's fault
    auto msg = parser_->release();
    api::Request request = ToRequest(msg, /*with_path=*/true);
    request.body = std::move(msg.body());
    keep_alive_ = msg.keep_alive();
    auto closed = std::make_shared<std::atomic<bool>>(false);
    request.client_closed = closed;
    watch_ = closed;
    WatchForClose(closed);
    config_.handler->Handle(std::move(request), MakeResponder());
  }

  // While a request waits for or runs its analysis nothing reads the socket: wait until it turns
  // readable, then tell a closed peer (FIN or reset: POLLRDHUP/POLLHUP/POLLERR, seen even behind
  // unread bytes such as a TLS close_notify) from the bytes of a pipelined request, which are
  // left for the next read while the peer is checked again every kWatchInterval. A closed peer
  // sets `flag` (api::Request::client_closed). Ends once the response is written (watch_ moves on).
  void WatchForClose(std::shared_ptr<std::atomic<bool>> flag) {
    lowest().socket().async_wait(
        tcp::socket::wait_read,
        [keep = self().shared_from_this(), flag](beast::error_code ec) {
          if (ec || keep->watch_ != flag) return;  // closed by us, or answered already
          if (keep->PeerClosed()) {
            flag->store(true);
            return;
          }
          if (!keep->watch_timer_) keep->watch_timer_.emplace(keep->lowest().get_executor());
          keep->watch_timer_->expires_after(kWatchInterval);
          keep->watch_timer_->async_wait([keep, flag](beast::error_code timer_ec) {
            if (!timer_ec && keep->watch_ == flag) keep->WatchForClose(flag);
          });
        });
  }

  bool PeerClosed() {
    pollfd p{};
    p.fd = lowest().socket().native_handle();
    p.events = POLLIN | POLLRDHUP;
    if (::poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }

  api::Request ToRequest(const http::request<http::string_body>& msg, bool with_path) {
    api::Request r;
    request_id_ = NewUuidV4();
    r.request_id = request_id_;
    r.method = std::string(msg.method_string());
    if (with_path) {
      std::string_view target(msg.target().data(), msg.target().size());
      std::size_t q = target.find('?');
      r.path = std::string(target.substr(0, q));
      if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
    }
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(field.value());
      auto [it, inserted] = r.headers.emplace(std::move(name), value);
      if (!inserted) it->second += ", " + value;
    }
    auto host = r.headers.find("host");
    if (host != r.headers.end()) {
      r.origin = std::string(config_.tls ? "https://" : "http://") + host->second;
    }
    return r;
  }

  Respond MakeResponder() {
    auto keep = self().shared_from_this();
    return [keep](api::Response response) {
      net::post(keep->stream().get_executor(),
                [keep, response = std::move(response)]() mutable {
                  keep->Write(std::move(response), /*close=*/false, /*drain=*/false);
                });
    };
  }

  void Reject(HttpHandler::Rejection why, std::uint64_t declared, bool with_path) {
    api::Request request;
    if (parser_ && parser_->is_header_done()) {
      request = ToRequest(parser_->get(), with_path);
    } else {
      request_id_ = NewUuidV4();
      request.request_id = request_id_;
    }
    api::Response response = config_.handler->Reject(request, why, declared);
    keep_alive_ = false;
    Write(std::move(response), /*close=*/true,
          /*drain=*/why == HttpHandler::Rejection::kBodyTooLarge);
  }

  void Write(api::Response r, bool close, bool drain) {
    const bool peer_gone = watch_ != nullptr && watch_->load();
    watch_.reset();  // the answer is going out: stop watching for a closed peer
    if (watch_timer_) watch_timer_->cancel();
    if (peer_gone) return Abort();  // nobody reads it (a half-closed client gets no answer)
    close_after_write_ = close || !keep_alive_;
    drain_after_write_ = drain;
    response_.emplace();
    auto& res = *response_;
    res.version(11);
    res.result(static_cast<unsigned>(r.status));
    res.set(http::field::content_type, r.content_type);
    res.set("apim-request-id", request_id_);
    res.set("x-content-type-options", "nosniff");
    if (config_.tls) res.set(http::field::strict_transport_security, "max-age=31536000");
    for (auto& [name, value] : r.headers) res.insert(name, value);
    res.body() = std::move(r.body);
    res.keep_alive(!close_after_write_);
    res.prepare_payload();
    lowest().expires_after(config_.options.write_timeout);
    http::async_write(self().stream(), res,
                      beast::bind_front_handler(&Session::OnWrite, self().shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) {
      if (ec == beast::error::timeout) config_.counters->Error("write_timeout");
      return Abort();
    }
    if (!close_after_write_) return DoRead();
    if (drain_after_write_) return DoDrain(0);
    Close();
  }

  // Reads and discards what the client still sends after an early answer, within bounds.
  void DoDrain(std::size_t drained) {
    if (drained == 0) {
      lowest().expires_after(kDrainTime);
      drain_buffer_.resize(64 * 1024);
    }
    if (drained >= kDrainBytes) return Abort();
    self().stream().async_read_some(
        net::buffer(drain_buffer_),
        [keep = self().shared_from_this(), drained](beast::error_code ec, std::size_t n) {
          if (ec) return keep->Abort();
          keep->DoDrain(drained + n);
        });
  }

  // Hard close, no TLS close_notify.
  void Abort() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  void Close() { self().Shutdown(); }

  ConfigPtr config_ptr_;
  const ListenerConfig& config_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  std::vector<char> drain_buffer_;
  std::shared_ptr<std::atomic<bool>> watch_;  // the in-flight request's client_closed flag
  std::optional<net::steady_timer> watch_timer_;
  std::string request_id_;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  bool drain_after_write_ = false;
};

class PlainSession : public Session<PlainSession>, public std::enable_shared_from_this<PlainSession> {
 public:
  PlainSession(tcp::socket&& socket, ConfigPtr config)
      : Session(std::move(config)), stream_(std::move(socket)) {}
  beast::tcp_stream& stream() { return stream_; }
  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&PlainSession::DoRead, shared_from_this()));
  }
  void Shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

 private:
  friend class Session<PlainSession>;
  beast::tcp_stream stream_;
};

class TlsSession : public Session<TlsSession>, public std::enable_shared_from_this<TlsSession> {
 public:
  TlsSession(tcp::socket&& socket, ConfigPtr config)
      : Session(config), stream_(std::move(socket), *config->tls) {}
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->config_.options.read_timeout);
      self->stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&TlsSession::OnHandshake, self));
    });
  }
  void Shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  friend class Session<TlsSession>;
  void OnHandshake(beast::error_code ec) {
    if (ec) {
      config_.counters->Error(ec == beast::error::timeout ? "tls_handshake_timeout"
                                                          : "tls_handshake_failed");
      spdlog::debug("tls handshake failed: {}", ec.message());
      return Abort();
    }
    DoRead();
  }
  beast::ssl_stream<beast::tcp_stream> stream_;
};

class Listener {
 public:
  Listener(net::io_context& ioc, ListenerConfig config)
      : ioc_(ioc),
        shared_(std::make_shared<const ListenerConfig>(std::move(config))),
        config_(*shared_),
        acceptor_(ioc),
        retry_(ioc) {}

  Status Bind() {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    std::string host = config_.options.host.empty() ? "0.0.0.0" : config_.options.host;
    auto results = resolver.resolve(host, std::to_string(config_.options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return FailedPrecondition("cannot resolve listen address '" + host + "': " + ec.message());
    }
    tcp::endpoint endpoint = results.begin()->endpoint();
    if (!config_.tls && !config_.options.allow_plain_non_loopback &&
        !endpoint.address().is_loopback()) {
      return FailedPrecondition("plain HTTP is only allowed on a loopback address (listen " +
                                endpoint.address().to_string() +
                                "); use TLS or --plain-http-any-address");
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return FailedPrecondition("cannot listen on " + endpoint.address().to_string() + ":" +
                                std::to_string(config_.options.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, this));
  }
  void Close() {
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
    });
  }
  std::uint16_t port() const { return port_; }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // e.g. EMFILE: back off briefly instead of spinning.
      config_.counters->Error("accept_failed");
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    if (config_.counters->active.load() >= config_.options.max_connections) {
      config_.counters->Error("connection_limit");
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (config_.tls) {
        std::make_shared<TlsSession>(std::move(socket), shared_)->Run();
      } else {
        std::make_shared<PlainSession>(std::move(socket), shared_)->Run();
      }
    }
    Accept();
  }

  net::io_context& ioc_;
  ConfigPtr shared_;
  const ListenerConfig& config_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::uint16_t port_ = 0;
};

StatusOr<std::shared_ptr<ssl::context>> MakeTlsContext(const ListenerOptions& o) {
  if (o.cert_file.empty() || o.key_file.empty()) {
    return FailedPrecondition("TLS needs a certificate and a key (--tls-cert, --tls-key)");
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use | ssl::context::no_compression);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1) {
    return Internal("cannot configure the TLS cipher list");
  }
  beast::error_code ec;
  ctx->use_certificate_chain_file(o.cert_file, ec);
  if (ec) return FailedPrecondition("cannot load TLS certificate " + o.cert_file + ": " + ec.message());
  ctx->use_private_key_file(o.key_file, ssl::context::pem, ec);
  if (ec) return FailedPrecondition("cannot load TLS key " + o.key_file + ": " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    return FailedPrecondition("the TLS key does not match the certificate");
  }
  return ctx;
}

}  // namespace

struct HttpServer::Impl {
  // Declared first, destroyed last: pending handlers (and the sessions they own) go with it.
  net::io_context ioc;
  std::shared_ptr<Counters> counters = std::make_shared<Counters>();
  std::vector<std::unique_ptr<Listener>> listeners;
  std::vector<std::thread> threads;
  int io_threads = 1;
  std::once_flag stop_once;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(std::vector<Binding> bindings,
                                                         int io_threads) {
  auto impl = std::make_unique<Impl>();
  impl->io_threads = std::max(1, io_threads);
  for (Binding& b : bindings) {
    ListenerConfig config;
    config.options = b.options;
    config.handler = b.handler;
    config.counters = impl->counters;
    if (b.options.tls) {
      StatusOr<std::shared_ptr<ssl::context>> ctx = MakeTlsContext(b.options);
      if (!ctx.ok()) return ctx.status();
      config.tls = std::move(ctx).value();
    }
    auto listener = std::make_unique<Listener>(impl->ioc, std::move(config));
    OCULAR_RETURN_IF_ERROR(listener->Bind());
    impl->listeners.push_back(std::move(listener));
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::uint16_t HttpServer::port(std::size_t listener) const {
  return listener < impl_->listeners.size() ? impl_->listeners[listener]->port() : 0;
}

void HttpServer::Start() {
  for (auto& l : impl_->listeners) l->Accept();
  for (int i = 0; i < impl_->io_threads; ++i) {
    impl_->threads.emplace_back([this] {
      for (;;) {
        try {
          impl_->ioc.run();
          return;
        } catch (const std::exception& e) {
          // A handler must not throw; if one does, log it and keep serving.
          spdlog::error("unexpected exception on an I/O thread: {}", e.what());
        }
      }
    });
  }
}

void HttpServer::StopAccepting() {
  for (auto& l : impl_->listeners) l->Close();
}

void HttpServer::Stop() {
  std::call_once(impl_->stop_once, [this] {
    StopAccepting();
    impl_->ioc.stop();
    for (std::thread& t : impl_->threads) {
      if (t.joinable()) t.join();
    }
  });
}

TransportStats HttpServer::Stats() const {
  TransportStats s;
  s.connections_active = impl_->counters->active.load();
  s.connections_total = impl_->counters->total.load();
  s.errors = impl_->counters->Errors();
  return s;
}

}  // namespace ocular::server
