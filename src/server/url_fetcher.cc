#include "server/url_fetcher.h"

#include "server/dns_lookup.h"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

namespace ocular::server {
namespace {

constexpr char kInner[] = "InvalidImageUrl";

Status UrlError(const std::string& reason) {
  return InvalidArgument("The image URL could not be used: " + reason, kInner);
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

struct Target {
  std::string host;  // as curl sees it (IPv6 literal without brackets)
  long port = 0;
  IpAddress address;  // the checked address the connection is pinned to
};

// Parses the URL, resolves its host and picks the first address the policy allows.
StatusOr<Target> ResolveTarget(const UrlFetchOptions& options, const std::string& url,
                               std::chrono::milliseconds remaining) {
  std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return UrlError("it is not a valid absolute URL.");
  }
  std::string scheme = UrlPart(u.get(), CURLUPART_SCHEME);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
  if (scheme != "http" && scheme != "https") {
    return UrlError("only http and https URLs are supported.");
  }
  Target t;
  t.host = UrlPart(u.get(), CURLUPART_HOST);
  std::string port = UrlPart(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  t.port = port.empty() ? 0 : std::strtol(port.c_str(), nullptr, 10);
  if (t.host.empty() || t.port <= 0 || t.port > 65535) return UrlError("it has no valid host.");
  if (t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);

  if (std::optional<IpAddress> literal = IpAddress::Parse(t.host)) {
    if (!options.policy.IsAllowed(*literal)) {
      return UrlError("the host is " + AddressClassWithArticle(Classify(*literal)) +
                      " address, which is not allowed.");
    }
    t.address = *literal;
    return t;
  }
  StatusOr<std::vector<IpAddress>> found =
      ResolveWithTimeout(t.host, std::min(options.dns_timeout, remaining), options.resolver);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kDeadlineExceeded) {
      return UrlError("the host name could not be resolved in time.");
    }
    return UrlError("the host name could not be resolved.");
  }
  if (found->empty()) return UrlError("the host name could not be resolved.");
  std::optional<IpAddress> chosen;
  std::optional<AddressClass> refused;
  for (const IpAddress& a : *found) {
    if (options.policy.IsAllowed(a)) {
      chosen = a;
      break;
    }
    if (!refused) refused = Classify(a);
  }
  if (!chosen) {
    if (refused) {
      return UrlError("the host resolves to " + AddressClassWithArticle(*refused) +
                      " address, which is not allowed.");
    }
    return UrlError("the host name could not be resolved.");
  }
  t.address = *chosen;
  return t;
}

struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  const Target* target = nullptr;
  const AddressPolicy* policy = nullptr;
  bool blocked_socket = false;
};

std::size_t OnData(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  if (t->body.size() + len > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, len);
  return len;
}

// Last line of defence: the socket curl opens must go to the address we checked.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN ||
      (addr->family != AF_INET && addr->family != AF_INET6)) {
    t->blocked_socket = true;
    return CURL_SOCKET_BAD;
  }
  IpAddress a = IpAddress::FromSockaddr(&addr->addr);
  if (a.v6 != t->target->address.v6 || a.bytes != t->target->address.bytes ||
      !t->policy->IsAllowed(a)) {
    t->blocked_socket = true;
    return CURL_SOCKET_BAD;
  }
  return socket(addr->family, addr->socktype, addr->protocol);
}

Status CurlFailure(CURLcode code, const Transfer& t, std::size_t max_bytes) {
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return UrlError("the image is larger than " + std::to_string(max_bytes) + " bytes.");
  }
  if (t.blocked_socket) return UrlError("the connection target is not allowed.");
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return UrlError("the download timed out.");
    case CURLE_COULDNT_RESOLVE_HOST:
      return UrlError("the host name could not be resolved.");
    case CURLE_COULDNT_CONNECT:
      return UrlError("the host could not be reached.");
    case CURLE_UNSUPPORTED_PROTOCOL:
      return UrlError("only http and https URLs are supported.");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return UrlError("the TLS connection to the host failed.");
    default:
      return UrlError("the download failed (" + std::string(curl_easy_strerror(code)) + ").");
  }
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

StatusOr<std::string> FetchUrl(const UrlFetchOptions& options, const std::string& url,
                               std::size_t max_bytes) {
  GlobalInit();
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + options.total_timeout;
  std::string current = url;
  for (int redirects = 0;; ++redirects) {
    StatusOr<Target> target = ResolveTarget(
        options, current,
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (!target.ok()) return target.status();
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (remaining <= 0) return UrlError("the download timed out.");

    std::unique_ptr<CURL, CurlEasyDeleter> easy(curl_easy_init());
    if (!easy) return Internal("curl_easy_init failed");
    std::string ip = target->address.ToString();
    if (target->address.v6) ip = "[" + ip + "]";
    std::string pin = target->host + ":" + std::to_string(target->port) + ":" + ip;
    std::unique_ptr<curl_slist, CurlSlistDeleter> resolve(curl_slist_append(nullptr, pin.c_str()));

    Transfer transfer;
    transfer.max_bytes = max_bytes;
    transfer.target = &*target;
    transfer.policy = &options.policy;
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_URL, current.c_str());
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min<long long>(options.connect_timeout.count(), remaining)));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_USERAGENT, options.user_agent.c_str());
    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) return CurlFailure(code, transfer, max_bytes);

    long http_status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http_status);
    if (http_status >= 300 && http_status < 400) {
      char* location = nullptr;
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
      if (location == nullptr || *location == '\0') {
        return UrlError("the server answered a redirect without a location.");
      }
      if (redirects >= options.max_redirects) {
        return UrlError("more than " + std::to_string(options.max_redirects) + " redirects.");
      }
      current = location;
      continue;
    }
    if (http_status < 200 || http_status >= 300) {
      return UrlError("the server answered HTTP " + std::to_string(http_status) + ".");
    }
    return std::move(transfer.body);
  }
}

api::UrlFetcher MakeUrlFetcher(UrlFetchOptions options) {
  GlobalInit();
  auto shared = std::make_shared<const UrlFetchOptions>(std::move(options));
  return [shared](const std::string& url, std::size_t max_bytes) {
    return FetchUrl(*shared, url, max_bytes);
  };
}

}  // namespace ocular::server
