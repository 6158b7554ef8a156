// Internals shared by the graph-model front end files (not part of the library API).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emitter.h"

namespace ocular::convert {

// A TF NodeDef's attributes as TF.js stores them (`attr: {name: {i|f|b|s|type|list|shape}}`).
class Attrs {
 public:
  explicit Attrs(const nlohmann::json* attr) : attr_(attr) {}
  bool Has(const std::string& k) const;
  int64_t Int(const std::string& k, int64_t def = 0) const;
  float Float(const std::string& k, float def = 0) const;
  bool Bool(const std::string& k, bool def = false) const;
  std::string Str(const std::string& k, const std::string& def = "") const;  // base64-decoded
  std::string Type(const std::string& k, const std::string& def = "DT_FLOAT") const;
  std::vector<int64_t> Ints(const std::string& k) const;
  std::vector<std::string> Strs(const std::string& k) const;  // base64-decoded
  const nlohmann::json* Raw(const std::string& k) const;

 private:
  const nlohmann::json* attr_;
};

StatusOr<DType> TfType(const std::string& dt);

// Constant folding of one TF op whose inputs are all constants. Returns kUnsupported when `op`
// has no folding rule (the caller then emits it).
StatusOr<Tensor> FoldOp(const std::string& op, const Attrs& a, const std::vector<Tensor>& ins);

// TF StridedSlice on one axis, normalised against dimension `n` (TF clamping rules).
struct SliceAxis {
  int64_t start, end, step;
  bool shrink;
};
StatusOr<std::vector<SliceAxis>> StridedSliceSpec(const Attrs& a, const Tensor& begin,
                                                  const Tensor& end, const Tensor& strides,
                                                  const Shape* input_shape);

// Emits one non-folded op. `ins` are the data inputs; writes results into `out` as
// {"name": val} and {"name:1": val} for extra outputs.
Status EmitOp(Emitter& e, const std::string& node_name, const std::string& op, const Attrs& a,
              const std::vector<Val>& ins, std::map<std::string, Val>& out);

}  // namespace ocular::convert
