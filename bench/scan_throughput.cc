// Throughput of `bulwark scan`'s pipeline against the decode-only rate of
// libjpeg-turbo measured in the same run (issue 4's target: the whole scan,
// read + decode + PDQ + digests + match against a 1M-hash bank, at >= 80% of
// the decode-only rate on one core, and >= 1.8x that on two cores).
//
// Inputs: WebDataset tar shards (KEY.jpg + KEY.txt + KEY.json) of JPEGs at
// quality 90 cut from the shared 12-megapixel photo (synthetic without the
// shared set): ~0.6 MP (896x672) and ~4 MP (2304x1728), read from the page
// cache. The bank holds 1,000,000 random PDQ hashes plus the MD5 and PDQ of
// one image in 100, so the scan reports real hits. One core: the whole
// process (reader, hashing worker, writer) pinned to one CPU with
// sched_setaffinity; two cores: pinned to two, two hashing workers.
//
// Usage: build/bulwark_scan_bench [--images N] [--bank-size N] [--reps R]
//   [--sizes 0.6,4] [--pdq-mode full|cli512|fast]
// Prints medians over R repetitions (default 5).
//
// With --write-dataset DIR [--per-shard N], writes the shards of the first
// size to DIR/shards and the bank to DIR/data instead, for measuring the
// `bulwark` command itself (bench/scan_memory.sh).
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bulwark/bank/sqlite_store.h"
#include "bulwark/core/allocator_tuning.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/index/matcher.h"
#include "bulwark/media/decoder.h"
#include "bulwark/media/resize.h"
#include "bulwark/scan/scanner.h"
#include "support/image_encoders.h"
#include "support/synthetic_image.h"
#include "support/tar_builder.h"
#include "support/test_paths.h"

namespace bulwark {
namespace {
namespace fs = std::filesystem;

struct Args {
  int images = 600;
  int bank_size = 1'000'000;
  int reps = 5;
  std::vector<double> sizes = {0.6, 4};
  std::string pdq_mode = "full";
  std::string write_dataset;
  int per_shard = 0;  // 0: 200 samples per shard below 1 MP, else 50
};

constexpr const char* kUsage =
    "usage: bulwark_scan_bench [--images N] [--bank-size N] [--reps R]\n"
    "  [--sizes 0.6,4] [--pdq-mode full|cli512|fast]\n"
    "  [--write-dataset DIR [--per-shard N]]\n"
    "Scan throughput against decode-only (docs/PERFORMANCE.md); medians of R\n"
    "repetitions (default 5). --write-dataset writes the shards and the bank\n"
    "of the first size to DIR and exits.\n";

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "-h" || k == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n%s", k.c_str(), kUsage);
      std::exit(2);
    }
    const std::string v = argv[i + 1];
    if (k == "--images") {
      a.images = std::atoi(v.c_str());
    } else if (k == "--bank-size") {
      a.bank_size = std::atoi(v.c_str());
    } else if (k == "--reps") {
      a.reps = std::atoi(v.c_str());
    } else if (k == "--write-dataset") {
      a.write_dataset = v;
    } else if (k == "--per-shard") {
      a.per_shard = std::atoi(v.c_str());
    } else if (k == "--pdq-mode") {
      a.pdq_mode = v;
    } else if (k == "--sizes") {
      a.sizes.clear();
      for (size_t p = 0; p < v.size();) {
        size_t q = v.find(',', p);
        if (q == std::string::npos) q = v.size();
        a.sizes.push_back(std::atof(v.substr(p, q - p).c_str()));
        p = q + 1;
      }
    } else {
      std::fprintf(stderr, "unknown option %s\n%s", k.c_str(), kUsage);
      std::exit(2);
    }
  }
  return a;
}

