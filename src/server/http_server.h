// The HTTP/1.1 transport (Boost.Beast/Asio, OpenSSL), hidden behind a pimpl so that only
// http_server.cc compiles Beast.
//
// Per listener: TLS (min TLS 1.2, modern AEAD ciphers, certificate chain + key from files) or
// plain HTTP, which is refused on a non-loopback address unless explicitly allowed. Per
// connection: keep-alive, a header limit, a body limit checked against Content-Length before the
// body is read (an oversized upload is answered at once and the connection closed), one deadline
// for reading each request (a slow or stalled client is dropped without ever reaching a worker),
// a watch for a client that closes its connection while its request is being analysed
// (api::Request::client_closed: the router then skips or abandons the work),
// one deadline for writing each response, and a cap on open connections.
//
// The transport fills an api::Request (lower-cased header names, raw path and query, a fresh
// uuid v4 request id, origin "scheme://Host") and hands it to the listener's HttpHandler. Every
// response gets apim-request-id, x-content-type-options: nosniff, its Content-Type, and
// Strict-Transport-Security on TLS listeners.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "core/status.h"

namespace ocular::server {

struct ListenerOptions {
  std::string host = "127.0.0.1";  // numeric address or name; "0.0.0.0"/"::" for all interfaces
  std::uint16_t port = 5000;       // 0: an ephemeral port (see HttpServer::port)
  bool tls = true;                 // false: plain HTTP
  bool allow_plain_non_loopback = false;  // plain HTTP on a non-loopback address needs this
  std::string cert_file, key_file;        // PEM certificate chain and private key (TLS)
  std::size_t max_header_bytes = 16 * 1024;               // request line + headers
  std::size_t max_body_bytes = 20971520 + 1024 * 1024;    // 20 MiB images + 1 MiB margin
  std::chrono::milliseconds read_timeout{30000};   // TLS handshake, and each request (headers+body)
  std::chrono::milliseconds write_timeout{30000};  // each response
  std::size_t max_connections = 512;               // further connections are closed at accept
};

using Respond = std::function<void(api::Response)>;

class HttpHandler {
 public:
  enum class Rejection { kBodyTooLarge, kHeaderTooLarge, kMalformed };
  virtual ~HttpHandler() = default;
  // Called on an I/O thread and must not block: answer inline or hand the work to another
  // thread. `respond` must be called exactly once, from any thread.
  virtual void Handle(api::Request request, Respond respond) = 0;
  // A request refused by the transport before its body was read; `request` has no body (and no
  // path for kMalformed/kHeaderTooLarge). The connection closes after the answer.
  virtual api::Response Reject(const api::Request& request, Rejection why,
                               std::uint64_t declared_body_bytes) = 0;
};

struct TransportStats {
  std::uint64_t connections_active = 0, connections_total = 0;
  std::map<std::string, std::uint64_t> errors;  // reason -> count
};

class HttpServer {
 public:
  struct Binding {
    ListenerOptions options;
    HttpHandler* handler;  // not owned; must outlive the server
  };
  // Loads TLS material and binds every listener (so errors surface before serving).
  // Errors: FailedPrecondition (bad certificate/key, address in use, plain HTTP on a public
  // address without allow_plain_non_loopback).
  static StatusOr<std::unique_ptr<HttpServer>> Create(std::vector<Binding> bindings,
                                                      int io_threads);
  ~HttpServer();

  std::uint16_t port(std::size_t listener) const;  // the bound port (useful with port 0)
  void Start();          // starts accepting on io_threads threads
  void StopAccepting();  // closes the listening sockets; open connections continue
  void Stop();           // closes everything and joins the I/O threads. Idempotent.
  TransportStats Stats() const;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocular::server
