#include "server/router.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <thread>

namespace ocular::server {
namespace {

// A stand-in for the analysis service: echoes the body size, optionally blocks.
class FakeService : public api::Service {
 public:
  bool Handles(const std::string& path) const override {
    return path.rfind("/computervision/", 0) == 0 || path.rfind("/vision/v3.2/", 0) == 0;
  }
  api::Response Handle(const api::Request& request) const override {
    ++calls;
    if (block) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [this] { return !block.load(); });
    }
    api::Response r;
    r.body = "{\"bytes\":" + std::to_string(request.body.size()) + "}";
    return r;
  }
  std::map<Feature, std::string> FeatureStatus() const override { return {}; }
  const std::string& model_version() const override { return version_; }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu);
      block = false;
    }
    cv.notify_all();
  }
  mutable std::atomic<int> calls{0};
  std::atomic<bool> block{false};
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::string version_ = "2026-11-26";
};

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = *KeyStore::Create({"k1", "k2"});
    deps_.keys = &keys_;
    deps_.tokens = &tokens_;
    deps_.pool = &pool_;
    deps_.metrics = &metrics_;
    slot_ = std::make_shared<ServiceSlot>();
    service_ = std::make_shared<FakeService>();
  }
  void Ready() { slot_->Set(service_); }
  std::unique_ptr<Router> Make(RouterOptions options = {}) {
    return std::make_unique<Router>(options, deps_, slot_);
  }
  static api::Response Call(Router& router, api::Request request) {
    std::promise<api::Response> p;
    auto f = p.get_future();
    router.Handle(std::move(request), [&p](api::Response r) { p.set_value(std::move(r)); });
    return f.get();
  }
  static api::Request Req(std::string method, std::string path, std::string key = {}) {
    api::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.request_id = "00000000-0000-4000-8000-000000000000";
    r.origin = "https://127.0.0.1:5000";
    if (!key.empty()) r.headers["ocp-apim-subscription-key"] = std::move(key);
    return r;
  }

  KeyStore keys_;
  TokenSigner tokens_{"secret-secret-secret-secret-0123", std::chrono::seconds(600)};
  WorkerPool pool_{1, 1};
  Metrics metrics_;
  RouterDeps deps_;
  std::shared_ptr<ServiceSlot> slot_;
  std::shared_ptr<FakeService> service_;
};

const char* kAnalysisPaths[] = {
    "/computervision/imageanalysis:analyze", "/computervision/imageanalysis%3Aanalyze",
    "/vision/v3.2/analyze",  "/vision/v3.2/describe", "/vision/v3.2/detect", "/vision/v3.2/tag",
    "/vision/v3.2/models",   "/vision/v3.2/models/celebrities/analyze",
    "/vision/v3.2/areaOfInterest", "/vision/v3.2/generateThumbnail", "/vision/v3.2/ocr",
    "/vision/v3.2/read/analyze",
    "/vision/v3.2/read/analyzeResults/2f1b6d6c-0c54-4b0e-9d4b-7a8a4c7c1b11"};

TEST_F(RouterTest, EveryAnalysisRouteNeedsAKey) {
  for (bool ready : {false, true}) {
    if (ready) Ready();
    auto router = Make();
    for (const char* path : kAnalysisPaths) {
      api::Response r = Call(*router, Req("POST", path));
      EXPECT_EQ(r.status, 401) << path;
      EXPECT_NE(r.body.find("missing subscription key"), std::string::npos) << path;
      bool www = false;
      for (auto& [n, v] : r.headers) www |= n == "WWW-Authenticate";
      EXPECT_TRUE(www);
      r = Call(*router, Req("POST", path, "wrong"));
      EXPECT_EQ(r.status, 401) << path;
      EXPECT_NE(r.body.find("invalid subscription key"), std::string::npos);
    }
  }
  EXPECT_EQ(service_->calls.load(), 0);
}

TEST_F(RouterTest, KeyedRequestsReachTheServiceOnlyWhenReady) {
  auto router = Make();
  api::Response r = Call(*router, Req("POST", "/vision/v3.2/tag", "k2"));
  EXPECT_EQ(r.status, 503);
  Ready();
  api::Request req = Req("POST", "/vision/v3.2/tag", "k2");
  req.body = "12345";
  r = Call(*router, req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"bytes\":5}");
  EXPECT_EQ(service_->calls.load(), 1);
}

