#include "emitter.h"

#include <algorithm>
#include <cstring>
#include <set>

#include <onnx/shape_inference/implementation.h>

namespace ocular::convert {

void SetAttr(onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void SetAttr(onnx::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void SetAttr(onnx::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}
void SetAttr(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

std::string Emitter::Uniq(const std::string& base) {
  return base + "__" + std::to_string(++counter_);
}

onnx::NodeProto* Emitter::AddNode(const std::string& op, const std::vector<std::string>& inputs,
                                  const std::string& base, int num_outputs) {
  onnx::NodeProto* n = graph_.add_node();
  n->set_op_type(op);
  n->set_name(Uniq(op));
  for (const auto& i : inputs) n->add_input(i);
  for (int k = 0; k < num_outputs; ++k) n->add_output(Uniq(base));
  return n;
}

std::string Emitter::Init(const Tensor& t, const std::string& base) {
  onnx::TensorProto* p = graph_.add_initializer();
  std::string name = Uniq(base);
  p->set_name(name);
  p->set_data_type(OnnxType(t.dtype));
  for (int64_t d : t.shape) p->add_dims(d);
  std::string raw;
  switch (t.dtype) {
    case DType::kFloat: {
      std::vector<float> f(t.v.begin(), t.v.end());
      raw.assign(reinterpret_cast<const char*>(f.data()), f.size() * sizeof(float));
      break;
    }
    case DType::kInt32: {
      std::vector<int32_t> f(t.v.size());
      for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<int32_t>(t.v[i]);
      raw.assign(reinterpret_cast<const char*>(f.data()), f.size() * sizeof(int32_t));
      break;
    }
    case DType::kInt64: {
      std::vector<int64_t> f(t.v.size());
      for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<int64_t>(t.v[i]);
      raw.assign(reinterpret_cast<const char*>(f.data()), f.size() * sizeof(int64_t));
      break;
    }
    case DType::kBool: {
      std::vector<uint8_t> f(t.v.size());
      for (size_t i = 0; i < f.size(); ++i) f[i] = t.v[i] != 0;
      raw.assign(reinterpret_cast<const char*>(f.data()), f.size());
      break;
    }
  }
  p->set_raw_data(std::move(raw));
  return name;
}

std::string Emitter::I64(const std::vector<int64_t>& values) {
  return Init(Tensor::Vector(values, DType::kInt64), "i64");
}

std::string Emitter::F32(float value) { return Init(Tensor::Scalar(value), "f"); }

std::string Emitter::WithPerm(const Val& v, const Perm& target) {
  if (v.is_const()) return Init(Transpose(*v.c, Inverse(target)));
  const Perm q = Compose(v.perm, Inverse(target));
  if (IsIdentity(q)) return v.name;
  auto key = std::make_pair(v.name, q);
  auto it = transpose_cache_.find(key);
  if (it != transpose_cache_.end()) return it->second;
  onnx::NodeProto* n = AddNode("Transpose", {v.name}, "tr");
  SetAttr(n, "perm", std::vector<int64_t>(q.begin(), q.end()));
  transpose_cache_[key] = n->output(0);
  return n->output(0);
}

StatusOr<Val> Emitter::Conv(const Val& x, const Tensor& w, const Tensor* bias, const ConvSpec& s) {
  if (w.rank() != 4) return InvalidArgument("convolution filter must have rank 4");
  const std::string xs = ChannelsFirst(x);
  Tensor wo;
  int64_t group = 1;
  if (s.depthwise) {  // [H,W,C,M] -> [C*M,1,H,W], group = C
    Tensor r = w;
    r.shape = {w.shape[0], w.shape[1], w.shape[2] * w.shape[3]};
    wo = Transpose(r, {2, 0, 1});
    wo.shape = {wo.shape[0], 1, wo.shape[1], wo.shape[2]};
    group = w.shape[2];
  } else {  // HWIO -> OIHW
    wo = Transpose(w, {3, 2, 0, 1});
  }
  std::vector<std::string> ins = {xs, Init(wo, "W")};
  if (bias) ins.push_back(Init(*bias, "B"));
  onnx::NodeProto* n = AddNode("Conv", ins, "conv");
  SetAttr(n, "strides", s.strides);
  SetAttr(n, "dilations", s.dilations);
  SetAttr(n, "group", group);
  SetAttr(n, "kernel_shape", std::vector<int64_t>{wo.shape[2], wo.shape[3]});
  if (s.padding == "SAME") {
    SetAttr(n, "auto_pad", std::string("SAME_UPPER"));
  } else if (s.padding == "EXPLICIT") {
    const auto& e = s.explicit_pads;
    if (e.size() != 8) return InvalidArgument("EXPLICIT padding needs 8 explicit_paddings");
    SetAttr(n, "pads", std::vector<int64_t>{e[2], e[4], e[3], e[5]});
  } else if (s.padding == "VALID") {
    SetAttr(n, "pads", std::vector<int64_t>{0, 0, 0, 0});
  } else {
    return Unsupported("padding mode " + s.padding);
  }
  OCULAR_ASSIGN_OR_RETURN(std::string y, Activation(n->output(0), s.activation, s.leaky_alpha,
                                                    s.prelu_alpha.get(), 4, 1));
  return Val::Dyn(y, kChannelsFirst);
}

StatusOr<std::string> Emitter::Activation(const std::string& y, const std::string& act,
                                          float leaky_alpha, const Tensor* prelu_alpha,
                                          int physical_rank, int channel_axis) {
  if (act.empty() || act == "linear" || act == "Identity") return y;
  if (act == "Relu" || act == "relu") return AddNode("Relu", {y}, "relu")->output(0);
  if (act == "Relu6" || act == "relu6")
    return AddNode("Clip", {y, F32(0), F32(6)}, "relu6")->output(0);
  if (act == "Sigmoid" || act == "sigmoid") return AddNode("Sigmoid", {y}, "sig")->output(0);
  if (act == "Tanh" || act == "tanh") return AddNode("Tanh", {y}, "tanh")->output(0);
  if (act == "Elu" || act == "elu") return AddNode("Elu", {y}, "elu")->output(0);
  if (act == "softmax") {
    onnx::NodeProto* n = AddNode("Softmax", {y}, "softmax");
    SetAttr(n, "axis", int64_t{-1});
    return n->output(0);
  }
  if (act == "LeakyRelu") {
    onnx::NodeProto* n = AddNode("LeakyRelu", {y}, "lrelu");
    SetAttr(n, "alpha", leaky_alpha);
    return n->output(0);
  }
  if (act == "Prelu") {
    if (!prelu_alpha) return InvalidArgument("Prelu without alpha");
    Tensor a = *prelu_alpha;  // channel last -> [C, 1, ..] from channel_axis on
    const int64_t c = NumElements(a.shape);
    a.shape = Shape(physical_rank - channel_axis, 1);
    a.shape[0] = c;
    return AddNode("PRelu", {y, Init(a, "alpha")}, "prelu")->output(0);
  }
  return Unsupported("activation '" + act + "'");
}

Val Emitter::Pool(const std::string& op, const Val& x, const std::vector<int64_t>& ksize,
                  const std::vector<int64_t>& strides, const std::string& padding) {
  onnx::NodeProto* n = AddNode(op, {ChannelsFirst(x)}, "pool");
  SetAttr(n, "kernel_shape", ksize);
  SetAttr(n, "strides", strides);
  if (padding == "SAME") SetAttr(n, "auto_pad", std::string("SAME_UPPER"));
  else SetAttr(n, "pads", std::vector<int64_t>{0, 0, 0, 0});
  return Val::Dyn(n->output(0), kChannelsFirst);
}

Val Emitter::Unary(const std::string& op, const Val& x) {
  std::string base = op;
  std::transform(base.begin(), base.end(), base.begin(), ::tolower);
  return Val::Dyn(AddNode(op, {x.name}, base)->output(0), x.perm, x.dtype);
}

StatusOr<Val> Emitter::Binary(const std::string& op, const Val& a, const Val& b) {
  if (a.is_const() && b.is_const()) return Internal("Binary on two constants should fold");
  const Val& dyn = a.is_const() ? b : a;
  const int r = std::max(a.rank(), b.rank());
  Perm perm;
  std::vector<std::string> ins;
  if (!a.is_const() && !b.is_const() && a.rank() != b.rank()) {
    perm = Identity(r);
    ins = {Native(a), Native(b)};
  } else {
    perm = dyn.rank() == r ? dyn.perm : Identity(r);
    for (const Val* v : {&a, &b}) {
      if (v->is_const()) {
        Tensor c = Cast(*v->c, dyn.dtype);
        if (c.size() == 1) {
          c.shape = {};
          ins.push_back(Init(c));
          continue;
        }
        Shape s(r - c.rank(), 1);
        s.insert(s.end(), c.shape.begin(), c.shape.end());
        c.shape = s;
        ins.push_back(Init(Transpose(c, Inverse(perm))));
      } else if (v->rank() == r) {
        ins.push_back(WithPerm(*v, perm));
      } else {
        ins.push_back(Native(*v));  // lower-rank dynamic operand: perm is the identity here
      }
    }
  }
  std::string base = op;
  std::transform(base.begin(), base.end(), base.begin(), ::tolower);
  const bool cmp = op == "Equal" || op == "Greater" || op == "Less" || op == "GreaterOrEqual" ||
                   op == "LessOrEqual";
  return Val::Dyn(AddNode(op, ins, base)->output(0), perm, cmp ? DType::kBool : dyn.dtype);
}

Val Emitter::Pad(const Val& x, const Tensor& pads, std::optional<float> value,
                 const std::string& mode) {
  const int r = x.rank();
  const Perm ip = Inverse(x.perm);
  std::vector<int64_t> pl(2 * r);
  for (int j = 0; j < r; ++j) {  // physical axis j holds logical axis ip[j]
    pl[j] = static_cast<int64_t>(pads.v[2 * ip[j]]);
    pl[j + r] = static_cast<int64_t>(pads.v[2 * ip[j] + 1]);
  }
  std::vector<std::string> ins = {x.name, I64(pl)};
  if (value) ins.push_back(F32(*value));
  onnx::NodeProto* n = AddNode("Pad", ins, "pad");
  SetAttr(n, "mode", mode);
  return Val::Dyn(n->output(0), x.perm, x.dtype);
}

StatusOr<Val> Emitter::Concat(const std::vector<Val>& vals, int64_t axis) {
  const Val* dyn = nullptr;
  for (const Val& v : vals)
    if (!v.is_const()) { dyn = &v; break; }
  if (!dyn) return Internal("Concat of constants should fold");
  const int r = dyn->rank();
  axis = ((axis % r) + r) % r;
  std::vector<std::string> ins;
  for (const Val& v : vals) {
    if (v.is_const()) ins.push_back(WithPerm(Val::Const(Cast(*v.c, dyn->dtype)), dyn->perm));
    else ins.push_back(WithPerm(v, dyn->perm));
  }
  onnx::NodeProto* n = AddNode("Concat", ins, "concat");
  SetAttr(n, "axis", int64_t{dyn->perm[axis]});
  return Val::Dyn(n->output(0), dyn->perm, dyn->dtype);
}

Val Emitter::Reshape(const Val& x, const std::vector<int64_t>& shape) {
  onnx::NodeProto* n = AddNode("Reshape", {Native(x), I64(shape)}, "reshape");
  return Val::Dyn(n->output(0), Identity(static_cast<int>(shape.size())), x.dtype);
}

Val Emitter::Reduce(const std::string& op, const Val& x, std::vector<int64_t> axes, bool keep) {
  const int r = x.rank();
  for (int64_t& a : axes) a = ((a % r) + r) % r;
  std::sort(axes.begin(), axes.end());
  std::vector<int64_t> paxes;
  for (int64_t a : axes) paxes.push_back(x.perm[a]);
  onnx::NodeProto* n;
  if (op == "ReduceSum") {
    n = AddNode(op, {x.name, I64(paxes)}, "red");
  } else {
    n = AddNode(op, {x.name}, "red");
    SetAttr(n, "axes", paxes);
  }
  SetAttr(n, "keepdims", int64_t{keep ? 1 : 0});
  if (keep) return Val::Dyn(n->output(0), x.perm, x.dtype);
  std::vector<int> rem, premain;
  for (int i = 0; i < r; ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) {
      rem.push_back(i);
      premain.push_back(x.perm[i]);
    }
  std::sort(premain.begin(), premain.end());
  Perm p;
  for (int i : rem)
    p.push_back(static_cast<int>(std::find(premain.begin(), premain.end(), x.perm[i]) -
                                 premain.begin()));
  return Val::Dyn(n->output(0), p, x.dtype);
}

StatusOr<Val> Emitter::Resize(const Val& x, const std::vector<int64_t>& size, bool align_corners,
                              bool half_pixel, const std::string& mode) {
  if (size.size() != 2) return InvalidArgument("resize size must have 2 values");
  const std::string xs = ChannelsFirst(x);
  std::string sizes;
  StatusOr<Shape> in_shape = StaticShape(xs);
  if (in_shape.ok() && in_shape->size() == 4) {
    sizes = I64({(*in_shape)[0], (*in_shape)[1], size[0], size[1]});
  } else {
    onnx::NodeProto* sh = AddNode("Shape", {xs}, "shape");
    SetAttr(sh, "start", int64_t{0});
    SetAttr(sh, "end", int64_t{2});
    onnx::NodeProto* cc = AddNode("Concat", {sh->output(0), I64(size)}, "sizes");
    SetAttr(cc, "axis", int64_t{0});
    sizes = cc->output(0);
  }
  std::string ctm = align_corners ? "align_corners" : (half_pixel ? "half_pixel" : "asymmetric");
  onnx::NodeProto* n = AddNode("Resize", {xs, "", "", sizes}, "resize");
  SetAttr(n, "mode", mode);
  if (mode == "nearest") {
    SetAttr(n, "nearest_mode", std::string(half_pixel ? "round_prefer_ceil" : "floor"));
    if (half_pixel && !align_corners) ctm = "tf_half_pixel_for_nn";
  }
  SetAttr(n, "coordinate_transformation_mode", ctm);
  return Val::Dyn(n->output(0), kChannelsFirst, x.dtype);
}

StatusOr<Shape> Emitter::StaticShape(const std::string& name) {
  auto it = shape_cache_.find(name);
  if (it != shape_cache_.end()) return it->second;
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("partial");
  *g->mutable_input() = graph_.input();
  *g->mutable_node() = graph_.node();
  for (const auto& init : graph_.initializer()) {
    int64_t n = 1;
    for (int64_t d : init.dims()) n *= d;
    if (n <= 64) {
      *g->add_initializer() = init;
    } else {  // big weights: only their type matters to shape inference
      auto* vi = g->add_input();
      vi->set_name(init.name());
      auto* tt = vi->mutable_type()->mutable_tensor_type();
      tt->set_elem_type(init.data_type());
      for (int64_t d : init.dims()) tt->mutable_shape()->add_dim()->set_dim_value(d);
    }
  }
  try {
    // No data propagation: static shapes are all the emitter needs, and libonnx's data
    // propagation can crash on an inconsistent partial graph instead of reporting it.
    onnx::ShapeInferenceOptions opts(false, 0, false);
    onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception& e) {
    return Internal(std::string("ONNX shape inference failed: ") + e.what());
  }
  auto record = [&](const onnx::ValueInfoProto& vi) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) return;
    Shape s;
    for (const auto& d : vi.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value()) return;
      s.push_back(d.dim_value());
    }
    shape_cache_[vi.name()] = s;
  };
  for (const auto& vi : m.graph().value_info()) record(vi);
  for (const auto& vi : m.graph().input()) record(vi);
  it = shape_cache_.find(name);
  if (it == shape_cache_.end()) return FailedPrecondition("no static shape for tensor " + name);
  return it->second;
}

void Emitter::AddInput(const std::string& name, DType dtype, const Shape& shape) {
  auto* vi = graph_.add_input();
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(OnnxType(dtype));
  for (int64_t d : shape) tt->mutable_shape()->add_dim()->set_dim_value(d);
}

void Emitter::AddOutput(const std::string& name, const Val& v) {
  std::string src = v.is_const() ? Init(*v.c) : Native(v);
  onnx::NodeProto* n = graph_.add_node();
  n->set_op_type("Identity");
  n->set_name(Uniq("out"));
  n->add_input(src);
  n->add_output(name);
  auto* vi = graph_.add_output();
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(OnnxType(v.dtype));
  auto* shape = tt->mutable_shape();  // rank known; dims filled by shape inference later
  for (int i = 0; i < v.rank(); ++i) shape->add_dim();
}

onnx::ModelProto Emitter::TakeModel(const std::string& graph_name) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("ocular-convert");
  m.set_producer_version("0.1.0");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(17);
  graph_.set_name(graph_name);
  // Drop initializers no node reads (constants materialised for an op that then did not need them).
  std::set<std::string> used;
  for (const auto& n : graph_.node())
    for (const auto& i : n.input()) used.insert(i);
  auto* inits = graph_.mutable_initializer();
  inits->erase(std::remove_if(inits->begin(), inits->end(),
                              [&](const onnx::TensorProto& t) { return !used.count(t.name()); }),
               inits->end());
  m.mutable_graph()->Swap(&graph_);
  graph_.Clear();
  transpose_cache_.clear();
  shape_cache_.clear();
  return m;
}

}  // namespace ocular::convert
