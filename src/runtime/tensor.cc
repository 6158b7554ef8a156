#include "runtime/tensor.h"

#include <limits>

namespace ocular::runtime {

std::string_view DataTypeName(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kUint8:
      return "uint8";
    case DataType::kInt32:
      return "int32";
    case DataType::kInt64:
      return "int64";
    case DataType::kUnsupported:
      break;
  }
  return "unsupported";
}

std::optional<DataType> ParseDataType(std::string_view name) {
  for (DataType t : {DataType::kFloat32, DataType::kUint8, DataType::kInt32, DataType::kInt64}) {
    if (name == DataTypeName(t)) return t;
  }
  return std::nullopt;
}

std::size_t DataTypeSize(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
    case DataType::kInt32:
      return 4;
    case DataType::kUint8:
      return 1;
    case DataType::kInt64:
      return 8;
    case DataType::kUnsupported:
      break;
  }
  return 0;
}

std::string ShapeToString(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::optional<std::size_t> ElementCount(const std::vector<std::int64_t>& shape) {
  std::size_t count = 1;
  for (std::int64_t d : shape) {
    if (d < 0) return std::nullopt;
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / static_cast<std::size_t>(d)) {
      return std::nullopt;
    }
    count *= static_cast<std::size_t>(d);
  }
  return count;
}

Tensor Tensor::Float(std::string name, std::vector<std::int64_t> shape, std::vector<float> values) {
  return Tensor{std::move(name), DataType::kFloat32, std::move(shape), std::move(values), {}};
}

Tensor Tensor::Zeros(std::string name, DataType dtype, std::vector<std::int64_t> shape) {
  const std::size_t count = ElementCount(shape).value_or(0);
  Tensor t{std::move(name), dtype, std::move(shape), {}, {}};
  if (dtype == DataType::kFloat32) {
    t.floats.assign(count, 0.0f);
  } else {
    t.bytes.assign(count * DataTypeSize(dtype), 0);
  }
  return t;
}

std::size_t Tensor::size() const {
  if (dtype == DataType::kFloat32) return floats.size();
  const std::size_t element = DataTypeSize(dtype);
  return element == 0 ? 0 : bytes.size() / element;
}

}  // namespace ocular::runtime
