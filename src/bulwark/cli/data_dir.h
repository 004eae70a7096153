// The data directory every stateful command works on: --data DIR, else the
// BULWARK_DATA environment variable, else ./bulwark-data.
#pragma once

#include <memory>
#include <string>

#include "bulwark/bank/store.h"
#include "bulwark/core/result.h"

namespace CLI {
class App;
}

namespace bulwark::cli {

struct DataDirArgs {
  std::string dir;  // empty: environment or default
};

void AddDataDirOption(CLI::App* cmd, DataDirArgs& args);

std::string ResolveDataDir(const DataDirArgs& args);

// Opens (creating if needed) the store in the resolved data directory.
Result<std::unique_ptr<bank::Store>> OpenStore(const DataDirArgs& args);

}  // namespace bulwark::cli
