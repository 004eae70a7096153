// The file-hashing options and loop shared by the commands that hash files
// (`hash`, `match`): one place defines --jobs, --algorithms, --pdq-mode and
// the decode limits, so every command reads them the same way.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/hash/file_hasher.h"

namespace CLI {
class App;
}

namespace bulwark::cli {

struct FileHashingArgs {
  int jobs = 0;  // 0: all cores
  std::string algorithms = "pdq,md5,sha1,sha256";
  bool dihedral = false;
  std::string pdq_mode = "full";
  std::string exif_orientation = "as-stored";
  media::DecodeLimits limits;
};

// Registers the options on `cmd`; `dihedral_help` says what --dihedral
// does for this command.
void AddFileHashingOptions(CLI::App* cmd, FileHashingArgs& args,
                           const std::string& dihedral_help);

// The request the options describe; kInvalidArgument names a bad value.
Result<hash::HashRequest> MakeHashRequest(const FileHashingArgs& args);

// Reads and hashes `files` on args.jobs threads and calls `sink` for each,
// in input order. A file that cannot be read yields FileHashes with only
// `error` set.
void HashFiles(const std::vector<std::string>& files,
               const hash::HashRequest& request, int jobs,
               const std::function<void(const std::string& path,
                                        const hash::FileHashes&)>& sink);

}  // namespace bulwark::cli
