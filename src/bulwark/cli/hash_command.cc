// `bulwark hash`: digests and PDQ hashes of files, for building and checking
// hash lists.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/file_hashing.h"
#include "bulwark/cli/hash_output.h"
#include "bulwark/cli/path_list.h"

namespace bulwark::cli {
namespace {

struct HashArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  FileHashingArgs hashing;
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
  auto request = MakeHashRequest(args.hashing);
  if (!format.ok() || !request.ok()) {
    std::cerr << "bulwark hash: "
              << (format.ok() ? request.error() : format.error()).message
              << '\n';
    return kExitUsage;
  }
  if (*format == HashFormat::kPdq && !request->pdq) {
    std::cerr << "bulwark hash: --format pdq needs the pdq algorithm\n";
    return kExitUsage;
  }
  const std::vector<std::string> files = ExpandPaths(args.paths, std::cin);
  HashWriter writer(std::cout, *format, args.hashing.dihedral && request->pdq);
  writer.Begin();
  bool any_failed = false;
  HashFiles(files, *request, args.hashing.jobs,
            [&](const std::string& path, const hash::FileHashes& h) {
              writer.Write(path, h);
              if (h.error) {
                any_failed = true;
                std::cerr << "bulwark hash: " << path << ": "
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
  cmd->add_option("-f,--format", args->format, "text, pdq, csv or jsonl")
      ->check(CLI::IsMember({"text", "pdq", "csv", "jsonl"}))
      ->capture_default_str();
  AddFileHashingOptions(
      cmd, args->hashing,
      "Also output the PDQ hashes of the 8 rotations/mirrors");
  return [args] { return Run(*args); };
}

}  // namespace bulwark::cli
