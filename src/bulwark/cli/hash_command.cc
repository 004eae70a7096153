// `bulwark hash`: digests and PDQ hashes of files, for building and checking
// hash lists.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/hash_output.h"
#include "bulwark/cli/path_list.h"
#include "bulwark/core/file.h"
#include "bulwark/core/ordered_parallel.h"
#include "bulwark/hash/file_hasher.h"

namespace bulwark::cli {
namespace {

struct HashArgs {
  std::vector<std::string> paths;
  int jobs =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::string> algorithms = {"pdq", "md5", "sha1", "sha256"};
  bool dihedral = false;
  std::string format = "text";
  std::string pdq_mode = "full";
  std::string exif_orientation = "as-stored";
  media::DecodeLimits limits;
};

constexpr const char* kDescription =
    "Compute the PDQ perceptual hash and the MD5, SHA-1 and SHA-256 digests "
    "of image files, as hash lists of known content carry them.";

constexpr const char* kFooter = R"(
PATH may be a file, a directory (searched recursively) or '-' to read paths
from standard input, one per line. The format of each file is detected from
its bytes: JPEG, PNG, WebP, GIF (first frame), BMP, TIFF (first page).
Digests are computed for any file; PDQ only for images.

PDQ modes:
  full    the image at full resolution, as Meta's Java reference, HMA and
          vPDQ compute it (default)
  cli512  images larger than 512 on a side squashed to 512x512 first, as
          Meta's pdq-photo-hasher command does
  fast    decode JPEGs at reduced scale (shorter side >= 512); close to full
          but not equal, see docs/PERFORMANCE.md
Hashes with quality below 50 are marked unreliable and should not be used
for matching.

Formats:
  text    readable summary (default)
  pdq     hash,quality,path per line, as pdq-photo-hasher prints it (with
          --dihedral: the 8 hashes orig,rot90,rot180,rot270,flipx,flipy,
          flipplus1,flipminus1, then quality,path)
  csv     path,pdq,quality,md5,sha1,sha256,width,height,error
  jsonl   one JSON object per file

Exit status: 0 every file hashed; 1 at least one file failed (each failure
is printed to stderr and in the output's error field); 2 usage error.)";

int Run(const HashArgs& args) {
  auto format = ParseHashFormat(args.format);
  auto mode = hash::ParsePdqMode(args.pdq_mode);
  if (!format.ok() || !mode.ok()) {
    std::cerr << "bulwark hash: "
              << (format.ok() ? mode.error() : format.error()).message << '\n';
    return kExitUsage;
  }
  hash::HashRequest req;
  req.pdq = req.md5 = req.sha1 = req.sha256 = false;
  for (const std::string& a : args.algorithms) {
    if (a == "pdq")
      req.pdq = true;
    else if (a == "md5")
      req.md5 = true;
    else if (a == "sha1")
      req.sha1 = true;
    else if (a == "sha256")
      req.sha256 = true;
    else {
      std::cerr << "bulwark hash: unknown algorithm '" << a
                << "' (expected pdq, md5, sha1, sha256)\n";
      return kExitUsage;
    }
  }
  if (*format == HashFormat::kPdq && !req.pdq) {
    std::cerr << "bulwark hash: --format pdq needs the pdq algorithm\n";
    return kExitUsage;
  }
  req.pdq_options.mode = *mode;
  req.pdq_options.dihedral = args.dihedral;
  req.decode.limits = args.limits;
  req.orientation = args.exif_orientation == "apply"
                        ? hash::OrientationPolicy::kApply
                        : hash::OrientationPolicy::kAsStored;

  const std::vector<std::string> files = ExpandPaths(args.paths, std::cin);
  HashWriter writer(std::cout, *format, args.dihedral && req.pdq);
  writer.Begin();
  bool any_failed = false;
  OrderedParallel<hash::FileHashes>(
      files.size(), args.jobs,
      [&](size_t i) {
        auto bytes = ReadFile(files[i], req.decode.limits.max_bytes);
        if (!bytes.ok()) {
          hash::FileHashes failed;
          failed.error = bytes.error();
          return failed;
        }
        return hash::HashBytes(*bytes, req);
      },
      [&](size_t i, const hash::FileHashes& h) {
        writer.Write(files[i], h);
        if (h.error) {
          any_failed = true;
          std::cerr << "bulwark hash: " << files[i] << ": "
                    << h.error->ToString() << '\n';
        }
      });
  std::cout.flush();
  return any_failed ? kExitSomeFailed : kExitOk;
}

}  // namespace

Runner RegisterHashCommand(CLI::App& app) {
  auto args = std::make_shared<HashArgs>();
  CLI::App* cmd = app.add_subcommand("hash", kDescription);
  cmd->footer(kFooter);
  cmd->add_option("PATH", args->paths, "Files, directories, or - for stdin")
      ->required();
  cmd->add_option("-j,--jobs", args->jobs,
                  "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("-a,--algorithms", args->algorithms,
                  "Comma-separated subset of pdq,md5,sha1,sha256")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--dihedral", args->dihedral,
                "Also output the PDQ hashes of the 8 rotations/mirrors");
  cmd->add_option("-f,--format", args->format, "text, pdq, csv or jsonl")
      ->check(CLI::IsMember({"text", "pdq", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--pdq-mode", args->pdq_mode, "full, cli512 or fast")
      ->check(CLI::IsMember({"full", "cli512", "fast"}))
      ->capture_default_str();
  cmd->add_option("--exif-orientation", args->exif_orientation,
                  "as-stored (hash pixels as stored, as list producers do) or "
                  "apply (turn the image upright first)")
      ->check(CLI::IsMember({"as-stored", "apply"}))
      ->capture_default_str();
  cmd->add_option("--max-bytes", args->limits.max_bytes,
                  "Largest file to read, bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-pixels", args->limits.max_pixels,
                  "Largest image to decode, width*height")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-side", args->limits.max_side,
                  "Largest image width or height, pixels")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return [args] { return Run(*args); };
}

}  // namespace bulwark::cli
