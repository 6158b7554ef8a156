// Query strings and the v3.2 / 4.0 parameter parsing built on them (api/query.h,
// api/analyze_request.h), on arbitrary bytes: every entry point of both APIs that takes the
// query (4.0 analyze and its api-version check, v3.2 analyze/describe/detect/tag/areaOfInterest/
// generateThumbnail/models, model-version), the parameters the read and thumbnail routes read
// with QueryParams::Get and their parsers (api/route_params.h: pages, readingOrder, thumbnail
// width/height, the true/false flags), and the invariant that every stored name is found again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/analyze_request.h"
#include "api/query.h"
#include "api/route_params.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const ocular::api::QueryParams query = ocular::api::QueryParams::Parse(raw);
  for (const char* name : {"features", "language", "model-version", "smartcrops-aspect-ratios",
                           "visualFeatures", "details", "api-version"}) {
    (void)query.GetList(name);
  }
  for (const char* name : {"language", "pages", "readingOrder", "smartCropping", "width", "height",
                           "model-name", "gender-neutral-caption", "api-version"}) {
    (void)query.Get(name);
  }
  (void)ocular::api::IsSupportedV40ApiVersion(query.Get("api-version").value_or(std::string(raw)));
  for (const auto& [name, value] : query.all()) {
    // Names are stored lower-cased and found again case-insensitively.
    if (!query.Has(name)) __builtin_trap();
  }
  (void)ocular::api::ParseAnalyzeV40(query);
  (void)ocular::api::CheckModelVersion(query);
  using Op = ocular::api::V32Operation;
  for (Op op : {Op::kAnalyze, Op::kDescribe, Op::kDetect, Op::kTag, Op::kAreaOfInterest,
                Op::kThumbnail, Op::kCelebrities, Op::kLandmarks}) {
    (void)ocular::api::ParseV32(op, query);
  }
  // The route-inline parameters of the read, ocr and generateThumbnail routes.
  (void)ocular::api::ParseReadPages(query.Get("pages").value_or(std::string(raw)));
  (void)ocular::api::ParseReadingOrder(query);
  (void)ocular::api::ParseThumbnailSide(query, "width");
  (void)ocular::api::ParseThumbnailSide(query, "height");
  for (const char* name : {"detectOrientation", "smartCropping", "gender-neutral-caption"}) {
    (void)ocular::api::ParseBoolParam(query, name, false);
  }
  (void)ocular::api::PercentDecode(raw);
  return 0;
}
