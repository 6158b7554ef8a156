#include "analyzers/galleries/gallery_holder.h"

#include <map>

namespace ocular::gallery {

namespace {
std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, std::shared_ptr<GalleryHolder>>& Registry() {
  static auto* holders = new std::map<std::string, std::shared_ptr<GalleryHolder>>();
  return *holders;
}
}  // namespace

std::vector<std::pair<std::string, ShapeModel>> BrandShapes(const GalleryIndex& index) {
  std::vector<std::pair<std::string, ShapeModel>> out;
  for (const GalleryEntry& e : index.entries) {
    if (e.kind != GalleryKind::kBrands) continue;
    for (const ShapeModel& m : e.shapes) out.emplace_back(e.name, m);
  }
  return out;
}

StatusOr<std::shared_ptr<const LoadedGallery>> LoadGallery(const std::filesystem::path& dir) {
  OCULAR_ASSIGN_OR_RETURN(GalleryIndex index, ReadIndexFile(dir));
  auto loaded = std::make_shared<LoadedGallery>();
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<GalleryMatcher> brands,
                          GalleryMatcher::Create(index, GalleryKind::kBrands,
                                                 BrandMatcherOptions()));
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<GalleryMatcher> landmarks,
                          GalleryMatcher::Create(index, GalleryKind::kLandmarks,
                                                 LandmarkMatcherOptions()));
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<CelebrityMatcher> celebrities,
                          CelebrityMatcher::Create(index));
  if (brands->templates() > 0) loaded->brands = std::move(brands);
  if (celebrities->templates() > 0) loaded->celebrities = std::move(celebrities);
  if (landmarks->templates() > 0) loaded->landmarks = std::move(landmarks);
  OCULAR_ASSIGN_OR_RETURN(GlobalMatcher global, GlobalMatcher::Create(index));
  if (global.templates() > 0) loaded->landmarks_global = std::make_shared<GlobalMatcher>(std::move(global));
  for (const GalleryEntry& e : index.entries) {
    if (e.kind == GalleryKind::kCelebrities) ++loaded->celebrity_names;
  }
  loaded->brand_shapes = BrandShapes(index);
  return std::shared_ptr<const LoadedGallery>(std::move(loaded));
}

Status GalleryHolder::Reload() {
  std::lock_guard<std::mutex> lock(reload_mu_);
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedGallery> loaded, LoadGallery(dir_));
  current_.store(std::move(loaded));
  return Status::Ok();
}

std::shared_ptr<GalleryHolder> HolderFor(const std::filesystem::path& dir, Status* status) {
  const std::string key = std::filesystem::absolute(dir).lexically_normal().string();
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto& holder = Registry()[key];
  if (!holder) {
    holder = std::make_shared<GalleryHolder>(dir);
    Status s = holder->Reload();
    if (status) *status = s;
  } else if (status) {
    *status = holder->Get() ? Status::Ok() : NotFound("no gallery loaded from " + dir.string());
  }
  return holder;
}

Status ReloadAllGalleries() {
  std::vector<std::shared_ptr<GalleryHolder>> holders;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    for (auto& [key, h] : Registry()) holders.push_back(h);
  }
  Status first;
  for (auto& h : holders) {
    Status s = h->Reload();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

}  // namespace ocular::gallery
