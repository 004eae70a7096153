// The `bulwark` command: one binary, one file per subcommand.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include "bulwark/cli/commands.h"
#include "bulwark/core/allocator_tuning.h"

int main(int argc, char** argv) {
  using namespace bulwark::cli;
  bulwark::TuneAllocatorForLargeImages();
  CLI::App app{
      "Bulwark keeps known abusive content out of AI training data, prompts "
      "and outputs.",
      "bulwark"};
  app.require_subcommand(1);
  app.footer("Run 'bulwark COMMAND --help' for a command's options.");

  std::map<CLI::App*, Runner> runners;
  auto add = [&](Runner r) {
    runners[app.get_subcommands({}).back()] = std::move(r);
  };
  add(RegisterHashCommand(app));
  add(RegisterBankCommand(app));
  add(RegisterMatchCommand(app));
  add(RegisterScanCommand(app));
  add(RegisterServeCommand(app));
  add(RegisterCheckCommand(app));
  add(RegisterRedteamCommand(app));
  add(RegisterAccountCommand(app));
  add(RegisterIncidentCommand(app));
  add(RegisterAuditCommand(app));
  add(RegisterProvenanceCommand(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a ParseError with status 0; everything else is a usage error.
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [cmd, run] : runners) {
    if (cmd->parsed()) return run();
  }
  return kExitUsage;
}
