#include "server/dns_lookup.h"

#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace ocular::server {
namespace {

std::atomic<int> g_in_flight{0};

struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<IpAddress> addresses;
};

}  // namespace

std::vector<IpAddress> SystemResolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::vector<IpAddress> out;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return out;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6) {
      out.push_back(IpAddress::FromSockaddr(ai->ai_addr));
    }
  }
  freeaddrinfo(found);
  return out;
}

StatusOr<std::vector<IpAddress>> ResolveWithTimeout(const std::string& host,
                                                    std::chrono::milliseconds timeout,
                                                    const Resolver& resolver) {
  if (g_in_flight.fetch_add(1) >= kMaxLookupsInFlight) {
    g_in_flight.fetch_sub(1);
    return ResourceExhausted("too many host name lookups are in progress");
  }
  auto lookup = std::make_shared<Lookup>();
  Resolver run = resolver ? resolver : Resolver(SystemResolve);
  try {
    std::thread([lookup, run = std::move(run), host] {
      std::vector<IpAddress> addresses = run(host);
      {
        std::lock_guard<std::mutex> lock(lookup->mu);
        lookup->addresses = std::move(addresses);
        lookup->done = true;
      }
      lookup->done_cv.notify_all();
      g_in_flight.fetch_sub(1);
    }).detach();
  } catch (const std::system_error&) {
    g_in_flight.fetch_sub(1);
    return ResourceExhausted("cannot start a host name lookup");
  }
  std::unique_lock<std::mutex> lock(lookup->mu);
  if (!lookup->done_cv.wait_for(lock, timeout, [&] { return lookup->done; })) {
    return Status(StatusCode::kDeadlineExceeded, "the host name lookup timed out");
  }
  return std::move(lookup->addresses);
}

}  // namespace ocular::server
