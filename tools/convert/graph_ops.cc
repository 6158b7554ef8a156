// The graph-model op table: one TF op (non-constant) -> ONNX nodes via the Emitter.
#include <algorithm>
#include <climits>
#include <set>

#include "graph_internal.h"

namespace ocular::convert {
namespace {

Val Materialize(Emitter& e, const Val& v) {
  if (!v.is_const()) return v;
  return Val::Dyn(e.Init(*v.c), Identity(v.rank()), v.dtype);
}

Status NeedConst(const std::vector<Val>& ins, size_t i, const std::string& what) {
  if (i >= ins.size() || !ins[i].is_const())
    return Unsupported(what + " must be a constant (dynamic value not supported)");
  return Status::Ok();
}

std::vector<int64_t> ToInts(const Tensor& t) {
  std::vector<int64_t> out;
  for (double x : t.v) out.push_back(static_cast<int64_t>(x));
  return out;
}

StatusOr<Val> EmitConv(Emitter& e, const std::string& op, const Attrs& a,
                       const std::vector<Val>& ins) {
  if (a.Str("data_format", "NHWC") != "NHWC")
    return Unsupported("data_format " + a.Str("data_format"));
  OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "convolution filter"));
  for (size_t i = 2; i < ins.size(); ++i) OCULAR_RETURN_IF_ERROR(NeedConst(ins, i, "fused argument"));
  ConvSpec s;
  s.depthwise = op.find("Depthwise") != std::string::npos;
  const auto strides = a.Ints("strides"), dil = a.Ints("dilations");
  if (strides.size() == 4) s.strides = {strides[1], strides[2]};
  if (dil.size() == 4) s.dilations = {dil[1], dil[2]};
  s.padding = a.Str("padding", "VALID");
  s.explicit_pads = a.Ints("explicit_paddings");
  Tensor w = *ins[1].c;
  std::optional<Tensor> bias;
  std::vector<std::string> fused = a.Strs("fused_ops");
  size_t arg = 2;
  if (!fused.empty() && fused[0] == "BiasAdd") {
    bias = *ins[arg++].c;
    fused.erase(fused.begin());
  } else if (!fused.empty() && fused[0] == "FusedBatchNorm") {
    if (ins.size() < arg + 4) return InvalidArgument("FusedBatchNorm needs 4 arguments");
    const Tensor &sc = *ins[arg].c, &off = *ins[arg + 1].c, &mean = *ins[arg + 2].c,
                 &var = *ins[arg + 3].c;
    arg += 4;
    const float eps = a.Float("epsilon", 1e-3f);
    const int64_t oc = s.depthwise ? w.shape[2] * w.shape[3] : w.shape[3];
    Tensor b{DType::kFloat, {oc}, std::vector<double>(oc)};
    std::vector<double> k(oc);
    for (int64_t o = 0; o < oc; ++o) {
      k[o] = static_cast<float>(sc.v[o] / std::sqrt(static_cast<double>(static_cast<float>(var.v[o] + eps))));
      b.v[o] = off.v[o] - mean.v[o] * k[o];
    }
    for (int64_t i = 0; i < w.size(); ++i) w.v[i] *= k[i % oc];  // last axis(es) = output channel
    RoundToFloat32(w);
    RoundToFloat32(b);
    bias = b;
    fused.erase(fused.begin());
  }
  if (fused.size() > 1) return Unsupported("fused ops chain of length > 2");
  if (!fused.empty()) {
    s.activation = fused[0];
    if (s.activation == "Prelu") {
      if (arg >= ins.size()) return InvalidArgument("Prelu without alpha argument");
      s.prelu_alpha = ins[arg].c;
    }
    if (s.activation == "LeakyRelu") s.leaky_alpha = a.Float("leakyrelu_alpha", 0.2f);
  }
  return e.Conv(ins[0], w, bias ? &*bias : nullptr, s);
}

