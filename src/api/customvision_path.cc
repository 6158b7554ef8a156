#include "api/customvision_path.h"

#include <cctype>
#include <vector>

#include "api/query.h"
#include "core/uuid.h"

namespace ocular::api {

namespace {

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('/', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

StatusOr<CustomVisionRoute> ParseCustomVisionPath(std::string_view raw_path) {
  const std::vector<std::string> seg = Split(PercentDecode(raw_path));
  // customvision, v3.x, prediction, {projectId}, {classify|detect}, iterations, {name},
  // image|url, [nostore]
  if (seg.size() < 8 || seg.size() > 9) return NotFound("not a Custom Vision prediction route");
  const std::string version = ToLower(seg[1]);
  const std::string op = ToLower(seg[4]), source = ToLower(seg[7]);
  if (ToLower(seg[0]) != "customvision" || (version != "v3.0" && version != "v3.1") ||
      ToLower(seg[2]) != "prediction" || ToLower(seg[5]) != "iterations" ||
      (op != "classify" && op != "detect") || (source != "image" && source != "url") ||
      (seg.size() == 9 && ToLower(seg[8]) != "nostore")) {
    return NotFound("not a Custom Vision prediction route");
  }
  CustomVisionRoute route;
  route.project_id = ToLower(seg[3]);
  if (!IsUuid(route.project_id)) {
    return InvalidArgument("The project id is not a valid GUID.", "BadRequestInvalidIds");
  }
  route.detect = op == "detect";
  route.url = source == "url";
  route.published_name = seg[6];
  route.nostore = seg.size() == 9;
  return route;
}

}  // namespace ocular::api
