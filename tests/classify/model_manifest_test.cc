#include "bulwark/classify/model_manifest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bulwark/classify/classifier.h"
#include "bulwark/classify/model_file.h"
#include "support/scratch_dir.h"

namespace bulwark::classify {
namespace {

using testing::ScratchDir;

const std::string kShippedManifest =
    std::string(BULWARK_SOURCE_DIR) + "/data/models/nsfwjs.toml";

// sha256 of "model bytes".
const char kModelBytes[] = "model bytes";
const char kModelSha256[] =
    "9cb7487000bc86ac36ce83c4acfabe8878552be99572a6770f65ab1d048a5c48";

std::string ValidManifest(const std::string& sha256 = kModelSha256) {
  return "[model]\n"
         "name = \"test\"\n"
         "file = \"model.onnx\"\n"
         "sha256 = \"" +
         sha256 +
         "\"\n"
         "licence = \"MIT\"\n"
         "origin = \"made by the test\"\n"
         "[input]\n"
         "width = 224\n"
         "height = 112\n"
         "layout = \"nhwc\"\n"
         "colour_order = \"bgr\"\n"
         "resize = \"bilinear_half_pixel\"\n"
         "mean = [1, 2.5, 3]\n"
         "std = [4, 5, 6]\n"
         "[output]\n"
         "labels = [\"a\", \"b\", \"c\"]\n"
         "[signals]\n"
         "b = \"test.b\"\n";
}

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ModelManifest, ParsesEveryField) {
  auto m = ParseModelManifest(ValidManifest(), "/models/test.toml");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->path, "/models/test.toml");
  EXPECT_EQ(m->name, "test");
  EXPECT_EQ(m->file, "/models/model.onnx");
  EXPECT_EQ(m->sha256, kModelSha256);
  EXPECT_EQ(m->licence, "MIT");
  EXPECT_EQ(m->origin, "made by the test");
  EXPECT_EQ(m->input.width, 224);
  EXPECT_EQ(m->input.height, 112);
  EXPECT_EQ(m->input.layout, TensorLayout::kNhwc);
  EXPECT_EQ(m->input.colour_order, ColourOrder::kBgr);
  EXPECT_EQ(m->input.resize, ResizeMethod::kBilinearHalfPixel);
  EXPECT_EQ(m->input.mean, (std::array<double, 3>{1, 2.5, 3}));
  EXPECT_EQ(m->input.std, (std::array<double, 3>{4, 5, 6}));
  ASSERT_EQ(m->outputs.size(), 3u);
  EXPECT_EQ(m->outputs[0].label, "a");
  EXPECT_EQ(m->outputs[0].signal, "");
  EXPECT_EQ(m->outputs[1].label, "b");
  EXPECT_EQ(m->outputs[1].signal, "test.b");
}

TEST(ModelManifest, UppercaseDigestIsStoredLowercase) {
  std::string upper = kModelSha256;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  auto m = ParseModelManifest(ValidManifest(upper), "m.toml");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->sha256, kModelSha256);
}

TEST(ModelManifest, ShippedNsfwjsManifest) {
  auto m = LoadModelManifest(kShippedManifest);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->file.filename(), "nsfwjs-mobilenet-v2.onnx");
  EXPECT_EQ(m->input.width, 224);
  EXPECT_EQ(m->input.height, 224);
  EXPECT_EQ(m->input.layout, TensorLayout::kNchw);
  EXPECT_EQ(m->input.colour_order, ColourOrder::kRgb);
  EXPECT_EQ(m->input.resize, ResizeMethod::kBilinearAlignCorners);
  EXPECT_EQ(m->input.mean, (std::array<double, 3>{0, 0, 0}));
  EXPECT_EQ(m->input.std, (std::array<double, 3>{255, 255, 255}));
  std::vector<std::string> labels, signals;
  for (const OutputLabel& o : m->outputs) {
    labels.push_back(o.label);
    signals.push_back(o.signal);
  }
  // nsfwjs's NSFW_CLASSES, in output order.
  EXPECT_EQ(labels, (std::vector<std::string>{"drawing", "hentai", "neutral",
                                              "porn", "sexy"}));
  EXPECT_EQ(signals, (std::vector<std::string>{"nsfw.drawing", "nsfw.hentai",
                                               "", "nsfw.porn", "nsfw.sexy"}));
}

struct BadCase {
  const char* from;  // text of ValidManifest() to replace
  const char* to;
  const char* expected;  // must appear in the error after the path
};

