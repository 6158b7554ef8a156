#include "runtime/session.h"

#include <atomic>
#include <chrono>

#include <algorithm>
#include <thread>
#include <exception>
#include <system_error>
#include <utility>

#include <onnxruntime_cxx_api.h>
#include <onnxruntime_session_options_config_keys.h>

#include "runtime/ort_env.h"

namespace ocular::runtime {

namespace {
// Set once at startup (SetInferenceObserver); never freed, so Run may read it without a lock.
std::atomic<const InferenceObserver*> g_inference_observer{nullptr};

// "model 'centernet' 2026-11-26" -> "centernet"; other labels are used as they are.
std::string MetricName(const std::string& label) {
  const std::string prefix = "model '";
  if (label.rfind(prefix, 0) == 0) {
    std::size_t end = label.find('\'', prefix.size());
    if (end != std::string::npos) return label.substr(prefix.size(), end - prefix.size());
  }
  return label;
}
}  // namespace

void SetInferenceObserver(InferenceObserver observer) {
  g_inference_observer.store(new InferenceObserver(std::move(observer)));
}
namespace {

DataType FromOnnx(ONNXTensorElementDataType t) {
  switch (t) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
      return DataType::kFloat32;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8:
      return DataType::kUint8;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32:
      return DataType::kInt32;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
      return DataType::kInt64;
    default:
      return DataType::kUnsupported;
  }
}

ONNXTensorElementDataType ToOnnx(DataType t) {
  switch (t) {
    case DataType::kFloat32:
      return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
    case DataType::kUint8:
      return ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
    case DataType::kInt32:
      return ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32;
    case DataType::kInt64:
      return ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64;
    case DataType::kUnsupported:
      break;
  }
  return ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
}

// Spelling of the ONNX element types we do not support, for error messages.
std::string OnnxTypeName(ONNXTensorElementDataType t) {
  switch (t) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16:
      return "float16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16:
      return "bfloat16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE:
      return "float64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8:
      return "int8";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16:
      return "int16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16:
      return "uint16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32:
      return "uint32";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64:
      return "uint64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL:
      return "bool";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING:
      return "string";
    default: {
      DataType d = FromOnnx(t);
      if (d != DataType::kUnsupported) return std::string(DataTypeName(d));
      return "onnx element type " + std::to_string(static_cast<int>(t));
    }
  }
}

TensorInfo DescribeValue(std::string name, const Ort::TypeInfo& type) {
  TensorInfo info;
  info.name = std::move(name);
  if (type.GetONNXType() != ONNX_TYPE_TENSOR) {
    info.type_name = "non-tensor";
    return info;
  }
  auto tensor = type.GetTensorTypeAndShapeInfo();
  ONNXTensorElementDataType element = tensor.GetElementType();
  info.dtype = FromOnnx(element);
  info.type_name = OnnxTypeName(element);
  info.shape = tensor.GetShape();
  for (std::int64_t& d : info.shape) {
    if (d < 0) d = -1;
  }
  return info;
}

const TensorInfo* FindByName(const std::vector<TensorInfo>& infos, const std::string& name) {
  auto it =
      std::find_if(infos.begin(), infos.end(), [&](const TensorInfo& i) { return i.name == name; });
  return it == infos.end() ? nullptr : &*it;
}

}  // namespace

struct Session::Impl {
  Ort::Session session{nullptr};
  Ort::MemoryInfo memory_info{nullptr};
};

Session::Session(std::string label, std::unique_ptr<Impl> impl)
    : label_(std::move(label)), metric_name_(MetricName(label_)), impl_(std::move(impl)) {}

Session::~Session() = default;

