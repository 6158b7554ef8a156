// Generates the v3.2 object parent chains from WordNet (Debian wordnet-base) at build time.
//
//   ocular_wordnet_gen <data.noun> <index.noun> <senses.tsv> <readable.txt> <out.cc>
//
// senses.tsv: "<label>\t<lemma>\t<sense number>" per detector label (the WordNet sense that
// means the detector's class, e.g. "mouse  mouse  4" for the computer mouse). readable.txt: the
// hypernym lemmas readable enough to show (one per line). For each label the generator walks the
// first hypernym pointer ('@' or '@i') of each synset up to the root and keeps, nearest first,
// the ancestors whose head lemma is readable, at most 3: dog -> mammal -> animal. Nothing in the
// chains is typed by hand; a sense or lemma missing from WordNet fails the build.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Synset {
  std::vector<std::string> lemmas;
  std::string hypernym;  // offset of the first hypernym, "" at the root
};

std::string Spaces(std::string s) {
  for (char& c : s) {
    if (c == '_') c = ' ';
  }
  // Strip adjective markers such as "(a)".
  auto p = s.find('(');
  if (p != std::string::npos) s = s.substr(0, p);
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ReadData(const std::string& path, std::map<std::string, Synset>& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;  // licence header
    std::istringstream ss(line);
    std::string offset, lex, pos, wcnt_hex;
    ss >> offset >> lex >> pos >> wcnt_hex;
    int wcnt = std::stoi(wcnt_hex, nullptr, 16);
    Synset s;
    for (int i = 0; i < wcnt; ++i) {
      std::string w, lexid;
      ss >> w >> lexid;
      s.lemmas.push_back(Lower(Spaces(w)));
    }
    int pcnt = 0;
    ss >> pcnt;
    for (int i = 0; i < pcnt; ++i) {
      std::string sym, off, ppos, st;
      ss >> sym >> off >> ppos >> st;
      if ((sym == "@" || sym == "@i") && s.hypernym.empty()) s.hypernym = off;
    }
    out[offset] = std::move(s);
  }
  return true;
}

// lemma -> synset offsets in sense order.
bool ReadIndex(const std::string& path, std::map<std::string, std::vector<std::string>>& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;
    std::istringstream ss(line);
    std::string lemma, pos;
    int synset_cnt = 0, p_cnt = 0;
    ss >> lemma >> pos >> synset_cnt >> p_cnt;
    for (int i = 0; i < p_cnt; ++i) {
      std::string sym;
      ss >> sym;
    }
    int sense_cnt = 0, tagsense_cnt = 0;
    ss >> sense_cnt >> tagsense_cnt;
    std::vector<std::string> offs;
    for (int i = 0; i < synset_cnt; ++i) {
      std::string o;
      ss >> o;
      offs.push_back(o);
    }
    out[lemma] = std::move(offs);
  }
  return true;
}

std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: ocular_wordnet_gen data.noun index.noun senses.tsv readable.txt out.cc\n";
    return 2;
  }
  std::map<std::string, Synset> data;
  std::map<std::string, std::vector<std::string>> index;
  if (!ReadData(argv[1], data) || !ReadIndex(argv[2], index)) {
    std::cerr << "cannot read WordNet files " << argv[1] << ", " << argv[2]
              << " (install Debian wordnet-base)\n";
    return 1;
  }
  std::set<std::string> readable;
  {
    std::ifstream in(argv[4]);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') readable.insert(line);
    }
  }
  std::ifstream senses(argv[3]);
  if (!senses) {
    std::cerr << "cannot read " << argv[3] << "\n";
    return 1;
  }
  std::ostringstream body;
  std::string line;
  int n = 0;
  while (std::getline(senses, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string label, lemma, sense_s;
    std::getline(ss, label, '\t');
    std::getline(ss, lemma, '\t');
    std::getline(ss, sense_s, '\t');
    int sense = std::stoi(sense_s);
    auto it = index.find(lemma);
    if (it == index.end() || sense < 1 || sense > static_cast<int>(it->second.size())) {
      std::cerr << "WordNet has no noun sense " << lemma << "#" << sense << "\n";
      return 1;
    }
    std::string off = it->second[static_cast<std::size_t>(sense - 1)];
    std::vector<std::string> chain;
    std::set<std::string> seen;
    std::string cur = data.count(off) ? data[off].hypernym : "";
    while (!cur.empty() && data.count(cur) && chain.size() < 3) {
      const Synset& s = data[cur];
      for (const std::string& l : s.lemmas) {
        if (readable.count(l) && !seen.count(l) && l != label) {
          chain.push_back(l);
          seen.insert(l);
          break;
        }
      }
      cur = s.hypernym;
    }
    body << "      {" << Quote(label) << ", {";
    for (std::size_t i = 0; i < chain.size(); ++i) body << (i ? ", " : "") << Quote(chain[i]);
    body << "}},\n";
    ++n;
  }
  std::ofstream out(argv[5]);
  out << "// Generated by tools/wordnet/wordnet_gen.cc from WordNet 3.0 (wordnet-base). Do not edit.\n"
      << "#include \"analyzers/vision/wordnet_chains.h\"\n\nnamespace ocular {\n\n"
      << "const std::map<std::string, std::vector<std::string>>& WordNetParentChains() {\n"
      << "  static const std::map<std::string, std::vector<std::string>> kChains = {\n"
      << body.str() << "  };\n  return kChains;\n}\n\n}  // namespace ocular\n";
  if (!out) return 1;
  std::cerr << "wordnet: " << n << " chains\n";
  return 0;
}