TEST(ModelManifest, RejectsBadManifestsNamingFileAndKey) {
  const std::vector<BadCase> cases = {
      {"width = 224", "width = 0", ":8: input.width: must be a whole number"},
      {"width = 224", "width = 5000", "input.width"},
      {"height = 112", "height = 1.5", "input.height"},
      {"layout = \"nhwc\"", "layout = \"chw\"", "input.layout: must be one of"},
      {"colour_order = \"bgr\"", "colour_order = \"rgba\"",
       "input.colour_order"},
      {"resize = \"bilinear_half_pixel\"", "resize = \"nearest\"",
       "input.resize"},
      {"mean = [1, 2.5, 3]", "mean = [1, 2]", "input.mean"},
      {"std = [4, 5, 6]", "std = [4, 0, 6]", "input.std: must not contain 0"},
      {"std = [4, 5, 6]\n", "", "input.std: missing"},
      {"licence = \"MIT\"\n", "", "model.licence: missing"},
      {"name = \"test\"", "nam = \"test\"", "model.nam: unknown key"},
      {"sha256 = \"", "sha256 = \"zz", "model.sha256: must be 64 hex"},
      {"file = \"model.onnx\"", "file = \"\"",
       "model.file: must be a non-empty"},
      {"file = \"model.onnx\"", "file = 3", "model.file"},
      {"labels = [\"a\", \"b\", \"c\"]", "labels = [\"a\", \"b\", \"a\"]",
       "output.labels: label \"a\" appears twice"},
      {"labels = [\"a\", \"b\", \"c\"]", "labels = []", "output.labels"},
      {"b = \"test.b\"", "d = \"test.d\"",
       "signals.d: not a label in output.labels"},
      {"b = \"test.b\"", "b = \"\"", "signals.b"},
      {"[signals]", "[extra]", "extra: unknown key"},
      {"[output]\nlabels = [\"a\", \"b\", \"c\"]\n", "", "[output]: missing"},
      {"width = 224", "width = = 224", "syntax"},
  };
  for (const BadCase& c : cases) {
    auto m = ParseModelManifest(Replace(ValidManifest(), c.from, c.to),
                                "/etc/bulwark/bad.toml");
    ASSERT_FALSE(m.ok()) << c.to;
    EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument) << c.to;
    EXPECT_EQ(m.error().message.rfind("/etc/bulwark/bad.toml", 0), 0u)
        << m.error().message;
    EXPECT_NE(m.error().message.find(c.expected), std::string::npos)
        << "expected \"" << c.expected << "\" in: " << m.error().message;
  }
}

TEST(ModelManifest, MissingManifestNamesIt) {
  ScratchDir dir;
  auto m = LoadModelManifest(dir / "absent.toml");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kNotFound);
  EXPECT_NE(m.error().message.find(dir / "absent.toml"), std::string::npos)
      << m.error().message;
}

TEST(ModelFile, ReadsTheFileWithThePinnedDigest) {
  ScratchDir dir;
  dir.Write("m.toml", ValidManifest());
  dir.Write("model.onnx", kModelBytes);
  auto m = LoadModelManifest(dir / "m.toml");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  auto bytes = ReadModelFile(*m);
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), kModelBytes);
}

TEST(ModelFile, MissingModelFileIsNamed) {
  ScratchDir dir;
  dir.Write("m.toml", ValidManifest());
  auto m = LoadModelManifest(dir / "m.toml");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  auto bytes = ReadModelFile(*m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().code, ErrorCode::kNotFound);
  EXPECT_NE(bytes.error().message.find(dir / "model.onnx"), std::string::npos)
      << bytes.error().message;
}

TEST(ModelFile, WrongDigestNamesFileAndBothDigests) {
  ScratchDir dir;
  dir.Write("m.toml", ValidManifest());
  dir.Write("model.onnx", "other bytes");
  auto m = LoadModelManifest(dir / "m.toml");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  auto bytes = ReadModelFile(*m);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().code, ErrorCode::kCorrupt);
  const std::string& msg = bytes.error().message;
  EXPECT_NE(msg.find(dir / "model.onnx"), std::string::npos) << msg;
  EXPECT_NE(msg.find(kModelSha256), std::string::npos) << msg;
  EXPECT_NE(msg.find(dir / "m.toml"), std::string::npos) << msg;
}

TEST(LoadClassifier, WrongDigestFailsNamingTheModelFile) {
  ScratchDir dir;
  dir.Write("m.toml", ValidManifest());
  dir.Write("model.onnx", "tampered");
  auto c = LoadClassifier(dir / "m.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(c.error().message.find(dir / "model.onnx"), std::string::npos)
      << c.error().message;
}

TEST(LoadClassifier, PinnedFileThatIsNotOnnxFailsNamingIt) {
  ScratchDir dir;
  dir.Write("m.toml", ValidManifest());
  dir.Write("model.onnx", kModelBytes);
  auto c = LoadClassifier(dir / "m.toml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(c.error().message.find(dir / "model.onnx"), std::string::npos)
      << c.error().message;
}

}  // namespace
}  // namespace bulwark::classify