StatusOr<Val> Unary(Emitter& e, const std::string& op, const Val& x, const Attrs& a) {
  static const std::set<std::string> kSame = {"Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp",
                                              "Sqrt", "Floor", "Ceil", "Elu", "Log", "Sin",
                                              "Cos", "Reciprocal", "Round"};
  if (kSame.count(op)) return e.Unary(op, x);
  if (op == "Rsqrt") return e.Unary("Reciprocal", e.Unary("Sqrt", x));
  if (op == "Square") return e.Binary("Mul", x, x);
  if (op == "Relu6") {
    OCULAR_ASSIGN_OR_RETURN(std::string y, e.Activation(x.name, "Relu6"));
    return Val::Dyn(y, x.perm, x.dtype);
  }
  if (op == "LeakyRelu") {
    OCULAR_ASSIGN_OR_RETURN(std::string y, e.Activation(x.name, "LeakyRelu", a.Float("alpha", 0.2f)));
    return Val::Dyn(y, x.perm, x.dtype);
  }
  if (op == "Softmax") {
    onnx::NodeProto* n = e.AddNode("Softmax", {x.name}, "softmax");
    SetAttr(n, "axis", int64_t{x.perm[x.rank() - 1]});
    return Val::Dyn(n->output(0), x.perm, x.dtype);
  }
  if (op == "Cast") {
    OCULAR_ASSIGN_OR_RETURN(DType to, TfType(a.Type("DstT")));
    onnx::NodeProto* n = e.AddNode("Cast", {x.name}, "cast");
    SetAttr(n, "to", int64_t{OnnxType(to)});
    return Val::Dyn(n->output(0), x.perm, to);
  }
  return Unsupported("");
}

StatusOr<Val> BinaryOp(Emitter& e, const std::string& op, const Val& a, const Val& b) {
  static const std::map<std::string, std::string> kMap = {
      {"Add", "Add"}, {"AddV2", "Add"}, {"BiasAdd", "Add"}, {"Sub", "Sub"}, {"Mul", "Mul"},
      {"RealDiv", "Div"}, {"Div", "Div"}, {"Maximum", "Max"}, {"Minimum", "Min"},
      {"Equal", "Equal"}, {"Greater", "Greater"}, {"Less", "Less"},
      {"GreaterEqual", "GreaterOrEqual"}, {"LessEqual", "LessOrEqual"}, {"LogicalAnd", "And"},
      {"Prelu", "PRelu"}, {"Pow", "Pow"}};
  if (auto it = kMap.find(op); it != kMap.end()) return e.Binary(it->second, a, b);
  const bool is_float = (a.is_const() ? b.dtype : a.dtype) == DType::kFloat;
  if (op == "SquaredDifference") {
    OCULAR_ASSIGN_OR_RETURN(Val d, e.Binary("Sub", a, b));
    return e.Binary("Mul", d, d);
  }
  if (op == "FloorDiv") {
    if (is_float) {
      OCULAR_ASSIGN_OR_RETURN(Val q, e.Binary("Div", a, b));
      return e.Unary("Floor", q);
    }
    // Integer floor division, exact for negative values: (a - mod(a, b)) / b, where ONNX Mod
    // (fmod=0) takes the divisor's sign like TF FloorMod.
    OCULAR_ASSIGN_OR_RETURN(Val m, e.Binary("Mod", a, b));
    OCULAR_ASSIGN_OR_RETURN(Val d, e.Binary("Sub", a, m));
    return e.Binary("Div", d, b);
  }
  if (op == "FloorMod") {
    if (!is_float) return e.Binary("Mod", a, b);
    OCULAR_ASSIGN_OR_RETURN(Val q, e.Binary("Div", a, b));
    OCULAR_ASSIGN_OR_RETURN(Val m, e.Binary("Mul", e.Unary("Floor", q), b));
    return e.Binary("Sub", a, m);
  }
  return Unsupported("");
}

}  // namespace

