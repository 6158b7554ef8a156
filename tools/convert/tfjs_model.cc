#include "tfjs_model.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ocular::convert {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

StatusOr<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return NotFound("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

// The balanced {...} starting at text[start] (string-aware).
StatusOr<std::string_view> BalancedObject(std::string_view text, size_t start) {
  int depth = 0;
  char quote = 0;
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (--depth == 0) return text.substr(start, i - start + 1);
    }
  }
  return InvalidArgument("unbalanced object literal in JS module");
}

// The JS module's first `exports=` value: an object literal or a string literal.
StatusOr<std::string> ModuleExport(std::string_view text, bool want_string) {
  size_t pos = 0;
  while ((pos = text.find(".exports=", pos)) != std::string_view::npos) {
    pos += 9;
    if (!want_string && text[pos] == '{') {
      OCULAR_ASSIGN_OR_RETURN(std::string_view obj, BalancedObject(text, pos));
      return JsLiteralToJson(obj);
    }
    if (want_string && text[pos] == '"') {
      const size_t end = text.find('"', pos + 1);
      if (end == std::string_view::npos) break;
      return std::string(text.substr(pos + 1, end - pos - 1));
    }
  }
  return InvalidArgument("no module.exports literal found in JS module");
}

}  // namespace

StatusOr<std::string> JsLiteralToJson(std::string_view js) {
  std::string out;
  out.reserve(js.size() + js.size() / 8);
  for (size_t i = 0; i < js.size();) {
    const char c = js[i];
    if (c == '"' || c == '\'') {
      out.push_back('"');
      for (++i; i < js.size() && js[i] != c; ++i) {
        if (js[i] == '\\' && i + 1 < js.size()) {
          if (js[i + 1] == '\'') out.push_back('\'');
          else out.append(js.substr(i, 2));
          ++i;
        } else if (js[i] == '"') {
          out.append("\\\"");
        } else {
          out.push_back(js[i]);
        }
      }
      out.push_back('"');
      ++i;
    } else if (c == '!' && i + 1 < js.size() && (js[i + 1] == '0' || js[i + 1] == '1')) {
      out.append(js[i + 1] == '0' ? "true" : "false");
      i += 2;
    } else if (IsIdentStart(c)) {
      size_t j = i;
      while (j < js.size() && IsIdentChar(js[j])) ++j;
      std::string_view id = js.substr(i, j - i);
      size_t k = j;
      while (k < js.size() && std::isspace(static_cast<unsigned char>(js[k]))) ++k;
      if (k < js.size() && js[k] == ':') {
        out.push_back('"');
        out.append(id);
        out.push_back('"');
      } else if (id == "true" || id == "false" || id == "null") {
        out.append(id);
      } else if (id == "void" && js.substr(j, 2) == " 0") {
        out.append("null");
        j += 2;
      } else if (id == "Infinity" || id == "NaN" || id == "undefined") {
        return InvalidArgument("JS literal value '" + std::string(id) + "' has no JSON form");
      } else {
        return InvalidArgument("JS literal contains an expression: '" + std::string(id) + "'");
      }
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < js.size() && std::isdigit(static_cast<unsigned char>(js[i + 1])))) {
      if (c == '.') out.push_back('0');  // ".5" -> "0.5"
      while (i < js.size() && (std::isdigit(static_cast<unsigned char>(js[i])) || js[i] == '.' ||
                               js[i] == 'e' || js[i] == 'E' ||
                               ((js[i] == '-' || js[i] == '+') && (js[i - 1] == 'e' || js[i - 1] == 'E'))))
        out.push_back(js[i++]);
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

StatusOr<std::string> Base64Decode(std::string_view text) {
  static int8_t table[256];
  static bool init = [] {
    std::memset(table, -1, sizeof(table));
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(a[i])] = static_cast<int8_t>(i);
    return true;
  }();
  (void)init;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == '=' ) break;
    if (std::isspace(static_cast<unsigned char>(ch))) continue;
    const int8_t v = table[static_cast<unsigned char>(ch)];
    if (v < 0) return InvalidArgument("invalid base64 character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

namespace {

// The element count of a weight whose every element takes at least `bytes_each` bytes of the
// `available` shard bytes; an error for a negative dimension or a count the shards cannot hold
// (checked before anything is allocated, without overflow).
StatusOr<int64_t> CheckedElements(const Shape& shape, size_t bytes_each, size_t available,
                                  const std::string& name) {
  const uint64_t limit = available / bytes_each;
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return InvalidArgument("weight '" + name + "' has a negative dimension");
    if (d == 0) return int64_t{0};
  }
  for (int64_t d : shape) {
    if (n > limit / static_cast<uint64_t>(d)) {
      return InvalidArgument("weight shards too short for weight '" + name + "'");
    }
    n *= static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(n);
}

StatusOr<std::map<std::string, Tensor>> DecodeWeightsUnchecked(const json& manifest,
                                                               std::string_view blob) {
  std::map<std::string, Tensor> out;
  size_t off = 0;
  if (!manifest.is_array()) return InvalidArgument("the weights manifest is not a list");
  for (const json& group : manifest) {
    for (const json& w : group.at("weights")) {
      const std::string name = w.at("name").get<std::string>();
      const std::string dtype = w.at("dtype").get<std::string>();
      Tensor t;
      t.shape = w.at("shape").get<Shape>();
      if (dtype == "float32") t.dtype = DType::kFloat;
      else if (dtype == "int32") t.dtype = DType::kInt32;
      else if (dtype == "bool") t.dtype = DType::kBool;
      else return Unsupported("weight '" + name + "' has unsupported dtype " + dtype);
      size_t bytes_each = t.dtype == DType::kBool ? 1 : 4;
      if (w.contains("quantization")) {
        const std::string qd = w["quantization"].at("dtype").get<std::string>();
        bytes_each = qd == "uint8" ? 1 : 2;
      }
      OCULAR_ASSIGN_OR_RETURN(const int64_t n,
                              CheckedElements(t.shape, bytes_each, blob.size() - off, name));
      t.v.resize(n);
      auto need = [&](size_t bytes) -> Status {
        if (off + bytes > blob.size())
          return InvalidArgument("weight shards too short for weight '" + name + "'");
        return Status::Ok();
      };
      const char* p = blob.data() + off;
      if (w.contains("quantization")) {
        const json& q = w["quantization"];
        const std::string qd = q.at("dtype").get<std::string>();
        if (qd == "float16") {
          OCULAR_RETURN_IF_ERROR(need(2 * n));
          for (int64_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, p + 2 * i, 2);
            t.v[i] = HalfToFloat(h);
          }
          off += 2 * n;
        } else if (qd == "uint8" || qd == "uint16") {
          const size_t bytes = qd == "uint8" ? 1 : 2;
          OCULAR_RETURN_IF_ERROR(need(bytes * n));
          const double scale = q.at("scale").get<double>(), min = q.at("min").get<double>();
          for (int64_t i = 0; i < n; ++i) {
            uint16_t qv = 0;
            if (bytes == 1) qv = static_cast<uint8_t>(p[i]);
            else std::memcpy(&qv, p + 2 * i, 2);
            const double x = qv * scale + min;
            t.v[i] = t.dtype == DType::kInt32 ? std::round(x) : x;
          }
          off += bytes * n;
        } else {
          return Unsupported("weight '" + name + "' has unsupported quantization " + qd);
        }
      } else if (t.dtype == DType::kBool) {
        OCULAR_RETURN_IF_ERROR(need(n));
        for (int64_t i = 0; i < n; ++i) t.v[i] = p[i] != 0;
        off += n;
      } else {
        OCULAR_RETURN_IF_ERROR(need(4 * n));
        for (int64_t i = 0; i < n; ++i) {
          if (t.dtype == DType::kFloat) {
            float f;
            std::memcpy(&f, p + 4 * i, 4);
            t.v[i] = f;
          } else {
            int32_t k;
            std::memcpy(&k, p + 4 * i, 4);
            t.v[i] = k;
          }
        }
        off += 4 * n;
      }
      RoundToFloat32(t);
      out[name] = std::move(t);
    }
  }
  return out;
}

}  // namespace

StatusOr<std::map<std::string, Tensor>> DecodeWeights(const json& manifest, std::string_view blob) {
  // The manifest is untrusted input: JSON type and key errors become a Status here.
  try {
    return DecodeWeightsUnchecked(manifest, blob);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("malformed weights manifest: ") + e.what());
  } catch (const std::bad_alloc&) {
    return InvalidArgument("the weights manifest declares more data than can be held");
  }
}

