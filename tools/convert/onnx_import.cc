#include "onnx_import.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

namespace ocular::convert {
namespace fs = std::filesystem;

namespace {

StatusOr<DType> FromOnnxType(int elem, const std::string& what) {
  switch (elem) {
    case onnx::TensorProto::FLOAT: return DType::kFloat;
    case onnx::TensorProto::INT32: return DType::kInt32;
    case onnx::TensorProto::INT64: return DType::kInt64;
    default:
      return InvalidArgument(what + " has ONNX element type " + std::to_string(elem) +
                             "; Ocular serves float32, int32 and int64 tensors");
  }
}

StatusOr<std::vector<TensorInfo>> Describe(
    const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& values,
    const std::vector<std::string>& skip, const char* kind) {
  std::vector<TensorInfo> out;
  for (const onnx::ValueInfoProto& v : values) {
    if (std::find(skip.begin(), skip.end(), v.name()) != skip.end()) continue;
    if (!v.type().has_tensor_type()) {
      return InvalidArgument(std::string(kind) + " '" + v.name() + "' is not a tensor");
    }
    TensorInfo t;
    t.name = t.tf_name = v.name();
    OCULAR_ASSIGN_OR_RETURN(t.dtype, FromOnnxType(v.type().tensor_type().elem_type(),
                                                  std::string(kind) + " '" + v.name() + "'"));
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      t.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

bool IsOnnxFile(const fs::path& src) { return src.extension() == ".onnx"; }

StatusOr<ConvertResult> ImportOnnx(const fs::path& src) {
  std::ifstream in(src, std::ios::binary);
  if (!in) return NotFound("cannot read " + src.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  ConvertResult r;
  r.onnx = ss.str();
  r.format = "onnx";
  r.source_files = {src};
  onnx::ModelProto model;
  if (r.onnx.empty() || !model.ParseFromString(r.onnx)) {
    return InvalidArgument(src.string() + " is not an ONNX model (protobuf parse failed)");
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    return InvalidArgument(src.string() + " fails the ONNX checker: " + e.what());
  }
  // Graph inputs that are also initializers are weights with defaults, not model inputs.
  std::vector<std::string> initializers;
  for (const auto& init : model.graph().initializer()) initializers.push_back(init.name());
  OCULAR_ASSIGN_OR_RETURN(r.inputs, Describe(model.graph().input(), initializers, "input"));
  OCULAR_ASSIGN_OR_RETURN(r.outputs, Describe(model.graph().output(), {}, "output"));
  if (r.inputs.empty() || r.outputs.empty()) {
    return InvalidArgument(src.string() + " has no graph inputs or no graph outputs");
  }
  for (const auto& n : model.graph().node()) r.onnx_ops[n.op_type()]++;
  for (const auto& p : model.metadata_props()) r.metadata[p.key()] = p.value();
  return r;
}

StatusOr<std::vector<std::string>> ParseUltralyticsNames(const std::string& text) {
  std::vector<std::string> names;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  auto bad = [&](const std::string& why) {
    return InvalidArgument("class names metadata is not a {0: 'name', ...} dict: " + why +
                           " at offset " + std::to_string(i));
  };
  skip_space();
  if (i >= text.size() || text[i] != '{') return bad("no '{'");
  ++i;
  for (;;) {
    skip_space();
    if (i < text.size() && text[i] == '}') break;
    std::size_t key_end = i;
    while (key_end < text.size() && std::isdigit(static_cast<unsigned char>(text[key_end]))) {
      ++key_end;
    }
    if (key_end == i || key_end - i > 6) return bad("expected a class index");
    if (std::stoul(text.substr(i, key_end - i)) != names.size()) {
      return bad("class indexes are not 0..n-1 in order");
    }
    i = key_end;
    skip_space();
    if (i >= text.size() || text[i] != ':') return bad("expected ':'");
    ++i;
    skip_space();
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) return bad("expected a quote");
    const char quote = text[i++];
    std::string name;
    while (i < text.size() && text[i] != quote) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      name.push_back(text[i++]);
    }
    if (i >= text.size()) return bad("unterminated name");
    ++i;
    if (name.empty() || name.find('\n') != std::string::npos) return bad("empty or multi-line name");
    names.push_back(std::move(name));
    skip_space();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    skip_space();
    if (i < text.size() && text[i] == '}') break;
    return bad("expected ',' or '}'");
  }
  if (names.empty()) return bad("no names");
  return names;
}

}  // namespace ocular::convert
