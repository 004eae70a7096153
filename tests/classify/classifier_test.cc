// The OpenCV DNN classifier on the default model (scripts/install-models.sh
// installs it; these tests fail without it).
#include "bulwark/classify/classifier.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "bulwark/media/orientation.h"
#include "support/scratch_dir.h"
#include "support/synthetic_image.h"

namespace bulwark::classify {
namespace {

const std::string kManifest =
    std::string(BULWARK_SOURCE_DIR) + "/data/models/nsfwjs.toml";

std::unique_ptr<Classifier> Load(int max_concurrency = 0) {
  auto c = LoadClassifier(kManifest, {.max_concurrency = max_concurrency});
  EXPECT_TRUE(c.ok()) << c.error().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

std::vector<float> Probabilities(const Classifier& c,
                                 const media::Image& image) {
  auto result = c.Classify(image);
  EXPECT_TRUE(result.ok()) << result.error().ToString();
  std::vector<float> p;
  if (result.ok()) {
    for (const Score& s : result->scores) p.push_back(s.probability);
  }
  return p;
}

TEST(Classifier, ScoresEveryLabelInManifestOrder) {
  auto c = Load();
  ASSERT_NE(c, nullptr);
  auto result = c->Classify(
      testing::SyntheticImage(300, 200, media::PixelFormat::kRgb8, 1));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->scores.size(), 5u);
  const char* labels[] = {"drawing", "hentai", "neutral", "porn", "sexy"};
  double sum = 0;
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(result->scores[i].label, labels[i]);
    EXPECT_GE(result->scores[i].probability, 0.0f);
    sum += result->scores[i].probability;
  }
  EXPECT_EQ(result->scores[3].signal, "nsfw.porn");
  EXPECT_EQ(result->scores[2].signal, "");
  EXPECT_NEAR(sum, 1.0, 1e-5);  // the model ends in a softmax
}

TEST(Classifier, AppliesOrientationAndReadsGreyAsRgb) {
  auto c = Load();
  ASSERT_NE(c, nullptr);
  media::Image stored =
      testing::SyntheticImage(320, 180, media::PixelFormat::kRgb8, 2);
  stored.orientation = media::Orientation::kRightTop;
  EXPECT_EQ(Probabilities(*c, stored),
            Probabilities(*c, media::ApplyOrientation(stored)));
  const media::Image grey =
      testing::SyntheticImage(150, 150, media::PixelFormat::kGray8, 3);
  EXPECT_EQ(Probabilities(*c, grey),
            Probabilities(*c, testing::GreyAsRgb(grey)));
}

TEST(Classifier, RejectsMalformedImages) {
  auto c = Load();
  ASSERT_NE(c, nullptr);
  media::Image image =
      testing::SyntheticImage(10, 10, media::PixelFormat::kRgb8, 4);
  image.pixels.pop_back();
  auto result = c->Classify(image);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  auto empty = c->Classify(media::Image{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

TEST(Classifier, ConcurrentCallsGiveTheSequentialResults) {
  auto c = Load(/*max_concurrency=*/2);
  ASSERT_NE(c, nullptr);
  std::vector<media::Image> images;
  std::vector<std::vector<float>> expected;
  for (uint32_t seed = 0; seed < 6; ++seed) {
    images.push_back(testing::SyntheticImage(200 + 17 * seed, 160,
                                             media::PixelFormat::kRgb8, seed));
    expected.push_back(Probabilities(*c, images.back()));
  }
  std::vector<std::vector<std::vector<float>>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (const media::Image& image : images) {
        got[t].push_back(Probabilities(*c, image));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(got[t], expected) << "thread " << t;
}

TEST(Classifier, ManifestWithWrongLabelCountFailsAtLoad) {
  auto manifest = LoadModelManifest(kManifest);
  ASSERT_TRUE(manifest.ok()) << manifest.error().ToString();
  testing::ScratchDir dir;
  dir.Write("three.toml",
            "[model]\nname = \"x\"\nfile = \"" + manifest->file.string() +
                "\"\nsha256 = \"" + manifest->sha256 +
                "\"\nlicence = \"MIT\"\norigin = \"test\"\n"
                "[input]\nwidth = 224\nheight = 224\nlayout = \"nchw\"\n"
                "colour_order = \"rgb\"\nresize = \"bilinear_align_corners\"\n"
                "mean = [0, 0, 0]\nstd = [255, 255, 255]\n"
                "[output]\nlabels = [\"a\", \"b\", \"c\"]\n");
  auto c = LoadClassifier(dir / "three.toml", {});
  ASSERT_FALSE(c.ok());
  const std::string& msg = c.error().message;
  EXPECT_NE(msg.find(manifest->file.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("5 output values"), std::string::npos) << msg;
  EXPECT_NE(msg.find("3 labels"), std::string::npos) << msg;
}

}  // namespace
}  // namespace bulwark::classify