TEST_F(RouterTest, HealthReadyMetricsAndNotFound) {
  auto router = Make();
  EXPECT_EQ(Call(*router, Req("GET", "/health")).status, 200);
  api::Response ready = Call(*router, Req("GET", "/ready"));
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("ServiceUnavailable"), std::string::npos);
  Ready();
  EXPECT_EQ(Call(*router, Req("GET", "/ready")).status, 200);
  api::Response nf = Call(*router, Req("GET", "/nope?x=1"));
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.body, R"({"error":{"code":"404","message":"Resource not found"}})");
  api::Response m = Call(*router, Req("GET", "/metrics"));
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain", 0), 0u);
  EXPECT_NE(m.body.find("ocular_http_requests_total{route=\"other\",status=\"404\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("ocular_ready 1"), std::string::npos);
  EXPECT_NE(m.body.find("ocular_worker_queue_depth 0"), std::string::npos);
}

TEST_F(RouterTest, AdminRoutesCanMoveToAnotherListener) {
  RouterOptions api_only;
  api_only.admin_routes = false;
  RouterOptions admin_only;
  admin_only.api_routes = false;
  Ready();
  EXPECT_EQ(Call(*Make(api_only), Req("GET", "/metrics")).status, 404);
  EXPECT_EQ(Call(*Make(admin_only), Req("GET", "/metrics")).status, 200);
  EXPECT_EQ(Call(*Make(admin_only), Req("POST", "/vision/v3.2/tag", "k1")).status, 404);
}

TEST_F(RouterTest, BearerTokensFromSts) {
  Ready();
  auto router = Make();
  EXPECT_EQ(Call(*router, Req("POST", "/sts/v1.0/issueToken")).status, 401);
  EXPECT_EQ(Call(*router, Req("POST", "/sts/v1.0/issueToken", "bad")).status, 401);
  api::Response t = Call(*router, Req("POST", "/sts/v1.0/issueToken", "k1"));
  ASSERT_EQ(t.status, 200);
  api::Request with_token = Req("POST", "/vision/v3.2/tag");
  with_token.headers["authorization"] = "Bearer " + t.body;
  EXPECT_EQ(Call(*router, with_token).status, 200);
  with_token.headers["authorization"] = "Bearer " + t.body + "x";
  EXPECT_EQ(Call(*router, with_token).status, 401);
  RouterOptions no_sts;
  no_sts.sts = false;
  EXPECT_EQ(Call(*Make(no_sts), Req("POST", "/sts/v1.0/issueToken", "k1")).status, 404);
}

TEST_F(RouterTest, FullQueueAnswers429WithRetryAfter) {
  Ready();
  auto router = Make();
  service_->block = true;
  // Pool: 1 thread + 1 queue slot. Two requests are admitted, the third is refused.
  std::vector<std::future<api::Response>> pending;
  std::vector<std::promise<api::Response>> promises(2);
  for (int i = 0; i < 2; ++i) {
    pending.push_back(promises[i].get_future());
    router->Handle(Req("POST", "/vision/v3.2/tag", "k1"),
                   [&promises, i](api::Response r) { promises[i].set_value(std::move(r)); });
    if (i == 0) {
      for (int w = 0; w < 2000 && pool_.busy() == 0; ++w) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  api::Response busy = Call(*router, Req("POST", "/vision/v3.2/tag", "k1"));
  EXPECT_EQ(busy.status, 429);
  bool retry = false;
  for (auto& [n, v] : busy.headers) retry |= n == "Retry-After";
  EXPECT_TRUE(retry);
  service_->Release();
  for (auto& f : pending) EXPECT_EQ(f.get().status, 200);
}

// A request whose client closed the connection while it waited in the queue is never analysed;
// one whose client leaves while it runs is counted as abandoned. Both are logged as 499.
TEST_F(RouterTest, WorkOfAClosedConnectionIsCancelled) {
  Ready();
  auto router = Make();
  service_->block = true;
  std::promise<api::Response> first, queued;
  auto first_done = first.get_future();
  auto queued_done = queued.get_future();
  api::Request running = Req("POST", "/vision/v3.2/tag", "k1");
  auto running_closed = std::make_shared<std::atomic<bool>>(false);
  running.client_closed = running_closed;
  router->Handle(std::move(running), [&first](api::Response r) { first.set_value(std::move(r)); });
  for (int w = 0; w < 2000 && pool_.busy() == 0; ++w) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(pool_.busy(), 1u);
  api::Request waiting = Req("POST", "/vision/v3.2/tag", "k1");
  waiting.body = "12345";
  auto waiting_closed = std::make_shared<std::atomic<bool>>(false);
  waiting.client_closed = waiting_closed;
  router->Handle(std::move(waiting),
                 [&queued](api::Response r) { queued.set_value(std::move(r)); });
  waiting_closed->store(true);  // the transport saw the client go while the job was queued
  running_closed->store(true);  // ... and the running request's client go too
  service_->Release();
  EXPECT_EQ(first_done.get().status, 499);
  EXPECT_EQ(queued_done.get().status, 499);
  EXPECT_EQ(service_->calls.load(), 1);  // the queued job never reached the service
  api::Response m = Call(*router, Req("GET", "/metrics"));
  EXPECT_NE(m.body.find("ocular_requests_cancelled_total{stage=\"queued\"} 1"), std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("ocular_requests_cancelled_total{stage=\"running\"} 1"),
            std::string::npos);
  // A request whose client stays is served as before.
  api::Request live = Req("POST", "/vision/v3.2/tag", "k1");
  live.client_closed = std::make_shared<std::atomic<bool>>(false);
  EXPECT_EQ(Call(*router, std::move(live)).status, 200);
}

TEST_F(RouterTest, PerKeyRateLimit) {
  Ready();
  RateLimiter limiter(0.001, 2);  // two requests, then one every 1000 s
  deps_.limiter = &limiter;
  auto router = Make();
  EXPECT_EQ(Call(*router, Req("POST", "/vision/v3.2/tag", "k1")).status, 200);
  EXPECT_EQ(Call(*router, Req("POST", "/vision/v3.2/tag", "k1")).status, 200);
  api::Response limited = Call(*router, Req("POST", "/vision/v3.2/tag", "k1"));
  EXPECT_EQ(limited.status, 429);
  std::string retry;
  for (auto& [n, v] : limited.headers) {
    if (n == "Retry-After") retry = v;
  }
  EXPECT_GE(std::stoi(retry), 900);
  EXPECT_EQ(Call(*router, Req("POST", "/vision/v3.2/tag", "k2")).status, 200);  // other key
}

TEST_F(RouterTest, OversizeRejectionsUseTheApiErrorShape) {
  auto router = Make();
  api::Request v40 = Req("POST", "/computervision/imageanalysis:analyze");
  api::Response r = router->Reject(v40, HttpHandler::Rejection::kBodyTooLarge, 30'000'000);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("20971520"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("innererror"), std::string::npos);
  api::Request v32 = Req("POST", "/vision/v3.2/analyze");
  r = router->Reject(v32, HttpHandler::Rejection::kBodyTooLarge, 30'000'000);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("InvalidImageSize"), std::string::npos) << r.body;
  EXPECT_EQ(router->Reject({}, HttpHandler::Rejection::kHeaderTooLarge, 0).status, 431);
  EXPECT_EQ(router->Reject({}, HttpHandler::Rejection::kMalformed, 0).status, 400);
}

TEST(RouteLabel, TemplatesBoundCardinality) {
  EXPECT_EQ(Router::RouteLabel("/computervision/imageanalysis%3Aanalyze"),
            "/computervision/imageanalysis:analyze");
  EXPECT_EQ(Router::RouteLabel("/VISION/v3.2/AreaOfInterest/"), "/vision/v3.2/areaOfInterest");
  EXPECT_EQ(Router::RouteLabel("/vision/v3.2/read/analyzeResults/abc"),
            "/vision/v3.2/read/analyzeResults/{id}");
  EXPECT_EQ(Router::RouteLabel("/vision/v3.2/models/landmarks/analyze"),
            "/vision/v3.2/models/landmarks/analyze");
  EXPECT_EQ(Router::RouteLabel("/vision/v3.2/models/secret-name/analyze"),
            "/vision/v3.2/models/{model}/analyze");
  EXPECT_EQ(Router::RouteLabel("/private/path/of/someone"), "other");
  EXPECT_EQ(Router::RouteLabel(""), "other");
}

}  // namespace
}  // namespace ocular::server
