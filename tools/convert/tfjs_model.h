// Reading TF.js models: graph-models and Keras layers-models, as model.json + binary weight
// shards, or as UMD JavaScript modules (nsfwjs ships `model.min.js` with the JSON as a JS object
// literal and `group1-shard1of1.min.js` with the weights as a base64 string).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensor.h"

namespace ocular::convert {

enum class TfjsFormat { kGraphModel, kLayersModel };

struct TfjsModel {
  TfjsFormat format = TfjsFormat::kGraphModel;
  nlohmann::json model_json;                // the whole model.json document
  std::map<std::string, Tensor> weights;    // dequantized, by weight name
  std::vector<std::filesystem::path> files;  // every source file read, model file first
};

// The files a model consists of (model file first, then its weight shards), without decoding.
StatusOr<std::vector<std::filesystem::path>> ListSourceFiles(const std::filesystem::path& src);

// Loads `src` (a model.json or a UMD model .js with its weight shards beside it).
StatusOr<TfjsModel> LoadTfjsModel(const std::filesystem::path& src);

// Decodes a weights manifest over the concatenated shard bytes. Dequantizes uint8/uint16
// (`q * scale + min`, computed in double and rounded to float32, as TF.js does) and float16.
StatusOr<std::map<std::string, Tensor>> DecodeWeights(const nlohmann::json& manifest,
                                                      std::string_view blob);

// Rewrites a JS object/array literal (unquoted keys, !0/!1, .5 numbers, 'strings') as JSON.
StatusOr<std::string> JsLiteralToJson(std::string_view js);
StatusOr<std::string> Base64Decode(std::string_view text);

}  // namespace ocular::convert
