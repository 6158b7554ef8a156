// TF.js graph-model front end: orders the GraphDef nodes reachable from the outputs, folds
// constant subgraphs and hands every other node to the op table (graph_ops.cc).
#include <algorithm>
#include <set>

#include "frontends.h"
#include "graph_internal.h"

namespace ocular::convert {
using nlohmann::json;

namespace {

std::string BaseName(const std::string& ref) {
  std::string r = ref[0] == '^' ? ref.substr(1) : ref;
  const size_t c = r.find(':');
  return c == std::string::npos ? r : r.substr(0, c);
}
// The key of a tensor reference in the value map: "node" for output 0, "node:k" otherwise.
std::string ValueKey(const std::string& ref) {
  const size_t c = ref.find(':');
  if (c == std::string::npos || ref.substr(c + 1) == "0") return ref.substr(0, c);
  return ref;
}

// Natural order, so "Identity_2:0" sorts before "Identity_10:0".
bool NaturalLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      const long long x = std::stoll(a.substr(i, i2 - i)), y = std::stoll(b.substr(j, j2 - j));
      if (x != y) return x < y;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// (ONNX output name, TF tensor reference) pairs.
StatusOr<std::vector<std::pair<std::string, std::string>>> OutputList(
    const json& j, const std::map<std::string, const json*>& nodes, const ConvertOptions& opts) {
  std::vector<std::pair<std::string, std::string>> outs;
  if (!opts.outputs.empty()) {
    for (const auto& o : opts.outputs) outs.push_back({o, o});
    return outs;
  }
  const json* sig = nullptr;
  if (j.contains("signature") && j["signature"].contains("outputs")) sig = &j["signature"]["outputs"];
  else if (j.contains("userDefinedMetadata") && j["userDefinedMetadata"].contains("signature") &&
           j["userDefinedMetadata"]["signature"].contains("outputs"))
    sig = &j["userDefinedMetadata"]["signature"]["outputs"];
  if (sig && !sig->empty()) {
    for (auto it = sig->begin(); it != sig->end(); ++it)
      outs.push_back({it.key(), it.value().value("name", it.key())});
  } else {
    std::set<std::string> used;
    for (const auto& [name, n] : nodes)
      for (const json& i : n->value("input", json::array())) used.insert(BaseName(i.get<std::string>()));
    for (const auto& [name, n] : nodes) {
      const std::string op = (*n)["op"].get<std::string>();
      if (!used.count(name) && op != "Const" && op != "NoOp" && op != "Placeholder")
        outs.push_back({name, name});
    }
  }
  std::sort(outs.begin(), outs.end(), [](const auto& a, const auto& b) { return NaturalLess(a.first, b.first); });
  return outs;
}

}  // namespace

StatusOr<FrontendResult> ConvertGraphModel(const TfjsModel& m, const ConvertOptions& opts) {
  const json& j = m.model_json;
  std::map<std::string, const json*> nodes;
  for (const json& n : j["modelTopology"]["node"]) nodes[n["name"].get<std::string>()] = &n;
  OCULAR_ASSIGN_OR_RETURN(auto outs, OutputList(j, nodes, opts));
  if (outs.empty()) return InvalidArgument("model has no outputs");

  // Dependency order (iterative DFS from the outputs, control inputs ignored).
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (const auto& o : outs) {
    const std::string root = BaseName(o.second);
    if (!nodes.count(root)) return InvalidArgument("output '" + o.second + "' is not a graph node");
    std::vector<std::pair<std::string, bool>> stack = {{root, false}};
    while (!stack.empty()) {
      auto [nm, expanded] = stack.back();
      stack.pop_back();
      if (expanded) {
        order.push_back(nm);
        continue;
      }
      if (seen.count(nm)) continue;
      seen.insert(nm);
      stack.push_back({nm, true});
      const json& n = *nodes.at(nm);
      const json ins = n.value("input", json::array());
      for (auto it = ins.rbegin(); it != ins.rend(); ++it) {
        const std::string ref = it->get<std::string>();
        if (ref[0] == '^') continue;
        if (!nodes.count(BaseName(ref)))
          return InvalidArgument("node '" + nm + "' reads unknown node '" + ref + "'");
        if (!seen.count(BaseName(ref))) stack.push_back({BaseName(ref), false});
      }
    }
  }

  FrontendResult res;
  Emitter e;
  std::map<std::string, Val> vals;
  for (const std::string& nm : order) {
    const json& n = *nodes.at(nm);
    const std::string op = n["op"].get<std::string>();
    const Attrs a(n.contains("attr") ? &n["attr"] : nullptr);
    if (op == "Const") {
      auto w = m.weights.find(nm);
      if (w == m.weights.end()) return InvalidArgument("Const node '" + nm + "' has no weight data");
      vals[nm] = Val::Const(w->second);
      continue;
    }
    if (op == "Placeholder") {
      OCULAR_ASSIGN_OR_RETURN(DType dt, TfType(a.Type("dtype")));
      Shape dims;
      if (const json* sh = a.Raw("shape"); sh && sh->contains("shape") && (*sh)["shape"].contains("dim"))
        for (const json& d : (*sh)["shape"]["dim"])
          dims.push_back(d.contains("size") ? std::stoll(d["size"].get<std::string>()) : -1);
      if (!opts.input_shape.empty() && res.inputs.empty()) dims = opts.input_shape;
      for (int64_t& d : dims)
        if (d <= 0) {
          if (&d != &dims[0])
            return InvalidArgument("input '" + nm + "' has a dynamic non-batch dimension: pass --input-shape");
          d = 1;
        }
      e.AddInput(nm, dt, dims);
      vals[nm] = Val::Dyn(nm, Identity(static_cast<int>(dims.size())), dt);
      res.inputs.push_back({nm, nm, dt, dims});
      continue;
    }
    std::vector<Val> ins;
    for (const json& i : n.value("input", json::array())) {
      const std::string ref = i.get<std::string>();
      if (ref[0] == '^') continue;
      auto it = vals.find(ValueKey(ref));
      if (it == vals.end())
        return InvalidArgument("node '" + nm + "' (" + op + ") reads '" + ref + "', which has no value");
      ins.push_back(it->second);
    }
    if (op == "Identity" || op == "StopGradient" || op == "Snapshot" || op == "NoOp") {
      if (!ins.empty()) vals[nm] = ins[0];
      continue;
    }
    const bool all_const = !ins.empty() && std::all_of(ins.begin(), ins.end(), [](const Val& v) { return v.is_const(); });
    if (all_const) {
      std::vector<Tensor> cs;
      for (const Val& v : ins) cs.push_back(*v.c);
      StatusOr<Tensor> f = FoldOp(op, a, cs);
      if (f.ok()) {
        vals[nm] = Val::Const(std::move(f).value());
        continue;
      }
      if (f.status().code() != StatusCode::kUnsupported)
        return Status(f.status().code(), "node '" + nm + "' (" + op + "): " + f.status().message());
    }
    res.tf_ops[op]++;
    Status s = EmitOp(e, nm, op, a, ins, vals);
    if (!s.ok()) {
      if (s.message().empty())
        return Unsupported("unsupported TF op '" + op + "' at node '" + nm + "'");
      return Status(s.code(), "node '" + nm + "' (" + op + "): " + s.message());
    }
  }
  for (const auto& [onnx_name, ref] : outs) {
    auto it = vals.find(ValueKey(ref));
    if (it == vals.end()) return InvalidArgument("output '" + ref + "' has no value");
    e.AddOutput(onnx_name, it->second);
    res.outputs.push_back({onnx_name, ref, it->second.dtype, {}});
  }
  res.model = e.TakeModel("tfjs_graph_model");
  return res;
}

}  // namespace ocular::convert
