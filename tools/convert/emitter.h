// Builds the ONNX graph while tracking one layout permutation per tensor.
//
// Every logical (TF, usually NHWC) tensor is a Val: an ONNX tensor name plus `perm`, with
//   logical == transpose(physical, perm).
// Convolutions want physical NCHW, i.e. perm == kChannelsFirst. A Transpose node is only
// materialised when an op needs another layout (WithPerm), and is cached, so the NHWC<->NCHW
// pairs that a TF.js graph (or an earlier onnx-tf conversion) carries cancel out.
// Constants stay host tensors until an op consumes them, so chains of constant ops fold.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "tensor.h"

namespace ocular::convert {

struct Val {
  std::string name;                     // ONNX tensor name; empty for a constant
  Perm perm;                            // layout of the physical tensor, see above
  std::shared_ptr<const Tensor> c;      // set for a constant (never emitted until consumed)
  DType dtype = DType::kFloat;

  bool is_const() const { return c != nullptr; }
  int rank() const { return c ? c->rank() : static_cast<int>(perm.size()); }
  static Val Const(Tensor t) {
    Val v;
    v.dtype = t.dtype;
    v.c = std::make_shared<const Tensor>(std::move(t));
    return v;
  }
  static Val Dyn(std::string name, Perm perm, DType dtype = DType::kFloat) {
    Val v;
    v.name = std::move(name);
    v.perm = std::move(perm);
    v.dtype = dtype;
    return v;
  }
};

// Attribute setters on a node.
void SetAttr(onnx::NodeProto* n, const std::string& name, int64_t v);
void SetAttr(onnx::NodeProto* n, const std::string& name, float v);
void SetAttr(onnx::NodeProto* n, const std::string& name, const std::string& v);
void SetAttr(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v);

// Conv2D parameters in TF terms (NHWC attributes already reduced to H, W).
struct ConvSpec {
  std::vector<int64_t> strides{1, 1}, dilations{1, 1};
  std::string padding = "VALID";        // SAME | VALID | EXPLICIT
  std::vector<int64_t> explicit_pads;   // TF explicit_paddings (8 values, NHWC pairs)
  bool depthwise = false;
  std::string activation;               // empty/linear, Relu, Relu6, Sigmoid, Tanh, Elu, LeakyRelu, Prelu
  float leaky_alpha = 0.2f;
  std::shared_ptr<const Tensor> prelu_alpha;
};

class Emitter {
 public:
  // Unique tensor/node name from a base.
  std::string Uniq(const std::string& base);
  // Appends a node with fresh output names; returns it so the caller can add attributes.
  onnx::NodeProto* AddNode(const std::string& op, const std::vector<std::string>& inputs,
                           const std::string& base, int num_outputs = 1);
  // Adds an initializer (float32/int32/int64/bool per t.dtype) and returns its name.
  std::string Init(const Tensor& t, const std::string& base = "c");
  std::string I64(const std::vector<int64_t>& values);
  std::string F32(float value);  // scalar float initializer

  // The physical tensor whose perm is `target` (Transpose nodes cached per source and perm).
  std::string WithPerm(const Val& v, const Perm& target);
  std::string Native(const Val& v) { return WithPerm(v, Identity(v.rank())); }
  std::string ChannelsFirst(const Val& v) { return WithPerm(v, kChannelsFirst); }

  // High-level ops with logical TF semantics.
  StatusOr<Val> Conv(const Val& x, const Tensor& w_hwio, const Tensor* bias, const ConvSpec& s);
  // Applies a TF/Keras activation to physical tensor `y`; `prelu_alpha` has the channel on its
  // last axis and `channel_axis` is that axis in y's physical layout.
  StatusOr<std::string> Activation(const std::string& y, const std::string& act,
                                   float leaky_alpha = 0.2f, const Tensor* prelu_alpha = nullptr,
                                   int physical_rank = 4, int channel_axis = 1);
  Val Pool(const std::string& op, const Val& x, const std::vector<int64_t>& ksize,
           const std::vector<int64_t>& strides, const std::string& padding);
  Val Unary(const std::string& op, const Val& x);
  StatusOr<Val> Binary(const std::string& op, const Val& a, const Val& b);
  Val Pad(const Val& x, const Tensor& pads, std::optional<float> value, const std::string& mode);
  StatusOr<Val> Concat(const std::vector<Val>& vals, int64_t axis);
  Val Reshape(const Val& x, const std::vector<int64_t>& shape);
  Val Reduce(const std::string& op, const Val& x, std::vector<int64_t> axes, bool keep);
  StatusOr<Val> Resize(const Val& x, const std::vector<int64_t>& size, bool align_corners,
                       bool half_pixel, const std::string& mode);

  // The static shape of physical tensor `name`, from ONNX shape inference over the graph so far.
  StatusOr<Shape> StaticShape(const std::string& name);

  void AddInput(const std::string& name, DType dtype, const Shape& shape);
  // Binds graph output `name` to `v` (in TF logical layout) through an Identity node.
  void AddOutput(const std::string& name, const Val& v);
  // Moves the graph into a model (opset 17, IR 8). The emitter is empty afterwards.
  onnx::ModelProto TakeModel(const std::string& graph_name);

  const onnx::GraphProto& graph() const { return graph_; }

 private:
  onnx::GraphProto graph_;
  int counter_ = 0;
  std::map<std::pair<std::string, Perm>, std::string> transpose_cache_;
  std::map<std::string, Shape> shape_cache_;
};

}  // namespace ocular::convert
