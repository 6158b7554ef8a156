// v3.2 object parent chains, generated at build time from WordNet hypernyms
// (tools/wordnet/wordnet_gen.cc, senses in tools/wordnet/senses.tsv, readable ancestors in
// tools/wordnet/readable.txt). Nearest ancestor first, at most 3: "dog" -> {"mammal", "animal"}.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ocular {

// Label -> parent chain (possibly empty) for every detector label.
const std::map<std::string, std::vector<std::string>>& WordNetParentChains();

}  // namespace ocular