void PinToCpus(int n) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c = 0; c < n; ++c) CPU_SET(c, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    std::perror("sched_setaffinity");
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

media::Image Photo() {
  const std::string path =
      testing::TestDataDir() + "/pdq/images/te-desk-12mp-exif6.jpg";
  if (testing::Exists(path)) {
    return *media::DecodeImage(testing::ReadBytes(path), {});
  }
  return testing::SyntheticImage(4032, 3024, media::PixelFormat::kRgb8, 1);
}

// `count` distinct JPEGs of about `megapixels`, 4:3: crops of the photo at
// varying offsets and scales, resized to the target size.
std::vector<std::vector<uint8_t>> MakeJpegs(const media::Image& photo,
                                            double megapixels, int count) {
  const int h = static_cast<int>(std::sqrt(megapixels * 1e6 * 3 / 4)) / 8 * 8;
  const int w = h * 4 / 3;
  std::vector<std::vector<uint8_t>> out;
  std::mt19937 rng(5);
  const int distinct = std::min(count, 48);
  for (int i = 0; i < distinct; ++i) {
    const int ch = std::min(photo.height, h + static_cast<int>(rng() % 600));
    const int cw = std::min(photo.width, ch * 4 / 3);
    const int x0 = static_cast<int>(rng() % (photo.width - cw + 1));
    const int y0 = static_cast<int>(rng() % (photo.height - ch + 1));
    media::Image crop;
    crop.width = cw;
    crop.height = ch;
    crop.format = media::PixelFormat::kRgb8;
    crop.pixels.resize(static_cast<size_t>(cw) * ch * 3);
    for (int y = 0; y < ch; ++y) {
      std::memcpy(
          &crop.pixels[static_cast<size_t>(y) * cw * 3],
          &photo.pixels[(static_cast<size_t>(y0 + y) * photo.width + x0) * 3],
          static_cast<size_t>(cw) * 3);
    }
    out.push_back(testing::EncodeJpeg(media::ResizeNearest(crop, w, h)));
  }
  while (static_cast<int>(out.size()) < count) {
    out.push_back(out[out.size() % distinct]);
  }
  return out;
}

std::vector<scan::ShardSpec> WriteShards(
    const std::string& dir, const std::vector<std::vector<uint8_t>>& jpegs,
    int per_shard) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<scan::ShardSpec> shards;
  for (size_t first = 0; first < jpegs.size(); first += per_shard) {
    std::vector<testing::TarMember> members;
    for (size_t i = first;
         i < std::min(jpegs.size(), first + static_cast<size_t>(per_shard));
         ++i) {
      char key[32];
      std::snprintf(key, sizeof key, "%09zu", i);
      const std::string caption = "a photo of a desk";
      members.push_back({std::string(key) + ".jpg", jpegs[i]});
      members.push_back({std::string(key) + ".txt",
                         std::vector<uint8_t>(caption.begin(), caption.end())});
      const std::string meta = "{\"key\":\"" + std::string(key) + "\"}";
      members.push_back({std::string(key) + ".json",
                         std::vector<uint8_t>(meta.begin(), meta.end())});
    }
    char name[32];
    std::snprintf(name, sizeof name, "/%05zu.tar", shards.size());
    scan::ShardSpec spec;
    spec.path = dir + name;
    spec.kind = scan::ShardKind::kTar;
    spec.id = std::string(name + 1, 5);
    testing::WriteTar(spec.path, members);
    shards.push_back(spec);
  }
  return shards;
}

