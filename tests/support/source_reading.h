// Opening shards and reading them to the end in scan tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bulwark/scan/source.h"

namespace bulwark::testing {

scan::ShardSpec TarShard(const std::string& path);        // id "test"
scan::ShardSpec DirectoryShard(const std::string& path);  // id: its name

// The opened source; fails the test (and returns null) when it does not
// open.
std::unique_ptr<scan::Source> OpenOrFail(const scan::ShardSpec& shard,
                                         const scan::SourceOptions& options);

// Every sample until the end; fails the test on an error.
std::vector<scan::Sample> ReadAll(scan::Source& source);

}  // namespace bulwark::testing
