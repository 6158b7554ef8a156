// Host tensors and layout permutations used while converting a TF.js model to ONNX.
//
// Values are held as double whatever the dtype: float32, int32 and int64 (< 2^53) round-trip
// exactly, which keeps constant folding simple. Emission converts back to the declared dtype.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ocular::convert {

enum class DType { kFloat, kInt32, kInt64, kBool };

// "float32", "int32", "int64", "bool".
std::string DTypeName(DType d);
// The onnx::TensorProto_DataType value of `d`.
int OnnxType(DType d);

using Shape = std::vector<int64_t>;
// A permutation of axes; see Val in emitter.h for the convention.
using Perm = std::vector<int>;

int64_t NumElements(const Shape& s);

struct Tensor {
  DType dtype = DType::kFloat;
  Shape shape;
  std::vector<double> v;  // row-major, NumElements(shape) values

  int rank() const { return static_cast<int>(shape.size()); }
  int64_t size() const { return static_cast<int64_t>(v.size()); }
  // Scalar constructors.
  static Tensor Scalar(double x, DType d = DType::kFloat);
  static Tensor Vector(const std::vector<int64_t>& xs, DType d = DType::kInt64);
};

// out = transpose(t, perm): out.shape[i] = t.shape[perm[i]] (numpy semantics).
Tensor Transpose(const Tensor& t, const Perm& perm);
// Values cast to `d` (float -> int truncates toward zero, like tf.cast).
Tensor Cast(const Tensor& t, DType d);
// Rounds every value to float32 precision when dtype is float (weights are float32 in TF.js).
void RoundToFloat32(Tensor& t);

// IEEE half -> float.
float HalfToFloat(uint16_t h);

// Permutation helpers. Convention (numpy): transpose(transpose(a, p), q) == transpose(a, Compose(p, q)).
Perm Identity(int rank);
Perm Inverse(const Perm& p);
Perm Compose(const Perm& p, const Perm& q);
bool IsIdentity(const Perm& p);
// The NHWC <- NCHW permutation: logical NHWC == transpose(physical NCHW, kChannelsFirst).
inline const Perm kChannelsFirst = {0, 2, 3, 1};

// Broadcasting binary op on constants (numpy rules); `op` in add, sub, mul, div, floordiv,
// floormod, max, min, equal, greater, less.
StatusOr<Tensor> FoldBinary(const std::string& op, const Tensor& a, const Tensor& b);

}  // namespace ocular::convert
