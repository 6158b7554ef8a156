// Keras layers-model front end (TF.js `tf.loadLayersModel` format, e.g. nsfwjs).
#include <cmath>

#include "emitter.h"
#include "frontends.h"

namespace ocular::convert {
using nlohmann::json;

namespace {

std::vector<int64_t> Pair(const json& v) {
  if (v.is_number()) return {v.get<int64_t>(), v.get<int64_t>()};
  return v.get<std::vector<int64_t>>();
}

struct LayerCtx {
  Emitter& e;
  const TfjsModel& m;
  std::string name;
  StatusOr<Tensor> W(const std::string& k) const {
    auto it = m.weights.find(name + "/" + k);
    if (it == m.weights.end()) return InvalidArgument("layer '" + name + "' has no weight '" + k + "'");
    return it->second;
  }
};

StatusOr<Val> ConvertLayer(LayerCtx& c, const std::string& cls, const json& cfg,
                           const std::vector<Val>& ins) {
  Emitter& e = c.e;
  const Val& x = ins.at(0);
  if (cls == "ZeroPadding2D") {
    const json& p = cfg.at("padding");
    std::vector<int64_t> h, w;
    if (p.is_number()) h = w = Pair(p);
    else if (p[0].is_number()) h = {p[0].get<int64_t>(), p[0].get<int64_t>()}, w = {p[1].get<int64_t>(), p[1].get<int64_t>()};
    else h = Pair(p[0]), w = Pair(p[1]);
    Tensor pads{DType::kInt64, {4, 2}, {0, 0, double(h[0]), double(h[1]), double(w[0]), double(w[1]), 0, 0}};
    return e.Pad(x, pads, std::nullopt, "constant");
  }
  if (cls == "Conv2D" || cls == "DepthwiseConv2D") {
    const bool dw = cls == "DepthwiseConv2D";
    if (cfg.value("data_format", "channels_last") != "channels_last") return Unsupported("channels_first");
    OCULAR_ASSIGN_OR_RETURN(Tensor w, c.W(dw ? "depthwise_kernel" : "kernel"));
    std::optional<Tensor> b;
    if (cfg.value("use_bias", true)) {
      OCULAR_ASSIGN_OR_RETURN(b, c.W("bias"));
    }
    ConvSpec s;
    s.depthwise = dw;
    s.strides = Pair(cfg.at("strides"));
    s.dilations = Pair(cfg.value("dilation_rate", json(1)));
    s.padding = cfg.value("padding", "valid") == "same" ? "SAME" : "VALID";
    s.activation = cfg.value("activation", "linear");
    return e.Conv(x, w, b ? &*b : nullptr, s);
  }
  if (cls == "BatchNormalization") {
    const int64_t axis = cfg.value("axis", int64_t{-1});
    if (axis != -1 && axis != x.rank() - 1) return Unsupported("BatchNormalization axis " + std::to_string(axis));
    OCULAR_ASSIGN_OR_RETURN(Tensor mean, c.W("moving_mean"));
    OCULAR_ASSIGN_OR_RETURN(Tensor var, c.W("moving_variance"));
    Tensor k = mean, sh = mean;
    const double eps = cfg.value("epsilon", 1e-3);
    std::optional<Tensor> g, be;
    if (cfg.value("scale", true)) { OCULAR_ASSIGN_OR_RETURN(g, c.W("gamma")); }
    if (cfg.value("center", true)) { OCULAR_ASSIGN_OR_RETURN(be, c.W("beta")); }
    for (int64_t i = 0; i < k.size(); ++i) {
      k.v[i] = (g ? g->v[i] : 1.0) / std::sqrt(var.v[i] + eps);
      sh.v[i] = (be ? be->v[i] : 0.0) - mean.v[i] * k.v[i];
    }
    RoundToFloat32(k);
    RoundToFloat32(sh);
    OCULAR_ASSIGN_OR_RETURN(Val y, e.Binary("Mul", x, Val::Const(k)));
    return e.Binary("Add", y, Val::Const(sh));
  }
  if (cls == "ReLU") {
    if (cfg.value("negative_slope", 0.0) != 0 || cfg.value("threshold", 0.0) != 0)
      return Unsupported("ReLU with negative_slope/threshold");
    if (cfg.contains("max_value") && !cfg["max_value"].is_null()) {
      std::string y = e.AddNode("Clip", {x.name, e.F32(0), e.F32(cfg["max_value"].get<float>())}, "relu")->output(0);
      return Val::Dyn(y, x.perm);
    }
    return e.Unary("Relu", x);
  }
  if (cls == "Activation" || cls == "Softmax") {
    const std::string act = cls == "Softmax" ? "softmax" : cfg.at("activation").get<std::string>();
    if (act == "softmax") {
      onnx::NodeProto* n = e.AddNode("Softmax", {x.name}, "softmax");
      SetAttr(n, "axis", int64_t{x.perm[x.rank() - 1]});
      return Val::Dyn(n->output(0), x.perm);
    }
    OCULAR_ASSIGN_OR_RETURN(std::string y, e.Activation(x.name, act));
    return Val::Dyn(y, x.perm);
  }
  if (cls == "Add" || cls == "Multiply") {
    Val v = ins[0];
    for (size_t i = 1; i < ins.size(); ++i) {
      OCULAR_ASSIGN_OR_RETURN(v, e.Binary(cls == "Add" ? "Add" : "Mul", v, ins[i]));
    }
    return v;
  }
  if (cls == "Concatenate") return e.Concat(ins, cfg.value("axis", int64_t{-1}));
  if (cls == "AveragePooling2D" || cls == "MaxPooling2D") {
    const auto pool = Pair(cfg.at("pool_size"));
    const auto strides = cfg.contains("strides") && !cfg["strides"].is_null() ? Pair(cfg["strides"]) : pool;
    return e.Pool(cls == "MaxPooling2D" ? "MaxPool" : "AveragePool", x, pool, strides,
                  cfg.value("padding", "valid") == "same" ? "SAME" : "VALID");
  }
  if (cls == "GlobalAveragePooling2D" || cls == "GlobalMaxPooling2D")
    return e.Reduce(cls == "GlobalMaxPooling2D" ? "ReduceMax" : "ReduceMean", x, {1, 2}, false);
  if (cls == "Flatten") {
    onnx::NodeProto* n = e.AddNode("Flatten", {e.Native(x)}, "flatten");
    SetAttr(n, "axis", int64_t{1});
    return Val::Dyn(n->output(0), Identity(2));
  }
  if (cls == "Dropout") return x;
  if (cls == "Dense") {
    if (x.rank() != 2) return Unsupported("Dense on rank " + std::to_string(x.rank()));
    OCULAR_ASSIGN_OR_RETURN(Tensor w, c.W("kernel"));
    std::vector<std::string> gi = {e.Native(x), e.Init(w, "W")};
    if (cfg.value("use_bias", true)) {
      OCULAR_ASSIGN_OR_RETURN(Tensor b, c.W("bias"));
      gi.push_back(e.Init(b, "B"));
    }
    std::string y = e.AddNode("Gemm", gi, "dense")->output(0);
    OCULAR_ASSIGN_OR_RETURN(y, e.Activation(y, cfg.value("activation", "linear"), 0.2f, nullptr, 2, 1));
    return Val::Dyn(y, Identity(2));
  }
  return Status(StatusCode::kUnsupported, "");
}

}  // namespace

StatusOr<FrontendResult> ConvertLayersModel(const TfjsModel& m, const ConvertOptions& opts) {
  const json& topo = m.model_json["modelTopology"];
  const json& mc = topo.contains("model_config") ? topo["model_config"] : topo;
  const json& cfg = mc.at("config");
  const json& layers = cfg.is_array() ? cfg : cfg.at("layers");
  const bool sequential = mc.value("class_name", "") == "Sequential";
  FrontendResult res;
  Emitter e;
  std::map<std::string, Val> vals;
  std::string last;
  auto add_input = [&](const std::string& nm, const json& c) -> Status {
    Shape dims = c.at("batch_input_shape").is_array() ? Shape{} : Shape{};
    for (const json& d : c["batch_input_shape"]) dims.push_back(d.is_null() ? 1 : d.get<int64_t>());
    if (!opts.input_shape.empty()) dims = opts.input_shape;
    e.AddInput(nm, DType::kFloat, dims);
    vals[nm] = Val::Dyn(nm, Identity(static_cast<int>(dims.size())));
    res.inputs.push_back({nm, nm, DType::kFloat, dims});
    last = nm;
    return Status::Ok();
  };
  // With explicit outputs (--outputs / the spec's "outputs": Keras layer names), conversion stops
  // once every requested layer exists: the layers after them (e.g. a classifier head whose Dense
  // weights fix the input size) are neither converted nor exported.
  auto all_outputs_ready = [&] {
    if (opts.outputs.empty()) return false;
    for (const std::string& o : opts.outputs)
      if (!vals.count(o)) return false;
    return true;
  };
  for (const json& L : layers) {
    if (all_outputs_ready()) break;
    const std::string cls = L.at("class_name").get<std::string>();
    const json& c = L.at("config");
    const std::string nm = L.contains("name") ? L["name"].get<std::string>() : c.at("name").get<std::string>();
    if (cls == "InputLayer") {
      OCULAR_RETURN_IF_ERROR(add_input(nm, c));
      continue;
    }
    if (sequential && vals.empty()) OCULAR_RETURN_IF_ERROR(add_input("input", c));
    std::vector<Val> ins;
    if (sequential) {
      ins.push_back(vals.at(last));
    } else {
      if (L.at("inbound_nodes").size() != 1)
        return Unsupported("layer '" + nm + "' is shared (called " + std::to_string(L["inbound_nodes"].size()) + " times)");
      for (const json& i : L["inbound_nodes"][0]) {
        auto it = vals.find(i[0].get<std::string>());
        if (it == vals.end()) return InvalidArgument("layer '" + nm + "' reads unknown layer");
        ins.push_back(it->second);
      }
    }
    res.tf_ops[cls]++;
    LayerCtx ctx{e, m, nm};
    StatusOr<Val> v = ConvertLayer(ctx, cls, c, ins);
    if (!v.ok()) {
      if (v.status().message().empty())
        return Unsupported("unsupported Keras layer '" + cls + "' at layer '" + nm + "'");
      return Status(v.status().code(), "layer '" + nm + "' (" + cls + "): " + v.status().message());
    }
    vals[nm] = std::move(v).value();
    last = nm;
  }
  std::vector<std::string> out_names;
  if (!opts.outputs.empty()) {
    for (const std::string& o : opts.outputs)
      if (!vals.count(o)) return InvalidArgument("requested output '" + o + "' is not a layer of the model");
    out_names = opts.outputs;
  } else if (!sequential)
    for (const json& o : cfg.at("output_layers")) out_names.push_back(o[0].get<std::string>());
  else
    out_names.push_back(last);
  for (const auto& o : out_names) {
    e.AddOutput(o, vals.at(o));
    res.outputs.push_back({o, o, vals.at(o).dtype, {}});
  }
  res.model = e.TakeModel("tfjs_layers_model");
  return res;
}

}  // namespace ocular::convert
