#include "analyzers/galleries/gallery_index.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "runtime/sha256.h"

namespace ocular::gallery {

namespace {

constexpr char kMagic[8] = {'O', 'C', 'G', 'A', 'L', 'I', 'D', 'X'};
constexpr size_t kHeaderSize = 8 + 4 + 8 + 64;

class Writer {
 public:
  template <typename T>
  void Pod(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void Str(std::string_view s) {
    Pod<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_.append(s.data(), s.size());
  }
  void Floats(const float* p, size_t n) { out_.append(reinterpret_cast<const char*>(p), n * 4); }
  void Bytes(const unsigned char* p, size_t n) { out_.append(reinterpret_cast<const char*>(p), n); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Pod(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool Str(std::string* s) {
    std::uint32_t n = 0;
    if (!Pod(&n) || in_.size() - pos_ < n) return false;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool Floats(float* p, size_t n) {
    if (n > (in_.size() - pos_) / 4) return false;
    if (n == 0) return true;  // `p` may be null (an empty vector's data())
    std::memcpy(p, in_.data() + pos_, n * 4);
    pos_ += n * 4;
    return true;
  }
  bool Bytes(unsigned char* p, size_t n) {
    if (n > in_.size() - pos_) return false;
    if (n == 0) return true;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // True when `count` items of at least `min_bytes` each can still fit.
  bool Fits(std::uint64_t count, std::uint64_t min_bytes) const {
    return count <= (in_.size() - pos_) / std::max<std::uint64_t>(min_bytes, 1);
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

Status Corrupt(const std::string& what) {
  return InvalidArgument("gallery index is corrupt: " + what + " (rebuild it with `ocular gallery build`)");
}

}  // namespace

std::string_view KindFolder(GalleryKind kind) {
  switch (kind) {
    case GalleryKind::kBrands: return "brands";
    case GalleryKind::kCelebrities: return "celebrities";
    case GalleryKind::kLandmarks: return "landmarks";
  }
  return "unknown";
}

std::string SerializeIndex(const GalleryIndex& index) {
  Writer w;
  w.Str(index.embedding_id);
  w.Pod<std::uint32_t>(index.embedding_regions);
  w.Pod<std::uint32_t>(static_cast<std::uint32_t>(index.entries.size()));
  for (const GalleryEntry& e : index.entries) {
    w.Pod<std::uint8_t>(static_cast<std::uint8_t>(e.kind));
    w.Str(e.name);
    w.Pod<std::uint32_t>(static_cast<std::uint32_t>(e.sources.size()));
    for (const GallerySource& s : e.sources) {
      w.Str(s.path);
      w.Str(s.sha256);
      w.Pod<std::uint8_t>(s.enrolled ? 1 : 0);
      w.Str(s.note);
    }
    w.Pod<std::uint32_t>(static_cast<std::uint32_t>(e.templates.size()));
    for (const GalleryTemplate& t : e.templates) {
      const LocalFeatures& f = t.features;
      w.Pod<std::int32_t>(t.source);
      w.Pod<std::int32_t>(f.width);
      w.Pod<std::int32_t>(f.height);
      w.Pod<float>(f.outline.x);
      w.Pod<float>(f.outline.y);
      w.Pod<float>(f.outline.width);
      w.Pod<float>(f.outline.height);
      const std::uint32_t n = static_cast<std::uint32_t>(f.points.size());
      const std::uint32_t dim = n ? static_cast<std::uint32_t>(f.descriptors.cols) : 0;
      w.Pod<std::uint32_t>(n);
      w.Pod<std::uint32_t>(dim);
      for (const cv::Point2f& p : f.points) {
        w.Pod<float>(p.x);
        w.Pod<float>(p.y);
      }
      for (std::uint32_t i = 0; i < n; ++i) w.Floats(f.descriptors.ptr<float>(i), dim);
      w.Pod<std::uint32_t>(static_cast<std::uint32_t>(t.embedding.size()));
      w.Floats(t.embedding.data(), t.embedding.size());
    }
    w.Str(e.colour);
    w.Pod<std::uint32_t>(static_cast<std::uint32_t>(e.shapes.size()));
    for (const ShapeModel& m : e.shapes) {
      w.Pod<float>(static_cast<float>(m.solidity));
      w.Pod<float>(static_cast<float>(m.elongation));
      for (int k = 0; k < 3; ++k) w.Pod<float>(m.lab[k]);
      const cv::Mat canon = m.canon.isContinuous() ? m.canon : m.canon.clone();
      w.Pod<std::uint32_t>(static_cast<std::uint32_t>(canon.rows));
      w.Bytes(canon.data, canon.total());
    }
  }
  const std::string& payload = w.out();
  std::string out(kMagic, 8);
  std::uint32_t version = kIndexFormatVersion;
  std::uint64_t size = payload.size();
  out.append(reinterpret_cast<const char*>(&version), 4);
  out.append(reinterpret_cast<const char*>(&size), 8);
  out += runtime::Sha256Hex(payload);
  out += payload;
  return out;
}

StatusOr<GalleryIndex> ParseIndex(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return InvalidArgument("not a gallery index file (bad magic)");
  }
  std::uint32_t version = 0;
  std::uint64_t size = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&size, bytes.data() + 12, 8);
  if (version != kIndexFormatVersion) {
    return InvalidArgument("gallery index format version " + std::to_string(version) +
                           " is not supported (this build reads version " +
                           std::to_string(kIndexFormatVersion) + "; rebuild the index)");
  }
  std::string_view payload = bytes.substr(kHeaderSize);
  if (payload.size() != size) return Corrupt("size mismatch (truncated?)");
  if (runtime::Sha256Hex(payload) != bytes.substr(20, 64)) return Corrupt("checksum mismatch");

  Reader r(payload);
  GalleryIndex index;
  std::uint32_t entries = 0;
  if (!r.Str(&index.embedding_id)) return Corrupt("embedding id");
  if (!r.Pod(&index.embedding_regions) || index.embedding_regions == 0 ||
      index.embedding_regions > 4096) {
    return Corrupt("embedding regions");
  }
  if (!r.Pod(&entries) || !r.Fits(entries, 13)) return Corrupt("entry count");
  index.entries.resize(entries);
  for (GalleryEntry& e : index.entries) {
    std::uint8_t kind = 0;
    std::uint32_t sources = 0, templates = 0;
    if (!r.Pod(&kind) || kind > 2 || !r.Str(&e.name) || !r.Pod(&sources) || !r.Fits(sources, 13)) {
      return Corrupt("entry header");
    }
    e.kind = static_cast<GalleryKind>(kind);
    e.sources.resize(sources);
    for (GallerySource& s : e.sources) {
      std::uint8_t enrolled = 0;
      if (!r.Str(&s.path) || !r.Str(&s.sha256) || !r.Pod(&enrolled) || !r.Str(&s.note)) {
        return Corrupt("source of '" + e.name + "'");
      }
      s.enrolled = enrolled != 0;
    }
    if (!r.Pod(&templates) || !r.Fits(templates, 40)) return Corrupt("template count");
    e.templates.resize(templates);
    for (GalleryTemplate& t : e.templates) {
      LocalFeatures& f = t.features;
      std::uint32_t n = 0, dim = 0, emb = 0;
      if (!r.Pod(&t.source) || !r.Pod(&f.width) || !r.Pod(&f.height) || !r.Pod(&f.outline.x) ||
          !r.Pod(&f.outline.y) || !r.Pod(&f.outline.width) || !r.Pod(&f.outline.height) ||
          !r.Pod(&n) || !r.Pod(&dim) || !r.Fits(n, 8 + 4ull * dim) || dim > 4096 ||
          t.source < -1 || t.source >= static_cast<int>(sources)) {
        return Corrupt("template of '" + e.name + "'");
      }
      f.points.resize(n);
      for (cv::Point2f& p : f.points) {
        if (!r.Pod(&p.x) || !r.Pod(&p.y)) return Corrupt("keypoints");
      }
      f.descriptors = cv::Mat(static_cast<int>(n), static_cast<int>(n ? dim : 128), CV_32F);
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!r.Floats(f.descriptors.ptr<float>(i), dim)) return Corrupt("descriptors");
      }
      if (!r.Pod(&emb) || !r.Fits(emb, 4)) return Corrupt("embedding");
      t.embedding.resize(emb);
      if (!r.Floats(t.embedding.data(), emb)) return Corrupt("embedding");
    }
    std::uint32_t shapes = 0;
    if (!r.Str(&e.colour) || !r.Pod(&shapes) || !r.Fits(shapes, 24)) {
      return Corrupt("shapes of '" + e.name + "'");
    }
    e.shapes.resize(shapes);
    for (ShapeModel& m : e.shapes) {
      float solidity = 0, elongation = 0;
      std::uint32_t side = 0;
      if (!r.Pod(&solidity) || !r.Pod(&elongation) || !r.Pod(&m.lab[0]) || !r.Pod(&m.lab[1]) ||
          !r.Pod(&m.lab[2]) || !r.Pod(&side) || side == 0 || side > 1024 ||
          !r.Fits(1, std::uint64_t(side) * side)) {
        return Corrupt("shape of '" + e.name + "'");
      }
      m.solidity = solidity;
      m.elongation = elongation;
      m.canon = cv::Mat(static_cast<int>(side), static_cast<int>(side), CV_8U);
      if (!r.Bytes(m.canon.data, m.canon.total())) return Corrupt("shape of '" + e.name + "'");
    }
  }
  if (!r.AtEnd()) return Corrupt("trailing bytes");
  return index;
}

Status WriteIndexFile(const GalleryIndex& index, const std::filesystem::path& dir) {
  const std::filesystem::path target = dir / kIndexFileName;
  const std::filesystem::path tmp = dir / (std::string(kIndexFileName) + ".tmp");
  const std::string bytes = SerializeIndex(index);
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return FailedPrecondition("cannot write " + tmp.string());
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return FailedPrecondition("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) return FailedPrecondition("cannot replace " + target.string() + ": " + ec.message());
  return Status::Ok();
}

StatusOr<GalleryIndex> ReadIndexFile(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / kIndexFileName;
  std::ifstream f(file, std::ios::binary);
  if (!f) {
    return NotFound("no gallery index at " + file.string() + " (run `ocular gallery build`)");
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ParseIndex(ss.str());
}

}  // namespace ocular::gallery
