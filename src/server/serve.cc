#include "server/serve.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "analyzers/custom/custom_registry.h"
#include "analyzers/galleries/gallery_holder.h"
#include "api/service.h"
#include "core/malloc_tuning.h"
#include "runtime/session.h"
#include "server/auth.h"
#include "server/cluster_secret.h"
#include "server/drain.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/net_policy.h"
#include "server/rate_limiter.h"
#include "server/read_store_redis.h"
#include "server/router.h"
#include "server/url_fetcher.h"
#include "server/worker_pool.h"

namespace ocular::server {
namespace {

std::chrono::milliseconds Ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  std::optional<IpAddress> a = IpAddress::Parse(host);
  return a && Classify(*a) == AddressClass::kLoopback;
}

std::string HostForUrl(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int RunServe(ServeOptions o) {
  // (ORT_DISABLE_TELEMETRY and OMP_THREAD_LIMIT are set by main() before any thread starts.)
  // Signals are taken synchronously by this thread (sigwait): block them before any thread
  // starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // reload the operator galleries (docs/galleries.md)
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Before any thread starts: this may re-execute the process (glibc reads tunables at start).
  const MallocHugePages huge_pages = ApplyMallocHugePages(o.malloc_hugepages);
  spdlog::info("malloc: transparent huge pages {} ({})", huge_pages.active ? "on" : "off",
               huge_pages.detail);
  // Before any thread starts: arenas are created by the threads that contend for the heap.
  if (Status arenas = ConfigureMallocArenas(o.malloc_arenas); !arenas.ok()) {
    if (arenas.code() != StatusCode::kFailedPrecondition) {
      spdlog::error("--malloc-arenas: {}", arenas.message());
      return 2;
    }
    spdlog::warn("--malloc-arenas: {}", arenas.message());  // another allocator: go on
  }

  auto listen = ParseHostPort(o.listen);
  if (!listen.ok()) {
    spdlog::error("{}", listen.status().message());
    return 2;
  }
  std::optional<std::pair<std::string, std::uint16_t>> admin;
  if (!o.admin_listen.empty()) {
    auto parsed = ParseHostPort(o.admin_listen);
    if (!parsed.ok()) {
      spdlog::error("{}", parsed.status().message());
      return 2;
    }
    admin = *parsed;
  }
  std::vector<std::string> key_list = o.api_keys;
  std::string key_file = o.api_key_file;
  const std::string dev = o.dev_credentials_dir;
  auto exists = [](const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
  };
  if (key_list.empty() && key_file.empty() && !dev.empty() && exists(dev + "/api-keys")) {
    key_file = dev + "/api-keys";
    spdlog::warn("no API key configured: using the development keys in {} (made by "
                 "scripts/setup.sh; configure --api-key or --api-key-file in production)",
                 key_file);
  }
  if (!o.plain_http && o.tls_cert.empty() && o.tls_key.empty() && !dev.empty() &&
      exists(dev + "/server.pem") && exists(dev + "/server.key")) {
    o.tls_cert = dev + "/server.pem";
    o.tls_key = dev + "/server.key";
    spdlog::warn("no TLS certificate configured: using the development certificate in {} "
                 "(trust {}/ca.pem in clients; configure --tls-cert/--tls-key in production)",
                 dev, dev);
  }
  if (!key_file.empty()) {
    auto from_file = ReadKeyFile(key_file);
    if (!from_file.ok()) {
      spdlog::error("{}", from_file.status().message());
      return 2;
    }
    key_list.insert(key_list.end(), from_file->begin(), from_file->end());
  }
  if (key_list.empty()) {
    spdlog::error("no API key configured: pass --api-key KEY (twice to allow rotation), "
                  "OCULAR_API_KEYS=key1,key2 or --api-key-file FILE");
    return 2;
  }
  auto keys = KeyStore::Create(key_list);
  if (!keys.ok()) {
    spdlog::error("{}", keys.status().message());
    return 2;
  }
  key_list.clear();
  if (!o.plain_http && (o.tls_cert.empty() || o.tls_key.empty())) {
    spdlog::error("TLS needs --tls-cert and --tls-key (scripts/setup.d/50-devcert.sh makes a "
                  "development pair in .deps/devcert/); or --plain-http on loopback");
    return 2;
  }
  auto policy = AddressPolicy::FromStrings(o.allow_url_cidrs);
  if (!policy.ok()) {
    spdlog::error("--allow-url-cidr: {}", policy.status().message());
    return 2;
  }
  if (o.workers < 0 || o.queue < 0 || o.io_threads < 0 || o.intra_op_threads < 0 || o.max_connections < 1 ||
      o.max_header_bytes < 1024 || o.max_body_bytes < 1024 || o.read_timeout_s <= 0 ||
      o.write_timeout_s <= 0 || o.url_connect_timeout_s <= 0 || o.url_dns_timeout_s <= 0 ||
      o.url_timeout_s <= 0 || o.rate_limit < 0 || o.rate_burst < 0 || o.read_store_timeout_s <= 0 ||
      o.shutdown_delay_s < 0 || o.shutdown_grace_s <= 0) {
    spdlog::error("invalid limits: counts, sizes and timeouts must be positive");
    return 2;
  }

  const int cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = o.workers > 0 ? o.workers : cores;
  const int queue = o.queue > 0 ? o.queue : 8 * workers;
  const int io_threads = o.io_threads > 0 ? o.io_threads : std::min(2, cores);

  // Scale-out: the cluster secret (STS tokens valid on every instance) and the shared Read store.
  std::string cluster_secret;
  if (!o.cluster_secret_file.empty()) {
    auto secret = LoadClusterSecret(o.cluster_secret_file);
    if (!secret.ok()) {
      spdlog::error("--cluster-secret-file: {}", secret.status().message());
      return 2;
    }
    cluster_secret = std::move(secret).value();
  }
  std::shared_ptr<RedisReadBackend> read_backend;
  if (o.read_store != "memory") {
    auto address = ParseRedisUrl(o.read_store);
    if (!address.ok()) {
      spdlog::error("{}", address.status().message());
      return 2;
    }
    if (cluster_secret.empty()) {
      spdlog::error("--read-store {} needs --cluster-secret-file (the same secret on every "
                    "instance seals the shared results)", o.read_store);
      return 2;
    }
    read_backend = std::make_shared<RedisReadBackend>(*address, cluster_secret,
                                                      Ms(o.read_store_timeout_s));
    if (Status ping = read_backend->Ping(); !ping.ok()) {
      spdlog::warn("the shared Read store is not reachable yet: async Read answers 503 until "
                   "it is");
    }
  }
  auto token_key = cluster_secret.empty() ? StatusOr<std::string>(std::string())
                                          : DeriveTokenKey(cluster_secret);
  if (!token_key.ok()) {
    spdlog::error("{}", token_key.status().message());
    return 1;
  }
  TokenSigner tokens = token_key->empty() ? TokenSigner()
                                          : TokenSigner(*token_key, std::chrono::minutes(10));
  RateLimiter limiter(o.rate_limit, o.rate_burst);
  Metrics metrics;
  WorkerPool pool(workers, queue);
  auto slot = std::make_shared<ServiceSlot>();
  std::atomic<HttpServer*> server_ptr{nullptr};

  RouterDeps deps;
  deps.keys = &*keys;
  deps.tokens = &tokens;
  deps.limiter = limiter.enabled() ? &limiter : nullptr;
  deps.pool = &pool;
  deps.metrics = &metrics;
  deps.transport_stats = [&server_ptr] {
    HttpServer* s = server_ptr.load();
    return s ? s->Stats() : TransportStats{};
  };
  RouterOptions main_options;
  main_options.admin_routes = !admin.has_value();
  main_options.sts = o.sts;
  main_options.studio = o.studio;
  main_options.public_origin = o.public_url;
  while (!main_options.public_origin.empty() && main_options.public_origin.back() == '/') {
    main_options.public_origin.pop_back();
  }
  Router main_router(main_options, deps, slot);
  RouterOptions admin_options;
  admin_options.api_routes = false;
  Router admin_router(admin_options, deps, slot);

  ListenerOptions lo;
  lo.host = listen->first;
  lo.port = listen->second;
  lo.tls = !o.plain_http;
  lo.allow_plain_non_loopback = o.plain_http_any_address;
  lo.cert_file = o.tls_cert;
  lo.key_file = o.tls_key;
  lo.max_header_bytes = static_cast<std::size_t>(o.max_header_bytes);
  lo.max_body_bytes = static_cast<std::size_t>(o.max_body_bytes);
  lo.read_timeout = Ms(o.read_timeout_s);
  lo.write_timeout = Ms(o.write_timeout_s);
  lo.max_connections = static_cast<std::size_t>(o.max_connections);
  auto drain = std::make_shared<DrainState>();
  DrainingHandler main_handler(&main_router, drain), admin_handler(&admin_router, drain);
  std::vector<HttpServer::Binding> bindings = {{lo, &main_handler}};
  if (admin) {
    ListenerOptions ao = lo;
    ao.host = admin->first;
    ao.port = admin->second;
    // The admin listener speaks plain HTTP on loopback (local scrapers), TLS elsewhere.
    ao.tls = !o.plain_http && !IsLoopbackHost(ao.host);
    ao.max_connections = 64;
    bindings.push_back({ao, &admin_handler});
  }
  auto server = HttpServer::Create(bindings, io_threads);
  if (!server.ok()) {
    spdlog::error("{}", server.status().message());
    return 1;
  }
  server_ptr = server->get();
  (*server)->Start();
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    spdlog::info("listening on {}://{}:{}{}", bindings[i].options.tls ? "https" : "http",
                 HostForUrl(bindings[i].options.host), (*server)->port(i),
                 i == 0 ? (admin ? " (API)" : " (API and admin)") : " (admin)");
  }
  if (o.studio) {
    spdlog::info("studio: {}://{}:{}/studio/ (--studio=false turns it off)",
                 bindings[0].options.tls ? "https" : "http", HostForUrl(bindings[0].options.host), (*server)->port(0));
  }
  spdlog::info("workers={} queue={} io_threads={} keys={} sts={} rate_limit={}/s url_allowlist={} "
               "read_store={} cluster_secret={}",
               workers, queue, io_threads, keys->size(), o.sts ? "on" : "off", o.rate_limit,
               o.allow_url_cidrs.size(), read_backend ? "redis" : "memory",
               cluster_secret.empty() ? "per-process" : "file");

  std::atomic<bool> load_failed{false};
  std::thread loader([&] {
    UrlFetchOptions fetch;
    fetch.policy = *policy;
    fetch.dns_timeout = Ms(o.url_dns_timeout_s);
    fetch.connect_timeout = Ms(o.url_connect_timeout_s);
    fetch.total_timeout = Ms(o.url_timeout_s);
    api::ServiceOptions so;
    so.model_repo = o.model_repo;
    so.intra_op_threads = o.intra_op_threads;
    so.max_decode_pixels = o.max_decode_pixels;
    so.ort_arena = o.ort_arena;
    so.trim_malloc = o.malloc_trim;
    so.ocr_instances = o.ocr_instances;
    so.galleries_dir = o.galleries_dir;
    so.enable_celebrities = o.enable_celebrities;
    so.detector = o.detector;
    so.read_store.backend = read_backend;
    so.read_store.new_id = NewUuidV4;
    so.fetcher = MakeUrlFetcher(std::move(fetch));
    so.analyzer_observer = [&metrics](std::string_view analyzer, double seconds) {
      metrics.RecordAnalyzer(analyzer, seconds);
    };
    runtime::SetInferenceObserver([&metrics](const std::string& model, double seconds) {
      metrics.RecordInference(model, seconds);
    });
    const auto t0 = std::chrono::steady_clock::now();
    StatusOr<std::unique_ptr<api::Service>> service = Internal("not created");
    try {
      service = api::Service::Create(so);
    } catch (const std::exception& e) {
      service = Internal(std::string("exception while loading: ") + e.what());
    }
    if (!service.ok()) {
      spdlog::error("cannot start the analysis service: {}", service.status().ToString());
      load_failed = true;
      kill(getpid(), SIGTERM);
      return;
    }
    slot->Set(std::shared_ptr<const api::Service>(std::move(service).value()));
    // Loading parsed every model file into buffers it has freed since: give them back.
    if (o.malloc_trim) TrimMalloc();
    spdlog::info("ready: analysis service loaded in {:.0f} ms",
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
  });

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    // Requests in flight keep the gallery they started with; a failed reload keeps the old one.
    Status reloaded = gallery::ReloadAllGalleries();
    if (reloaded.ok()) {
      spdlog::info("SIGHUP: galleries reloaded");
    } else {
      spdlog::error("SIGHUP: gallery reload failed, keeping the previous index: {}",
                    reloaded.message());
    }
    // Custom models (docs/custom-models.md): a broken one refuses the reload, the old set serves.
    Status custom = ReloadAllCustomModels();
    if (custom.ok()) {
      spdlog::info("SIGHUP: custom models reloaded");
    } else {
      spdlog::error("SIGHUP: custom model reload refused, keeping the previous models: {}",
                    custom.message());
    }
  }
  spdlog::info("shutting down ({})", sig == SIGINT ? "SIGINT" : "SIGTERM");
  if (!load_failed) {
    // Graceful: /ready 503 now; listener open for shutdown_delay; work finishes within grace.
    const auto deadline = std::chrono::steady_clock::now() + Ms(o.shutdown_grace_s);
    ShutdownWatchdog watchdog(signals, deadline);
    drain->StartDraining();
    if (o.shutdown_delay_s > 0) {
      spdlog::info("draining: /ready answers 503; the listener closes in {} s", o.shutdown_delay_s);
      std::this_thread::sleep_for(Ms(o.shutdown_delay_s));
    }
    (*server)->StopAccepting();
    bool clean = drain->WaitIdle(deadline);
    if (std::shared_ptr<const api::Service> service = slot->Get()) {
      clean = service->DrainBackground(deadline) && clean;
    }
    // Let the last responses reach their clients (connections close after them) before the
    // transport stops; idle keep-alive connections are cut after at most 2 s.
    const auto flush_deadline = std::min(deadline, std::chrono::steady_clock::now() + Ms(2));
    while ((*server)->Stats().connections_active > 0 &&
           std::chrono::steady_clock::now() < flush_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pool.Shutdown();
    (*server)->Stop();
    watchdog.Stop();
    spdlog::info("drained {}", clean ? "cleanly" : "with work left");
  } else {
    (*server)->StopAccepting();
    pool.Shutdown();  // answers the analyses already admitted
    (*server)->Stop();
  }
  loader.join();
  runtime::SetInferenceObserver({});  // `metrics` goes out of scope with this function
  server_ptr = nullptr;
  return load_failed ? 1 : 0;
}

}  // namespace ocular::server