namespace {

// Parses the model file and lists the weight shard paths.
StatusOr<std::vector<fs::path>> ReadModelJson(const fs::path& src, json* out) {
  OCULAR_ASSIGN_OR_RETURN(std::string text, ReadFile(src));
  const bool is_js = src.extension() == ".js";
  if (is_js) {
    OCULAR_ASSIGN_OR_RETURN(text, ModuleExport(text, false));
  }
  try {
    *out = json::parse(text);
  } catch (const json::exception& e) {
    return InvalidArgument("cannot parse " + src.string() + ": " + e.what());
  }
  const json& j = *out;
  if (!j.is_object() || !j.contains("modelTopology") || !j.contains("weightsManifest"))
    return InvalidArgument(src.string() + " is not a TF.js model (no modelTopology/weightsManifest)");
  std::vector<fs::path> files = {src};
  try {
    for (const json& group : j["weightsManifest"]) {
      for (const json& path : group.at("paths")) {
        fs::path shard = src.parent_path() / path.get<std::string>();
        if (is_js && fs::exists(shard.string() + ".min.js")) shard = shard.string() + ".min.js";
        else if (is_js && fs::exists(shard.string() + ".js")) shard = shard.string() + ".js";
        files.push_back(shard);
      }
    }
  } catch (const json::exception& e) {
    return InvalidArgument("bad weightsManifest in " + src.string() + ": " + e.what());
  }
  return files;
}

}  // namespace

StatusOr<std::vector<fs::path>> ListSourceFiles(const fs::path& src) {
  json j;
  return ReadModelJson(src, &j);
}

StatusOr<TfjsModel> LoadTfjsModel(const fs::path& src) {
  TfjsModel m;
  OCULAR_ASSIGN_OR_RETURN(m.files, ReadModelJson(src, &m.model_json));
  const json& topo = m.model_json["modelTopology"];
  if (topo.contains("node")) m.format = TfjsFormat::kGraphModel;
  else if (topo.contains("model_config") || topo.contains("config")) m.format = TfjsFormat::kLayersModel;
  else return InvalidArgument(src.string() + ": unknown TF.js topology (neither graph nor layers)");
  std::string blob;
  for (size_t i = 1; i < m.files.size(); ++i) {
    OCULAR_ASSIGN_OR_RETURN(std::string data, ReadFile(m.files[i]));
    if (m.files[i].extension() == ".js") {
      OCULAR_ASSIGN_OR_RETURN(std::string b64, ModuleExport(data, true));
      OCULAR_ASSIGN_OR_RETURN(data, Base64Decode(b64));
    }
    blob += data;
  }
  try {
    OCULAR_ASSIGN_OR_RETURN(m.weights, DecodeWeights(m.model_json["weightsManifest"], blob));
  } catch (const json::exception& e) {
    return InvalidArgument("bad weightsManifest in " + src.string() + ": " + e.what());
  }
  return m;
}

}  // namespace ocular::convert
