#include "analyzers/galleries/gallery_build.h"

#include <algorithm>
#include <map>
#include <set>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/brand_shape.h"
#include "runtime/sha256.h"

namespace ocular::gallery {

namespace fs = std::filesystem;

namespace {

bool IsGalleryImage(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".svg";
}

bool IsSvg(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".svg";
}

// The files of every <kind>/<Name>/ folder, sorted: (kind, name) -> relative paths.
std::map<std::pair<GalleryKind, std::string>, std::vector<std::string>> ScanFolders(
    const fs::path& dir, std::vector<std::string>* warnings) {
  std::map<std::pair<GalleryKind, std::string>, std::vector<std::string>> out;
  for (GalleryKind kind : kAllKinds) {
    const fs::path kind_dir = dir / KindFolder(kind);
    std::error_code ec;
    if (!fs::is_directory(kind_dir, ec)) continue;
    for (const auto& name_dir : fs::directory_iterator(kind_dir, ec)) {
      if (!name_dir.is_directory()) {
        if (warnings) warnings->push_back("ignored " + name_dir.path().string() + ": not a folder");
        continue;
      }
      const std::string name = name_dir.path().filename().string();
      std::vector<std::string> files;
      for (const auto& f : fs::directory_iterator(name_dir.path(), ec)) {
        if (!f.is_regular_file()) continue;
        // A brand's colour (brand_shape.h) is not a template.
        if (kind == GalleryKind::kBrands && f.path().filename() == kBrandColourFile) continue;
        if (!IsGalleryImage(f.path())) {
          if (warnings) warnings->push_back("ignored " + f.path().string() + ": not .jpg/.png/.svg");
          continue;
        }
        files.push_back(f.path().lexically_relative(dir).generic_string());
      }
      std::sort(files.begin(), files.end());
      out[{kind, name}] = std::move(files);
    }
  }
  return out;
}

// The bounding box of the dark pixels of a rendered mark (the mark's own extent).
cv::Rect2f InkBox(const cv::Mat& gray) {
  cv::Mat ink = gray < 200;
  cv::Rect box = cv::boundingRect(ink);
  return box.area() > 0 ? cv::Rect2f(box) : cv::Rect2f();
}

constexpr char kNoFaceModels[] =
    "celebrity enrollment needs the face models (facemesh-detection-full and faceres), "
    "which are not loaded: install the model pack (scripts/setup.sh) and pass --repo";

// The celebrity template of one portrait, through options.enroll_face.
std::vector<GalleryTemplate> CelebrityTemplates(const BuildOptions& options, const fs::path& file,
                                                int source, std::string* skip) {
  if (!options.enroll_face) {
    *skip = kNoFaceModels;
    return {};
  }
  if (IsSvg(file)) {
    *skip = "celebrities are enrolled from photos, not SVG";
    return {};
  }
  StatusOr<std::vector<float>> e = options.enroll_face(file, skip);
  if (!e.ok()) {
    *skip = e.status().message();
    return {};
  }
  if (e->empty()) {
    if (skip->empty()) *skip = "no usable face";
    return {};
  }
  return {GalleryTemplate{source, {}, std::move(*e)}};
}

// The enrollment descriptors of a photo file (decoded in colour: the CNN needs it).
StatusOr<std::vector<std::vector<float>>> DescribeFile(const LandmarkDescriber& describer,
                                                       const fs::path& file) {
  cv::Mat bgr;
  try {
    bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    return InvalidArgument("cannot decode " + file.string() + ": " + e.what());
  }
  if (bgr.empty()) return InvalidArgument("cannot decode " + file.string());
  return describer.DescribeEnrollment(bgr);
}

// The brand colour and the colour + silhouette models of a brand entry (brand_shape.h): one per
// SVG source whose mark is suitable (also an SVG SIFT could not use: the shape path is for
// exactly those). Unsuitable marks are the common case and get no warning.
void AddShapes(const fs::path& dir, GalleryEntry* entry, BuildReport* report) {
  const fs::path name_dir = dir / KindFolder(GalleryKind::kBrands) / entry->name;
  entry->colour = ReadBrandColour(name_dir);
  if (entry->colour.empty()) return;
  StatusOr<cv::Scalar> colour = ParseHexColour(entry->colour);
  if (!colour.ok()) {
    report->warnings.push_back("brands/" + entry->name + "/" + kBrandColourFile + ": " +
                               colour.status().message() + " (no colour + silhouette matching)");
    return;
  }
  for (const GallerySource& s : entry->sources) {
    if (!IsSvg(s.path)) continue;
    StatusOr<ShapeModel> m = MakeShapeModel(dir / s.path, *colour);
    if (!m.ok()) continue;
    entry->shapes.push_back(std::move(m).value());
    ++report->shapes;
  }
}

}  // namespace

FeatureOptions LandmarkTemplateOptions() { return FeatureOptions{1024, 4000}; }
FeatureOptions BrandTemplateOptions() { return FeatureOptions{800, 2000}; }

StatusOr<std::vector<LocalFeatures>> TemplatesForImage(GalleryKind kind, const fs::path& file,
                                                       std::string* skip) {
  std::vector<LocalFeatures> out;
  if (kind == GalleryKind::kCelebrities) {
    *skip = kNoFaceModels;
    return out;
  }
  if (kind == GalleryKind::kLandmarks && IsSvg(file)) {
    *skip = "landmarks are enrolled from photos, not SVG";
    return out;
  }
  StatusOr<cv::Mat> image = LoadGalleryImage(file);
  if (!image.ok()) {
    *skip = image.status().message();
    return out;
  }
  const bool landmark = kind == GalleryKind::kLandmarks;
  const FeatureOptions options = landmark ? LandmarkTemplateOptions() : BrandTemplateOptions();
  const int min_points = landmark ? kMinLandmarkKeypoints : kMinBrandKeypoints;
  std::vector<cv::Mat> variants = {*image};
  if (IsSvg(file)) variants.push_back(255 - *image);  // light-on-dark print of the same mark
  for (const cv::Mat& v : variants) {
    OCULAR_ASSIGN_OR_RETURN(LocalFeatures f,
                            ExtractFeatures(v, IsSvg(file) ? FeatureOptions{0, 0} : options));
    if (static_cast<int>(f.points.size()) < min_points) {
      *skip = "too few keypoints (" + std::to_string(f.points.size()) + " < " +
              std::to_string(min_points) + "): use a larger or more detailed image";
      return std::vector<LocalFeatures>{};
    }
    if (IsSvg(file)) f.outline = InkBox(*image);
    out.push_back(std::move(f));
  }
  return out;
}

StatusOr<GalleryIndex> BuildIndex(const fs::path& dir, BuildReport* report) {
  return BuildIndex(dir, BuildOptions{}, report);
}

StatusOr<GalleryIndex> BuildIndex(const fs::path& dir, const BuildOptions& options,
                                  BuildReport* report) {
  const LandmarkDescriber* describer = options.describer;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("no gallery folder at " + dir.string());
  GalleryIndex index;
  if (describer) {
    index.embedding_id = describer->id();
    index.embedding_regions = static_cast<std::uint32_t>(describer->regions());
  }
  for (auto& [key, files] : ScanFolders(dir, &report->warnings)) {
    GalleryEntry entry;
    entry.kind = key.first;
    entry.name = key.second;
    for (const std::string& rel : files) {
      ++report->images;
      GallerySource source;
      source.path = rel;
      StatusOr<std::string> sha = runtime::Sha256File(dir / rel);
      source.sha256 = sha.ok() ? *sha : "";
      std::string skip;
      const int source_index = static_cast<int>(entry.sources.size());
      std::vector<GalleryTemplate> made;
      if (entry.kind == GalleryKind::kCelebrities) {
        made = CelebrityTemplates(options, dir / rel, source_index, &skip);
      } else {
        StatusOr<std::vector<LocalFeatures>> templates =
            TemplatesForImage(entry.kind, dir / rel, &skip);
        if (!templates.ok()) skip = templates.status().message();
        std::vector<std::vector<float>> embeddings;  // landmarks: the photo's, then its variants'
        if (skip.empty() && templates.ok() && entry.kind == GalleryKind::kLandmarks && describer) {
          StatusOr<std::vector<std::vector<float>>> d = DescribeFile(*describer, dir / rel);
          if (d.ok()) {
            embeddings = std::move(d).value();
          } else {
            skip = d.status().message();
          }
        }
        if (templates.ok() && skip.empty() && !templates->empty()) {
          const std::vector<float> embedding =
              embeddings.empty() ? std::vector<float>{} : embeddings[0];
          for (LocalFeatures& f : *templates) made.push_back({source_index, std::move(f), embedding});
          // The variants' descriptors: global-only templates (no local features).
          for (size_t k = 1; k < embeddings.size(); ++k) {
            GalleryTemplate t{source_index, {}, std::move(embeddings[k])};
            t.features.descriptors = cv::Mat(0, 128, CV_32F);
            made.push_back(std::move(t));
          }
        }
      }
      if (skip.empty() && !made.empty()) {
        source.enrolled = true;
        for (GalleryTemplate& t : made) {
          entry.templates.push_back(std::move(t));
          ++report->templates;
        }
        ++report->enrolled;
      } else {
        source.note = skip.empty() ? "no template" : skip;
        report->warnings.push_back("skipped " + rel + ": " + source.note);
      }
      entry.sources.push_back(std::move(source));
    }
    if (entry.kind == GalleryKind::kBrands) AddShapes(dir, &entry, report);
    if (entry.templates.empty() && entry.shapes.empty()) {
      report->warnings.push_back(std::string(KindFolder(entry.kind)) + "/" + entry.name +
                                 ": no usable image, the name will not be recognised");
    }
    ++report->names;
    index.entries.push_back(std::move(entry));
  }
  return index;
}

std::vector<std::string> VerifyIndex(const GalleryIndex& index, const fs::path& dir) {
  std::vector<std::string> problems;
  std::map<std::string, const GallerySource*> indexed;
  std::map<std::pair<GalleryKind, std::string>, const GalleryEntry*> entries;
  for (const GalleryEntry& e : index.entries) {
    for (const GallerySource& s : e.sources) indexed[s.path] = &s;
    entries[{e.kind, e.name}] = &e;
  }
  std::set<std::string> on_disk;
  for (const auto& [key, files] : ScanFolders(dir, nullptr)) {
    auto entry = entries.find(key);
    if (key.first == GalleryKind::kBrands && entry != entries.end()) {
      const std::string colour = ReadBrandColour(dir / KindFolder(key.first) / key.second);
      const std::string rel = "brands/" + key.second + "/" + kBrandColourFile;
      if (entry->second->colour.empty() && !colour.empty()) {
        problems.push_back("new (not in the index): " + rel);
      } else if (!entry->second->colour.empty() && colour.empty()) {
        problems.push_back("removed (still in the index): " + rel);
      } else if (colour != entry->second->colour) {
        problems.push_back("changed since build: " + rel);
      }
    }
    for (const std::string& rel : files) {
      on_disk.insert(rel);
      auto it = indexed.find(rel);
      if (it == indexed.end()) {
        problems.push_back("new (not in the index): " + rel);
        continue;
      }
      StatusOr<std::string> sha = runtime::Sha256File(dir / rel);
      if (!sha.ok() || *sha != it->second->sha256) problems.push_back("changed since build: " + rel);
    }
  }
  for (const auto& [rel, source] : indexed) {
    if (!on_disk.count(rel)) problems.push_back("removed (still in the index): " + rel);
  }
  return problems;
}

}  // namespace ocular::gallery
