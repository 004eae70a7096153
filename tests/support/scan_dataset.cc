#include "support/scan_dataset.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "bulwark/hash/pdq.h"
#include "bulwark/media/decoder.h"
#include "bulwark/media/resize.h"
#include "support/image_encoders.h"
#include "support/tar_builder.h"
#include "support/test_paths.h"

namespace bulwark::testing {
namespace fs = std::filesystem;
namespace {

media::Image Load(const std::string& name) {
  auto img =
      media::DecodeImage(ReadBytes(TestDataDir() + "/pdq/images/" + name), {});
  EXPECT_TRUE(img.ok()) << name;
  return img.ok() ? *img : media::Image{};
}

std::vector<uint8_t> Jpeg(const media::Image& img, int quality) {
  JpegOptions o;
  o.quality = quality;
  return EncodeJpeg(img, o);
}

hash::PdqHash Pdq(const std::vector<uint8_t>& jpeg) {
  return hash::ComputePdq(*media::DecodeImage(jpeg, {}), {})->hash;
}

std::vector<uint8_t> Text(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

void WriteFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

class ShardMaker {
 public:
  explicit ShardMaker(int* next_key) : next_key_(next_key) {}
  // Adds a sample; returns its key.
  std::string Add(const std::string& ext, const std::vector<uint8_t>& image) {
    char key[16];
    std::snprintf(key, sizeof key, "%09d", (*next_key_)++);
    members_.push_back({std::string(key) + "." + ext, image});
    members_.push_back(
        {std::string(key) + ".txt", Text("caption " + std::string(key))});
    members_.push_back({std::string(key) + ".json",
                        Text("{\"key\":\"" + std::string(key) + "\"}")});
    return key;
  }
  void Write(const std::string& path, TarCompression c) {
    WriteTar(path, members_, c);
  }

 private:
  int* next_key_;
  std::vector<TarMember> members_;
};

}  // namespace

ScanDataset BuildScanDataset(const std::string& root) {
  fs::remove_all(root);
  fs::create_directories(root);
  ScanDataset d;
  auto img = [](const char* name) { return Load(name); };

  // The known set, as JPEG files (what a hash list would have been made of).
  const auto coffee = Jpeg(img("ski-coffee.png"), 90);
  const auto rocket = Jpeg(img("ski-rocket.jpg"), 90);
  const auto coins = Jpeg(img("ski-coins-gray.png"), 90);
  for (auto [name, bytes] :
       {std::pair{"coffee.jpg", &coffee}, std::pair{"rocket.jpg", &rocket},
        std::pair{"coins.jpg", &coins}}) {
    d.known_files.push_back(root + "/known/" + name);
    WriteFile(d.known_files.back(), *bytes);
  }
  // Copies with other bytes that PDQ still finds.
  const auto coffee_q50 = Jpeg(*media::DecodeImage(coffee, {}), 50);
  const media::Image rocket_img = *media::DecodeImage(rocket, {});
  const auto rocket_small =
      Jpeg(media::ResizeNearest(rocket_img, rocket_img.width * 3 / 4,
                                rocket_img.height * 3 / 4),
           85);
  for (const auto* copy : {&coffee_q50, &rocket_small}) {
    const auto& orig = copy == &coffee_q50 ? coffee : rocket;
    const int dist = Pdq(*copy).Distance(Pdq(orig));
    EXPECT_GT(dist, 0);
    EXPECT_LE(dist, 31);
    EXPECT_NE(*copy, orig);
  }
  std::vector<uint8_t> truncated(rocket.begin(),
                                 rocket.begin() + rocket.size() / 2);
  std::vector<uint8_t> garbage(3000);
  std::mt19937 rng(7);
  for (auto& b : garbage) b = static_cast<uint8_t>(rng());

  int next_key = 0;
  {
    ShardMaker s(&next_key);
    s.Add("jpg", Jpeg(img("ski-brick-gray.png"), 90));
    s.Add("jpg", Jpeg(img("ski-chelsea-cat.png"), 90));
    d.exact.insert(s.Add("jpg", coffee));
    s.Add("jpg", Jpeg(img("ski-clock-motion-gray.png"), 90));
    const std::string k = s.Add("jpg", truncated);
    d.corrupt_members.insert(k + ".jpg");
    d.shards.push_back(root + "/shards/00000.tar");
    fs::create_directories(root + "/shards");
    s.Write(d.shards.back(), TarCompression::kNone);
  }
  {
    ShardMaker s(&next_key);
    d.exact.insert(s.Add("jpg", coins));
    s.Add("png", EncodePng(img("ski-horse-silhouette.png")));
    s.Add("jpg", Jpeg(img("ski-moon-gray.png"), 90));
    d.near.insert(s.Add("jpg", coffee_q50));
    d.corrupt_members.insert(s.Add("jpg", garbage) + ".jpg");
    d.shards.push_back(root + "/shards/00001.tar.gz");
    s.Write(d.shards.back(), TarCompression::kGzip);
  }
  {
    ShardMaker s(&next_key);
    s.Add("jpg", Jpeg(img("ski-page-text-gray.png"), 90));
    s.Add("jpg", Jpeg(img("ski-hubble-deep-field.jpg"), 90));
    d.near.insert(s.Add("jpg", rocket_small));
    d.exact.insert(s.Add("jpg", rocket));
    d.corrupt_members.insert(s.Add("png", {}) + ".png");
    d.shards.push_back(root + "/shards/00002.tar.zst");
    s.Write(d.shards.back(), TarCompression::kZstd);
  }
  d.samples = next_key;

  d.directory = root + "/photos";
  WriteFile(d.directory + "/a/brick.jpg", Jpeg(img("ski-brick-gray.png"), 80));
  WriteFile(d.directory + "/b/coffee.jpg", coffee);
  WriteFile(d.directory + "/b/notes.txt", Text("not an image"));
  WriteFile(d.directory + "/moon.png", EncodePng(img("ski-moon-gray.png")));
  d.exact.insert("b/coffee.jpg");
  d.samples += 3;
  return d;
}

std::vector<std::string> BuildBulkShards(const std::string& root, int count,
                                         int samples_per_shard,
                                         size_t padding_bytes) {
  fs::remove_all(root);
  fs::create_directories(root);
  const media::Image base = Load("ski-coffee.png");
  std::mt19937 rng(11);
  std::vector<std::string> paths;
  int key = 0;
  for (int s = 0; s < count; ++s) {
    std::vector<TarMember> members;
    for (int i = 0; i < samples_per_shard; ++i, ++key) {
      char name[16];
      std::snprintf(name, sizeof name, "%09d", key);
      // Distinct bytes per sample from one small image: a varying quality.
      media::Image small = media::ResizeNearest(base, 96, 64);
      small.pixels[static_cast<size_t>(key) % small.pixels.size()] ^= 0x55;
      members.push_back({std::string(name) + ".jpg", Jpeg(small, 80)});
      std::vector<uint8_t> pad(padding_bytes);
      for (auto& b : pad) b = static_cast<uint8_t>(rng());
      members.push_back({std::string(name) + ".npy", std::move(pad)});
    }
    char shard[32];
    std::snprintf(shard, sizeof shard, "/%05d.tar", s);
    paths.push_back(root + shard);
    WriteTar(paths.back(), members);
  }
  return paths;
}

}  // namespace bulwark::testing
