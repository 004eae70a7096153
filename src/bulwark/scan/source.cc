#include "bulwark/scan/source.h"

#include "bulwark/scan/directory_source.h"
#include "bulwark/scan/tar_source.h"

namespace bulwark::scan {

Result<std::unique_ptr<Source>> OpenSource(const ShardSpec& shard,
                                           const SourceOptions& options) {
  switch (shard.kind) {
    case ShardKind::kTar:
      return OpenTarSource(shard.path, options);
    case ShardKind::kDirectory:
      return OpenDirectorySource(shard.path, options);
  }
  return MakeError(ErrorCode::kInternal,
                   "unknown shard kind for '" + shard.path + "'");
}

}  // namespace bulwark::scan
