// `bulwark bank import` and `bulwark bank export`: moving hash lists in and
// out of banks, in the formats bank/import.h and bank/export.h describe.
#pragma once

#include <string>
#include <vector>

#include "bulwark/bank/store.h"

namespace CLI {
class App;
}

namespace bulwark::cli {

struct BankTransferArgs {
  std::vector<std::string> files;
  std::string import_format = "auto";
  std::string signal_type;  // empty: from the value
  bool skip_invalid = false;
  std::string export_format = "csv";
};

// Register the subcommands on `bank`; the bank name goes to `name`.
CLI::App* AddImportCommand(CLI::App* bank, std::string& name,
                           BankTransferArgs& args);
CLI::App* AddExportCommand(CLI::App* bank, std::string& name,
                           BankTransferArgs& args);

int RunImport(bank::Store& store, const std::string& name,
              const BankTransferArgs& args);
int RunExport(bank::Store& store, const std::string& name,
              const BankTransferArgs& args);

}  // namespace bulwark::cli
