#include "bulwark/cli/data_dir.h"

#include <CLI/CLI.hpp>

#include <cstdlib>

#include "bulwark/bank/sqlite_store.h"

namespace bulwark::cli {

void AddDataDirOption(CLI::App* cmd, DataDirArgs& args) {
  cmd->add_option(
      "--data", args.dir,
      "Data directory (default: $BULWARK_DATA, else ./bulwark-data)");
}

std::string ResolveDataDir(const DataDirArgs& args) {
  if (!args.dir.empty()) return args.dir;
  const char* env = std::getenv("BULWARK_DATA");
  if (env != nullptr && *env != '\0') return env;
  return "./bulwark-data";
}

Result<std::unique_ptr<bank::Store>> OpenStore(const DataDirArgs& args) {
  auto store = bank::SqliteStore::Open(ResolveDataDir(args));
  if (!store.ok()) return store.error();
  return std::unique_ptr<bank::Store>(std::move(*store));
}

}  // namespace bulwark::cli
