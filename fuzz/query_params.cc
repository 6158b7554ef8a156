// Query strings and the v3.2 / 4.0 parameter parsing built on them (api/query.h,
// api/analyze_request.h), on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/analyze_request.h"
#include "api/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const ocular::api::QueryParams query = ocular::api::QueryParams::Parse(raw);
  for (const char* name : {"features", "language", "model-version", "smartcrops-aspect-ratios",
                           "visualFeatures", "details", "api-version"}) {
    (void)query.GetList(name);
  }
  (void)ocular::api::ParseAnalyzeV40(query);
  (void)ocular::api::CheckModelVersion(query);
  using Op = ocular::api::V32Operation;
  for (Op op : {Op::kAnalyze, Op::kDescribe, Op::kDetect, Op::kTag, Op::kAreaOfInterest,
                Op::kThumbnail, Op::kCelebrities, Op::kLandmarks}) {
    (void)ocular::api::ParseV32(op, query);
  }
  (void)ocular::api::PercentDecode(raw);
  return 0;
}