StatusOr<std::unique_ptr<Session>> Session::Create(const std::filesystem::path& model_path,
                                                   std::string label,
                                                   const SessionOptions& options) {
  if (label.empty()) label = model_path.filename().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_path, ec)) {
    return FailedPrecondition(label + ": model file " + model_path.string() + " not found");
  }
  if (options.intra_op_threads < 0) {
    return FailedPrecondition(label + ": intra_op_threads must be >= 0");
  }
  OCULAR_ASSIGN_OR_RETURN(Ort::Env * env, OrtEnv());
  auto impl = std::make_unique<Impl>();
  std::vector<TensorInfo> inputs, outputs;
  try {
    Ort::SessionOptions so;
    so.SetIntraOpNumThreads(options.intra_op_threads > 0
                                ? options.intra_op_threads
                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    so.SetInterOpNumThreads(1);
    so.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
    so.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    so.DisableProfiling();
    if (!options.cpu_arena) so.DisableCpuMemArena();
    so.AddConfigEntry(kOrtSessionOptionsConfigAllowIntraOpSpinning, "0");
    so.AddConfigEntry(kOrtSessionOptionsConfigAllowInterOpSpinning, "0");
    so.SetLogId(label.c_str());
    impl->session = Ort::Session(*env, model_path.c_str(), so);
    impl->memory_info = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);

    Ort::AllocatorWithDefaultOptions allocator;
    for (std::size_t i = 0; i < impl->session.GetInputCount(); ++i) {
      auto name = impl->session.GetInputNameAllocated(i, allocator);
      inputs.push_back(DescribeValue(name.get(), impl->session.GetInputTypeInfo(i)));
    }
    for (std::size_t i = 0; i < impl->session.GetOutputCount(); ++i) {
      auto name = impl->session.GetOutputNameAllocated(i, allocator);
      outputs.push_back(DescribeValue(name.get(), impl->session.GetOutputTypeInfo(i)));
    }
  } catch (const Ort::Exception& e) {
    return FailedPrecondition(label + ": cannot load " + model_path.string() + ": " + e.what());
  } catch (const std::exception& e) {  // e.g. std::bad_alloc from inside ORT
    return FailedPrecondition(label + ": cannot load " + model_path.string() + ": " + e.what());
  }
  std::unique_ptr<Session> session(new Session(std::move(label), std::move(impl)));
  session->inputs_ = std::move(inputs);
  session->outputs_ = std::move(outputs);
  return session;
}

const TensorInfo* Session::FindInput(const std::string& name) const {
  return FindByName(inputs_, name);
}

const TensorInfo* Session::FindOutput(const std::string& name) const {
  return FindByName(outputs_, name);
}

