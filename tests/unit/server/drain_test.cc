// Graceful shutdown: /ready turns 503 when draining, requests in flight are counted until their
// response is handed over, and WaitIdle honours its deadline.
#include "server/drain.h"

#include <gtest/gtest.h>

namespace ocular::server {
namespace {

class Parked : public HttpHandler {
 public:
  void Handle(api::Request, Respond respond) override { pending.push_back(std::move(respond)); }
  api::Response Reject(const api::Request&, Rejection, std::uint64_t) override { return {}; }
  std::vector<Respond> pending;
};

api::Request Get(const std::string& path) {
  api::Request r;
  r.method = "GET";
  r.path = path;
  return r;
}

TEST(Drain, ReadyTurns503AtOnceAndOtherRoutesPassThrough) {
  Parked inner;
  auto state = std::make_shared<DrainState>();
  DrainingHandler h(&inner, state);
  h.Handle(Get("/ready"), [](api::Response) {});
  EXPECT_EQ(inner.pending.size(), 1u);  // not draining: the router answers /ready
  state->StartDraining();
  int status = 0;
  h.Handle(Get("/ready"), [&](api::Response r) { status = r.status; });
  EXPECT_EQ(status, 503);
  EXPECT_EQ(inner.pending.size(), 1u);
  h.Handle(Get("/health"), [](api::Response) {});
  EXPECT_EQ(inner.pending.size(), 2u);  // still served while draining
}

TEST(Drain, CountsRequestsInFlightUntilAnswered) {
  Parked inner;
  auto state = std::make_shared<DrainState>();
  DrainingHandler h(&inner, state);
  h.Handle(Get("/vision/v3.2/models"), [](api::Response) {});
  h.Handle(Get("/vision/v3.2/models"), [](api::Response) {});
  EXPECT_EQ(state->in_flight(), 2u);
  const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
  EXPECT_FALSE(state->WaitIdle(soon));
  inner.pending[0](api::Response{});
  EXPECT_EQ(state->in_flight(), 1u);
  inner.pending[1](api::Response{});
  EXPECT_EQ(state->in_flight(), 0u);
  EXPECT_TRUE(state->WaitIdle(std::chrono::steady_clock::now()));
}

}  // namespace
}  // namespace ocular::server
