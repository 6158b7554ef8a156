// `ocular serve`: the HTTPS service (docs/server.md). This file only declares the option table;
// server::RunServe (src/server/serve.cc) does the work.
//
// Every option has one definition here: flag, env var, default (server::ServeOptions) and help.
// A config file (--config FILE, TOML/INI "name = value" with the long flag names) may set any of
// them; precedence: command line > environment > config file > default.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/gallery_options.h"
#include "server/serve.h"

namespace ocular::cli {
namespace {

// Applies `path` (TOML, or INI with [serve] or no section) to the options of `cmd` that were not
// given on the command line or through their environment variable. Returns an exit code.
int ApplyConfigFile(CLI::App& cmd, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::Error& e) {
    std::cerr << "ocular serve: cannot read config file " << path << ": " << e.what() << "\n";
    return kExitUsage;
  }
  for (const CLI::ConfigItem& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    if (!item.parents.empty() && !(item.parents.size() == 1 && item.parents[0] == "serve")) {
      std::cerr << "ocular serve: unknown section in " << path << ": " << item.fullname() << "\n";
      return kExitUsage;
    }
    CLI::Option* op = cmd.get_option_no_throw("--" + item.name);
    if (op == nullptr || item.name == "config") {
      std::cerr << "ocular serve: unknown option in " << path << ": " << item.name << "\n";
      return kExitUsage;
    }
    const std::string& env = op->get_envname();
    const char* env_value = env.empty() ? nullptr : std::getenv(env.c_str());
    if (op->count() > 0 || (env_value != nullptr && *env_value != '\0')) continue;
    try {
      if (op->get_expected_min() == 0) {
        op->add_result(CLI::ConfigTOML().to_flag(item));
      } else {
        op->add_result(item.inputs);
      }
      op->run_callback();
    } catch (const CLI::Error& e) {
      std::cerr << "ocular serve: " << path << ": " << item.name << ": " << e.what() << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

CommandRegistrar registrar(
    "serve", "Run the Azure-compatible HTTPS image analysis service", [](CLI::App& cmd) -> RunFn {
      auto o = std::make_shared<server::ServeOptions>();
      auto log_level = std::make_shared<std::string>("info");
      auto config = std::make_shared<std::string>();
      cmd.add_option("--config", *config,
                     "Read options from this TOML/INI file (keys = long flag names; command line "
                     "and environment take precedence)")
          ->envname("OCULAR_CONFIG")
          ->type_name("FILE");
      cmd.add_option("--listen", o->listen, "API listener address HOST:PORT ([::1]:PORT for IPv6)")
          ->envname("OCULAR_LISTEN")
          ->capture_default_str();
      cmd.add_option("--admin-listen", o->admin_listen,
                     "Separate listener for /health, /ready and /metrics (plain HTTP on loopback, "
                     "TLS elsewhere); empty: serve them on --listen")
          ->envname("OCULAR_ADMIN_LISTEN")
          ->type_name("HOST:PORT");
      cmd.add_option("--tls-cert", o->tls_cert,
                     "PEM certificate chain (required unless --plain-http)")
          ->envname("OCULAR_TLS_CERT")
          ->type_name("FILE");
      cmd.add_option("--tls-key", o->tls_key, "PEM private key of --tls-cert")
          ->envname("OCULAR_TLS_KEY")
          ->type_name("FILE");
      cmd.add_flag("--plain-http", o->plain_http,
                   "Serve plain HTTP instead of TLS (only on a loopback address)")
          ->envname("OCULAR_PLAIN_HTTP");
      cmd.add_flag("--plain-http-any-address", o->plain_http_any_address,
                   "Allow --plain-http on a non-loopback address (behind a TLS-terminating proxy)")
          ->envname("OCULAR_PLAIN_HTTP_ANY_ADDRESS");
      cmd.add_option("--api-key", o->api_keys,
                     "Accepted Ocp-Apim-Subscription-Key (repeatable: give two to rotate; the env "
                     "var takes a comma-separated list). Prefer the env var or --api-key-file: "
                     "command lines are visible to other local users")
          ->envname("OCULAR_API_KEYS")
          ->delimiter(',')
          ->type_name("KEY");
      cmd.add_option("--api-key-file", o->api_key_file,
                     "File with more accepted keys, one per line ('#' comments)")
          ->envname("OCULAR_API_KEY_FILE")
          ->type_name("FILE");
      cmd.add_option("--sts", o->sts,
                     "Serve POST /sts/v1.0/issueToken (key -> 10-minute HMAC-signed bearer token)")
          ->envname("OCULAR_STS")
          ->capture_default_str();
      cmd.add_option("--rate-limit", o->rate_limit, "Requests per second per key (0: unlimited)")
          ->envname("OCULAR_RATE_LIMIT")
          ->capture_default_str();
      cmd.add_option("--rate-burst", o->rate_burst, "Token-bucket size per key (0: max(1, rate))")
          ->envname("OCULAR_RATE_BURST")
          ->capture_default_str();
      cmd.add_option("--workers", o->workers, "Analysis threads (0: one per core)")
          ->envname("OCULAR_WORKERS")
          ->capture_default_str();
      cmd.add_option("--queue", o->queue,
                     "Analyses that may wait for a worker before 429 (0: 8 x workers)")
          ->envname("OCULAR_QUEUE")
          ->capture_default_str();
      cmd.add_option("--io-threads", o->io_threads, "Network threads (0: min(2, cores))")
          ->envname("OCULAR_IO_THREADS")
          ->capture_default_str();
      cmd.add_option("--intra-op-threads", o->intra_op_threads,
                     "ONNX Runtime intra-op threads per model session (0: one per core, so a lone "
                     "request uses every core; 1: the most throughput when every worker is busy)")
          ->envname("OCULAR_INTRA_OP_THREADS")
          ->capture_default_str();
      // Memory bounds (docs/reliability.md "Memory budget"; defaults in server::ServeOptions).
      cmd.add_option("--ort-arena", o->ort_arena,
                     "Keep ONNX Runtime's CPU memory arena per model session (it holds each "
                     "model's busiest working set forever); false: tensor buffers go back to "
                     "malloc after each inference")
          ->envname("OCULAR_ORT_ARENA")
          ->capture_default_str();
      cmd.add_option("--malloc-trim", o->malloc_trim,
                     "Return free malloc memory to the kernel after every analysis, so RSS "
                     "falls back to what running requests use")
          ->envname("OCULAR_MALLOC_TRIM")
          ->capture_default_str();
      cmd.add_option("--malloc-hugepages", o->malloc_hugepages,
                     "Transparent huge pages for malloc (glibc.malloc.hugetlb=1; the server "
                     "re-executes itself once to set it): less CPU per request to fault buffers "
                     "in again; GLIBC_TUNABLES naming glibc.malloc.hugetlb overrides this")
          ->envname("OCULAR_MALLOC_HUGEPAGES")
          ->capture_default_str();
      cmd.add_option("--malloc-arenas", o->malloc_arenas,
                     "glibc malloc arenas (M_ARENA_MAX): each keeps the memory its threads freed; "
                     "0: glibc's default, 8 per core")
          ->envname("OCULAR_MALLOC_ARENAS")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
      cmd.add_option("--ocr-instances", o->ocr_instances,
                     "Tesseract instances kept over all OCR language packs (10-60 MB each; at "
                     "most 2 per pack): past it an idle one of another pack is dropped, or the "
                     "request waits")
          ->envname("OCULAR_OCR_INSTANCES")
          ->check(CLI::PositiveNumber)
          ->capture_default_str();
      cmd.add_option("--max-connections", o->max_connections, "Open connections per listener")
          ->envname("OCULAR_MAX_CONNECTIONS")
          ->capture_default_str();
      cmd.add_option("--max-header-bytes", o->max_header_bytes, "Request line + headers limit")
          ->envname("OCULAR_MAX_HEADER_BYTES")
          ->capture_default_str();
      cmd.add_option("--max-body-bytes", o->max_body_bytes,
                     "Request body limit; larger uploads are refused before they are read")
          ->envname("OCULAR_MAX_BODY_BYTES")
          ->capture_default_str();
      cmd.add_option("--read-timeout", o->read_timeout_s,
                     "Seconds to receive a request (TLS handshake; headers + body)")
          ->envname("OCULAR_READ_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--write-timeout", o->write_timeout_s, "Seconds to send a response")
          ->envname("OCULAR_WRITE_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--allow-url-cidr", o->allow_url_cidrs,
                     "Let image URLs reach this otherwise blocked range (repeatable; env: "
                     "comma-separated). Default: public unicast addresses only")
          ->envname("OCULAR_ALLOW_URL_CIDRS")
          ->delimiter(',')
          ->type_name("CIDR");
      cmd.add_option("--url-dns-timeout", o->url_dns_timeout_s,
                     "Seconds for each host name lookup when fetching an image URL")
          ->envname("OCULAR_URL_DNS_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--url-connect-timeout", o->url_connect_timeout_s,
                     "Seconds to connect when fetching an image URL")
          ->envname("OCULAR_URL_CONNECT_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--url-timeout", o->url_timeout_s,
                     "Seconds for a whole image URL fetch (redirects included)")
          ->envname("OCULAR_URL_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--public-url", o->public_url,
                     "Origin clients use (https://host[:port]) for Operation-Location; empty: "
                     "from the Host header")
          ->envname("OCULAR_PUBLIC_URL")
          ->type_name("URL");
      cmd.add_option("--studio", o->studio,
                     "Serve the Ocular Studio (a browser page to try every feature) at /studio/ "
                     "on the API listener; it needs no key to load, analyses use the key typed "
                     "in the page")
          ->envname("OCULAR_STUDIO")
          ->capture_default_str();
      cmd.add_option("--log-level", *log_level, "trace, debug, info, warn, error or off")
          ->envname("OCULAR_LOG_LEVEL")
          ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
          ->capture_default_str();
      cmd.add_option("--read-store", o->read_store,
                     "Where v3.2 async Read results live: 'memory' (this process) or "
                     "redis://HOST:PORT[/DB] (shared by all instances, AES-256-GCM sealed with "
                     "the cluster secret; needs --cluster-secret-file)")
          ->envname("OCULAR_READ_STORE")
          ->capture_default_str();
      cmd.add_option("--read-store-timeout", o->read_store_timeout_s,
                     "Seconds to connect to / wait for the shared Read store before answering 503")
          ->envname("OCULAR_READ_STORE_TIMEOUT")
          ->capture_default_str();
      cmd.add_option("--cluster-secret-file", o->cluster_secret_file,
                     "Secret shared by all instances (>= 32 bytes): signs STS tokens so any "
                     "instance accepts them, and keys the shared Read results. Default: a "
                     "random per-process secret")
          ->envname("OCULAR_CLUSTER_SECRET_FILE")
          ->type_name("FILE");
      cmd.add_option("--shutdown-delay", o->shutdown_delay_s,
                     "On SIGTERM: seconds /ready answers 503 while the listener still accepts, "
                     "so balancers notice before it closes (5 behind a balancer)")
          ->envname("OCULAR_SHUTDOWN_DELAY")
          ->capture_default_str();
      cmd.add_option("--shutdown-grace", o->shutdown_grace_s,
                     "On SIGTERM: seconds (from the signal) for in-flight requests and queued "
                     "Reads to finish; then, or on a second signal, exit at once")
          ->envname("OCULAR_SHUTDOWN_GRACE")
          ->capture_default_str();
      AddModelRepoOption(cmd, &o->model_repo);
      AddMaxDecodePixelsOption(cmd, &o->max_decode_pixels);
      AddGalleriesOption(cmd, &o->galleries_dir);
      AddEnableCelebritiesOption(cmd, &o->enable_celebrities);
      AddDetectorOption(cmd, &o->detector);
      return [o, log_level, config, &cmd]() {
        if (!config->empty()) {
          // CLI11 2.1 reads config files for the main app only: apply this one here, for every
          // option the command line and the environment left unset.
          if (int rc = ApplyConfigFile(cmd, *config); rc != kExitOk) return rc;
        }
        // Logs go to stderr only (stdout stays free); request data never reaches them.
        auto logger = spdlog::stderr_logger_mt("ocular-serve");
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
        spdlog::set_default_logger(logger);
        spdlog::set_level(spdlog::level::from_str(*log_level));
        return server::RunServe(*o);
      };
    });

}  // namespace
}  // namespace ocular::cli
