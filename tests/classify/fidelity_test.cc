// Acceptance: the converted nsfwjs model, run by Bulwark, gives the same
// class probabilities as nsfwjs itself (TF.js's pure JavaScript CPU backend,
// tests/node/nsfwjs_reference.mjs) within 0.01 on benign photos, from a
// model input that is bit for bit the one nsfwjs makes. Needs the
// model (scripts/install-models.sh) and Node.js with tests/node/node_modules
// (scripts/install-deps.sh), both run by `make test`; fails without them.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "bulwark/classify/classifier.h"
#include "bulwark/classify/preprocess.h"
#include "bulwark/media/decoder.h"
#include "bulwark/media/orientation.h"
#include "support/process.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark::classify {
namespace {

constexpr double kTolerance = 0.01;
constexpr size_t kMinImages = 20;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The upright RGB samples nsfwjs would see, as a binary PPM.
void WritePpm(const media::Image& stored, const std::string& path) {
  const media::Image upright = media::ApplyOrientation(stored);
  std::ofstream out(path, std::ios::binary);
  out << "P6\n" << upright.width << " " << upright.height << "\n255\n";
  if (upright.format == media::PixelFormat::kRgb8) {
    out.write(reinterpret_cast<const char*>(upright.pixels.data()),
              static_cast<std::streamsize>(upright.pixels.size()));
  } else {
    for (uint8_t v : upright.pixels) out << v << v << v;
  }
}

struct Sample {
  std::string name;
  media::Image image;
  std::string ppm;
};

TEST(ClassifyFidelity, MatchesNsfwjsWithin001) {
  auto classifier = LoadClassifier(
      std::string(BULWARK_SOURCE_DIR) + "/data/models/nsfwjs.toml", {});
  ASSERT_TRUE(classifier.ok())
      << classifier.error().ToString()
      << " (scripts/install-models.sh installs the model)";

  testing::ScratchDir scratch;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           testing::TestDataDir() + "/pdq/images")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Sample> samples;
  for (const auto& file : files) {
    const std::vector<uint8_t> bytes = testing::ReadBytes(file.string());
    auto image = media::DecodeImage(bytes, media::DecodeOptions{});
    ASSERT_TRUE(image.ok()) << file << ": " << image.error().ToString();
    Sample s{file.filename().string(), std::move(*image),
             scratch / (file.filename().string() + ".ppm")};
    WritePpm(s.image, s.ppm);
    samples.push_back(std::move(s));
  }
  ASSERT_GE(samples.size(), kMinImages);

  const std::string results = scratch / "nsfwjs.jsonl";
  const std::string log = scratch / "node.log";
  std::vector<std::string> args = {
      "node",
      std::string(BULWARK_SOURCE_DIR) + "/tests/node/nsfwjs_reference.mjs",
      results};
  for (const Sample& s : samples) args.push_back(s.ppm);
  const testing::Exit exit =
      testing::Wait(testing::Start("/usr/bin/env", args, log));
  ASSERT_EQ(exit.status, 0) << "nsfwjs reference failed:\n" << ReadText(log);

  std::map<std::string, boost::json::object> reference;
  std::ifstream lines(results);
  for (std::string line; std::getline(lines, line);) {
    boost::json::object o = boost::json::parse(line).as_object();
    reference[std::string(o.at("file").as_string())] = o;
  }
  ASSERT_EQ(reference.size(), samples.size());

  // The model input, before any model arithmetic: nsfwjs's is [y][x][c].
  const InputSpec& spec = (*classifier)->manifest().input;
  ASSERT_EQ(spec.layout, TensorLayout::kNchw);
  const Preprocessor preprocess(spec);
  std::vector<float> tensor(preprocess.tensor_size());
  const size_t plane = tensor.size() / 3;
  for (const Sample& s : samples) {
    preprocess.Run(s.image, tensor);
    const std::string want =
        ReadText(std::string(reference.at(s.ppm).at("input").as_string()));
    ASSERT_EQ(want.size(), tensor.size() * sizeof(float)) << s.name;
    const float* nsfwjs = reinterpret_cast<const float*>(want.data());
    size_t differing = 0;
    for (size_t p = 0; p < plane; ++p) {
      for (size_t c = 0; c < 3; ++c) {
        differing += tensor[c * plane + p] != nsfwjs[p * 3 + c];
      }
    }
    EXPECT_EQ(differing, 0u) << s.name << ": model input values that differ";
  }

  double max_difference = 0.0;
  std::string worst;
  for (const Sample& s : samples) {
    auto c = (*classifier)->Classify(s.image);
    ASSERT_TRUE(c.ok()) << s.name << ": " << c.error().ToString();
    const boost::json::object& expected =
        reference.at(s.ppm).at("scores").as_object();
    ASSERT_EQ(c->scores.size(), expected.size()) << s.name;
    for (const Score& score : c->scores) {
      // nsfwjs names classes "Drawing", ...; the manifest "drawing", ...
      const auto it =
          std::find_if(expected.begin(), expected.end(), [&](const auto& kv) {
            std::string name(kv.key());
            for (char& ch : name) ch = static_cast<char>(std::tolower(ch));
            return name == score.label;
          });
      ASSERT_NE(it, expected.end()) << score.label;
      const double want = it->value().to_number<double>();
      const double difference = std::abs(score.probability - want);
      EXPECT_LE(difference, kTolerance)
          << s.name << " " << score.label << ": bulwark " << score.probability
          << ", nsfwjs " << want;
      if (difference > max_difference) {
        max_difference = difference;
        worst = s.name + " " + score.label;
      }
    }
  }
  std::cout << "[ fidelity ] " << samples.size()
            << " images, max |bulwark - nsfwjs| = " << max_difference << " ("
            << worst << ")\n";
  RecordProperty("max_difference", std::to_string(max_difference));
}

}  // namespace
}  // namespace bulwark::classify