// 1M random PDQ hashes, plus MD5 and PDQ of one image in 100.
std::unique_ptr<bank::SqliteStore> MakeBank(
    const std::string& dir, int size,
    const std::vector<std::vector<uint8_t>>& jpegs) {
  fs::remove_all(dir);
  auto store = bank::SqliteStore::Open(dir);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
    std::exit(1);
  }
  bank::BankInfo info;
  info.name = "bench";
  info.category = "test";
  auto b = (*store)->CreateBank(info);
  std::vector<bank::NewEntry> entries;
  std::mt19937_64 rng(9);
  for (int i = 0; i < size; ++i) {
    hash::PdqHash h;
    for (int bit = 0; bit < 256; ++bit) {
      if (rng() & 1) h.set_bit(bit);
    }
    bank::NewEntry e;
    e.signal = hash::Signal::FromPdq(h);
    entries.push_back(e);
  }
  hash::HashRequest req;
  req.sha1 = req.sha256 = false;
  for (size_t i = 0; i < jpegs.size(); i += 100) {
    const hash::FileHashes h = hash::HashBytes(jpegs[i], req);
    bank::NewEntry e;
    e.signal = *hash::Signal::Parse(hash::SignalType::kMd5, *h.md5);
    entries.push_back(e);
    e.signal = hash::Signal::FromPdq(h.pdq->hash);
    entries.push_back(e);
  }
  auto added = (*store)->AddEntries(b->id, entries);
  if (!added.ok()) {
    std::fprintf(stderr, "%s\n", added.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(*store);
}

double DecodeOnly(const std::vector<std::vector<uint8_t>>& jpegs) {
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& j : jpegs) {
    auto img = media::DecodeImage(j, {});
    if (!img.ok()) std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

double Scan(const std::vector<scan::ShardSpec>& shards,
            const index::Snapshot& snapshot, const scan::ScanOptions& options,
            uint64_t* hits) {
  fs::remove_all(options.out_dir);
  fs::create_directories(options.out_dir);
  std::vector<size_t> todo(shards.size());
  for (size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  scan::LocalFeed feed(todo, options.out_dir, shards);
  const auto t0 = std::chrono::steady_clock::now();
  auto totals = scan::ScanShards(shards, feed, snapshot, options, nullptr);
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  if (!totals.ok()) {
    std::fprintf(stderr, "%s\n", totals.error().ToString().c_str());
    std::exit(1);
  }
  *hits = totals->hit_samples;
  return s;
}

}  // namespace
}  // namespace bulwark

int main(int argc, char** argv) {
  using namespace bulwark;
  TuneAllocatorForLargeImages();
  const Args args = Parse(argc, argv);
  const std::string tmp = fs::temp_directory_path().string() +
                          "/bulwark_scan_bench_" + std::to_string(getpid());
  const media::Image photo = Photo();

  std::printf(
      "images per size: %d, bank: %d PDQ hashes, %d repetitions, "
      "pdq mode %s\n",
      args.images, args.bank_size, args.reps, args.pdq_mode.c_str());
  std::printf("%-6s %-10s %9s %12s %9s %8s\n", "size", "what", "images/s",
              "MB/s", "vs decode", "hits");
  for (double mp : args.sizes) {
    const auto jpegs = MakeJpegs(photo, mp, args.images);
    uint64_t bytes = 0;
    for (const auto& j : jpegs) bytes += j.size();
    const int per_shard = args.per_shard ? args.per_shard : mp < 1 ? 200 : 50;
    if (!args.write_dataset.empty()) {
      WriteShards(args.write_dataset + "/shards", jpegs, per_shard);
      MakeBank(args.write_dataset + "/data", args.bank_size, jpegs);
      return 0;
    }
    const auto shards = WriteShards(tmp + "/shards", jpegs, per_shard);
    auto store = MakeBank(tmp + "/data", args.bank_size, jpegs);
    auto matcher = index::Matcher::Create(*store);
    const auto snapshot = (*matcher)->snapshot();

    scan::ScanOptions options;
    options.out_dir = tmp + "/out";
    auto mode = hash::ParsePdqMode(args.pdq_mode);
    options.check.request.pdq_options.mode = *mode;

    std::vector<double> decode, one, two;
    uint64_t hits = 0;
    for (int r = 0; r < args.reps; ++r) {
      PinToCpus(1);
      decode.push_back(DecodeOnly(jpegs));
      options.jobs = 1;
      one.push_back(Scan(shards, *snapshot, options, &hits));
      PinToCpus(2);
      options.jobs = 2;
      two.push_back(Scan(shards, *snapshot, options, &hits));
    }
    const double n = static_cast<double>(jpegs.size());
    const double mb = static_cast<double>(bytes) / 1e6;
    const double d = Median(decode), s1 = Median(one), s2 = Median(two);
    char label[16];
    std::snprintf(label, sizeof label, "%.1fMP", mp);
    std::printf("%-6s %-10s %9.1f %12.1f %9s %8s\n", label, "decode", n / d,
                mb / d, "1.00", "");
    std::printf("%-6s %-10s %9.1f %12.1f %9.2f %8llu\n", label, "scan 1cpu",
                n / s1, mb / s1, d / s1, static_cast<unsigned long long>(hits));
    std::printf("%-6s %-10s %9.1f %12.1f %9.2f %8s   (%.2fx one cpu)\n", label,
                "scan 2cpu", n / s2, mb / s2, d / s2, "", s1 / s2);
    std::printf("       (%d images of %dx%d, %.1f KB mean)\n",
                static_cast<int>(n), media::DecodeImage(jpegs[0], {})->width,
                media::DecodeImage(jpegs[0], {})->height,
                static_cast<double>(bytes) / n / 1e3);
    std::fflush(stdout);
  }
  fs::remove_all(tmp);
  return 0;
}