Status EmitOp(Emitter& e, const std::string& nm, const std::string& op, const Attrs& a,
              const std::vector<Val>& ins, std::map<std::string, Val>& out) {
  auto set = [&](StatusOr<Val> v) -> Status {
    if (!v.ok()) return v.status();
    out[nm] = std::move(v).value();
    return Status::Ok();
  };
  if (ins.empty()) return InvalidArgument("op without inputs");
  const Val x = Materialize(e, ins[0]);

  if (op == "Conv2D" || op == "_FusedConv2D" || op == "DepthwiseConv2dNative" ||
      op == "FusedDepthwiseConv2dNative")
    return set(EmitConv(e, op, a, ins));
  if (op == "MaxPool" || op == "AvgPool") {
    const auto k = a.Ints("ksize"), s = a.Ints("strides");
    if (k.size() != 4 || s.size() != 4 || a.Str("data_format", "NHWC") != "NHWC")
      return Unsupported("pooling attributes");
    return set(e.Pool(op == "MaxPool" ? "MaxPool" : "AveragePool", x, {k[1], k[2]}, {s[1], s[2]},
                      a.Str("padding")));
  }
  if (ins.size() == 2) {
    StatusOr<Val> v = BinaryOp(e, op, ins[0], ins[1]);
    if (v.ok() || v.status().message() != "") return set(std::move(v));
  }
  if (ins.size() == 1 || op == "Cast") {
    StatusOr<Val> v = Unary(e, op, x, a);
    if (v.ok() || v.status().message() != "") return set(std::move(v));
  }
  if (op == "AddN") {
    const Val* dyn = nullptr;
    for (const Val& v : ins)
      if (!v.is_const()) { dyn = &v; break; }
    if (!dyn) dyn = &x;  // all constant: x is the materialised first input
    std::vector<std::string> names;
    for (const Val& v : ins) names.push_back(e.WithPerm(v, dyn->perm));
    return set(Val::Dyn(e.AddNode("Sum", names, "addn")->output(0), dyn->perm, dyn->dtype));
  }
  if (op == "Shape") {
    OCULAR_ASSIGN_OR_RETURN(DType to, TfType(a.Type("out_type", "DT_INT32")));
    StatusOr<Shape> phys = e.StaticShape(x.name);
    if (phys.ok()) {  // static: fold (the Shape->StridedSlice->Pack->Reshape chains)
      std::vector<int64_t> logical;
      for (int i = 0; i < x.rank(); ++i) logical.push_back((*phys)[x.perm[i]]);
      out[nm] = Val::Const(Tensor::Vector(logical, to));
      return Status::Ok();
    }
    std::string sh = e.AddNode("Shape", {x.name}, "shape")->output(0);
    if (!IsIdentity(x.perm)) {
      onnx::NodeProto* g = e.AddNode("Gather", {sh, e.I64({x.perm.begin(), x.perm.end()})}, "g");
      SetAttr(g, "axis", int64_t{0});
      sh = g->output(0);
    }
    onnx::NodeProto* c = e.AddNode("Cast", {sh}, "cast");
    SetAttr(c, "to", int64_t{OnnxType(to)});
    return set(Val::Dyn(c->output(0), {0}, to));
  }
  if (op == "Pack") {
    int64_t ax = a.Int("axis");
    const int r = ins[0].rank() + 1;
    ax = ((ax % r) + r) % r;
    DType dt = DType::kFloat;
    for (const Val& v : ins)
      if (!v.is_const()) dt = v.dtype;
    std::vector<std::string> us;
    for (const Val& v : ins) {
      std::string src = v.is_const() ? e.Init(Cast(*v.c, dt)) : e.Native(v);
      us.push_back(e.AddNode("Unsqueeze", {src, e.I64({ax})}, "unsq")->output(0));
    }
    onnx::NodeProto* n = e.AddNode("Concat", us, "pack");
    SetAttr(n, "axis", ax);
    return set(Val::Dyn(n->output(0), Identity(r), dt));
  }
  if (op == "Conv2DBackpropInput") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 0, "Conv2DBackpropInput output shape"));
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "Conv2DBackpropInput filter"));
    const Tensor &os = *ins[0].c, &wt = *ins[1].c;
    const Val xx = Materialize(e, ins[2]);
    const auto st = a.Ints("strides");
    const std::vector<int64_t> s = {st[1], st[2]}, k = {wt.shape[0], wt.shape[1]};
    const std::string xs = e.ChannelsFirst(xx);
    OCULAR_ASSIGN_OR_RETURN(Shape in, e.StaticShape(xs));
    std::vector<int64_t> pads(4, 0), opad(2, 0);
    for (int d = 0; d < 2; ++d) {
      const int64_t tot = (in[2 + d] - 1) * s[d] + k[d] - static_cast<int64_t>(os.v[1 + d]);
      if (a.Str("padding") == "SAME" && tot >= 0) {
        pads[d] = tot / 2;
        pads[d + 2] = tot - tot / 2;
      } else if (tot <= 0) {
        opad[d] = -tot;
      } else {
        return Unsupported("Conv2DBackpropInput VALID with cropped output");
      }
    }
    onnx::NodeProto* n =
        e.AddNode("ConvTranspose", {xs, e.Init(Transpose(wt, {3, 2, 0, 1}), "W")}, "deconv");
    SetAttr(n, "strides", s);
    SetAttr(n, "pads", pads);
    SetAttr(n, "output_padding", opad);
    SetAttr(n, "kernel_shape", k);
    return set(Val::Dyn(n->output(0), kChannelsFirst));
  }
  if (op == "DepthToSpace") {  // TF NHWC channel order (i*bs+j)*C+c == ONNX DCR on NCHW
    if (a.Str("data_format", "NHWC") != "NHWC") return Unsupported("DepthToSpace data_format");
    onnx::NodeProto* n = e.AddNode("DepthToSpace", {e.ChannelsFirst(x)}, "d2s");
    SetAttr(n, "blocksize", a.Int("block_size"));
    SetAttr(n, "mode", std::string("DCR"));
    return set(Val::Dyn(n->output(0), kChannelsFirst));
  }
  if (op == "Pad" || op == "PadV2" || op == "MirrorPad") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, op + " paddings"));
    std::optional<float> value;
    if (op == "PadV2") {
      OCULAR_RETURN_IF_ERROR(NeedConst(ins, 2, "PadV2 value"));
      value = static_cast<float>(ins[2].c->v.at(0));
    }
    std::string mode = "constant";
    if (op == "MirrorPad") {
      if (a.Str("mode") != "REFLECT") return Unsupported("MirrorPad mode " + a.Str("mode"));
      mode = "reflect";
    }
    return set(e.Pad(x, *ins[1].c, value, mode));
  }
  if (op == "Transpose") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "Transpose permutation"));
    Perm q;
    for (double v : ins[1].c->v) q.push_back(static_cast<int>(v));
    return set(Val::Dyn(x.name, Compose(x.perm, q), x.dtype));
  }
  if (op == "ConcatV2") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, ins.size() - 1, "ConcatV2 axis"));
    return set(e.Concat({ins.begin(), ins.end() - 1}, static_cast<int64_t>(ins.back().c->v[0])));
  }
  if (op == "SplitV" || op == "Split") {
    const bool v2 = op == "SplitV";
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, v2 ? 2 : 0, op + " axis"));
    const Val src = Materialize(e, v2 ? ins[0] : ins[1]);
    int64_t axis = static_cast<int64_t>((v2 ? ins[2] : ins[0]).c->v[0]);
    axis = ((axis % src.rank()) + src.rank()) % src.rank();
    onnx::NodeProto* n;
    if (v2) {
      OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "SplitV sizes"));
      std::vector<int64_t> sizes = ToInts(*ins[1].c);
      if (std::find(sizes.begin(), sizes.end(), -1) != sizes.end()) {
        OCULAR_ASSIGN_OR_RETURN(Shape sh, e.StaticShape(src.name));
        int64_t rest = sh[src.perm[axis]];
        for (int64_t v : sizes) rest -= v >= 0 ? v : 0;
        for (int64_t& v : sizes) if (v < 0) v = rest;
      }
      n = e.AddNode("Split", {src.name, e.I64(sizes)}, "split", static_cast<int>(sizes.size()));
    } else {
      n = e.AddNode("Split", {src.name}, "split", static_cast<int>(a.Int("num_split")));
    }
    SetAttr(n, "axis", int64_t{src.perm[axis]});
    for (int k = 0; k < n->output_size(); ++k)
      out[k == 0 ? nm : nm + ":" + std::to_string(k)] = Val::Dyn(n->output(k), src.perm, src.dtype);
    return Status::Ok();
  }
  if (op == "Unpack") {
    int64_t axis = a.Int("axis");
    axis = ((axis % x.rank()) + x.rank()) % x.rank();
    const int num = static_cast<int>(a.Int("num"));
    const std::string xn = e.Native(x);
    onnx::NodeProto* n = e.AddNode("Split", {xn}, "unpack", num);
    SetAttr(n, "axis", axis);
    for (int k = 0; k < num; ++k) {
      std::string sq = e.AddNode("Squeeze", {n->output(k), e.I64({axis})}, "sq")->output(0);
      out[k == 0 ? nm : nm + ":" + std::to_string(k)] = Val::Dyn(sq, Identity(x.rank() - 1), x.dtype);
    }
    return Status::Ok();
  }
  if (op == "Reshape") {
    if (ins[1].is_const()) {
      std::vector<int64_t> shape = ToInts(*ins[1].c);
      if (std::find(shape.begin(), shape.end(), 0) != shape.end())
        return Unsupported("Reshape to a zero-sized dimension");
      return set(e.Reshape(x, shape));
    }
    onnx::NodeProto* c = e.AddNode("Cast", {e.Native(ins[1])}, "cast");
    SetAttr(c, "to", int64_t{OnnxType(DType::kInt64)});
    OCULAR_ASSIGN_OR_RETURN(Shape ss, e.StaticShape(c->output(0)));
    if (ss.size() != 1) return Unsupported("Reshape with a shape of unknown length");
    onnx::NodeProto* n = e.AddNode("Reshape", {e.Native(x), c->output(0)}, "reshape");
    return set(Val::Dyn(n->output(0), Identity(static_cast<int>(ss[0])), x.dtype));
  }
  if (op == "Squeeze") {
    std::vector<int64_t> axes = a.Ints("squeeze_dims");
    if (axes.empty()) axes = a.Ints("axis");
    if (axes.empty()) {
      OCULAR_ASSIGN_OR_RETURN(Shape ph, e.StaticShape(x.name));
      for (int i = 0; i < x.rank(); ++i)
        if (ph[x.perm[i]] == 1) axes.push_back(i);
    }
    for (int64_t& d : axes) d = ((d % x.rank()) + x.rank()) % x.rank();
    onnx::NodeProto* n = e.AddNode("Squeeze", {e.Native(x), e.I64(axes)}, "sq");
    return set(Val::Dyn(n->output(0), Identity(x.rank() - static_cast<int>(axes.size())), x.dtype));
  }
  if (op == "ExpandDims") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "ExpandDims axis"));
    int64_t ax = static_cast<int64_t>(ins[1].c->v[0]);
    ax = ((ax % (x.rank() + 1)) + x.rank() + 1) % (x.rank() + 1);
    onnx::NodeProto* n = e.AddNode("Unsqueeze", {e.Native(x), e.I64({ax})}, "unsq");
    return set(Val::Dyn(n->output(0), Identity(x.rank() + 1), x.dtype));
  }
  if (op == "Mean" || op == "Sum" || op == "Max" || op == "Min" || op == "Prod") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, op + " axes"));
    return set(e.Reduce("Reduce" + op, x, ToInts(*ins[1].c), a.Bool("keep_dims")));
  }
  if (op == "ResizeBilinear" || op == "ResizeNearestNeighbor") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, op + " size"));
    return set(e.Resize(x, ToInts(*ins[1].c), a.Bool("align_corners"),
                        a.Bool("half_pixel_centers"),
                        op == "ResizeBilinear" ? "linear" : "nearest"));
  }
  if (op == "MatMul" || op == "_FusedMatMul" || op == "BatchMatMulV2") {
    const bool ta = a.Bool("transpose_a") || a.Bool("adj_x"), tb = a.Bool("transpose_b") || a.Bool("adj_y");
    const std::vector<std::string> fused = a.Strs("fused_ops");
    std::string y;
    if (x.rank() == 2 && ins[1].rank() == 2) {
      std::vector<std::string> gi = {e.Native(x), e.Native(ins[1])};
      size_t arg = 2;
      if (!fused.empty() && fused[0] == "BiasAdd") gi.push_back(e.Native(ins[arg++]));
      onnx::NodeProto* n = e.AddNode("Gemm", gi, "gemm");
      SetAttr(n, "transA", int64_t{ta});
      SetAttr(n, "transB", int64_t{tb});
      y = n->output(0);
      if (fused.size() > (gi.size() == 3 ? 1u : 0u)) {
        const std::string act = fused.back();
        const Tensor* alpha = act == "Prelu" && arg < ins.size() ? ins[arg].c.get() : nullptr;
        OCULAR_ASSIGN_OR_RETURN(y, e.Activation(y, act, a.Float("leakyrelu_alpha", 0.2f), alpha, 2, 1));
      }
    } else {
      if (!fused.empty()) return Unsupported("fused MatMul on rank > 2");
      auto tr = [&](const Val& v, bool t) {
        Val m = Materialize(e, v);
        if (!t) return m;
        Perm p = Identity(m.rank());
        std::swap(p[m.rank() - 1], p[m.rank() - 2]);
        return Val::Dyn(m.name, Compose(m.perm, p), m.dtype);
      };
      y = e.AddNode("MatMul", {e.Native(tr(x, ta)), e.Native(tr(ins[1], tb))}, "matmul")->output(0);
      return set(Val::Dyn(y, Identity(std::max(x.rank(), ins[1].rank()))));
    }
    return set(Val::Dyn(y, Identity(2)));
  }
  if (op == "TopKV2") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "TopKV2 k"));
    const int64_t k = static_cast<int64_t>(ins[1].c->v[0]);
    onnx::NodeProto* n = e.AddNode("TopK", {x.name, e.I64({k})}, "topk", 2);
    SetAttr(n, "axis", int64_t{x.perm[x.rank() - 1]});
    SetAttr(n, "largest", int64_t{1});
    SetAttr(n, "sorted", int64_t{a.Bool("sorted", true)});
    out[nm] = Val::Dyn(n->output(0), x.perm, x.dtype);
    onnx::NodeProto* c = e.AddNode("Cast", {n->output(1)}, "cast");
    SetAttr(c, "to", int64_t{OnnxType(DType::kInt32)});
    out[nm + ":1"] = Val::Dyn(c->output(0), x.perm, DType::kInt32);
    return Status::Ok();
  }
  if (op == "GatherV2") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 2, "GatherV2 axis"));
    if (a.Int("batch_dims") != 0) return Unsupported("GatherV2 with batch_dims");
    int64_t axis = static_cast<int64_t>(ins[2].c->v[0]);
    axis = ((axis % x.rank()) + x.rank()) % x.rank();
    const std::string ind = ins[1].is_const() ? e.Init(Cast(*ins[1].c, DType::kInt64)) : e.Native(ins[1]);
    onnx::NodeProto* n = e.AddNode("Gather", {e.Native(x), ind}, "gather");
    SetAttr(n, "axis", axis);
    return set(Val::Dyn(n->output(0), Identity(x.rank() + ins[1].rank() - 1), x.dtype));
  }
  if (op == "StridedSlice") {
    for (size_t i = 1; i < 4; ++i) OCULAR_RETURN_IF_ERROR(NeedConst(ins, i, "StridedSlice bounds"));
    OCULAR_ASSIGN_OR_RETURN(auto spec, StridedSliceSpec(a, *ins[1].c, *ins[2].c, *ins[3].c, nullptr));
    std::vector<int64_t> starts, ends, axes, steps, sq;
    for (size_t d = 0; d < spec.size(); ++d) {
      starts.push_back(spec[d].start);
      ends.push_back(spec[d].end);
      axes.push_back(static_cast<int64_t>(d));
      steps.push_back(spec[d].step);
      if (spec[d].shrink) sq.push_back(static_cast<int64_t>(d));
    }
    std::string y = e.AddNode("Slice", {e.Native(x), e.I64(starts), e.I64(ends), e.I64(axes),
                                        e.I64(steps)}, "slice")->output(0);
    if (!sq.empty()) y = e.AddNode("Squeeze", {y, e.I64(sq)}, "sq")->output(0);
    return set(Val::Dyn(y, Identity(x.rank() - static_cast<int>(sq.size())), x.dtype));
  }
  if (op == "ArgMax") {
    OCULAR_RETURN_IF_ERROR(NeedConst(ins, 1, "ArgMax axis"));
    int64_t axis = static_cast<int64_t>(ins[1].c->v[0]);
    axis = ((axis % x.rank()) + x.rank()) % x.rank();
    onnx::NodeProto* n = e.AddNode("ArgMax", {e.Native(x)}, "argmax");
    SetAttr(n, "axis", axis);
    SetAttr(n, "keepdims", int64_t{0});
    OCULAR_ASSIGN_OR_RETURN(DType to, TfType(a.Type("output_type", "DT_INT64")));
    onnx::NodeProto* c = e.AddNode("Cast", {n->output(0)}, "cast");
    SetAttr(c, "to", int64_t{OnnxType(to)});
    return set(Val::Dyn(c->output(0), Identity(x.rank() - 1), to));
  }
  return Unsupported("");
}

}  // namespace ocular::convert
