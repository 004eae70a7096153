#include "bulwark/cli/file_hashing.h"

#include <CLI/CLI.hpp>

#include <sstream>
#include <thread>

#include "bulwark/core/file.h"
#include "bulwark/core/ordered_parallel.h"

namespace bulwark::cli {

void AddFileHashingOptions(CLI::App* cmd, FileHashingArgs& args,
                           const std::string& dihedral_help) {
  cmd->add_option("-j,--jobs", args.jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("-a,--algorithms", args.algorithms,
                  "Comma-separated subset of pdq,md5,sha1,sha256")
      ->capture_default_str();
  cmd->add_flag("--dihedral", args.dihedral, dihedral_help);
  cmd->add_option("--pdq-mode", args.pdq_mode, "full, cli512 or fast")
      ->check(CLI::IsMember({"full", "cli512", "fast"}))
      ->capture_default_str();
  cmd->add_option("--exif-orientation", args.exif_orientation,
                  "as-stored (hash pixels as stored, as list producers do) or "
                  "apply (turn the image upright first)")
      ->check(CLI::IsMember({"as-stored", "apply"}))
      ->capture_default_str();
  cmd->add_option("--max-bytes", args.limits.max_bytes,
                  "Largest file to read, bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-pixels", args.limits.max_pixels,
                  "Largest image to decode, width*height")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-side", args.limits.max_side,
                  "Largest image width or height, pixels")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

Result<hash::HashRequest> MakeHashRequest(const FileHashingArgs& args) {
  auto mode = hash::ParsePdqMode(args.pdq_mode);
  if (!mode.ok()) return mode.error();
  hash::HashRequest req;
  req.pdq = req.md5 = req.sha1 = req.sha256 = false;
  // One comma-separated word (a list option would swallow the PATHs after
  // it).
  std::stringstream words(args.algorithms);
  for (std::string a; std::getline(words, a, ',');) {
    if (a == "pdq") {
      req.pdq = true;
    } else if (a == "md5") {
      req.md5 = true;
    } else if (a == "sha1") {
      req.sha1 = true;
    } else if (a == "sha256") {
      req.sha256 = true;
    } else {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "unknown algorithm '" + a + "' (expected pdq, md5, sha1, sha256)");
    }
  }
  req.pdq_options.mode = *mode;
  req.pdq_options.dihedral = args.dihedral;
  req.decode.limits = args.limits;
  req.orientation = args.exif_orientation == "apply"
                        ? hash::OrientationPolicy::kApply
                        : hash::OrientationPolicy::kAsStored;
  return req;
}

void HashFiles(const std::vector<std::string>& files,
               const hash::HashRequest& request, int jobs,
               const std::function<void(const std::string& path,
                                        const hash::FileHashes&)>& sink) {
  if (jobs <= 0) {
    jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  OrderedParallel<hash::FileHashes>(
      files.size(), jobs,
      [&](size_t i) {
        auto bytes = ReadFile(files[i], request.decode.limits.max_bytes);
        if (!bytes.ok()) {
          hash::FileHashes failed;
          failed.error = bytes.error();
          return failed;
        }
        return hash::HashBytes(*bytes, request);
      },
      [&](size_t i, const hash::FileHashes& h) { sink(files[i], h); });
}

}  // namespace bulwark::cli
