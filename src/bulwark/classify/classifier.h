// Image classifiers: a model described by a manifest (model_manifest.h) that
// turns an image into one probability per output label. Classifiers report
// evidence; they never decide (the policy does).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/classify/model_manifest.h"
#include "bulwark/core/result.h"
#include "bulwark/media/image.h"

namespace bulwark::classify {

struct Score {
  std::string label;   // manifest output label
  std::string signal;  // the label's signal name; empty if it feeds none
  float probability;   // the model's output for the label, 0..1
};

struct Classification {
  std::vector<Score> scores;  // one per output label, in manifest order
};

// Thread-safe: Classify may be called from many threads at once.
class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual const ModelManifest& manifest() const = 0;
  // Scores `image` as displayed: its EXIF orientation is applied and Gray8
  // is read as R = G = B. A malformed image (no pixels, or pixels.size() not
  // matching its dimensions) is kInvalidArgument.
  virtual Result<Classification> Classify(const media::Image& image) const = 0;
};

struct ClassifierOptions {
  // Most Classify calls that run at once; more wait. Each running call holds
  // one copy of the model (for nsfwjs about 40 MB with its buffers), made when
  // first needed. 0 means the number of hardware threads.
  int max_concurrency = 0;
};

// Reads the manifest, checks the model file exists and its SHA-256 matches
// (errors name the file), loads it and checks that its output has one value
// per manifest label. Sets OpenCV to one thread per inference, process-wide:
// parallelism comes from concurrent Classify calls.
Result<std::unique_ptr<Classifier>> LoadClassifier(
    const std::filesystem::path& manifest, const ClassifierOptions& options);

}  // namespace bulwark::classify
