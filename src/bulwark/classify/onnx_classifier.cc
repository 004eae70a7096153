#include "bulwark/classify/onnx_classifier.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "bulwark/classify/preprocess.h"

namespace bulwark::classify {
namespace {

// One loaded copy of the model with its reusable buffers. cv::dnn::Net is
// not safe for concurrent forward(), so each running Classify call holds
// one session to itself.
struct Session {
  cv::dnn::Net net;
  cv::Mat input;                 // the input tensor, written in place
  std::vector<cv::Mat> outputs;  // forward()'s result, reused
};

class OnnxClassifier final : public Classifier {
 public:
  OnnxClassifier(ModelManifest manifest, std::vector<uint8_t> model,
                 size_t max_sessions)
      : manifest_(std::move(manifest)),
        model_(std::move(model)),
        preprocess_(manifest_.input),
        max_sessions_(max_sessions) {}

  // Loads the first session and checks the model against the manifest.
  Status Init() {
    auto session = NewSession();
    if (!session.ok()) return session.error();
    std::fill_n((*session)->input.ptr<float>(), preprocess_.tensor_size(),
                0.0f);
    auto out = Forward(**session);
    if (!out.ok()) return out.error();
    Session* s = session->get();
    sessions_.push_back(std::move(*session));
    idle_.push_back(s);
    return Ok{};
  }

  const ModelManifest& manifest() const override { return manifest_; }

  Result<Classification> Classify(const media::Image& image) const override {
    const int channels = media::ChannelCount(image.format);
    if (image.width < 1 || image.height < 1 ||
        (channels != 1 && channels != 3) ||
        image.pixels.size() != image.row_bytes() * image.height) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "image has no pixels or its pixel buffer does not "
                       "match its dimensions");
    }
    auto session = Acquire();
    if (!session.ok()) return session.error();
    Session& s = **session;
    preprocess_.Run(image, std::span<float>(s.input.ptr<float>(),
                                            preprocess_.tensor_size()));
    auto out = Forward(s);
    Release(&s);
    if (!out.ok()) return out.error();
    return std::move(*out);
  }

 private:
  Error ModelError(ErrorCode code, const std::string& problem) const {
    return MakeError(code,
                     "model file " + manifest_.file.string() + ": " + problem);
  }

  Result<std::unique_ptr<Session>> NewSession() const {
    auto s = std::make_unique<Session>();
    try {
      s->net = cv::dnn::readNetFromONNX(
          reinterpret_cast<const char*>(model_.data()), model_.size());
      s->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      s->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    } catch (const cv::Exception& e) {
      return ModelError(ErrorCode::kCorrupt,
                        "OpenCV cannot load it as ONNX: " + e.msg);
    }
    const InputSpec& in = manifest_.input;
    const std::vector<int> shape =
        in.layout == TensorLayout::kNchw
            ? std::vector<int>{1, 3, in.height, in.width}
            : std::vector<int>{1, in.height, in.width, 3};
    s->input.create(shape, CV_32F);
    return s;
  }

  // Runs the model on the session's input and checks its output.
  Result<Classification> Forward(Session& s) const {
    try {
      s.net.setInput(s.input);
      s.net.forward(s.outputs);
    } catch (const cv::Exception& e) {
      return ModelError(ErrorCode::kInternal, "inference failed: " + e.msg);
    }
    if (s.outputs.size() != 1 || s.outputs[0].type() != CV_32F ||
        s.outputs[0].total() != manifest_.outputs.size()) {
      return ModelError(
          ErrorCode::kInvalidArgument,
          "gives " +
              std::to_string(s.outputs.empty() ? 0 : s.outputs[0].total()) +
              " output values, but " + manifest_.path.string() + " lists " +
              std::to_string(manifest_.outputs.size()) + " labels");
    }
    const float* p = s.outputs[0].ptr<float>();
    Classification c;
    c.scores.reserve(manifest_.outputs.size());
    for (size_t i = 0; i < manifest_.outputs.size(); ++i) {
      if (!std::isfinite(p[i])) {
        return ModelError(ErrorCode::kInternal, "output is not a number");
      }
      c.scores.push_back(
          Score{manifest_.outputs[i].label, manifest_.outputs[i].signal, p[i]});
    }
    return c;
  }

  // An idle session; a new one while fewer than max_sessions_ exist; else
  // waits for one to be released.
  Result<Session*> Acquire() const {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (!idle_.empty()) {
        Session* s = idle_.back();
        idle_.pop_back();
        return s;
      }
      if (sessions_.size() + loading_ < max_sessions_) break;
      released_.wait(lock);
    }
    ++loading_;
    lock.unlock();
    auto session = NewSession();  // slow: parses the model; outside the lock
    lock.lock();
    --loading_;
    if (!session.ok()) {
      released_.notify_one();  // the slot it would have taken is free again
      return session.error();
    }
    Session* s = session->get();
    sessions_.push_back(std::move(*session));
    return s;
  }

  void Release(Session* s) const {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(s);
    }
    released_.notify_one();
  }

  const ModelManifest manifest_;
  const std::vector<uint8_t> model_;  // the ONNX bytes, for new sessions
  const Preprocessor preprocess_;
  const size_t max_sessions_;

  mutable std::mutex mu_;
  mutable std::condition_variable released_;
  mutable std::vector<std::unique_ptr<Session>> sessions_;  // all of them
  mutable std::vector<Session*> idle_;
  mutable size_t loading_ = 0;  // sessions being created outside the lock
};

}  // namespace

Result<std::unique_ptr<Classifier>> MakeOnnxClassifier(
    ModelManifest manifest, std::vector<uint8_t> model,
    const ClassifierOptions& options) {
  // One thread per inference; concurrent requests are the parallelism.
  cv::setNumThreads(1);
  const size_t max_sessions =
      options.max_concurrency > 0
          ? static_cast<size_t>(options.max_concurrency)
          : std::max(1u, std::thread::hardware_concurrency());
  auto classifier = std::make_unique<OnnxClassifier>(
      std::move(manifest), std::move(model), max_sessions);
  Status s = classifier->Init();
  if (!s.ok()) return s.error();
  return std::unique_ptr<Classifier>(std::move(classifier));
}

}  // namespace bulwark::classify
