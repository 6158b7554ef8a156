// `ocular serve`: assembles the service from its options and runs it until SIGINT/SIGTERM.
// Every field's default is the documented default of the matching CLI option (serve_command.cc,
// docs/server.md).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ocular::server {

struct ServeOptions {
  std::string listen = "127.0.0.1:5000";   // HOST:PORT of the API listener ([v6]:port for IPv6)
  std::string admin_listen;                // HOST:PORT for /health /ready /metrics; "" = on `listen`
  std::string tls_cert, tls_key;           // PEM files; required unless plain_http
  bool plain_http = false;                 // serve plain HTTP instead of TLS (loopback only...)
  bool plain_http_any_address = false;     // ...unless this is set too
  std::vector<std::string> api_keys;       // accepted subscription keys (>= 1 required)
  std::string api_key_file;                // more keys, one per line ('#' comments, blanks ok)
  bool sts = true;                         // POST /sts/v1.0/issueToken (10-minute bearer tokens)
  double rate_limit = 0;                   // requests/s per key; 0 = unlimited
  double rate_burst = 0;                   // bucket size; 0 = max(1, rate_limit)
  int workers = 0;                         // analysis threads; 0 = number of cores
  int queue = 0;                           // waiting analyses before 429; 0 = 8 x workers
  int io_threads = 0;                      // network threads; 0 = min(2, cores)
  int intra_op_threads = 0;                // ONNX Runtime threads per session; 0 = one per core
  long long max_decode_pixels = 12'000'000;  // per-request pixel budget (EngineOptions)
  // Memory bounds (docs/reliability.md "Memory budget"). ort_arena: ONNX Runtime's per-session
  // CPU arena (EngineOptions::ort_arena), off so tensor buffers go back to malloc after each
  // inference. malloc_trim: free malloc memory back to the kernel after every analysis
  // (EngineOptions::trim_malloc). malloc_arenas: glibc malloc arenas (M_ARENA_MAX), set before
  // any thread starts; 0 = glibc's default of 8 per core. malloc_hugepages: transparent huge
  // pages for malloc'd memory (glibc.malloc.hugetlb=1; the process re-executes itself once to
  // set it, core/malloc_tuning.h ApplyMallocHugePages), so buffers handed back by the two bounds
  // above fault in again 2 MiB at a time: about a third less CPU per request.
  bool ort_arena = false;
  bool malloc_trim = true;
  bool malloc_hugepages = true;
  int ocr_instances = 8;     // Tesseract instances over all packs (EngineOptions::ocr_instances)
  int malloc_arenas = 2;
  int max_connections = 512;
  int max_header_bytes = 16 * 1024;
  long long max_body_bytes = 20971520LL + 1024 * 1024;  // 20 MiB images + 1 MiB margin
  double read_timeout_s = 30;              // per request (TLS handshake, headers + body)
  double write_timeout_s = 30;             // per response
  std::vector<std::string> allow_url_cidrs;  // private ranges URL fetching may reach anyway
  double url_dns_timeout_s = 5;            // per host name lookup of an image URL
  double url_connect_timeout_s = 5;
  double url_timeout_s = 15;               // whole URL fetch, redirects included
  std::string public_url;                  // origin for Operation-Location; "" = from Host
  std::string model_repo = "models";
  std::string galleries_dir = "galleries";  // operator galleries (docs/galleries.md)
  // Development credentials (scripts/setup.d/50-devcert.sh): when no API key is configured, the
  // keys in <dir>/api-keys are used; when no TLS pair is configured (and not plain_http),
  // <dir>/server.pem and <dir>/server.key are. Startup says so. "" disables the fallback.
  std::string dev_credentials_dir = ".deps/devcert";
  bool enable_celebrities = false;          // celebrity recognition identifies people: opt-in
  std::string detector = "auto";            // object detector tier (EngineOptions::detector)
  // The Ocular Studio at /studio/ on the API listener (docs/studio.md): the embedded page, which
  // holds no secret (analyses send the key the user types). Default on; false serves 404 there.
  bool studio = true;
  // Scale-out (docs/deploy.md). Where v3.2 async Read results live: "memory" (this process) or
  // "redis://HOST:PORT[/DB]" (shared by every instance, sealed with the cluster secret).
  std::string read_store = "memory";
  double read_store_timeout_s = 1;   // Redis connect and command timeout
  // File holding the secret shared by all instances (>= 32 bytes): signs STS tokens and keys the
  // shared Read results. "" = a random per-process secret (required with a redis read store).
  std::string cluster_secret_file;
  // Graceful shutdown on SIGTERM/SIGINT: /ready turns 503 at once; the listener closes after
  // shutdown_delay_s; in-flight requests and queued Reads get until shutdown_grace_s (counted
  // from the signal) to finish; then exit 0. A second signal or the end of the grace exits at
  // once (code 1).
  double shutdown_delay_s = 0;
  double shutdown_grace_s = 30;
};

// Runs the server; returns the process exit code (0 after a clean shutdown by signal, 1 when
// startup or model loading failed, 2 for invalid options). Errors are logged (never keys).
int RunServe(ServeOptions options);

}  // namespace ocular::server
