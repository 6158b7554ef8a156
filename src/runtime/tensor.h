// Tensors exchanged with Session::Run, and the element types Ocular supports.
//
// A Tensor owns its data. float32 tensors keep their values in `floats`; every other dtype keeps
// its raw little-endian element bytes in `bytes` (use Tensor::Of / Values<T>() to fill and read
// them). This keeps ONNX Runtime types out of every header but session.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ocular::runtime {

// The element types of config.json's "dtype" ("float32" | "uint8" | "int32" | "int64").
// kUnsupported stands for any other ONNX element type (float16, bool, string, ...) or a
// non-tensor value; TensorInfo::type_name then spells out what it is.
enum class DataType { kFloat32, kUint8, kInt32, kInt64, kUnsupported };

// "float32", "uint8", "int32", "int64"; "unsupported" for kUnsupported.
std::string_view DataTypeName(DataType dtype);
// The inverse of DataTypeName for the four supported types; nullopt otherwise.
std::optional<DataType> ParseDataType(std::string_view name);
// Bytes per element: 4, 1, 4, 8; 0 for kUnsupported.
std::size_t DataTypeSize(DataType dtype);

// "[1,3,512,512]" (-1 for dynamic dimensions).
std::string ShapeToString(const std::vector<std::int64_t>& shape);
// Product of the dimensions (1 for a scalar); nullopt when a dimension is negative (dynamic) or
// the product overflows.
std::optional<std::size_t> ElementCount(const std::vector<std::int64_t>& shape);

// Name, element type and shape of one model input or output as the ONNX session reports it.
// Dynamic and symbolic dimensions are -1.
struct TensorInfo {
  std::string name;
  DataType dtype = DataType::kUnsupported;
  std::string type_name;  // DataTypeName(dtype), or the ONNX name of an unsupported type
  std::vector<std::int64_t> shape;
};

struct Tensor {
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::vector<std::int64_t> shape;  // concrete: no -1 in a tensor passed to or returned by Run
  std::vector<float> floats;        // the values when dtype == kFloat32, else empty
  std::vector<std::uint8_t> bytes;  // raw element bytes when dtype != kFloat32, else empty

  // A float32 tensor. REQUIRES: values.size() == ElementCount(shape).
  static Tensor Float(std::string name, std::vector<std::int64_t> shape, std::vector<float> values);

  // A uint8/int32/int64 tensor from typed values (T = uint8_t, int32_t or int64_t).
  template <typename T>
  static Tensor Of(std::string name, DataType dtype, std::vector<std::int64_t> shape,
                   const std::vector<T>& values) {
    Tensor t{std::move(name), dtype, std::move(shape), {}, {}};
    t.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
    return t;
  }

  // A tensor of `shape` filled with zeros. REQUIRES: shape has no -1; dtype supported.
  static Tensor Zeros(std::string name, DataType dtype, std::vector<std::int64_t> shape);

  // The elements of a non-float tensor copied out as T (REQUIRES: sizeof(T) == element size).
  template <typename T>
  std::vector<T> Values() const {
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
    return out;
  }

  // Number of elements held (floats.size() or bytes.size() / element size).
  std::size_t size() const;
};

}  // namespace ocular::runtime
