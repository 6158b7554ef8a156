// The standard Server-Timing response header (W3C Server Timing): "name;dur=ms" entries,
// comma-separated, that browsers show in their developer tools and that clients (the studio)
// read. The API adds one entry per analyzer that ran and the router adds "queue" and "total".
// Timings only: never anything about the request's content.
#pragma once

#include <string_view>

#include "api/http_types.h"

namespace ocular::api {

// Appends "name;dur=<ms, 1 decimal>" to the response's Server-Timing header (creating it).
// Characters of `name` outside the header token set are replaced by '_'.
void AddServerTiming(Response* response, std::string_view name, double ms);

}  // namespace ocular::api
