// The analyzer interface: one analyzer per feature (or per closely tied group of features).
//
// Lifecycle: an analyzer is created once at engine start (loading its models through the model
// repository) and destroyed at shutdown. Analyze() is called once per request that asks for one
// of its features, possibly from many request threads at once, and possibly in parallel with
// other analyzers on the same request: it must be const and thread-safe, write only the
// AnalysisResult members of its own features, and get shared intermediates (detections, faces,
// resized images) through AnalysisContext::Shared so that each model runs once per request.
//
// Errors: Analyze returns a Status; the engine turns a failure into the request's error. An
// analyzer never returns made-up values: what its models cannot compute is an explicit error or
// an explicit "unsupported" marker in the result model.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/context.h"
#include "analyzers/request.h"
#include "core/result.h"
#include "core/status.h"

namespace ocular {

class Analyzer {
 public:
  virtual ~Analyzer() = default;

  // A short stable name for logs and metrics ("color", "objects").
  virtual std::string_view name() const = 0;
  // The features this analyzer serves.
  virtual std::vector<Feature> features() const = 0;
  // The longest image side this analyzer needs; 0 = full resolution. The engine decodes at the
  // largest value any requested analyzer needs (JPEG DCT scaling below that).
  virtual int min_long_side() const { return 0; }
  // Features that must be computed before this one runs (their results are read from `result`).
  virtual std::vector<Feature> depends_on() const { return {}; }
  // Features whose results this analyzer reads when the request asks for them too (e.g. tags
  // read the OCR result to add "text"): they run first, but are not added to the request.
  virtual std::vector<Feature> runs_after() const { return {}; }

  // Computes this analyzer's requested features into `result`.
  virtual Status Analyze(AnalysisContext& context, AnalysisResult& result) const = 0;
};

}  // namespace ocular
