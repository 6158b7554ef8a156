// Recognition against operator galleries (docs/galleries.md): v3.2 Brands, details=Landmarks and
// /models/landmarks/analyze, details=Celebrities and /models/celebrities/analyze.
//
// The galleries come from EngineOptions::galleries_dir (`<dir>/.index`, built by
// `ocular gallery build`), through the process-wide GalleryHolder of that folder, so a SIGHUP
// reload (gallery::ReloadAllGalleries) changes what the next requests see.
//
// Availability: brands/landmarks are available when the index loaded at start has at least one
// template of that kind (otherwise the engine reports why). Celebrities additionally need
// EngineOptions::enable_celebrities and the face models (celebrities_analyzer.cc); nothing is
// ever made up.
//
// Output: brands -> result.brands {name, confidence, rectangle in original pixels}. Landmarks ->
// a `detail.landmarks` list on the first building_/outdoor_ category of result.categories; when
// the categories have none, a "building_" category is added whose score is the best landmark's
// confidence (the geometric evidence that a building is in view). Celebrities -> a
// `detail.celebrities` list {name, confidence, faceRectangle} on the first people_ category, or
// on an added "people_" category scored with the best celebrity's confidence.
#pragma once

#include <memory>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/galleries/gallery_features.h"

namespace ocular {

StatusOr<std::unique_ptr<Analyzer>> CreateBrandsAnalyzer(const AnalyzerEnv& env);
StatusOr<std::unique_ptr<Analyzer>> CreateLandmarksAnalyzer(const AnalyzerEnv& env);
// Defined in celebrities_analyzer.cc.
StatusOr<std::unique_ptr<Analyzer>> CreateCelebritiesAnalyzer(const AnalyzerEnv& env);

namespace gallery {
class GalleryHolder;
// The process-wide holder of env.options.galleries_dir; Unavailable naming the folder when no
// index could be loaded from it.
StatusOr<std::shared_ptr<GalleryHolder>> OpenGalleryHolder(const AnalyzerEnv& env);
// Query-side feature settings: landmarks <= 1024 px, 4000 points; brands <= 1600 px, 8000
// points (logos are often a small part of the photo).
FeatureOptions LandmarkQueryOptions();
FeatureOptions BrandQueryOptions();
}  // namespace gallery

}  // namespace ocular
