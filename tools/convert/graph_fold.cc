// Attribute access and constant folding for the graph-model front end.
#include <algorithm>
#include <climits>
#include <cmath>

#include "graph_internal.h"
#include "tfjs_model.h"

namespace ocular::convert {
using nlohmann::json;

const json* Attrs::Raw(const std::string& k) const {
  if (!attr_ || !attr_->contains(k)) return nullptr;
  return &(*attr_)[k];
}
bool Attrs::Has(const std::string& k) const { return Raw(k) != nullptr; }

namespace {
int64_t JsonInt(const json& v) {
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}
std::string B64(const json& v) {
  auto s = Base64Decode(v.get<std::string>());
  return s.ok() ? *s : std::string();
}
}  // namespace

int64_t Attrs::Int(const std::string& k, int64_t def) const {
  const json* r = Raw(k);
  return r && r->contains("i") ? JsonInt((*r)["i"]) : def;
}
float Attrs::Float(const std::string& k, float def) const {
  const json* r = Raw(k);
  return r && r->contains("f") ? (*r)["f"].get<float>() : def;
}
bool Attrs::Bool(const std::string& k, bool def) const {
  const json* r = Raw(k);
  return r && r->contains("b") ? (*r)["b"].get<bool>() : def;
}
std::string Attrs::Str(const std::string& k, const std::string& def) const {
  const json* r = Raw(k);
  return r && r->contains("s") ? B64((*r)["s"]) : def;
}
std::string Attrs::Type(const std::string& k, const std::string& def) const {
  const json* r = Raw(k);
  return r && r->contains("type") ? (*r)["type"].get<std::string>() : def;
}
std::vector<int64_t> Attrs::Ints(const std::string& k) const {
  std::vector<int64_t> out;
  const json* r = Raw(k);
  if (r && r->contains("list") && (*r)["list"].contains("i"))
    for (const json& v : (*r)["list"]["i"]) out.push_back(JsonInt(v));
  return out;
}
std::vector<std::string> Attrs::Strs(const std::string& k) const {
  std::vector<std::string> out;
  const json* r = Raw(k);
  if (r && r->contains("list") && (*r)["list"].contains("s"))
    for (const json& v : (*r)["list"]["s"]) out.push_back(B64(v));
  return out;
}

StatusOr<DType> TfType(const std::string& dt) {
  if (dt == "DT_FLOAT") return DType::kFloat;
  if (dt == "DT_INT32") return DType::kInt32;
  if (dt == "DT_INT64") return DType::kInt64;
  if (dt == "DT_BOOL") return DType::kBool;
  return Unsupported("TF dtype " + dt);
}

// "To the end" for ONNX Slice; exactly representable as double (Tensor values are doubles).
constexpr int64_t kBigIndex = int64_t{1} << 62;

StatusOr<std::vector<SliceAxis>> StridedSliceSpec(const Attrs& a, const Tensor& begin,
                                                  const Tensor& end, const Tensor& strides,
                                                  const Shape* shape) {
  if (a.Int("ellipsis_mask") != 0 || a.Int("new_axis_mask") != 0)
    return Unsupported("StridedSlice with ellipsis_mask/new_axis_mask");
  const int64_t bm = a.Int("begin_mask"), em = a.Int("end_mask"), sm = a.Int("shrink_axis_mask");
  std::vector<SliceAxis> out;
  for (int64_t d = 0; d < begin.size(); ++d) {
    SliceAxis s{static_cast<int64_t>(begin.v[d]), static_cast<int64_t>(end.v[d]),
                static_cast<int64_t>(strides.v[d]), ((sm >> d) & 1) != 0};
    if (s.step == 0) return InvalidArgument("StridedSlice with stride 0");
    const bool b_masked = (bm >> d) & 1, e_masked = (em >> d) & 1;
    if (!shape) {  // ONNX Slice semantics with sentinels
      if (b_masked) s.start = s.step > 0 ? 0 : kBigIndex;
      if (e_masked) s.end = s.step > 0 ? kBigIndex : -kBigIndex;
      if (s.shrink) {
        s.end = s.start == -1 ? kBigIndex : s.start + 1;
        s.step = 1;
      }
      out.push_back(s);
      continue;
    }
    if (d >= static_cast<int64_t>(shape->size())) return InvalidArgument("StridedSlice rank");
    const int64_t n = (*shape)[d];
    auto norm = [&](int64_t x, bool masked, bool is_begin) {
      if (masked) return is_begin == (s.step > 0) ? (s.step > 0 ? int64_t{0} : n - 1)
                                                  : (s.step > 0 ? n : int64_t{-1});
      if (x < 0) x += n;
      return s.step > 0 ? std::clamp<int64_t>(x, 0, n) : std::clamp<int64_t>(x, -1, n - 1);
    };
    if (s.shrink) {
      int64_t x = s.start < 0 ? s.start + n : s.start;
      s = {x, x + 1, 1, true};
    } else {
      s.start = norm(s.start, b_masked, true);
      s.end = norm(s.end, e_masked, false);
    }
    out.push_back(s);
  }
  return out;
}

namespace {

StatusOr<Tensor> FoldStridedSlice(const Attrs& a, const std::vector<Tensor>& ins) {
  const Tensor& x = ins[0];
  OCULAR_ASSIGN_OR_RETURN(auto spec, StridedSliceSpec(a, ins[1], ins[2], ins[3], &x.shape));
  for (int d = static_cast<int>(spec.size()); d < x.rank(); ++d)
    spec.push_back({0, x.shape[d], 1, false});
  std::vector<std::vector<int64_t>> idx(x.rank());
  Shape out_shape;
  for (int d = 0; d < x.rank(); ++d) {
    const SliceAxis& s = spec[d];
    for (int64_t i = s.start; s.step > 0 ? i < s.end : i > s.end; i += s.step) idx[d].push_back(i);
    if (!s.shrink) out_shape.push_back(static_cast<int64_t>(idx[d].size()));
  }
  Tensor out{x.dtype, out_shape, {}};
  std::vector<int64_t> st(x.rank(), 1);
  for (int d = x.rank() - 2; d >= 0; --d) st[d] = st[d + 1] * x.shape[d + 1];
  std::vector<size_t> k(x.rank(), 0);
  for (const auto& v : idx)
    if (v.empty()) return out;
  while (true) {
    int64_t off = 0;
    for (int d = 0; d < x.rank(); ++d) off += idx[d][k[d]] * st[d];
    out.v.push_back(x.v[off]);
    int d = x.rank() - 1;
    for (; d >= 0; --d) {
      if (++k[d] < idx[d].size()) break;
      k[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
}

Tensor Concat(const std::vector<Tensor>& ts, int64_t axis) {
  Tensor out = ts[0];
  const int r = out.rank();
  axis = ((axis % r) + r) % r;
  int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= out.shape[d];
  out.shape[axis] = 0;
  for (const Tensor& t : ts) out.shape[axis] += t.shape[axis];
  out.v.clear();
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor& t : ts) {
      const int64_t chunk = t.size() / outer;
      out.v.insert(out.v.end(), t.v.begin() + o * chunk, t.v.begin() + (o + 1) * chunk);
    }
  return out;
}

}  // namespace

StatusOr<Tensor> FoldOp(const std::string& op, const Attrs& a, const std::vector<Tensor>& ins) {
  static const std::map<std::string, std::string> kBinary = {
      {"Add", "add"},       {"AddV2", "add"},          {"BiasAdd", "add"},   {"Sub", "sub"},
      {"Mul", "mul"},       {"RealDiv", "div"},        {"Div", "div"},       {"FloorDiv", "floordiv"},
      {"FloorMod", "floormod"}, {"Maximum", "max"},    {"Minimum", "min"},   {"Equal", "equal"},
      {"Greater", "greater"},   {"Less", "less"}};
  if (auto it = kBinary.find(op); it != kBinary.end() && ins.size() == 2)
    return FoldBinary(it->second, ins[0], ins[1]);
  if (op == "Identity") return ins[0];
  if (op == "Cast") {
    OCULAR_ASSIGN_OR_RETURN(DType d, TfType(a.Type("DstT")));
    return Cast(ins[0], d);
  }
  if (op == "Shape") {
    Tensor t = Tensor::Vector(ins[0].shape, DType::kInt32);
    return t;
  }
  if (op == "Reshape") {
    Tensor t = ins[0];
    Shape s;
    int64_t known = 1, neg = -1;
    for (int64_t i = 0; i < ins[1].size(); ++i) {
      s.push_back(static_cast<int64_t>(ins[1].v[i]));
      if (s.back() < 0) neg = i;
      else known *= s.back();
    }
    if (neg >= 0) s[neg] = known ? t.size() / known : 0;
    if (NumElements(s) != t.size()) return InvalidArgument("constant Reshape size mismatch");
    t.shape = s;
    return t;
  }
  if (op == "ExpandDims" || op == "Squeeze") {
    Tensor t = ins[0];
    if (op == "ExpandDims") {
      int64_t ax = static_cast<int64_t>(ins[1].v[0]);
      if (ax < 0) ax += t.rank() + 1;
      t.shape.insert(t.shape.begin() + ax, 1);
    } else {
      std::vector<int64_t> axes = a.Ints("squeeze_dims");
      if (axes.empty()) axes = a.Ints("axis");
      Shape s;
      for (int d = 0; d < t.rank(); ++d) {
        const bool drop = axes.empty() ? t.shape[d] == 1
                                       : std::any_of(axes.begin(), axes.end(), [&](int64_t x) {
                                           return (x + t.rank()) % t.rank() == d;
                                         });
        if (!drop) s.push_back(t.shape[d]);
      }
      t.shape = s;
    }
    return t;
  }
  if (op == "ConcatV2") {
    std::vector<Tensor> parts(ins.begin(), ins.end() - 1);
    return Concat(parts, static_cast<int64_t>(ins.back().v[0]));
  }
  if (op == "Pack") {
    std::vector<Tensor> parts;
    int64_t axis = a.Int("axis");
    const int r = ins[0].rank() + 1;
    axis = ((axis % r) + r) % r;
    for (Tensor t : ins) {
      t.shape.insert(t.shape.begin() + axis, 1);
      parts.push_back(Cast(t, ins[0].dtype));
    }
    return Concat(parts, axis);
  }
  if (op == "Transpose") {
    Perm p;
    for (double x : ins[1].v) p.push_back(static_cast<int>(x));
    return Transpose(ins[0], p);
  }
  if (op == "StridedSlice") return FoldStridedSlice(a, ins);
  if (op == "SparseToDense") {
    // tf.sparse_to_dense(indices, output_shape, values, default). onnx-tf emits it with empty
    // indices for ONNX Reshape's "0 = copy dim" rule, which folds to a constant.
    const Tensor &idx = ins[0], &shape = ins[1], &vals = ins[2], &def = ins[3];
    Tensor out{vals.dtype, {}, {}};
    for (double d : shape.v) out.shape.push_back(static_cast<int64_t>(d));
    out.v.assign(NumElements(out.shape), def.v.at(0));
    const int64_t r = static_cast<int64_t>(out.shape.size());
    const int64_t n = idx.rank() <= 1 ? idx.size() : idx.shape[0];
    for (int64_t k = 0; k < n; ++k) {
      int64_t off = 0;
      for (int64_t d = 0; d < r; ++d) {
        const int64_t i = static_cast<int64_t>(idx.rank() <= 1 ? idx.v[k] : idx.v[k * r + d]);
        off = off * out.shape[d] + i;
      }
      out.v.at(off) = vals.size() == 1 ? vals.v[0] : vals.v.at(k);
    }
    return out;
  }
  if (op == "Fill") {
    Tensor out{ins[1].dtype, {}, {}};
    for (double d : ins[0].v) out.shape.push_back(static_cast<int64_t>(d));
    out.v.assign(NumElements(out.shape), ins[1].v.at(0));
    return out;
  }
  if (op == "Prod" || op == "Sum") {
    if (ins[0].rank() != 1) return Unsupported("constant " + op + " on rank > 1");
    double acc = op == "Prod" ? 1 : 0;
    for (double x : ins[0].v) acc = op == "Prod" ? acc * x : acc + x;
    Tensor t = Tensor::Scalar(acc, ins[0].dtype);
    if (a.Bool("keep_dims")) t.shape = {1};
    return t;
  }
  return Unsupported("no folding rule for " + op);
}

}  // namespace ocular::convert
