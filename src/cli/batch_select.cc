#include "cli/batch_select.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace ocular::cli {
namespace {

bool ParseInt(std::string_view s, long long& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

StatusOr<Shard> ParseShard(const std::string& text) {
  const Status bad =
      InvalidArgument("--shard must be K/N with 0 <= K < N, e.g. 0/4; got '" + text + "'");
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return bad;
  long long k = -1, n = 0;
  if (!ParseInt(std::string_view(text).substr(0, slash), k) ||
      !ParseInt(std::string_view(text).substr(slash + 1), n) || n < 1 || n > 1000000 || k < 0 ||
      k >= n) {
    return bad;
  }
  return Shard{static_cast<int>(k), static_cast<int>(n)};
}

std::vector<std::string> SelectShard(std::vector<std::string> inputs, Shard shard) {
  std::sort(inputs.begin(), inputs.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index) {
      out.push_back(std::move(inputs[i]));
    }
  }
  return out;
}

StatusOr<std::set<std::string>> ReadDoneSources(const std::string& path) {
  std::set<std::string> done;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return done;
  std::ifstream in(path, std::ios::binary);
  if (!in) return FailedPrecondition("cannot read the --skip-done file " + path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t start = 0, keep = 0;  // keep: bytes of complete, valid lines
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const bool complete = end != std::string::npos;
    const std::string line = text.substr(start, (complete ? end : text.size()) - start);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool valid = j.is_object() && j.contains("source") && j["source"].is_string();
    if (!complete || !valid) {
      if (complete && line.find_first_not_of(" \t\r") == std::string::npos) {  // blank line
        start = keep = end + 1;
        continue;
      }
      if (complete) {
        return FailedPrecondition("the --skip-done file " + path +
                                  " has a line that is not an `ocular analyze` JSONL result");
      }
      break;  // the cut-off last line
    }
    done.insert(j["source"].get<std::string>());
    start = keep = end + 1;
  }
  if (keep < text.size()) {
    in.close();
    std::filesystem::resize_file(path, keep, ec);
    if (ec) return FailedPrecondition("cannot remove the cut-off last line of " + path);
  }
  return done;
}

}  // namespace ocular::cli
