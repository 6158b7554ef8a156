// GalleryHolder: the loaded gallery of one folder, swapped atomically on reload so that requests
// in flight keep the gallery they started with (no request is dropped or sees a half-loaded one).
//
//   std::shared_ptr<GalleryHolder> g = HolderFor("galleries");   // loads on first use
//   std::shared_ptr<const LoadedGallery> now = g->Get();        // per request
//   ReloadAllGalleries();                                       // SIGHUP (see docs/galleries.md)
//
// Thread-safety: every method may be called from any thread. Reload serialises reloads; a failed
// reload keeps the previous gallery and returns the error.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/galleries/celebrity_matcher.h"
#include "analyzers/galleries/gallery_index.h"
#include "analyzers/galleries/gallery_matcher.h"
#include "analyzers/galleries/landmark_global.h"
#include "core/status.h"

namespace ocular::gallery {

struct LoadedGallery {
  // Null when the index has no template of that kind.
  std::shared_ptr<const GalleryMatcher> brands;
  std::shared_ptr<const GalleryMatcher> landmarks;
  // The landmark templates with a global descriptor (null when the index has none).
  std::shared_ptr<const GlobalMatcher> landmarks_global;
  std::shared_ptr<const CelebrityMatcher> celebrities;
  size_t celebrity_names = 0;  // names with a celebrities/ folder (enrolled or not)
  // The brands' colour + silhouette models (brand_shape.h), from the index: BrandShapes(index).
  std::vector<std::pair<std::string, ShapeModel>> brand_shapes;
};

// Every brand shape model of `index` with its name, in index order (sorted by name).
std::vector<std::pair<std::string, ShapeModel>> BrandShapes(const GalleryIndex& index);

// Reads `<dir>/.index` and builds the matchers.
StatusOr<std::shared_ptr<const LoadedGallery>> LoadGallery(const std::filesystem::path& dir);

class GalleryHolder {
 public:
  explicit GalleryHolder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // Loads the index again and swaps it in. On error the current gallery stays.
  Status Reload();
  // The current gallery; null before the first successful load.
  std::shared_ptr<const LoadedGallery> Get() const { return current_.load(); }
  // Replaces the current gallery (tests, benchmarks).
  void Set(std::shared_ptr<const LoadedGallery> gallery) { current_.store(std::move(gallery)); }

 private:
  std::filesystem::path dir_;
  std::mutex reload_mu_;
  std::atomic<std::shared_ptr<const LoadedGallery>> current_;
};

// The process-wide holder of `dir` (one per folder), loaded on first use. The load status of
// that first load is returned through *status (OK, NotFound when there is no index, ...).
std::shared_ptr<GalleryHolder> HolderFor(const std::filesystem::path& dir, Status* status);

// The SIGHUP hook: reloads every holder HolderFor created. Returns OK, or the first error (the
// holders that failed keep their previous gallery). Safe to call from any thread, but not from
// a signal handler: call it from the thread that waits for the signal.
Status ReloadAllGalleries();

}  // namespace ocular::gallery
