#include "tensor.h"

#include <cmath>
#include <cstring>
#include <numeric>

#include <onnx/onnx_pb.h>

namespace ocular::convert {

std::string DTypeName(DType d) {
  switch (d) {
    case DType::kFloat: return "float32";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kBool: return "bool";
  }
  return "?";
}

int OnnxType(DType d) {
  switch (d) {
    case DType::kFloat: return onnx::TensorProto::FLOAT;
    case DType::kInt32: return onnx::TensorProto::INT32;
    case DType::kInt64: return onnx::TensorProto::INT64;
    case DType::kBool: return onnx::TensorProto::BOOL;
  }
  return onnx::TensorProto::UNDEFINED;
}

int64_t NumElements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

Tensor Tensor::Scalar(double x, DType d) { return Tensor{d, {}, {x}}; }

Tensor Tensor::Vector(const std::vector<int64_t>& xs, DType d) {
  Tensor t{d, {static_cast<int64_t>(xs.size())}, {}};
  for (int64_t x : xs) t.v.push_back(static_cast<double>(x));
  return t;
}

namespace {
std::vector<int64_t> Strides(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}
}  // namespace

Tensor Transpose(const Tensor& t, const Perm& perm) {
  if (IsIdentity(perm)) return t;
  const int r = t.rank();
  Tensor out{t.dtype, Shape(r), {}};
  for (int i = 0; i < r; ++i) out.shape[i] = t.shape[perm[i]];
  out.v.resize(t.v.size());
  const std::vector<int64_t> in_st = Strides(t.shape);
  std::vector<int64_t> src_st(r);  // stride in the input of each output axis
  for (int i = 0; i < r; ++i) src_st[i] = in_st[perm[i]];
  std::vector<int64_t> idx(r, 0);
  int64_t src = 0;
  for (size_t k = 0; k < out.v.size(); ++k) {
    out.v[k] = t.v[src];
    for (int a = r - 1; a >= 0; --a) {
      ++idx[a];
      src += src_st[a];
      if (idx[a] < out.shape[a]) break;
      src -= src_st[a] * idx[a];
      idx[a] = 0;
    }
  }
  return out;
}

Tensor Cast(const Tensor& t, DType d) {
  Tensor out = t;
  out.dtype = d;
  for (double& x : out.v) {
    if (d == DType::kBool) x = x != 0 ? 1 : 0;
    else if (d != DType::kFloat) x = std::trunc(x);
  }
  if (d == DType::kFloat) RoundToFloat32(out);
  return out;
}

void RoundToFloat32(Tensor& t) {
  if (t.dtype != DType::kFloat) return;
  for (double& x : t.v) x = static_cast<float>(x);
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float f;
  if (exp == 0) f = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31) f = mant ? NAN : INFINITY;
  else f = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  return sign ? -f : f;
}

Perm Identity(int rank) {
  Perm p(rank);
  std::iota(p.begin(), p.end(), 0);
  return p;
}

Perm Inverse(const Perm& p) {
  Perm q(p.size());
  for (size_t i = 0; i < p.size(); ++i) q[p[i]] = static_cast<int>(i);
  return q;
}

Perm Compose(const Perm& p, const Perm& q) {
  Perm r(q.size());
  for (size_t i = 0; i < q.size(); ++i) r[i] = p[q[i]];
  return r;
}

bool IsIdentity(const Perm& p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<int>(i)) return false;
  return true;
}

StatusOr<Tensor> FoldBinary(const std::string& op, const Tensor& a, const Tensor& b) {
  const int r = std::max(a.rank(), b.rank());
  Shape sa(r - a.rank(), 1), sb(r - b.rank(), 1), so(r);
  sa.insert(sa.end(), a.shape.begin(), a.shape.end());
  sb.insert(sb.end(), b.shape.begin(), b.shape.end());
  for (int i = 0; i < r; ++i) {
    if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1)
      return InvalidArgument("incompatible shapes for constant " + op);
    so[i] = std::max(sa[i], sb[i]);
  }
  const bool cmp = op == "equal" || op == "greater" || op == "less";
  Tensor out{cmp ? DType::kBool : a.dtype, so, std::vector<double>(NumElements(so))};
  std::vector<int64_t> sta = Strides(sa), stb = Strides(sb), idx(r, 0);
  for (int i = 0; i < r; ++i) {
    if (sa[i] == 1) sta[i] = 0;
    if (sb[i] == 1) stb[i] = 0;
  }
  const bool is_int = a.dtype != DType::kFloat;
  for (size_t k = 0; k < out.v.size(); ++k) {
    int64_t ia = 0, ib = 0;
    for (int i = 0; i < r; ++i) ia += idx[i] * sta[i], ib += idx[i] * stb[i];
    const double x = a.v[ia], y = b.v[ib];
    double z;
    if (op == "add") z = x + y;
    else if (op == "sub") z = x - y;
    else if (op == "mul") z = x * y;
    else if (op == "div") z = is_int ? std::trunc(x / y) : x / y;
    else if (op == "floordiv") z = std::floor(x / y);
    else if (op == "floormod") z = x - std::floor(x / y) * y;
    else if (op == "max") z = std::max(x, y);
    else if (op == "min") z = std::min(x, y);
    else if (op == "equal") z = x == y;
    else if (op == "greater") z = x > y;
    else if (op == "less") z = x < y;
    else return Unsupported("no constant folding for " + op);
    out.v[k] = z;
    for (int i = r - 1; i >= 0; --i) {
      if (++idx[i] < so[i]) break;
      idx[i] = 0;
    }
  }
  RoundToFloat32(out);
  return out;
}

}  // namespace ocular::convert
