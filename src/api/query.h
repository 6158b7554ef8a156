// Query-string handling shared by both APIs (spec §0): names are matched case-insensitively,
// values are percent-decoded before CSV lists are split on ','.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocular::api {

// Percent-decodes `s` ('+' stays '+': Azure clients encode spaces as %20). Invalid escapes are
// kept literally.
std::string PercentDecode(std::string_view s);

// ASCII lower-case copy.
std::string ToLower(std::string_view s);

class QueryParams {
 public:
  // Parses a raw query string ("a=1&B=x%2Cy"). Later duplicates of a name are ignored.
  static QueryParams Parse(std::string_view raw_query);

  // The decoded value of `name` (case-insensitive), or nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // The decoded value split on ',' with blanks trimmed and empty items dropped.
  std::vector<std::string> GetList(std::string_view name) const;
  // Every (lower-cased name, decoded value) pair.
  const std::map<std::string, std::string>& all() const { return params_; }

 private:
  std::map<std::string, std::string> params_;  // lower-cased name -> decoded value
};

}  // namespace ocular::api
