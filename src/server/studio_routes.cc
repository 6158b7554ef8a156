#include "server/studio_routes.h"

#include <nlohmann/json.hpp>

#include "api/errors.h"
#include "studio/studio_assets.h"

namespace ocular::server {
namespace {

constexpr std::string_view kPrefix = "/studio";

// Scripts and styles from this origin only (no inline script or style attribute injection),
// images from this origin, blob: (the user's own files, shown locally) and https: (an image URL
// the user typed is shown from its own site, like any <img>); fetch() to this origin only.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: https:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

void AddSecurityHeaders(api::Response* r) {
  r->headers.emplace_back("Content-Security-Policy", kCsp);
  r->headers.emplace_back("X-Frame-Options", "DENY");
  r->headers.emplace_back("Referrer-Policy", "no-referrer");
  r->headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  r->headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  r->headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

api::Response Config(const api::Service* service) {
  nlohmann::json features = nlohmann::json::object();
  bool celebrities = false;
  if (service != nullptr) {
    for (const auto& [feature, status] : service->FeatureStatus()) {
      features[std::string(FeatureName(feature))] = status;
      if (feature == Feature::kCelebrities) celebrities = status == "ok";
    }
  }
  nlohmann::json body = {
      {"ready", service != nullptr},
      {"modelVersion", service != nullptr ? service->model_version() : ""},
      {"apiVersions", {{"4.0", {"2023-10-01", "2024-02-01"}}, {"3.2", {"v3.2"}}}},
      {"features", features},
      {"celebrities", celebrities},
  };
  // The object detector tier the server runs (--detector), shown by the page.
  if (service != nullptr && !service->detector_tier().empty()) {
    body["detector"] = service->detector_tier();
  }
  api::Response r;
  r.body = body.dump();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

bool IsStudioPath(std::string_view path) {
  return path == kPrefix || (path.starts_with(kPrefix) && path[kPrefix.size()] == '/');
}

api::Response StudioResponse(const api::Request& request, const api::Service* service) {
  api::Response r;
  if (request.method != "GET") {
    r = api::MakeErrorResponse(405, "InvalidRequest", "The studio only answers GET.");
    r.headers.emplace_back("Allow", "GET");
  } else if (request.path == kPrefix) {
    r.status = 308;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", "/studio/");
  } else {
    std::string_view rel = std::string_view(request.path).substr(kPrefix.size() + 1);
    if (rel.empty()) rel = "index.html";
    if (rel == "config.json") {
      r = Config(service);
    } else if (const studio::Asset* asset = studio::FindAsset(rel)) {
      r.content_type = std::string(asset->content_type);
      r.headers.emplace_back("ETag", asset->etag);
      // Not fingerprinted: revalidate every time (cheap 304s), so an upgrade shows at once.
      r.headers.emplace_back("Cache-Control", "no-cache");
      auto match = request.headers.find("if-none-match");
      if (match != request.headers.end() && match->second == asset->etag) {
        r.status = 304;
      } else {
        r.body = std::string(asset->bytes);
      }
    } else {
      r = api::NotFoundResponse();
    }
  }
  AddSecurityHeaders(&r);
  return r;
}

}  // namespace ocular::server
