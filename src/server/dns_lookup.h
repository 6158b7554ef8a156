// Host name lookups with a deadline, for image URLs. getaddrinfo has no timeout of its own (a
// slow or dead DNS server holds the caller for the resolver's retries, tens of seconds), so the
// lookup runs on a short-lived thread and the caller waits at most `timeout`. A lookup still
// running at the deadline finishes in the background and its answer is dropped; at most
// kMaxLookupsInFlight such threads exist at once (further lookups fail at once, as busy).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "server/net_policy.h"

namespace ocular::server {

// A blocking lookup: every address of `host` (empty when it does not resolve).
using Resolver = std::function<std::vector<IpAddress>(const std::string& host)>;

inline constexpr int kMaxLookupsInFlight = 32;

// getaddrinfo (AF_UNSPEC, SOCK_STREAM): IPv4 and IPv6 addresses in the resolver's order.
std::vector<IpAddress> SystemResolve(const std::string& host);

// Runs `resolver` (SystemResolve when empty) for at most `timeout`. Errors: DeadlineExceeded at
// the deadline, ResourceExhausted when kMaxLookupsInFlight lookups are already running.
StatusOr<std::vector<IpAddress>> ResolveWithTimeout(const std::string& host,
                                                    std::chrono::milliseconds timeout,
                                                    const Resolver& resolver = {});

}  // namespace ocular::server
