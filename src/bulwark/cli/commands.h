// Each subcommand lives in its own file and registers itself on the root
// CLI11 app, returning the function that runs it after parsing. The runner
// returns the process exit status.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace bulwark::cli {

using Runner = std::function<int()>;

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed =
    1;                                // the run finished, some items failed
inline constexpr int kExitUsage = 2;  // bad command line; nothing done
// `match` and `scan`: the run finished and found known content, so scripts
// can branch on it.
inline constexpr int kExitFound = 3;

Runner RegisterHashCommand(CLI::App& app);
Runner RegisterBankCommand(CLI::App& app);
Runner RegisterMatchCommand(CLI::App& app);
Runner RegisterScanCommand(CLI::App& app);
Runner RegisterServeCommand(CLI::App& app);
Runner RegisterCheckCommand(CLI::App& app);
// `check image`, added to the `check` command by RegisterCheckCommand.
Runner AddCheckImageCommand(CLI::App* check);
Runner RegisterRedteamCommand(CLI::App& app);
Runner RegisterAccountCommand(CLI::App& app);
Runner RegisterIncidentCommand(CLI::App& app);
Runner RegisterAuditCommand(CLI::App& app);
Runner RegisterProvenanceCommand(CLI::App& app);

}  // namespace bulwark::cli
