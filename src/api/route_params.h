// The scalar query parameters of the text and thumbnail routes, parsed without touching the
// request or the engine (so the fuzzer drives them: fuzz/query_params.cc). Every error is an
// Azure-shaped InvalidArgument carrying the spec's inner code.
//
//   OCULAR_ASSIGN_OR_RETURN(bool page_one, ParseReadPages("1-3,7"));   // true
//   OCULAR_ASSIGN_OR_RETURN(int w, ParseThumbnailSide(query, "width"));
#pragma once

#include <string>

#include "api/query.h"
#include "core/status.h"

namespace ocular::api {

// A true/false parameter (case-insensitive). Absent or empty: `fallback`. Anything else:
// InvalidArgument/BadArgument naming the parameter.
StatusOr<bool> ParseBoolParam(const QueryParams& query, const std::string& name, bool fallback);

// The v3.2 Read `pages` parameter ("1", "1-3", "2-", "-4", comma separated, blanks around items
// ignored; pages are 1 to 999,999,999). Returns whether page 1 (the only page of an image) is
// selected. Errors: InvalidArgument/InvalidPageRange (empty, malformed, 0, or a range whose end
// is before its start).
StatusOr<bool> ParseReadPages(const std::string& pages);

// The v3.2 Read `readingOrder`: "basic" (default, when absent) or "natural", case-insensitive.
// Returns the lower-case value. Errors: InvalidArgument/InvalidReadingOrder.
StatusOr<std::string> ParseReadingOrder(const QueryParams& query);

// The v3.2 generateThumbnail `width` / `height`: required, a decimal integer from 1 to 1024
// (spec §3.6). Errors: InvalidArgument/InvalidThumbnailSize.
StatusOr<int> ParseThumbnailSide(const QueryParams& query, const char* name);

}  // namespace ocular::api
