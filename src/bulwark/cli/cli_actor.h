// Who acts when a person runs a command: recorded with bans, lifts and
// purges in the conduct store and the audit log.
#pragma once

#include <string>

namespace bulwark::cli {

// "cli:LOGIN" ($USER, else the effective user's name): never a secret.
std::string CliActor();

}  // namespace bulwark::cli
