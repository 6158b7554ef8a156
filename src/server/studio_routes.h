// The Ocular Studio's HTTP side (docs/studio.md): the embedded page and its files under /studio/,
// and GET /studio/config.json, on the API listener when `--studio` is on (the default).
//
//   GET /studio               308 to /studio/
//   GET /studio/              index.html
//   GET /studio/<file>        an embedded file (studio/studio_assets.h), ETag + If-None-Match
//   GET /studio/config.json   non-secret facts the page needs (never keys, never request data):
//                             {"ready", "modelVersion", "apiVersions": {"4.0": [...], "3.2": ...},
//                              "features": {name: "ok" | why unavailable}, "celebrities": bool}
// None of them needs a key: the page holds no secret, and every analysis it runs sends the key
// the user types, exactly as a client does. Every answer carries a strict Content-Security-Policy
// (no inline script, no third-party origin, frame-ancestors 'none') and no-referrer.
#pragma once

#include <string_view>

#include "api/http_types.h"
#include "api/service.h"

namespace ocular::server {

// True for "/studio" and everything under "/studio/".
bool IsStudioPath(std::string_view path);

// The answer to a studio request. `service` is null while the models load (config.json then
// says "ready": false).
api::Response StudioResponse(const api::Request& request, const api::Service* service);

}  // namespace ocular::server