StatusOr<std::vector<Tensor>> Session::Run(const std::vector<Tensor>& inputs,
                                           const std::vector<std::string>& output_names) const {
  // Check the inputs against the session before ORT sees them: clearer messages, and no
  // out-of-bounds read when a caller's data is shorter than its shape.
  std::vector<const Tensor*> ordered(inputs_.size(), nullptr);
  for (const Tensor& t : inputs) {
    auto it = std::find_if(inputs_.begin(), inputs_.end(),
                           [&](const TensorInfo& i) { return i.name == t.name; });
    if (it == inputs_.end()) return Internal(label_ + ": model has no input '" + t.name + "'");
    const std::size_t index = static_cast<std::size_t>(it - inputs_.begin());
    if (ordered[index] != nullptr) return Internal(label_ + ": input '" + t.name + "' given twice");
    const TensorInfo& info = *it;
    if (t.dtype != info.dtype) {
      return Internal(label_ + ": input '" + t.name + "' is " + std::string(DataTypeName(t.dtype)) +
                      " but the model expects " + info.type_name);
    }
    bool shape_ok = t.shape.size() == info.shape.size();
    for (std::size_t d = 0; shape_ok && d < t.shape.size(); ++d) {
      shape_ok = t.shape[d] >= 0 && (info.shape[d] < 0 || info.shape[d] == t.shape[d]);
    }
    if (!shape_ok) {
      return Internal(label_ + ": input '" + t.name + "' has shape " + ShapeToString(t.shape) +
                      " but the model expects " + ShapeToString(info.shape));
    }
    auto count = ElementCount(t.shape);
    if (!count || *count != t.size() ||
        (t.dtype != DataType::kFloat32 && t.bytes.size() != *count * DataTypeSize(t.dtype))) {
      return Internal(label_ + ": input '" + t.name + "' holds " + std::to_string(t.size()) +
                      " elements but its shape " + ShapeToString(t.shape) + " needs " +
                      (count ? std::to_string(*count) : std::string("an impossible number")));
    }
    ordered[index] = &t;
  }
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (ordered[i] == nullptr)
      return Internal(label_ + ": input '" + inputs_[i].name + "' missing");
  }
  std::vector<std::string> wanted = output_names;
  if (wanted.empty()) {
    for (const TensorInfo& o : outputs_) wanted.push_back(o.name);
  }
  for (const std::string& name : wanted) {
    const TensorInfo* info = FindOutput(name);
    if (info == nullptr) return Internal(label_ + ": model has no output '" + name + "'");
    if (info->dtype == DataType::kUnsupported) {
      return Internal(label_ + ": output '" + name + "' has unsupported type " + info->type_name);
    }
  }

  try {
    std::vector<const char*> in_names;
    std::vector<Ort::Value> in_values;
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      const Tensor& t = *ordered[i];
      // ORT never writes to input buffers; its C API just is not const-correct.
      void* data = t.dtype == DataType::kFloat32
                       ? static_cast<void*>(const_cast<float*>(t.floats.data()))
                       : static_cast<void*>(const_cast<std::uint8_t*>(t.bytes.data()));
      const std::size_t byte_count =
          t.dtype == DataType::kFloat32 ? t.floats.size() * sizeof(float) : t.bytes.size();
      in_names.push_back(inputs_[i].name.c_str());
      in_values.push_back(Ort::Value::CreateTensor(
          impl_->memory_info, data, byte_count, t.shape.data(), t.shape.size(), ToOnnx(t.dtype)));
    }
    std::vector<const char*> out_names;
    for (const std::string& name : wanted) out_names.push_back(name.c_str());

    const auto started = std::chrono::steady_clock::now();
    std::vector<Ort::Value> results =
        impl_->session.Run(Ort::RunOptions{nullptr}, in_names.data(), in_values.data(),
                           in_values.size(), out_names.data(), out_names.size());
    if (const InferenceObserver* observer = g_inference_observer.load(); observer && *observer) {
      (*observer)(metric_name_, std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                              started).count());
    }

    std::vector<Tensor> outputs;
    outputs.reserve(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      Ort::Value& value = results[i];
      if (!value.IsTensor()) {
        return Internal(label_ + ": output '" + wanted[i] + "' is not a tensor");
      }
      auto type = value.GetTensorTypeAndShapeInfo();
      Tensor out;
      out.name = wanted[i];
      out.dtype = FromOnnx(type.GetElementType());
      out.shape = type.GetShape();
      if (out.dtype == DataType::kUnsupported) {
        return Internal(label_ + ": output '" + wanted[i] + "' has unsupported type " +
                        OnnxTypeName(type.GetElementType()));
      }
      const std::size_t count = type.GetElementCount();
      if (count > 0) {
        const void* raw = value.GetTensorRawData();
        if (out.dtype == DataType::kFloat32) {
          const float* p = static_cast<const float*>(raw);
          out.floats.assign(p, p + count);
        } else {
          const std::uint8_t* p = static_cast<const std::uint8_t*>(raw);
          out.bytes.assign(p, p + count * DataTypeSize(out.dtype));
        }
      }
      outputs.push_back(std::move(out));
    }
    return outputs;
  } catch (const Ort::Exception& e) {
    return Internal(label_ + ": inference failed: " + e.what());
  } catch (const std::exception& e) {
    return Internal(label_ + ": inference failed: " + e.what());
  }
}

}  // namespace ocular::runtime
