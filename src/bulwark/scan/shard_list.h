// The list of shards a scan covers: what the command line names (paths,
// `@list.txt` files, brace ranges), resolved to directories and tar shards,
// each with a short unique id that names its results, and split into
// deterministic parts for job arrays.
#pragma once

#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::scan {

enum class ShardKind {
  kTar,        // a WebDataset tar shard, plain or gzip/zstd/bzip2/xz-compressed
  kDirectory,  // a directory of image files, walked recursively
};

struct ShardSpec {
  std::string path;  // as given (after expansion)
  ShardKind kind = ShardKind::kTar;
  // Names the shard's results (`ID_stats.json`): the file name without its
  // archive extensions ("shards/00000.tar.gz" -> "00000"), or the
  // directory's own name. Unique within a list.
  std::string id;
};

// Expands each argument: "@FILE" reads one path per line from FILE (blank
// lines and lines starting with '#' skipped; relative paths stay relative to
// the working directory, as in img2dataset's lists); brace ranges
// "{00000..00999}" (zero padding kept, width from the longer bound) and
// brace lists "{a,b,c}" expand in order, nested and repeated braces
// included. Anything else is kept as is. Errors name the argument (a
// missing list file, an unbalanced brace, a range of over 10,000,000
// items).
Result<std::vector<std::string>> ExpandSourceArgs(
    const std::vector<std::string>& args);

// Classifies each path: a directory, or a regular file named like a tar
// shard (.tar, .tar.gz, .tgz, .tar.zst, .tar.zstd, .tzst, .tar.bz2, .tar.xz).
// Fails naming the path when it does not exist, is another kind of file, or
// when two shards would get the same id (say both paths). Order is kept.
Result<std::vector<ShardSpec>> ResolveShards(
    const std::vector<std::string>& paths);

// Part `index` (0-based) of `count` (1..): the shards whose position in the
// list sorted by id is congruent to `index` modulo `count`. The union of all
// parts is the list and parts never overlap, whatever order the list was
// given in.
std::vector<ShardSpec> SelectPartition(std::vector<ShardSpec> shards, int index,
                                       int count);

// Parses "I/N" (0 <= I < N). kInvalidArgument names the problem.
struct PartitionSpec {
  int index = 0;
  int count = 1;
};
Result<PartitionSpec> ParsePartition(const std::string& text);

}  // namespace bulwark::scan
