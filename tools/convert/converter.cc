#include "converter.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "frontends.h"

namespace ocular::convert {

namespace {

// Fills the graph outputs' shapes from ONNX shape inference (-1 where unknown).
Status InferOutputShapes(onnx::ModelProto& model, std::vector<TensorInfo>& outputs) {
  onnx::ModelProto copy = model;
  try {
    // First a strict pass without data propagation: it reports an inconsistent graph (for
    // example an input_shape override on a graph with constant resize sizes) as an error,
    // where libonnx's data-propagating pass can crash on it.
    onnx::ModelProto check = model;
    onnx::shape_inference::InferShapes(check, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1, false));
    onnx::ShapeInferenceOptions opts(true, 1, true);
    onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception& e) {
    return Internal(std::string("ONNX shape inference failed: ") + e.what());
  }
  std::map<std::string, const onnx::ValueInfoProto*> info;
  for (const auto& vi : copy.graph().value_info()) info[vi.name()] = &vi;
  for (const auto& vi : copy.graph().output()) info[vi.name()] = &vi;
  for (int k = 0; k < model.graph().output_size(); ++k) {
    auto* out = model.mutable_graph()->mutable_output(k);
    auto it = info.find(out->name());
    Shape s;
    if (it != info.end() && it->second->type().tensor_type().has_shape()) {
      auto* shape = out->mutable_type()->mutable_tensor_type()->mutable_shape();
      shape->Clear();
      for (const auto& d : it->second->type().tensor_type().shape().dim()) {
        s.push_back(d.has_dim_value() ? d.dim_value() : -1);
        if (d.has_dim_value()) shape->add_dim()->set_dim_value(d.dim_value());
        else shape->add_dim();
      }
    }
    for (auto& o : outputs)
      if (o.name == out->name()) o.shape = s;
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ConvertResult> ConvertTfjs(const std::filesystem::path& src, const ConvertOptions& opts) {
  OCULAR_ASSIGN_OR_RETURN(TfjsModel m, LoadTfjsModel(src));
  ConvertResult r;
  r.source_files = m.files;
  FrontendResult f;
  try {
    if (m.format == TfjsFormat::kGraphModel) {
      r.format = "graph-model";
      OCULAR_ASSIGN_OR_RETURN(f, ConvertGraphModel(m, opts));
    } else {
      r.format = "layers-model";
      OCULAR_ASSIGN_OR_RETURN(f, ConvertLayersModel(m, opts));
    }
  } catch (const std::exception& e) {  // malformed JSON fields (nlohmann::json) and the like
    return InvalidArgument("malformed TF.js model " + src.string() + ": " + e.what());
  }
  m.weights.clear();
  try {
    onnx::checker::check_model(f.model);
  } catch (const std::exception& e) {
    return Internal(std::string("converted graph fails the ONNX checker: ") + e.what());
  }
  OCULAR_RETURN_IF_ERROR(InferOutputShapes(f.model, f.outputs));
  for (const auto& n : f.model.graph().node()) r.onnx_ops[n.op_type()]++;
  r.inputs = std::move(f.inputs);
  r.outputs = std::move(f.outputs);
  r.tf_ops = std::move(f.tf_ops);
  if (!f.model.SerializeToString(&r.onnx)) return Internal("cannot serialize the ONNX model");
  return r;
}

}  // namespace ocular::convert
