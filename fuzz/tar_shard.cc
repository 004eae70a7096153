// WebDataset tar shards on arbitrary bytes: shards come from the web-scale
// datasets being cleaned, so reading one must never crash, hang or grow
// without bound, and every member it returns must respect the byte limit.
// libarchive detects the compression itself (gzip, zstd, ...).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bulwark/scan/tar_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  static const std::string path =
      "/tmp/bulwark_fuzz_tar_" + std::to_string(getpid()) + ".tar";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);

  scan::SourceOptions options;
  options.keep_all_bytes = true;
  options.max_member_bytes = 1 << 20;
  auto source = scan::OpenTarSource(path, options);
  if (!source.ok()) {
    if (source.error().message.empty()) std::abort();
    return 0;
  }
  for (int i = 0; i < 10000; ++i) {
    auto sample = (*source)->Next();
    if (!sample.ok()) {
      if (sample.error().message.empty()) std::abort();
      break;
    }
    if (!*sample) break;
    for (const scan::Member& m : (*sample)->members) {
      if (m.bytes.size() > options.max_member_bytes) std::abort();
      if (m.error && !m.bytes.empty()) std::abort();
    }
  }
  return 0;
}
